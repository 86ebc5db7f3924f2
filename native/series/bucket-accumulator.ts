// One downsampling bucket: its first, last, min and max finite points, the step span it covers, and
// its NaN/+Inf/-Inf points counted (with the first of each kind, for markers). Fed either point by
// point (raw data) or aggregate by aggregate (rollup rows): both paths share this code, which is what
// makes a rollup-served chart identical to one bucketed from raw points.
import type { AggColumns } from './aggregate-columns';

export const MARKER_NAN = 0;
export const MARKER_POS_INF = 1;
export const MARKER_NEG_INF = 2;

/** Growable output columns: the finite line points and the non-finite markers of a downsampled series. */
export class LineBuilder {
  length = 0;
  step: Float64Array<ArrayBuffer> = new Float64Array(256);
  ts: Float64Array<ArrayBuffer> = new Float64Array(256);
  value: Float64Array<ArrayBuffer> = new Float64Array(256);
  markers = 0;
  mStep = new Float64Array(16);
  mTs = new Float64Array(16);
  mKind = new Uint8Array(16);
  mCount = new Float64Array(16);

  push(step: number, ts: number, value: number): void {
    if (this.length === this.step.length) {
      this.step = grow(this.step);
      this.ts = grow(this.ts);
      this.value = grow(this.value);
    }
    const i = this.length++;
    this.step[i] = step;
    this.ts[i] = ts;
    this.value[i] = value;
  }

  marker(step: number, ts: number, kind: number, count: number): void {
    if (this.markers === this.mStep.length) {
      this.mStep = grow(this.mStep);
      this.mTs = grow(this.mTs);
      this.mCount = grow(this.mCount);
      const k = new Uint8Array(this.mKind.length * 2);
      k.set(this.mKind);
      this.mKind = k;
    }
    const i = this.markers++;
    this.mStep[i] = step;
    this.mTs[i] = ts;
    this.mKind[i] = kind;
    this.mCount[i] = count;
  }
}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

const SCRATCH_STEP = new Float64Array(4);
const SCRATCH_TS = new Float64Array(4);
const SCRATCH_VAL = new Float64Array(4);

export class BucketAccumulator {
  count = 0;
  stepLo = NaN;
  stepHi = NaN;
  // first (f), last (l), min (n) and max (x) finite points; fVal is NaN while there is none
  fStep = NaN; fTs = NaN; fVal = NaN;
  lStep = NaN; lTs = NaN; lVal = NaN;
  nStep = NaN; nTs = NaN; nVal = NaN;
  xStep = NaN; xTs = NaN; xVal = NaN;
  nanN = 0; nanStep = NaN; nanTs = NaN;
  pinfN = 0; pinfStep = NaN; pinfTs = NaN;
  ninfN = 0; ninfStep = NaN; ninfTs = NaN;

