// What the audit log needs from a signing key. Structurally a subset of native/keys' Signer
// (issue #6: { fingerprint, principal, publicKey, sign(bytes) }), so that object can be passed as
// is; the public key is accepted in any of the forms native/keys and the bundle verifier hold it in.
// The key encodings themselves are native/keys' (ssh-wire.ts); this file only picks between them.
import crypto, { type KeyObject } from 'node:crypto';
import { fingerprintOfBlob, parseOpenSshLine, publicKeyBlob, publicKeyFromBlob, verifyEd25519 as verifyWithKey } from '../keys';
import { rawPublicKey } from '../keys/ssh-wire';

export type PublicKeyLike = KeyObject | Uint8Array | string;

export interface AuditSigner {
  /** OpenSSH style `SHA256:<base64 without padding>`, as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  readonly principal?: string | null;
  /** Ed25519: a KeyObject, the raw 32 bytes, the SSH wire blob, an OpenSSH `ssh-ed25519 AAAA…` line, or SPKI PEM. */
  readonly publicKey: PublicKeyLike;
  /** Raw 64-byte Ed25519 signature over exactly these bytes. May be async (a key unlocked on demand). */
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** Who the log says acted: always the OS user; the key's identity when a key exists. */
export interface AuditIdentity {
  fingerprint: string | null;
  principal: string | null;
}

/** The 32 raw bytes of an Ed25519 public key given in any PublicKeyLike form. */
export function rawEd25519(key: PublicKeyLike): Buffer {
  if (typeof key === 'string') {
    const line = parseOpenSshLine(key);
    return rawPublicKey(line ? publicKeyFromBlob(line.blob) : crypto.createPublicKey(key));
  }
  if (key instanceof Uint8Array) {
    if (key.length === 32) return Buffer.from(key);
    return rawPublicKey(publicKeyFromBlob(Buffer.from(key))); // the SSH wire blob; throws on anything else
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType}`);
  return rawPublicKey(key.type === 'private' ? crypto.createPublicKey(key) : key);
}

export function ed25519KeyObject(raw: Uint8Array): KeyObject {
  return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

/** `SHA256:…` over the SSH wire form of the key: the value `ssh-keygen -lf` prints. */
export function sshFingerprint(raw: Uint8Array): string {
  return fingerprintOfBlob(publicKeyBlob(ed25519KeyObject(raw)));
}

export function verifyEd25519(raw: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verifyWithKey(ed25519KeyObject(raw), Buffer.from(message), Buffer.from(signature));
  } catch {
    return false;
  }
}
