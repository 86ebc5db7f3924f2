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
  /** Its latest_metrics row is committed (created by an earlier flush, or loaded from the store). */
  persisted: boolean;
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
    persisted: false,
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

/** A latest_metrics row (as queryRows returns it) → the state the write buffer continues from. */
export function seriesFromRow(r: Record<string, unknown>): SeriesState {
  const num = (v: unknown): number => Number(v);
  return {
    seriesId: num(r.series_id),
    runId: String(r.run_id),
    key: String(r.key),
    step: num(r.step),
    ts: num(r.ts),
    value: num(r.value),
    min: r.min_value === null ? null : num(r.min_value),
    max: r.max_value === null ? null : num(r.max_value),
    first: num(r.first_value),
    count: num(r.count),
    nanCount: num(r.nan_count),
    infCount: num(r.inf_count),
    lastStep: num(r.last_step),
    segment: num(r.segment),
    persisted: true,
  };
}
