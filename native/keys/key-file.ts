// The workstation signing key: an Ed25519 seed in `<data>/keys/signing-key.json`, mode 0600, wrapped
// with scrypt + AES-256-GCM under a passphrase (BUNDLE.md §4.5). Not Node's encrypted PKCS#8: that
// uses PBKDF2 with 2048 iterations. The scrypt parameters and salt are recorded in the file, so
// stronger defaults later still open old files. The public key is stored in clear (it is no secret)
// and is also the GCM associated data, so swapping it in the file breaks decryption.
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprintOfBlob, openSshLine, parseOpenSshLine, publicKeyBlob, publicKeyFromBlob } from './ssh-wire';

export const KEY_FILE_FORMAT = 'runledger-signing-key/1';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** BUNDLE.md §4.5: N=2^17, r=8, p=1 (128 MiB of memory, a few hundred ms to unlock). */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

export interface KeyFile {
  format: typeof KEY_FILE_FORMAT;
  algorithm: 'ed25519';
  principal: string;
  public_key: string;
  fingerprint: string;
  created_at: string;
  protection: 'scrypt-aes-256-gcm' | 'none';
  kdf: ({ name: 'scrypt'; salt: string; dklen: 32 } & ScryptParams) | null;
  cipher: { name: 'aes-256-gcm'; iv: string; tag: string } | null;
  /** The 32-byte seed, encrypted (or in clear with protection 'none'), base64. */
  secret: string;
}

export class KeyError extends Error {
  constructor(
    readonly code: 'NO_KEY' | 'KEY_EXISTS' | 'BAD_PASSPHRASE' | 'PASSPHRASE_REQUIRED' | 'BAD_KEY_FILE',
    message: string,
  ) {
    super(message);
  }
}

export const keyFilePath = (dataDir: string): string => path.join(dataDir, 'keys', 'signing-key.json');

// PKCS#8 DER prefix for an Ed25519 private key (RFC 8410): SEQUENCE, version 0, OID 1.3.101.112, OCTET STRING(OCTET STRING(32)).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function privateKeyFromSeed(seed: Buffer): KeyObject {
  if (seed.length !== 32) throw new KeyError('BAD_KEY_FILE', 'the key seed is not 32 bytes');
  return crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function seedOf(priv: KeyObject): Buffer {
  const jwk = priv.export({ format: 'jwk' });
  return Buffer.from(jwk.d!, 'base64url');
}

function deriveKey(passphrase: string, salt: Buffer, p: ScryptParams): Buffer {
  // maxmem: scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is below N=2^17, r=8.
  return crypto.scryptSync(Buffer.from(passphrase.normalize('NFC'), 'utf8'), salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 });
}

export function defaultPrincipal(): string {
  const user = (() => {
    try {
      return os.userInfo().username;
    } catch {
      return 'user';
    }
  })();
  return `${user}@${os.hostname()}`.replace(/\s+/g, '-');
}

/** Principals as allowed_signers accepts them without quoting: no spaces, commas, quotes or wildcards. */
export function principalProblem(p: string): string | null {
  if (p.length === 0 || p.length > 200) return 'must be 1 to 200 characters';
  if (!/^[A-Za-z0-9._@+-]+$/.test(p)) return 'may only use letters, digits and . _ @ + -';
  return null;
}

export interface InitOptions {
  principal?: string;
  /** null: no passphrase (the key is stored in clear, mode 0600). */
  passphrase: string | null;
  scrypt?: ScryptParams;
  now?: Date;
}

