// `data/summary.md`: what a person reads first. One line per run with its result, key params, the
// dataset and code versions, and the charts (PNG files beside it). Convenience only: the signed
// facts are the JSON files and the Statement.
import type { CollectedRun } from './collect-run';

const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, '')) : String(v));
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function summaryMarkdown(runs: readonly CollectedRun[], fingerprint: string, principal: string): string {
  const out: string[] = ['# Run bundle summary', '', `Signed by ${principal} (key ${fingerprint}). The signature says who asserted these bytes, not that the run happened as described.`, ''];
  for (const r of runs) {
    const row = r.row;
    const metrics = r.summary.slice(0, 8).map((m) => `${m.key} ${fmt(m.value)} (step ${m.step})`).join(', ');
    out.push(`## ${cell(row.run_name || row.run_id)}`, '');
    out.push(`**${row.status}**, run \`${row.run_id}\` in experiment *${cell(r.experiment)}*, started ${new Date(row.start_time).toISOString()}${row.end_time !== null ? `, ended ${new Date(row.end_time).toISOString()}` : ''}${row.lifecycle_stage === 'deleted' ? ' (deleted)' : ''}.`, '');
    out.push(`Result: ${metrics || 'no metrics logged'}.`, '');
    const params = Object.entries(r.params).slice(0, 20);
    if (params.length) out.push('| param | value |', '|---|---|', ...params.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`), '');
    const code = r.code ?? {};
    out.push(`Code: ${code.git_commit ? `commit \`${String(code.git_commit)}\`${code.branch ? ` on ${String(code.branch)}` : ''}${code.dirty ? ', with uncommitted changes (code/diff.patch)' : ''}` : 'not recorded'}.`, '');
    if (r.datasets.length) {
      out.push('Datasets:', '');
      for (const d of r.datasets) {
        const input = d.input as Record<string, unknown>;
        const ds = (d.dataset ?? {}) as Record<string, unknown>;
        out.push(`- ${cell(String(input.dataset_name))}: digest \`${String(input.dataset_digest)}\`${ds.rows !== null && ds.rows !== undefined ? `, ${String(ds.rows)} rows` : ''}${ds.source ? `, ${cell(String(ds.source))}` : ''}`);
      }
      out.push('');
    }
    const env = r.environment ?? {};
    if (env.python || env.torch || env.cuda) out.push(`Environment: python ${fmt(env.python ?? '?')}, torch ${fmt(env.torch ?? '?')}, CUDA ${fmt(env.cuda ?? '?')}.`, '');
    for (const c of r.charts) out.push(`![${c.split('/').pop()}](${c.slice('data/'.length)})`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
