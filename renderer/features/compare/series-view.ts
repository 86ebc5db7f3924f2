// From the core's series (base64 columns) to what a chart draws, as typed arrays: per run, points
// as [x, y, step, ts] quadruples in one Float64Array (ECharts reads TypedArray data for large line
// series directly), a NaN row between resume segments so the line breaks there, the smoothed line,
// and markers for NaN/±Inf and for resumes. Pure: table-tested, and shared by zoom and live updates.
import type { SeriesData, SeriesXAxis } from '../../../native/api/contract';
import { decodeFloat64, decodeUint8 } from '../../api/typed-columns';
import type { RunTransform } from './compare-settings';
import { debiasedEma } from './ema';

export const DIMS = 4; // x, y, step, ts

export interface DecodedSeries {
  runId: string;
  key: string;
  step: Float64Array;
  ts: Float64Array;
  value: Float64Array;
  x: Float64Array | null;
  markers: { step: Float64Array; ts: Float64Array; x: Float64Array | null; kind: Uint8Array; count: Float64Array };
  segments: SeriesData['segments'];
  points: number;
  nan: number;
  posInf: number;
  negInf: number;
  bucketSize: number;
}

export function decodeSeries(d: SeriesData): DecodedSeries {
  return {
    runId: d.run_id,
    key: d.key,
    step: decodeFloat64(d.step),
    ts: decodeFloat64(d.ts),
    value: decodeFloat64(d.value),
    x: d.x === null ? null : decodeFloat64(d.x),
    markers: {
      step: decodeFloat64(d.markers.step),
      ts: decodeFloat64(d.markers.ts),
      x: d.markers.x === null ? null : decodeFloat64(d.markers.x),
      kind: decodeUint8(d.markers.kind),
      count: decodeFloat64(d.markers.count),
    },
    segments: d.segments,
    points: d.points,
    nan: d.nan,
    posInf: d.pos_inf,
    negInf: d.neg_inf,
    bucketSize: d.bucket_size,
  };
}