/** Creates the key file; refuses to overwrite one (a new key would orphan every bundle's trust). */
export function initKey(dataDir: string, o: InitOptions): KeyFile {
  const file = keyFilePath(dataDir);
  if (fs.existsSync(file)) throw new KeyError('KEY_EXISTS', `a signing key already exists at ${file}`);
  const principal = o.principal ?? defaultPrincipal();
  const problem = principalProblem(principal);
  if (problem) throw new KeyError('BAD_KEY_FILE', `principal ${JSON.stringify(principal)} ${problem}`);
  if (o.passphrase !== null && o.passphrase.length === 0) throw new KeyError('PASSPHRASE_REQUIRED', 'the passphrase is empty: give one, or use --no-passphrase');
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const blob = publicKeyBlob(publicKey);
  const seed = seedOf(privateKey);
  const base = {
    format: KEY_FILE_FORMAT as typeof KEY_FILE_FORMAT,
    algorithm: 'ed25519' as const,
    principal,
    public_key: openSshLine(blob, principal),
    fingerprint: fingerprintOfBlob(blob),
    created_at: (o.now ?? new Date()).toISOString(),
  };
  let key: KeyFile;
  if (o.passphrase === null) {
    key = { ...base, protection: 'none', kdf: null, cipher: null, secret: seed.toString('base64') };
  } else {
    const params = o.scrypt ?? DEFAULT_SCRYPT;
    const salt = crypto.randomBytes(16);
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', deriveKey(o.passphrase, salt, params), iv);
    c.setAAD(blob);
    const secret = Buffer.concat([c.update(seed), c.final()]);
    key = {
      ...base,
      protection: 'scrypt-aes-256-gcm',
      kdf: { name: 'scrypt', ...params, salt: salt.toString('base64'), dklen: 32 },
      cipher: { name: 'aes-256-gcm', iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64') },
      secret: secret.toString('base64'),
    };
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // 'wx': never follow or replace an existing path; mode applies at creation.
  fs.writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  fs.chmodSync(file, 0o600); // the umask may have narrowed it further, never widened; make it exact
  return key;
}

/** The key file without unlocking it (public parts only are trusted from it). */
export function readKeyFile(dataDir: string): KeyFile {
  const file = keyFilePath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new KeyError('NO_KEY', `no signing key in ${path.dirname(file)}: create one with 'runledger keys init'`);
  }
  let k: KeyFile;
  try {
    k = JSON.parse(text) as KeyFile;
  } catch {
    throw new KeyError('BAD_KEY_FILE', `${file} is not valid JSON`);
  }
  if (k?.format !== KEY_FILE_FORMAT || k.algorithm !== 'ed25519' || typeof k.public_key !== 'string' || typeof k.secret !== 'string') {
    throw new KeyError('BAD_KEY_FILE', `${file} is not a ${KEY_FILE_FORMAT} key file`);
  }
  const parsed = parseOpenSshLine(k.public_key);
  if (!parsed) throw new KeyError('BAD_KEY_FILE', `${file} holds no readable public key`);
  // The fingerprint shown to people is recomputed, never read from the file.
  k.fingerprint = fingerprintOfBlob(parsed.blob);
  return k;
}

export function hasKey(dataDir: string): boolean {
  return fs.existsSync(keyFilePath(dataDir));
}

/** Decrypts the seed; a wrong passphrase fails GCM authentication and says so, nothing else. */
export function unlockSeed(k: KeyFile, passphrase: string | null): Buffer {
  if (k.protection === 'none') return Buffer.from(k.secret, 'base64');
  if (k.protection !== 'scrypt-aes-256-gcm' || !k.kdf || !k.cipher) throw new KeyError('BAD_KEY_FILE', `unknown key protection ${JSON.stringify(k.protection)}`);
  if (passphrase === null) throw new KeyError('PASSPHRASE_REQUIRED', 'the signing key is protected by a passphrase');
  const { N, r, p } = k.kdf;
  if (![N, r, p].every((x) => Number.isSafeInteger(x) && x > 0) || N > 2 ** 22 || r > 32 || p > 16) throw new KeyError('BAD_KEY_FILE', 'scrypt parameters out of range');
  const blob = parseOpenSshLine(k.public_key)!.blob;
  try {
    const d = crypto.createDecipheriv('aes-256-gcm', deriveKey(passphrase, Buffer.from(k.kdf.salt, 'base64'), { N, r, p }), Buffer.from(k.cipher.iv, 'base64'));
    d.setAAD(blob);
    d.setAuthTag(Buffer.from(k.cipher.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(k.secret, 'base64')), d.final()]);
  } catch {
    throw new KeyError('BAD_PASSPHRASE', 'wrong passphrase for the signing key');
  }
}

/** Checks that the seed really belongs to the public key recorded beside it. */
export function checkedPrivateKey(k: KeyFile, seed: Buffer): KeyObject {
  const priv = privateKeyFromSeed(seed);
  const blob = publicKeyBlob(crypto.createPublicKey(priv));
  if (!blob.equals(parseOpenSshLine(k.public_key)!.blob)) throw new KeyError('BAD_KEY_FILE', 'the private key does not match the public key in the key file');
  return priv;
}

export { publicKeyFromBlob };
