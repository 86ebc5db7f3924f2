// Pure helpers for the runs table: which metric/param columns to show, and how to print values.
import type { MetricSummary, RunSummary } from '../../../native/api/contract';

export interface ExtraColumns {
  metrics: string[];
  params: string[];
}

/** The keys most runs have, most common first (ties alphabetical), so columns are mostly filled. */
function commonKeys(records: Record<string, unknown>[], max: number): string[] {
  const counts = new Map<string, number>();
  for (const record of records) {
    for (const key of Object.keys(record)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a, ca], [b, cb]) => cb - ca || a.localeCompare(b))
    .slice(0, max)
    .map(([key]) => key);
}

export function pickColumns(runs: readonly RunSummary[], maxMetrics = 4, maxParams = 3): ExtraColumns {
  return {
    metrics: commonKeys(runs.map((r) => r.metrics), maxMetrics),
    params: commonKeys(runs.map((r) => r.params), maxParams),
  };
}

/** Four significant digits; NaN/Infinity arrive as strings and are shown, never hidden. */
export function formatMetric(value: MetricSummary['value'] | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

export function formatDuration(startMs: number, endMs: number | null, nowMs: number): string {
  const seconds = Math.max(0, Math.round(((endMs ?? nowMs) - startMs) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

const startFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatStart(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? startFormat.format(ms) : '';
}

/** "INTERRUPTED at step 1200" says more than the bare status when a process went silent. */
export function statusLabel(run: Pick<RunSummary, 'status' | 'last_step'>): string {
  if (run.status === 'INTERRUPTED' && run.last_step !== null) return `INTERRUPTED at step ${run.last_step}`;
  return run.status;
}

/** MLFLOW_TRACKING_URI wants the server root without a trailing slash. */
export function trackingUri(serverUrl: string): string {
  return serverUrl.replace(/\/+$/, '');
}
