// How `verify`, `open` and `import` print a bundle's verification report: every check in order, the
// signer with its trust state, and what a signature does and does not prove.
import type { BundleReport } from '../api/contract';
import { formatTable } from './format-table';

export function signerLine(r: BundleReport): string {
  const s = r.signer;
  if (!s) return 'Signer: unknown (verification stopped before the signature was read)';
  if (s.trust_state === 'trusted') return `Signer: ${s.principal ?? s.claimed_principal ?? '?'} (${s.fingerprint}), TRUSTED`;
  if (s.trust_state === 'revoked') return `Signer: key ${s.fingerprint} is REVOKED`;
  return `Signer: key ${s.fingerprint}, UNTRUSTED (it claims to be ${s.claimed_principal ?? 'nobody'}; that claim is unverified)`;
}

export function reportText(r: BundleReport): string {
  const lines = [`Bundle ${r.path}${r.format ? ` (${r.format})` : ''}`];
  for (const c of r.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${String(c.step).padStart(2)} ${c.name}: ${c.detail}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  lines.push(signerLine(r));
  if (r.digest) lines.push(`Bundle digest: ${r.digest}`);
  if (!r.valid) lines.push(`INVALID: ${r.message}`);
  else if (r.signer?.trust_state === 'trusted') lines.push('VALID: the files are exactly what the trusted signer signed.');
  else lines.push('VALID signature from an UNTRUSTED key: the files are intact, but nothing says who signed them.');
  if (r.valid) lines.push('(A signature proves who asserted these bytes, not that the run happened as described, nor when: the times are the workstation clock.)');
  return lines.join('\n');
}

const metricText = (v: number | string): string => (typeof v === 'number' ? String(+v.toPrecision(5)) : v);

/** Params shown per run by `open` (the rest are in run/params.json). */
const KEY_PARAMS = 12;

export function runsText(r: BundleReport): string {
  if (r.runs.length === 0) return '';
  const rows = r.runs.map((x) => [x.run_id, x.run_name, x.experiment, x.status, x.metrics.slice(0, 3).map((m) => `${m.key}=${metricText(m.value)}`).join(' '), String(x.artifacts.length)]);
  const out = [formatTable(['RUN ID', 'NAME', 'EXPERIMENT', 'STATUS', 'METRICS', 'ARTIFACTS'], rows, 50)];
  // Then each run in full: its params and every final metric, as `open` promises without importing.
  for (const x of r.runs) {
    out.push('', `${x.run_name || x.run_id} (${x.run_id})`);
    const params = Object.entries(x.params);
    out.push(`  params:  ${params.length ? params.slice(0, KEY_PARAMS).map(([k, v]) => `${k}=${v}`).join(', ') : 'none'}${params.length > KEY_PARAMS ? ` (+${params.length - KEY_PARAMS} more)` : ''}`);
    out.push(`  metrics: ${x.metrics.length ? x.metrics.map((m) => `${m.key}=${metricText(m.value)} (step ${m.step})`).join(', ') : 'none'}`);
  }
  return out.join('\n');
}

/** The model versions a bundle carries (issue #9), numbered as the exporting store had them. */
export function modelsText(r: BundleReport): string {
  const models = r.models ?? [];
  if (models.length === 0) return '';
  const rows = models.map((m) => [m.name, String(m.version), m.stage, m.aliases.join(','), m.run_id, m.source, String(m.files)]);
  return formatTable(['MODEL', 'VERSION', 'STAGE', 'ALIASES', 'SOURCE RUN', 'SOURCE', 'FILES'], rows, 50);
}

/** verify/open exit codes: 0 valid and trusted, 3 valid but untrusted signer, 1 invalid. */
export function reportExitCode(r: BundleReport): number {
  if (!r.valid) return 1;
  return r.signer?.trust_state === 'trusted' ? 0 : 3;
}