function concat<T extends Float64Array | Uint8Array>(a: T, b: T, make: (n: number) => T): T {
  const out = make(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Live updates: `tail` holds the points logged after `base`'s last step (asked for with a step
 * range); they are appended, so a running run's chart grows without fetching the series again.
 */
export function appendTail(base: DecodedSeries, tail: DecodedSeries): DecodedSeries {
  const f = (n: number) => new Float64Array(n);
  const shift = base.step.length;
  return {
    ...base,
    step: concat(base.step, tail.step, f),
    ts: concat(base.ts, tail.ts, f),
    value: concat(base.value, tail.value, f),
    x: base.x && tail.x ? concat(base.x, tail.x, f) : base.x,
    markers: {
      step: concat(base.markers.step, tail.markers.step, f),
      ts: concat(base.markers.ts, tail.markers.ts, f),
      x: base.markers.x && tail.markers.x ? concat(base.markers.x, tail.markers.x, f) : base.markers.x,
      kind: concat(base.markers.kind, tail.markers.kind, (n) => new Uint8Array(n)),
      count: concat(base.markers.count, tail.markers.count, f),
    },
    segments: [...base.segments, ...tail.segments.filter((s) => !base.segments.some((b) => b.segment === s.segment)).map((s) => ({ ...s, index: s.index + shift }))],
    points: base.points + tail.points,
    nan: base.nan + tail.nan,
    posInf: base.posInf + tail.posInf,
    negInf: base.negInf + tail.negInf,
  };
}

export interface RunInfo {
  runId: string;
  name: string;
  /** Epoch ms: relative time counts from here. */
  startTime: number;
  params: Record<string, string>;
}

export interface PlotMarker {
  x: number;
  step: number;
  /** 0 NaN, 1 +Inf, 2 -Inf, 3 resume */
  kind: number;
  count: number;
}

export interface PlotSeries {
  runId: string;
  runName: string;
  /** Legend entry: the run's name, or `param=value` when grouping. */
  label: string;
  color: string;
  /** [x, y, step, ts] per point; NaN rows break the line between segments. */
  data: Float64Array;
  smoothed: Float64Array | null;
  markers: PlotMarker[];
  nan: number;
  posInf: number;
  negInf: number;
  points: number;
  bucketSize: number;
}

export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Where a point goes on x. Time axes: seconds since the run started, or the wall clock (ms). */
export function xValue(axis: SeriesXAxis, t: RunTransform, run: RunInfo, step: number, ts: number, joined: number): number {
  if (axis === 'step') return step * t.scale + t.offset;
  if (axis === 'relative_time') return (ts - run.startTime) / 1000;
  if (axis === 'wall_time') return ts;
  return joined;
}

export interface PlotOptions {
  xAxis: SeriesXAxis;
  smoothing: number;
  groupBy: string | null;
  offsets: Record<string, RunTransform>;
}

const IDENTITY: RunTransform = { offset: 0, scale: 1 };

export function groupLabel(run: RunInfo, groupBy: string | null): string {
  return groupBy ? `${groupBy}=${run.params[groupBy] ?? '∅'}` : run.name;
}

/** The chart's series for one metric, in run order. Colours follow the group (or the run). */
export function plotSeries(series: readonly DecodedSeries[], runs: readonly RunInfo[], o: PlotOptions): PlotSeries[] {
  const byId = new Map(runs.map((r) => [r.runId, r]));
  const groups: string[] = [];
  for (const r of runs) {
    const g = o.groupBy ? groupLabel(r, o.groupBy) : r.runId;
    if (!groups.includes(g)) groups.push(g);
  }
  for (const s of series) if (!o.groupBy && !groups.includes(s.runId)) groups.push(s.runId);
  const out: PlotSeries[] = [];
  for (const s of series) {
    // Until the runs' names have loaded, the id stands in and relative time counts from the first point.
    const run = byId.get(s.runId) ?? { runId: s.runId, name: s.runId, startTime: s.ts.length > 0 ? s.ts[0] : 0, params: {} };
    const t = o.offsets[s.runId] ?? IDENTITY;
    const breaks = new Set(s.segments.filter((g) => g.index > 0).map((g) => g.index));
    const n = s.step.length + breaks.size;
    const data = new Float64Array(n * DIMS);
    const ys = new Float64Array(n);
    let row = 0;
    for (let i = 0; i < s.step.length; i++) {
      if (breaks.has(i)) {
        data.fill(NaN, row * DIMS, row * DIMS + DIMS);
        ys[row++] = NaN;
      }
      const at = row * DIMS;
      data[at] = xValue(o.xAxis, t, run, s.step[i], s.ts[i], s.x ? s.x[i] : NaN);
      data[at + 1] = s.value[i];
      data[at + 2] = s.step[i];
      data[at + 3] = s.ts[i];
      ys[row++] = s.value[i];
    }
    let smoothed: Float64Array | null = null;
    if (o.smoothing > 0) {
      const sm = debiasedEma(ys, o.smoothing);
      smoothed = data.slice();
      for (let r = 0; r < n; r++) smoothed[r * DIMS + 1] = sm[r];
    }
    const markers: PlotMarker[] = [];
    for (let i = 0; i < s.markers.step.length; i++) {
      const x = xValue(o.xAxis, t, run, s.markers.step[i], s.markers.ts[i], s.markers.x ? s.markers.x[i] : NaN);
      markers.push({ x, step: s.markers.step[i], kind: s.markers.kind[i], count: s.markers.count[i] });
    }
    for (const g of s.segments) {
      if (g.segment === 0 || g.index >= s.step.length) continue;
      markers.push({ x: xValue(o.xAxis, t, run, s.step[g.index], s.ts[g.index], s.x ? s.x[g.index] : NaN), step: g.step, kind: 3, count: g.segment });
    }
    const group = o.groupBy ? groupLabel(run, o.groupBy) : run.runId;
    out.push({
      runId: s.runId,
      runName: run.name,
      label: o.groupBy ? groupLabel(run, o.groupBy) : run.name,
      color: PALETTE[groups.indexOf(group) % PALETTE.length],
      data,
      smoothed,
      markers,
      nan: s.nan,
      posInf: s.posInf,
      negInf: s.negInf,
      points: s.points,
      bucketSize: s.bucketSize,
    });
  }
  return out;
}

/**
 * The steps of a run behind an x range on screen, for re-querying a zoom at full resolution:
 * exact for a step axis; for other axes, the steps of the points shown in the range, widened by one
 * point each side so the line still reaches the edges.
 */
export function stepRangeFor(p: PlotSeries, axis: SeriesXAxis, t: RunTransform | undefined, x0: number, x1: number): [number, number] | null {
  if (axis === 'step') {
    const tr = t ?? IDENTITY;
    const a = (x0 - tr.offset) / tr.scale;
    const b = (x1 - tr.offset) / tr.scale;
    return [Math.floor(Math.min(a, b)), Math.ceil(Math.max(a, b))];
  }
  let lo = Infinity;
  let hi = -Infinity;
  const n = p.data.length / DIMS;
  for (let i = 0; i < n; i++) {
    const x = p.data[i * DIMS];
    if (!(x >= x0 && x <= x1)) continue;
    const prev = i > 0 ? p.data[(i - 1) * DIMS + 2] : NaN;
    const next = i + 1 < n ? p.data[(i + 1) * DIMS + 2] : NaN;
    for (const s of [prev, p.data[i * DIMS + 2], next]) {
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}
