// A Signer is an unlocked key: what bundle export (SSHSIG, raw Ed25519, DSSE) and the audit log's
// checkpoints (issue #7) sign with. Ed25519 signatures are deterministic, so the same bytes signed
// twice give the same signature (byte-deterministic bundles rely on it).
import crypto, { type KeyObject } from 'node:crypto';
import { checkedPrivateKey, readKeyFile, unlockSeed } from './key-file';
import { fingerprintOfBlob, openSshLine, parseOpenSshLine, publicKeyBlob, publicKeyFromBlob, spkiPem } from './ssh-wire';

export interface Signer {
  /** `SHA256:…`, as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  readonly principal: string;
  readonly publicKey: KeyObject;
  /** The SSH wire blob of the public key. */
  readonly publicKeyBlob: Buffer;
  /**
   * A raw 64-byte Ed25519 signature over `bytes`. Callers sign only messages they built themselves,
   * whose prefixes are disjoint (BUNDLE.md §4.5 domain separation): a tag manifest (64 hex), SSHSIG
   * ("SSHSIG"), DSSE PAE ("DSSEv1 "), a checkpoint (origin line "runledger/log/…"). Never sign
   * caller-supplied bytes.
   */
  sign(bytes: Buffer): Buffer;
}

export function signerFromPrivateKey(priv: KeyObject, principal: string): Signer {
  const publicKey = crypto.createPublicKey(priv);
  const blob = publicKeyBlob(publicKey);
  return {
    fingerprint: fingerprintOfBlob(blob),
    principal,
    publicKey,
    publicKeyBlob: blob,
    sign: (bytes) => crypto.sign(null, bytes, priv),
  };
}

/** Unlocks the data dir's key (throws KeyError: NO_KEY, PASSPHRASE_REQUIRED, BAD_PASSPHRASE, BAD_KEY_FILE). */
export function loadSigner(dataDir: string, passphrase: string | null): Signer {
  const k = readKeyFile(dataDir);
  const priv = checkedPrivateKey(k, unlockSeed(k, passphrase));
  return signerFromPrivateKey(priv, k.principal);
}

export function verifyEd25519(pub: KeyObject, message: Buffer, signature: Buffer): boolean {
  if (signature.length !== 64) return false;
  try {
    return crypto.verify(null, message, pub, signature);
  } catch {
    return false;
  }
}

/** The public identity card: OpenSSH line, SPKI PEM, allowed_signers line. */
export function identityOf(blob: Buffer, principal: string, namespaces: string): { fingerprint: string; principal: string; openssh: string; pem: string; allowedSigners: string } {
  return {
    fingerprint: fingerprintOfBlob(blob),
    principal,
    openssh: openSshLine(blob, principal),
    pem: spkiPem(publicKeyFromBlob(blob)),
    allowedSigners: `${principal} namespaces="${namespaces}" ${openSshLine(blob)}`,
  };
}

export { parseOpenSshLine };
