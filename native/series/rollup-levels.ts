// Multi-resolution rollups of one series: level k has one row per ROLLUP_BASE·4^k consecutive points
// of a segment (64, 256 … 65,536 points), each row the aggregate a downsampling bucket needs.
// A chart of 1M points on 1,000 pixels reads ~2,000 rows of one level instead of 1M points, and gets
// exactly what bucketing the raw points would give: buckets are whole numbers of rows, and merging
// rows keeps each bucket's first, last, min and max (bucket-accumulator.ts), so no spike is lost.
import type { SeriesColumns } from '../store/metric-repository';
import { type AggColumns, newAggColumns, sliceAggColumns } from './aggregate-columns';
import { BucketAccumulator } from './bucket-accumulator';
import { bucketSizeFor, DownsampleOutput, segmentSpans, type Downsampled, type DownsampleOptions } from './downsample';

export const ROLLUP_BASE = 64;
export const ROLLUP_FANOUT = 4;
export const ROLLUP_LEVELS = 6;

export function rowSize(level: number): number {
  return ROLLUP_BASE * ROLLUP_FANOUT ** level;
}

/**
 * The level to serve `n` points on `width` pixels from: the coarsest whose rows are at most half a
 * bucket, so buckets of whole rows stay within a pixel's worth of points. -1: read raw points.
 */
export function levelFor(n: number, width: number): number {
  const perPixel = n / Math.max(1, width);
  let level = -1;
  for (let k = 0; k < ROLLUP_LEVELS; k++) if (rowSize(k) * 2 <= perPixel) level = k;
  return level;
}

/** Every level of a series sorted by (segment, step, ts). Level rows are in series order too. */
export function buildRollups(cols: SeriesColumns): AggColumns[] {
  const levels: AggColumns[] = [];
  const acc = new BucketAccumulator();
  // Level 0 from points.
  const spans = segmentSpans(cols.segment);
  let rows = 0;
  for (const s of spans) rows += Math.ceil((s.end - s.begin) / ROLLUP_BASE);
  const base = newAggColumns(rows);
  let r = 0;
  for (const s of spans) {
    for (let a = s.begin; a < s.end; a += ROLLUP_BASE) {
      const e = Math.min(s.end, a + ROLLUP_BASE);
      for (let i = a; i < e; i++) acc.addPoint(cols.step[i], cols.ts[i], cols.value[i]);
      acc.writeAggregate(base, r++, s.segment, a - s.begin);
      acc.reset();
    }
  }
  levels.push(base);
  // Each coarser level merges runs of FANOUT rows of the one below that share a segment and a parent.
  for (let k = 1; k < ROLLUP_LEVELS; k++) {
    const below = levels[k - 1];
    const size = rowSize(k);
    const out = newAggColumns(below.length);
    let n = 0;
    for (let i = 0; i < below.length; ) {
      const seg = below.segment[i];
      const parent = Math.floor(below.start[i] / size);
      let j = i;
      while (j < below.length && below.segment[j] === seg && Math.floor(below.start[j] / size) === parent) acc.addAggregate(below, j++);
      acc.writeAggregate(out, n++, seg, parent * size);
      acc.reset();
      i = j;
    }
    levels.push(sliceAggColumns(out, 0, n));
    if (n <= 1) break; // coarser levels would repeat this one row
  }
  return levels;
}

/** Rows of `rows` whose step span meets [lo, hi] (all rows without a range). */
export function rowsInRange(rows: AggColumns, range?: readonly [number, number]): number[] {
  const keep: number[] = [];
  for (let i = 0; i < rows.length; i++) if (!range || (rows.stepHi[i] >= range[0] && rows.stepLo[i] <= range[1])) keep.push(i);
  return keep;
}

/**
 * Downsamples from the rows of one level (`rowPoints` points per full row). Gives the same answer as
 * downsample(raw, { ...opts, align: rowPoints }) on the raw points behind those rows.
 */
export function downsampleRollup(rows: AggColumns, rowPoints: number, opts: DownsampleOptions): Downsampled {
  const keep = rowsInRange(rows, opts.stepRange);
  let n = 0;
  for (const i of keep) n += rows.count[i];
  const size = opts.bucketSize ?? bucketSizeFor(n, opts.width, rowPoints);
  const out = new DownsampleOutput();
  const acc = new BucketAccumulator();
  let seg = NaN;
  let bucket = -1;
  let first = 0; // segment-local start of the visible part of the current segment
  for (const i of keep) {
    if (rows.segment[i] !== seg) {
      out.flush(acc);
      seg = rows.segment[i];
      first = rows.start[i];
      bucket = 0;
      out.startSegment(seg);
    }
    const b = Math.floor((rows.start[i] - first) / size);
    if (b !== bucket) {
      out.flush(acc);
      bucket = b;
    }
    acc.addAggregate(rows, i);
  }
  out.flush(acc);
  return out.finish(size);
}
