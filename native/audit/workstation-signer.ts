// The audit log's signer source for a data dir: the workstation key of native/keys (issue #6).
// The key's identity (fingerprint, principal) is public and always available for the actor field;
// signing needs the key unlocked: with no passphrase, with RUNLEDGER_KEY_PASSPHRASE, or by an
// export that unlocked it and passes its signer to AuditLog.checkpoint(). A locked key yields a
// signer whose sign() throws, which leaves interval checkpoints unsigned until then.
import fs from 'node:fs';
import { hasKey, keyFilePath, loadSigner, readKeyFile, TrustStore } from '../keys';
import type { AuditSigner } from './audit-signer';
import type { SignerSource } from './audit-log';

export function workstationSigner(dataDir: string, passphrase: () => string | null = () => process.env.RUNLEDGER_KEY_PASSPHRASE ?? null): SignerSource {
  // Unlocking costs an scrypt (hundreds of ms): once per key file version, not per event.
  let cached: { mtimeMs: number; signer: AuditSigner } | null = null;
  return () => {
    if (!hasKey(dataDir)) return null;
    const mtimeMs = fs.statSync(keyFilePath(dataDir)).mtimeMs;
    if (cached && cached.mtimeMs === mtimeMs) return cached.signer;
    const k = readKeyFile(dataDir);
    let signer: AuditSigner;
    try {
      signer = loadSigner(dataDir, k.protection === 'none' ? null : passphrase());
    } catch {
      signer = {
        fingerprint: k.fingerprint,
        principal: k.principal,
        publicKey: k.public_key,
        sign: () => {
          throw new Error('the signing key is locked');
        },
      };
    }
    cached = { mtimeMs, signer };
    return signer;
  };
}

/**
 * Keys whose signatures on this log's checkpoints count: this workstation's key and the keys in its
 * trust store, minus revoked ones. Without this, someone rewriting the store could re-sign every
 * checkpoint with a key of their own (its public key is stored beside each checkpoint as a hint).
 * Undefined when there is none yet: verify then accepts any valid signature and lists its signers.
 */
export function trustedLogKeys(dataDir: string): string[] | undefined {
  const out = new Set<string>();
  if (hasKey(dataDir)) out.add(readKeyFile(dataDir).fingerprint);
  const trust = new TrustStore(dataDir);
  const revoked = trust.revoked();
  for (const e of trust.entries()) out.add(e.fingerprint);
  for (const r of revoked) out.delete(r);
  return out.size > 0 ? [...out] : undefined;
}
