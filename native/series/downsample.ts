// Min/max-preserving downsampling, to about one bucket per pixel of the chart. Each bucket keeps its
// first, last, min and max finite point, so no spike can fall between samples (MLflow's 320 sampled
// steps, TensorBoard's reservoir and Aim's random sample all can lose one); the series' last point is
// always the last bucket's `last`. NaN and ±Inf never enter the line: they come back as markers with
// their step and how many there were. Buckets never span two resume segments.
//
// Buckets hold equal numbers of points, counted from the start of the visible part of each segment
// (not equal step widths): that is what lets rollups (rollup-levels.ts) answer exactly, with a bucket
// being a whole number of rollup rows. `align` snaps the visible part to rollup-row boundaries.
import type { SeriesColumns } from '../store/metric-repository';
import { BucketAccumulator, LineBuilder } from './bucket-accumulator';

export interface Downsampled {
  /** Finite points kept, in series order (segment, step, ts). */
  step: Float64Array;
  ts: Float64Array;
  value: Float64Array;
  /** Non-finite points: per bucket and kind (0 NaN, 1 +Inf, 2 -Inf), the first one and how many. */
  markers: { step: Float64Array; ts: Float64Array; kind: Uint8Array; count: Float64Array };
  /** Where each segment's points begin in the columns above (segment > 0: a resume). */
  segments: { segment: number; index: number; step: number; ts: number }[];
  /** Points in the visible range (before downsampling) and how many were NaN / ±Inf. */
  points: number;
  nan: number;
  posInf: number;
  negInf: number;
  /** Points per bucket: 1 means every point in range came back (full resolution). */
  bucketSize: number;
}

export type StepRange = readonly [number, number];

/** At most this many points per pixel come back unbucketed: bucketing would not make the answer smaller. */
export const RAW_POINTS_PER_PIXEL = 4;

/** Points per bucket for `n` points on `width` pixels, a multiple of `align` (the rollup row size). */
export function bucketSizeFor(n: number, width: number, align = 1): number {
  const w = Math.max(1, Math.floor(width));
  if (align === 1 && n <= RAW_POINTS_PER_PIXEL * w) return 1;
  return Math.max(align, Math.ceil(n / w / align) * align);
}

/** First index in [lo, hi) whose step is >= x (steps ascend within a segment). */
export function lowerBound(step: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (step[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [lo, hi) whose step is > x. */
export function upperBound(step: Float64Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (step[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface SegmentSpan {
  segment: number;
  /** Global indices of the segment's first point and one past its last. */
  begin: number;
  end: number;
}

export function segmentSpans(segment: Int32Array | Float64Array): SegmentSpan[] {
  const spans: SegmentSpan[] = [];
  for (let i = 0; i < segment.length; ) {
    let j = i + 1;
    while (j < segment.length && segment[j] === segment[i]) j++;
    spans.push({ segment: segment[i], begin: i, end: j });
    i = j;
  }
  return spans;
}

/** Collects a downsampled answer; shared by the raw and the rollup path. */
export class DownsampleOutput {
  readonly line = new LineBuilder();
  readonly segments: Downsampled['segments'] = [];
  points = 0;
  nan = 0;
  posInf = 0;
  negInf = 0;

  startSegment(segment: number): void {
    this.segments.push({ segment, index: this.line.length, step: NaN, ts: NaN });
  }

  /** Emits a finished bucket and counts it. */
  flush(acc: BucketAccumulator): void {
    if (acc.empty) return;
    const seg = this.segments[this.segments.length - 1];
    if (seg && Number.isNaN(seg.step)) {
      seg.step = acc.stepLo;
      seg.ts = acc.fVal === acc.fVal && acc.fStep === acc.stepLo ? acc.fTs : firstTs(acc);
    }
    acc.emit(this.line);
    this.points += acc.count;
    this.nan += acc.nanN;
    this.posInf += acc.pinfN;
    this.negInf += acc.ninfN;
    acc.reset();
  }

  finish(bucketSize: number): Downsampled {
    const l = this.line;
    return {
      step: l.step.slice(0, l.length),
      ts: l.ts.slice(0, l.length),
      value: l.value.slice(0, l.length),
      markers: { step: l.mStep.slice(0, l.markers), ts: l.mTs.slice(0, l.markers), kind: l.mKind.slice(0, l.markers), count: l.mCount.slice(0, l.markers) },
      // A segment with no point in range is not a resume the chart can show.
      segments: this.segments.filter((s) => !Number.isNaN(s.step)),
      points: this.points,
      nan: this.nan,
      posInf: this.posInf,
      negInf: this.negInf,
      bucketSize,
    };
  }
}

/** The earliest timestamp among a bucket's first points of each kind (the bucket's first point's, nearly always). */
function firstTs(acc: BucketAccumulator): number {
  let best = NaN;
  let bestStep = Infinity;
  const cands: [number, number][] = [[acc.fStep, acc.fTs], [acc.nanStep, acc.nanTs], [acc.pinfStep, acc.pinfTs], [acc.ninfStep, acc.ninfTs]];
  for (const [s, t] of cands) if (s === s && s < bestStep) (bestStep = s), (best = t);
  return best;
}

export interface DownsampleOptions {
  width: number;
  /** Only points with step in [lo, hi] (inclusive), segment by segment. */
  stepRange?: StepRange;
  /** Only points after this (segment, step) position: a live tail. */
  after?: { segment: number; step: number };
  /** Snap each segment's visible part outwards to multiples of this many points (rollup row size). */
  align?: number;
  /** Force a bucket size (tests); default bucketSizeFor(n, width, align). */
  bucketSize?: number;
}

/**
 * Brute-force downsampling of raw points sorted by (segment, step, ts): the reference the rollup
 * path is tested against, and what serves series whose newest points are not compacted yet.
 */
export function downsample(cols: SeriesColumns, opts: DownsampleOptions): Downsampled {
  const align = Math.max(1, Math.floor(opts.align ?? 1));
  const parts: { segment: number; a: number; b: number; begin: number }[] = [];
  let n = 0;
  for (const span of segmentSpans(cols.segment)) {
    let a = span.begin;
    let b = span.end;
    if (opts.after) {
      if (span.segment < opts.after.segment) continue;
      if (span.segment === opts.after.segment) a = upperBound(cols.step, span.begin, span.end, opts.after.step);
      if (b <= a) continue;
    }
    if (opts.stepRange) {
      a = lowerBound(cols.step, span.begin, span.end, opts.stepRange[0]);
      b = upperBound(cols.step, span.begin, span.end, opts.stepRange[1]);
      // Every step of the segment is below (or above) the range: no row of it meets the range either.
      if (a >= span.end || b <= span.begin) continue;
      if (align > 1) {
        // Outwards to whole rollup rows: exactly the rows whose step span meets the range.
        a = span.begin + Math.floor((a - span.begin) / align) * align;
        b = Math.min(span.end, span.begin + Math.ceil((b - span.begin) / align) * align);
      }
      if (b <= a) continue;
    }
    parts.push({ segment: span.segment, a, b, begin: span.begin });
    n += b - a;
  }
  const size = opts.bucketSize ?? bucketSizeFor(n, opts.width, align);
  const out = new DownsampleOutput();
  const acc = new BucketAccumulator();
  for (const p of parts) {
    out.startSegment(p.segment);
    for (let s = p.a; s < p.b; s += size) {
      const e = Math.min(p.b, s + size);
      for (let i = s; i < e; i++) acc.addPoint(cols.step[i], cols.ts[i], cols.value[i]);
      out.flush(acc);
    }
  }
  return out.finish(size);
}
