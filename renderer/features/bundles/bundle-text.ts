// Pure wording for the bundle views (tested without a DOM): the trust badge, the export progress,
// and the fingerprint confirmation a user types before trusting a key (BUNDLE.md §4.5: compare the
// last 8 characters with the value its owner gave out of band).
import type { BundleExportJob, BundleReport } from '../../../native/api/contract';

export type Tone = 'ok' | 'warn' | 'bad';

export function trustBadge(r: BundleReport): { label: string; tone: Tone; detail: string } {
  if (!r.valid) return { label: `INVALID (${r.code ?? 'error'})`, tone: 'bad', detail: r.message ?? 'the bundle failed verification' };
  const s = r.signer!;
  if (s.trust_state === 'trusted') return { label: `Valid, signed by ${s.principal ?? s.claimed_principal ?? 'a trusted key'}`, tone: 'ok', detail: `key ${s.fingerprint}, in your trust store` };
  return {
    label: 'Valid signature, UNTRUSTED signer',
    tone: 'warn',
    detail: `key ${s.fingerprint} is not in your trust store; it claims to be ${s.claimed_principal ?? 'nobody'} (unverified)`,
  };
}

export const PHASE_NAMES: Record<BundleExportJob['phase'], string> = { collect: 'Hashing the run files', write: 'Writing the bundle', verify: 'Verifying what was written', done: 'Done' };

export function exportFraction(j: BundleExportJob): number {
  if (j.state === 'done') return 1;
  // Three passes over the bytes: weight each phase a third, so the bar never runs backwards.
  const base = { collect: 0, write: 1 / 3, verify: 2 / 3, done: 1 }[j.phase];
  const inPhase = j.bytes_total > 0 ? Math.min(1, j.bytes_done / j.bytes_total) : 0;
  return Math.min(1, base + inPhase / 3);
}

export const fingerprintTail = (fpr: string): string => fpr.slice(-8);

/** The typed confirmation matches the key's last 8 characters (case-sensitive: base64). */
export const confirmsFingerprint = (typed: string, fpr: string): boolean => typed.trim().length === 8 && fpr.endsWith(typed.trim());

export function formatBytes(n: number): string {
  if (n < 1e3) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}
