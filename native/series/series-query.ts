// `series.query`: downsampled metric series for the Compare charts. Per series it picks the cheapest
// exact answer: rollup rows (compacted series with many points in range), compacted points in range
// (few enough to bucket in JS or return whole), or every point (series with points not compacted yet,
// whose rollups would be stale). Columns travel as base64 of little-endian typed arrays, so the
// renderer builds Float64Arrays directly instead of parsing arrays of pairs.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Core } from '../core';
import type { SeriesData, SeriesQueryArgs, SeriesXAxis } from '../api/contract';
import { invalidParam } from '../mlflow/errors';
import type { MetricRepository, SeriesColumns } from '../store/metric-repository';
import { downsample, upperBound, type Downsampled, type StepRange } from './downsample';
import { downsampleRollup, levelFor, rowSize } from './rollup-levels';
import { readRollupLevels, rollupCounts, writeRollups } from './rollup-store';
import { queryRows } from '../store/open-database';

/** Most series one call may ask for (runs × keys): 20 runs of 10 metrics fit. */
export const MAX_SERIES_PER_QUERY = 400;
const MAX_WIDTH = 8192;

export function toBase64(a: Float64Array | Uint8Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

const chartConnections = new WeakMap<Core, Promise<DuckDBConnection>>();

/**
 * A read connection of the charts' own: a DuckDB connection runs one query at a time, and on the
 * shared reader a chart's first paint queued behind the runs table's queries. Read-only, so it
 * needs no lock; it goes away with the database instance.
 */
function chartConnection(core: Core): Promise<DuckDBConnection> {
  let c = chartConnections.get(core);
  if (!c) {
    c = core.db.instance.connect();
    chartConnections.set(core, c);
  }
  return c;
}

/** compactRun's hook: rebuilds the rollups of the run's series from their compacted points. */
export async function rebuildRollups(con: DuckDBConnection, metrics: MetricRepository, seriesIds: readonly number[]): Promise<void> {
  for (const id of seriesIds) await writeRollups(con, id, await metrics.coldColumns(con, id));
}

/** The metric the x axis reads, when it is one. */
function xMetric(x: SeriesXAxis | undefined): string | null {
  if (x === 'epoch') return 'epoch';
  if (typeof x === 'object' && x !== null && typeof x.metric === 'string') return x.metric;
  return null;
}

/**
 * For each step, the x metric's value at that step: the latest point logged at or before it (a
 * resumed run's later segment wins where steps repeat). NaN where the x metric had no point yet.
 */
export function joinByStep(x: SeriesColumns, steps: Float64Array): Float64Array {
  const order = Array.from(x.step.keys()).sort((a, b) => x.step[a] - x.step[b] || x.segment[a] - x.segment[b] || x.ts[a] - x.ts[b]);
  const xs = Float64Array.from(order, (i) => x.step[i]);
  const xv = Float64Array.from(order, (i) => x.value[i]);
  const out = new Float64Array(steps.length);
  for (let i = 0; i < steps.length; i++) {
    const j = upperBound(xs, 0, xs.length, steps[i]) - 1;
    out[i] = j >= 0 ? xv[j] : NaN;
  }
  return out;
}

function checkArgs(a: SeriesQueryArgs): { width: number } {
  if (!Array.isArray(a.runIds) || !Array.isArray(a.keys) || a.runIds.some((r) => typeof r !== 'string') || a.keys.some((k) => typeof k !== 'string')) {
    throw invalidParam('series.query needs runIds and keys as arrays of strings');
  }
  if (a.runIds.length * a.keys.length > MAX_SERIES_PER_QUERY) throw invalidParam(`series.query asks for ${a.runIds.length * a.keys.length} series; at most ${MAX_SERIES_PER_QUERY} at once`);
  const width = Number(a.width);
  if (!Number.isFinite(width) || width < 1) throw invalidParam('series.query needs width: the chart width in pixels (>= 1)');
  for (const [run, c] of Object.entries(a.after ?? {})) {
    if (typeof c !== 'object' || c === null || typeof c.segment !== 'number' || typeof c.step !== 'number') throw invalidParam(`after[${run}] must be { segment, step }`);
  }
  for (const [run, r] of Object.entries(a.stepRanges ?? {})) {
    if (!Array.isArray(r) || r.length !== 2 || typeof r[0] !== 'number' || typeof r[1] !== 'number' || !(r[0] <= r[1])) {
      throw invalidParam(`stepRanges[${run}] must be [min, max] with min <= max`);
    }
  }
  return { width: Math.min(MAX_WIDTH, Math.floor(width)) };
}

interface Planned {
  runId: string;
  key: string;
  seriesId: number;
  range?: StepRange;
  after?: { segment: number; step: number };
  /** Points logged (latest_metrics.count): picks the rollup level when there is no range. */
  count: number;
  /** Where its answer comes from (decided in downsampleAll). */
  level: number;
  hot: boolean;
}

/** Series ids of every (run, key) asked for, in one query; pairs without data are left out. */
async function plan(core: Core, a: SeriesQueryArgs): Promise<Planned[]> {
  if (a.runIds.length === 0 || a.keys.length === 0) return [];
  const rows = await queryRows<{ run_id: string; key: string; series_id: number; count: number }>(
    await chartConnection(core),
    `SELECT run_id, key, series_id, count FROM latest_metrics WHERE run_id IN (${a.runIds.map(() => '?').join(',')}) AND key IN (${a.keys.map(() => '?').join(',')})`,
    [...a.runIds, ...a.keys],
  );
  const ids = new Map(rows.map((r) => [`${r.run_id}\u0000${r.key}`, r]));
  const out: Planned[] = [];
  for (const runId of a.runIds) {
    const r = a.stepRanges?.[runId];
    const after = a.after?.[runId];
    for (const key of a.keys) {
      const row = ids.get(`${runId}\u0000${key}`);
      if (row === undefined) continue;
      // A live tail is a few points at the end: read from the points, never from rollups.
      out.push({ runId, key, seriesId: row.series_id, count: row.count, range: r ? [r[0], r[1]] : undefined, after, level: -1, hot: after !== undefined || core.metrics.hasHot(row.series_id) });
    }
  }
  return out;
}

/**
 * Downsampled series for every planned pair. Compacted series with many points in range are served
 * from one level of their rollups (two queries for the whole chart); the rest from raw points.
 */
async function downsampleAll(core: Core, planned: Planned[], width: number): Promise<Map<Planned, { d: Downsampled; source: SeriesData['source'] }>> {
  const con = await chartConnection(core);
  const cold = planned.filter((p) => !p.hot);
  // Without a range the logged count picks the level (no query); a range needs its points counted.
  for (const p of cold) if (!p.range) p.level = levelFor(p.count, width);
  const counts = await rollupCounts(con, cold.filter((p) => p.range));
  for (const p of cold) if (p.range) p.level = levelFor(counts.get(p.seriesId) ?? 0, width);
  const levels = await readRollupLevels(con, cold.filter((p) => p.level >= 0));
  // No rows at all: compacted before rollups existed; served from its points instead.
  for (const p of cold) if (p.level >= 0 && !p.range && levels.get(p.seriesId)!.length === 0) p.level = -1;
  const out = new Map<Planned, { d: Downsampled; source: SeriesData['source'] }>();
  for (const p of planned) {
    const opts = { width, stepRange: p.range, after: p.after };
    if (p.level >= 0) out.set(p, { d: downsampleRollup(levels.get(p.seriesId)!, rowSize(p.level), opts), source: 'rollup' });
    else if (!p.hot) out.set(p, { d: downsample(await core.metrics.coldColumns(con, p.seriesId, p.range), opts), source: 'raw' });
    // Not compacted yet: hot and compacted points together, so rollups (of compacted points) would be stale.
    else out.set(p, { d: downsample(await core.metrics.series(p.runId, p.key), opts), source: 'raw' });
  }
  return out;
}

export async function querySeries(core: Core, a: SeriesQueryArgs): Promise<SeriesData[]> {
  const { width } = checkArgs(a);
  const xKey = xMetric(a.xAxis);
  const planned = await plan(core, a);
  const results = await downsampleAll(core, planned, width);
  const xCols = new Map<string, SeriesColumns>();
  if (xKey) for (const runId of new Set(planned.map((p) => p.runId))) xCols.set(runId, await core.metrics.series(runId, xKey));
  return planned.map((p) => {
    const { d, source } = results.get(p)!;
    return seriesPayload(p.runId, p.key, d, source, xCols.get(p.runId));
  });
}

/** One downsampled series as it travels (base64 columns); `x`: the x-axis metric's series, when one is chosen. */
export function seriesPayload(runId: string, key: string, d: Downsampled, source: SeriesData['source'], x?: SeriesColumns): SeriesData {
  return {
    run_id: runId,
    key,
    step: toBase64(d.step),
    ts: toBase64(d.ts),
    value: toBase64(d.value),
    x: x ? toBase64(joinByStep(x, d.step)) : null,
    markers: {
      step: toBase64(d.markers.step),
      ts: toBase64(d.markers.ts),
      x: x ? toBase64(joinByStep(x, d.markers.step)) : null,
      kind: toBase64(d.markers.kind),
      count: toBase64(d.markers.count),
    },
    segments: d.segments,
    points: d.points,
    nan: d.nan,
    pos_inf: d.posInf,
    neg_inf: d.negInf,
    bucket_size: d.bucketSize,
    source,
  };
}
