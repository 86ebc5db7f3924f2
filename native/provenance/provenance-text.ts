// `runledger runs show` in words: the code, environment and dataset sections, as key/value rows.
import type { DatasetProvenance, RunProvenance } from '../api/contract';

type Rows = [string, string][];

const fmt = (n: number): string => n.toLocaleString('en-US');

export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[u]}`;
}

function codeRows(p: RunProvenance): Rows {
  const c = p.code;
  if (!c) return [];
  const state = c.dirty === null ? '' : c.dirty ? ' (dirty: uncommitted changes)' : ' (clean)';
  const rows: Rows = [['commit', `${c.commit ?? 'unknown'}${c.branch ? ` on ${c.branch}` : ''}${state}`]];
  if (c.remote) rows.push(['remote', c.remote]);
  if (c.diff_artifact) rows.push(['diff', `${c.diff_artifact} (${formatBytes(c.diff_bytes ?? 0)}${c.diff_truncated ? ', truncated' : ''})`]);
  if (c.untracked.length > 0) rows.push(['untracked', `${c.untracked.length} files: ${c.untracked.slice(0, 5).join(', ')}${c.untracked.length > 5 ? ', …' : ''}`]);
  return rows;
}

function environmentRows(p: RunProvenance): Rows {
  const e = p.environment;
  if (!e) return [];
  const rows: Rows = [];
  const add = (k: string, v: string | null | undefined): void => {
    if (v) rows.push([k, v]);
  };
  add('python', e.python && `${e.python}${e.python_implementation ? ` (${e.python_implementation})` : ''}`);
  add('platform', e.platform);
  add('host', e.hostname && `${e.hostname}${e.cpu_count ? `, ${e.cpu_count} CPUs` : ''}${e.cpu ? `: ${e.cpu}` : ''}`);
  for (const g of e.gpus) {
    add(`gpu ${g.index}`, `${g.name}${g.memory_total_mib !== null ? `, ${fmt(g.memory_total_mib)} MiB` : ''}${g.compute_capability ? `, sm ${g.compute_capability}` : ''}`);
  }
  add('driver', e.driver);
  add('cuda', e.cuda && `${e.cuda}${e.cudnn ? `, cuDNN ${e.cudnn}` : ''}`);
  add('torch', e.torch);
  add('packages', e.package_count !== null ? `${e.package_count} (sha256:${(e.packages_sha256 ?? '').slice(0, 12)})` : null);
  add('workers', e.workers !== null ? String(e.workers) : null);
  add('mixed precision', e.mixed_precision);
  add('command', e.command && e.command.join(' '));
  for (const [k, v] of Object.entries(e.env_vars)) add(`env ${k}`, v);
  return rows;
}

function datasetLine(d: DatasetProvenance): string {
  const parts = [`sha256:${d.digest.slice(0, 12)}${d.profiled_by === 'client' ? ' (client profile)' : ''}`];
  if (d.size_bytes !== null) parts.push(formatBytes(d.size_bytes));
  if (d.rows !== null) parts.push(`${fmt(d.rows)} rows${d.columns ? ` × ${d.columns.length} cols` : ''}`);
  const nulls = Object.entries(d.null_counts ?? {}).filter(([, n]) => n > 0);
  if (nulls.length > 0) parts.push(`nulls ${nulls.map(([k, n]) => `${k}=${fmt(n)}`).join(' ')}`);
  if (d.context) parts.push(d.context);
  // First, so a narrow terminal column never cuts it off.
  const changed = d.digest_changed ? `CHANGED (${d.previous_run_id ?? 'an earlier run'} used sha256:${(d.previous_digest ?? '').slice(0, 12)}) ` : '';
  return `${changed}${parts.join(', ')}`;
}

/** Titled sections for `runs show`; empty sections are left out by the caller. */
export function provenanceSections(p: RunProvenance): [string, Rows][] {
  return [
    ['code', codeRows(p)],
    ['environment', environmentRows(p)],
    ['datasets (provenance)', p.datasets.map((d) => [d.name, datasetLine(d)] as [string, string])],
  ];
}
