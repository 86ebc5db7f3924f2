// In-memory summary of one metric series (run, key), mirrored in `latest_metrics`. The write buffer
// updates it point by point, so segment numbers and "latest" need no read of stored points.

export interface SeriesState {
  seriesId: number;
  runId: string;
  key: string;
  step: number;
  ts: number;
  value: number;
  min: number | null;
  max: number | null;
  first: number;
  count: number;
  nanCount: number;
  infCount: number;
  lastStep: number;
  segment: number;
}

export function newSeries(seriesId: number, runId: string, key: string, step: number, ts: number, value: number): SeriesState {
  const finite = !Number.isNaN(value);
  return {
    seriesId,
    runId,
    key,
    step,
    ts,
    value,
    min: finite ? value : null,
    max: finite ? value : null,
    first: value,
    count: 0, // accumulate() counts the first point too
    nanCount: 0,
    infCount: 0,
    lastStep: step,
    segment: 0,
  };
}

/** MLflow's order for "latest": highest step, then timestamp, then value (NaN counts as largest). */
export function isLater(step: number, ts: number, value: number, s: SeriesState): boolean {
  if (step !== s.step) return step > s.step;
  if (ts !== s.ts) return ts > s.ts;
  return compareValues(value, s.value) > 0;
}

function compareValues(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  return a === b ? 0 : a > b ? 1 : -1;
}

/** Adds one point; returns the segment it belongs to (a step lower than the last one starts a new segment). */
export function accumulate(s: SeriesState, step: number, ts: number, value: number): number {
  if (s.count > 0 && step < s.lastStep) s.segment += 1;
  s.lastStep = step;
  s.count += 1;
  if (Number.isNaN(value)) s.nanCount += 1;
  else {
    if (!Number.isFinite(value)) s.infCount += 1;
    if (s.min === null || value < s.min) s.min = value;
    if (s.max === null || value > s.max) s.max = value;
  }
  if (isLater(step, ts, value, s) || s.count === 1) {
    s.step = step;
    s.ts = ts;
    s.value = value;
  }
  return s.segment;
}