  reset(): void {
    this.count = 0;
    this.stepLo = this.stepHi = NaN;
    this.fVal = this.lVal = this.nVal = this.xVal = NaN;
    this.nanN = this.pinfN = this.ninfN = 0;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  addPoint(step: number, ts: number, v: number): void {
    if (this.count++ === 0) this.stepLo = step;
    this.stepHi = step;
    if (v !== v) {
      if (this.nanN++ === 0) (this.nanStep = step), (this.nanTs = ts);
      return;
    }
    if (v === Infinity) {
      if (this.pinfN++ === 0) (this.pinfStep = step), (this.pinfTs = ts);
      return;
    }
    if (v === -Infinity) {
      if (this.ninfN++ === 0) (this.ninfStep = step), (this.ninfTs = ts);
      return;
    }
    if (this.fVal !== this.fVal) {
      this.fStep = this.lStep = this.nStep = this.xStep = step;
      this.fTs = this.lTs = this.nTs = this.xTs = ts;
      this.fVal = this.lVal = this.nVal = this.xVal = v;
      return;
    }
    this.lStep = step;
    this.lTs = ts;
    this.lVal = v;
    // Strict comparisons: the earliest of equal extremes wins, in both the raw and the rollup path.
    if (v < this.nVal) (this.nStep = step), (this.nTs = ts), (this.nVal = v);
    if (v > this.xVal) (this.xStep = step), (this.xTs = ts), (this.xVal = v);
  }

  /** Merges row `i` of `a` (an aggregate of points that follow everything added so far). */
  addAggregate(a: AggColumns, i: number): void {
    if (this.count === 0) this.stepLo = a.stepLo[i];
    this.count += a.count[i];
    this.stepHi = a.stepHi[i];
    if (a.nanN[i] > 0) {
      if (this.nanN === 0) (this.nanStep = a.nanStep[i]), (this.nanTs = a.nanTs[i]);
      this.nanN += a.nanN[i];
    }
    if (a.pinfN[i] > 0) {
      if (this.pinfN === 0) (this.pinfStep = a.pinfStep[i]), (this.pinfTs = a.pinfTs[i]);
      this.pinfN += a.pinfN[i];
    }
    if (a.ninfN[i] > 0) {
      if (this.ninfN === 0) (this.ninfStep = a.ninfStep[i]), (this.ninfTs = a.ninfTs[i]);
      this.ninfN += a.ninfN[i];
    }
    const fv = a.fVal[i];
    if (fv !== fv) return; // no finite point in that aggregate
    if (this.fVal !== this.fVal) {
      this.fStep = a.fStep[i]; this.fTs = a.fTs[i]; this.fVal = fv;
      this.nStep = a.nStep[i]; this.nTs = a.nTs[i]; this.nVal = a.nVal[i];
      this.xStep = a.xStep[i]; this.xTs = a.xTs[i]; this.xVal = a.xVal[i];
    } else {
      if (a.nVal[i] < this.nVal) (this.nStep = a.nStep[i]), (this.nTs = a.nTs[i]), (this.nVal = a.nVal[i]);
      if (a.xVal[i] > this.xVal) (this.xStep = a.xStep[i]), (this.xTs = a.xTs[i]), (this.xVal = a.xVal[i]);
    }
    this.lStep = a.lStep[i]; this.lTs = a.lTs[i]; this.lVal = a.lVal[i];
  }

  /** Writes this bucket as row `i` of `out` (building a rollup level). */
  writeAggregate(out: AggColumns, i: number, segment: number, start: number): void {
    out.segment[i] = segment;
    out.start[i] = start;
    out.count[i] = this.count;
    out.stepLo[i] = this.stepLo;
    out.stepHi[i] = this.stepHi;
    out.fStep[i] = this.fStep; out.fTs[i] = this.fTs; out.fVal[i] = this.fVal;
    out.lStep[i] = this.lStep; out.lTs[i] = this.lTs; out.lVal[i] = this.lVal;
    out.nStep[i] = this.nStep; out.nTs[i] = this.nTs; out.nVal[i] = this.nVal;
    out.xStep[i] = this.xStep; out.xTs[i] = this.xTs; out.xVal[i] = this.xVal;
    out.nanN[i] = this.nanN; out.nanStep[i] = this.nanStep; out.nanTs[i] = this.nanTs;
    out.pinfN[i] = this.pinfN; out.pinfStep[i] = this.pinfStep; out.pinfTs[i] = this.pinfTs;
    out.ninfN[i] = this.ninfN; out.ninfStep[i] = this.ninfStep; out.ninfTs[i] = this.ninfTs;
  }

  /** Appends the bucket's points in series order (each at most once) and its markers. */
  emit(out: LineBuilder): void {
    if (this.fVal === this.fVal) {
      // Four candidates ordered by (step, ts), the series' order within a segment: a 4-element
      // insertion sort on scratch arrays (no allocation per bucket).
      const s = SCRATCH_STEP, t = SCRATCH_TS, v = SCRATCH_VAL;
      s[0] = this.fStep; t[0] = this.fTs; v[0] = this.fVal;
      s[1] = this.nStep; t[1] = this.nTs; v[1] = this.nVal;
      s[2] = this.xStep; t[2] = this.xTs; v[2] = this.xVal;
      s[3] = this.lStep; t[3] = this.lTs; v[3] = this.lVal;
      for (let i = 1; i < 4; i++) {
        for (let j = i; j > 0 && (s[j] < s[j - 1] || (s[j] === s[j - 1] && t[j] < t[j - 1])); j--) {
          const a = s[j]; s[j] = s[j - 1]; s[j - 1] = a;
          const b = t[j]; t[j] = t[j - 1]; t[j - 1] = b;
          const c = v[j]; v[j] = v[j - 1]; v[j - 1] = c;
        }
      }
      for (let i = 0; i < 4; i++) {
        if (i > 0 && s[i] === s[i - 1] && t[i] === t[i - 1] && Object.is(v[i], v[i - 1])) continue;
        out.push(s[i], t[i], v[i]);
      }
    }
    if (this.nanN > 0) out.marker(this.nanStep, this.nanTs, MARKER_NAN, this.nanN);
    if (this.pinfN > 0) out.marker(this.pinfStep, this.pinfTs, MARKER_POS_INF, this.pinfN);
    if (this.ninfN > 0) out.marker(this.ninfStep, this.ninfTs, MARKER_NEG_INF, this.ninfN);
  }
}
