// C2SP tlog-checkpoint in the C2SP signed-note format (BUNDLE.md §4.9, §5.4):
//
//   runledger/log/SHA256:<fingerprint>     origin
//   1234                                   tree size
//   <base64 root hash>
//                                          blank line
//   — <key name> <base64(4-byte key ID ‖ 64-byte Ed25519 signature)>
//
// The signature covers the note text (the three lines and their newlines), so an auditor checks it
// with `openssl pkeyutl -verify -rawin` after cutting the text and the signature out with awk/base64.
import crypto from 'node:crypto';
import { rawEd25519, sshFingerprint, verifyEd25519, type AuditSigner } from './audit-signer';

export interface CheckpointBody {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
}

export interface ParsedCheckpoint extends CheckpointBody {
  /** The signed bytes: the note text including its final newline. */
  text: string;
  signatures: { keyName: string; keyId: Buffer; signature: Buffer }[];
}

const ORIGIN_PREFIX = 'runledger/log/';
const SIG_LINE = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/;

/**
 * The log's origin (and key name) for a key fingerprint. C2SP forbids `+` in key names and origins,
 * and a base64 fingerprint can hold one, so the digest is spelled in base64url here
 * (`+`→`-`, `/`→`_`): the same 32 bytes, and the name still starts with a non-hex letter, which keeps
 * checkpoints apart from everything else the key signs (BUNDLE.md §4.5 domain separation).
 */
export function logOrigin(fingerprint: string): string {
  return ORIGIN_PREFIX + fingerprint.replace(/\+/g, '-').replace(/\//g, '_');
}

/** The origin of a log whose checkpoints nobody could sign yet (no key on this workstation). */
export const UNSIGNED_ORIGIN = `${ORIGIN_PREFIX}unsigned`;

/** key ID = SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4] (signed-note, Ed25519). */
export function noteKeyId(keyName: string, rawPublicKey: Uint8Array): Buffer {
  return crypto.createHash('sha256').update(keyName).update(Buffer.from([0x0a, 0x01])).update(rawPublicKey).digest().subarray(0, 4);
}

export function checkpointText(c: CheckpointBody): string {
  if (!c.origin || /[\s+]/u.test(c.origin)) throw new Error(`checkpoint origin ${JSON.stringify(c.origin)} must be non-empty, without spaces or '+'`);
  if (!Number.isSafeInteger(c.treeSize) || c.treeSize < 0) throw new Error(`bad tree size ${c.treeSize}`);
  return `${c.origin}\n${c.treeSize}\n${c.rootHash.toString('base64')}\n`;
}

/** The signed note: text, blank line, one signature line by `signer` under the key name = origin. */
export async function signCheckpoint(c: CheckpointBody, signer: AuditSigner): Promise<string> {
  const text = checkpointText(c);
  const raw = rawEd25519(signer.publicKey);
  const signature = Buffer.from(await signer.sign(Buffer.from(text, 'utf8')));
  if (signature.length !== 64) throw new Error(`the signer returned ${signature.length} bytes, not a 64-byte Ed25519 signature`);
  const keyId = noteKeyId(c.origin, raw);
  return `${text}\n\u2014 ${c.origin} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
}

/** Parses a checkpoint, signed or bare (a bare one is just the note text). Throws on a malformed one. */
export function parseCheckpoint(note: string): ParsedCheckpoint {
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new Error('checkpoint holds control characters');
  // Signatures follow the last blank line; a note with none is unsigned text.
  const cut = note.lastIndexOf('\n\n');
  const text = cut < 0 ? note : note.slice(0, cut + 1);
  const sigBlock = cut < 0 ? '' : note.slice(cut + 2);
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new Error('checkpoint text must be origin, size and root hash lines, each ending in a newline');
  const [origin, sizeLine, rootLine] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) throw new Error(`checkpoint tree size ${JSON.stringify(sizeLine)} is not a decimal number`);
  const rootHash = Buffer.from(rootLine, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== rootLine) throw new Error('checkpoint root hash is not 32 bytes of base64');
  const signatures: ParsedCheckpoint['signatures'] = [];
  for (const line of sigBlock.split('\n')) {
    if (line === '') continue;
    const m = SIG_LINE.exec(line);
    if (!m) throw new Error(`malformed signature line ${JSON.stringify(line)}`);
    const blob = Buffer.from(m[2], 'base64');
    if (blob.length < 5) throw new Error('signature line too short');
    signatures.push({ keyName: m[1], keyId: blob.subarray(0, 4), signature: blob.subarray(4) });
  }
  return { origin, treeSize: Number(sizeLine), rootHash, text, signatures };
}

export type CheckpointSignatureState =
  | { state: 'valid'; fingerprint: string }
  | { state: 'unsigned' }
  | { state: 'invalid'; reason: string };

/**
 * Checks the signature by `publicKey` (signed-note rules: signatures by other keys are ignored; one
 * by this key that fails makes the note invalid). The origin must name this key's fingerprint, so a
 * checkpoint cannot be passed off as another workstation's log.
 */
export function verifyCheckpointSignature(parsed: ParsedCheckpoint, publicKey: Uint8Array | null): CheckpointSignatureState {
  if (parsed.signatures.length === 0) return { state: 'unsigned' };
  if (!publicKey) return { state: 'invalid', reason: 'the checkpoint is signed but no public key is known to check it' };
  const raw = rawEd25519(publicKey);
  const fingerprint = sshFingerprint(raw);
  if (parsed.origin !== logOrigin(fingerprint)) return { state: 'invalid', reason: `origin ${parsed.origin} is not the log of key ${fingerprint}` };
  const keyId = noteKeyId(parsed.origin, raw);
  const mine = parsed.signatures.filter((s) => s.keyName === parsed.origin && s.keyId.equals(keyId));
  if (mine.length === 0) return { state: 'invalid', reason: `no signature by key ${fingerprint}` };
  for (const s of mine) {
    if (!verifyEd25519(raw, Buffer.from(parsed.text, 'utf8'), s.signature)) return { state: 'invalid', reason: `the signature by ${fingerprint} does not verify` };
  }
  return { state: 'valid', fingerprint };
}
