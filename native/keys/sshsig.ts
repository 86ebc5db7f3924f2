// OpenSSH SSHSIG (PROTOCOL.sshsig in OpenSSH's source): the armored signature `ssh-keygen -Y sign`
// makes and `ssh-keygen -Y verify` checks. Ed25519 keys and the sha512 message hash only.
import crypto from 'node:crypto';
import type { Signer } from './signer';
import { verifyEd25519 } from './signer';
import { KEY_TYPE, SshReader, fingerprintOfBlob, publicKeyFromBlob, sshString } from './ssh-wire';

const MAGIC = Buffer.from('SSHSIG');
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';

/** What is signed: MAGIC ‖ string namespace ‖ string reserved ‖ string hash_alg ‖ string H(message). */
function signedData(namespace: string, hashAlg: string, message: Buffer): Buffer {
  const h = crypto.createHash(hashAlg).update(message).digest();
  return Buffer.concat([MAGIC, sshString(namespace), sshString(Buffer.alloc(0)), sshString(hashAlg), sshString(h)]);
}

export function sshsigSign(signer: Signer, namespace: string, message: Buffer): string {
  const sigBlob = Buffer.concat([sshString(KEY_TYPE), sshString(signer.sign(signedData(namespace, 'sha512', message)))]);
  const version = Buffer.from([0, 0, 0, 1]);
  const blob = Buffer.concat([MAGIC, version, sshString(signer.publicKeyBlob), sshString(namespace), sshString(Buffer.alloc(0)), sshString('sha512'), sshString(sigBlob)]);
  const lines = blob.toString('base64').match(/.{1,76}/g) ?? [];
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

export interface SshsigParsed {
  publicKeyBlob: Buffer;
  fingerprint: string;
  namespace: string;
  hashAlg: string;
  signature: Buffer;
}

/** Parses an armored SSHSIG; throws with a reason on anything malformed. */
export function parseSshsig(armored: string): SshsigParsed {
  const text = armored.replace(/\r\n/g, '\n').trim();
  if (!text.startsWith(BEGIN) || !text.endsWith(END)) throw new Error('not an armored SSH signature');
  const b64 = text.slice(BEGIN.length, text.length - END.length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new Error('SSH signature is not base64');
  const r = new SshReader(Buffer.from(b64, 'base64'));
  if (!r.bytes(6).equals(MAGIC)) throw new Error('bad SSHSIG magic');
  if (r.uint32() !== 1) throw new Error('unsupported SSHSIG version');
  const publicKeyBlob = r.string();
  const namespace = r.string().toString('utf8');
  r.string(); // reserved
  const hashAlg = r.string().toString('latin1');
  const sig = new SshReader(r.string());
  if (!r.done) throw new Error('trailing bytes after the SSH signature');
  if (sig.string().toString('latin1') !== KEY_TYPE) throw new Error('SSH signature is not ssh-ed25519');
  const signature = sig.string();
  if (!sig.done) throw new Error('trailing bytes in the signature blob');
  publicKeyFromBlob(publicKeyBlob); // throws on a non-Ed25519 key
  return { publicKeyBlob, fingerprint: fingerprintOfBlob(publicKeyBlob), namespace, hashAlg, signature };
}

/** True when the signature is valid for `message` under the key it embeds, in `namespace`, hashed with sha512. */
export function sshsigVerify(parsed: SshsigParsed, namespace: string, message: Buffer): boolean {
  if (parsed.namespace !== namespace || parsed.hashAlg !== 'sha512') return false;
  return verifyEd25519(publicKeyFromBlob(parsed.publicKeyBlob), signedData(namespace, 'sha512', message), parsed.signature);
}
