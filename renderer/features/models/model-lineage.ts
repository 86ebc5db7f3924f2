// A model version's lineage back to its run, as the five dimensions the run detail page shows:
// code, data, config, context, metrics. Pure, so the page only lays the rows out.
import type { ModelVersionDetail } from '../../../native/api/contract';

export interface LineageSection {
  title: 'Code' | 'Data' | 'Config' | 'Context' | 'Metrics';
  rows: [string, string][];
  /** Shown instead of rows when there are none. */
  empty: string;
}

const num = (v: number | string): string => (typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(6))) : String(v));

export function lineageOf(v: ModelVersionDetail): LineageSection[] | null {
  const run = v.source_run;
  if (!run) return null;
  const code = run.provenance.code;
  const env = run.provenance.environment;
  const gpus = env?.gpus.length ? `${env.gpus.length}× ${env.gpus[0].name}` : null;
  const context: [string, string | null][] = [
    ['Python', env?.python ?? null],
    ['torch', env?.torch ?? null],
    ['CUDA', env?.cuda ?? null],
    ['GPU', gpus],
    ['Host', env?.hostname ?? null],
    ['Platform', env?.platform ?? null],
  ];
  return [
    {
      title: 'Code',
      rows: code
        ? ([['Commit', code.commit ?? 'unknown'], ['Branch', code.branch ?? '—'], ['Working tree', code.dirty === null ? 'unknown' : code.dirty ? 'dirty' : 'clean']] as [string, string][])
        : [],
      empty: 'No code state was recorded for this run.',
    },
    {
      title: 'Data',
      rows: run.provenance.datasets.map((d) => [d.name, `${d.digest}${d.context ? ` (${d.context})` : ''}${d.digest_changed ? ' — digest changed since earlier runs' : ''}`]),
      empty: 'No datasets were logged.',
    },
    { title: 'Config', rows: Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b)), empty: 'No params.' },
    { title: 'Context', rows: context.filter((r): r is [string, string] => r[1] !== null), empty: 'No environment snapshot.' },
    { title: 'Metrics', rows: Object.entries(run.metrics).sort(([a], [b]) => a.localeCompare(b)).map(([k, val]) => [k, num(val)]), empty: 'No metrics.' },
  ];
}
