// OpenSSH wire encodings for Ed25519 public keys: the key blob (RFC 4253 §6.6 `string` fields), the
// `ssh-ed25519 AAAA…` line, the SPKI PEM, and the fingerprint exactly as `ssh-keygen -lf` prints it.
import crypto, { type KeyObject } from 'node:crypto';

export const KEY_TYPE = 'ssh-ed25519';

/** RFC 4251 `string`: a uint32 big-endian length, then the bytes. */
export function sshString(b: Buffer | string): Buffer {
  const body = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** Reads RFC 4251 `string`s one after another; throws on a length that runs past the end. */
export class SshReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  string(): Buffer {
    if (this.pos + 4 > this.buf.length) throw new Error('truncated SSH string length');
    const n = this.buf.readUInt32BE(this.pos);
    if (this.pos + 4 + n > this.buf.length) throw new Error('SSH string runs past the end');
    const out = this.buf.subarray(this.pos + 4, this.pos + 4 + n);
    this.pos += 4 + n;
    return out;
  }
  uint32(): number {
    if (this.pos + 4 > this.buf.length) throw new Error('truncated uint32');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  get done(): boolean {
    return this.pos === this.buf.length;
  }
}

/** The 32 raw public-key bytes of an Ed25519 KeyObject. */
export function rawPublicKey(pub: KeyObject): Buffer {
  const jwk = pub.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 public key');
  return Buffer.from(jwk.x, 'base64url');
}

/** The SSH public key blob: string "ssh-ed25519" ‖ string(32 raw bytes). */
export function publicKeyBlob(pub: KeyObject): Buffer {
  return Buffer.concat([sshString(KEY_TYPE), sshString(rawPublicKey(pub))]);
}

/** An Ed25519 KeyObject from an SSH public key blob; throws for other key types or lengths. */
export function publicKeyFromBlob(blob: Buffer): KeyObject {
  const r = new SshReader(blob);
  const type = r.string().toString('latin1');
  if (type !== KEY_TYPE) throw new Error(`unsupported key type ${JSON.stringify(type)} (only ssh-ed25519)`);
  const raw = r.string();
  if (raw.length !== 32 || !r.done) throw new Error('malformed ssh-ed25519 key blob');
  return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** `SHA256:<base64 without padding>` of the key blob: what `ssh-keygen -lf key.pub` prints. */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The one-line OpenSSH public key (`ssh-ed25519 AAAA… comment`). */
export function openSshLine(blob: Buffer, comment = ''): string {
  return `${KEY_TYPE} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`;
}

/** Parses `ssh-ed25519 AAAA… [comment]` into the blob; null when the line is not one. */
export function parseOpenSshLine(line: string): { blob: Buffer; comment: string } | null {
  const m = /^ssh-ed25519 ([A-Za-z0-9+/]+={0,2})(?: (.*))?$/.exec(line.trim());
  if (!m) return null;
  const blob = Buffer.from(m[1], 'base64');
  try {
    publicKeyFromBlob(blob);
  } catch {
    return null;
  }
  return { blob, comment: m[2] ?? '' };
}

/** SPKI PEM: what `openssl pkeyutl -verify -pubin -inkey` reads. */
export function spkiPem(pub: KeyObject): string {
  return pub.export({ format: 'pem', type: 'spki' }).toString();
}
