// Rollup rows as columns: one row aggregates a run of consecutive points of one segment (its first,
// last, min and max finite points, the step span, and counts of NaN/+Inf/-Inf with the first of each).
// The same field names are the columns of the `metric_rollups` table.

export const AGG_FIELDS = [
  'segment', 'start', 'count', 'stepLo', 'stepHi',
  'fStep', 'fTs', 'fVal', 'lStep', 'lTs', 'lVal',
  'nStep', 'nTs', 'nVal', 'xStep', 'xTs', 'xVal',
  'nanN', 'nanStep', 'nanTs', 'pinfN', 'pinfStep', 'pinfTs', 'ninfN', 'ninfStep', 'ninfTs',
] as const;

export type AggField = (typeof AGG_FIELDS)[number];

/** `start` is the index of the row's first point within its segment; every column has `length` rows. */
export type AggColumns = Record<AggField, Float64Array> & { length: number };

/**
 * Builds the columns object as one literal with every field: objects grown field by field in a
 * loop fall into V8's slow dictionary mode, which made every column access in the merge loops ~10×
 * slower.
 */
export function mapAggColumns(length: number, col: (f: AggField) => Float64Array): AggColumns {
  return {
    length,
    segment: col('segment'), start: col('start'), count: col('count'), stepLo: col('stepLo'), stepHi: col('stepHi'),
    fStep: col('fStep'), fTs: col('fTs'), fVal: col('fVal'), lStep: col('lStep'), lTs: col('lTs'), lVal: col('lVal'),
    nStep: col('nStep'), nTs: col('nTs'), nVal: col('nVal'), xStep: col('xStep'), xTs: col('xTs'), xVal: col('xVal'),
    nanN: col('nanN'), nanStep: col('nanStep'), nanTs: col('nanTs'), pinfN: col('pinfN'), pinfStep: col('pinfStep'), pinfTs: col('pinfTs'),
    ninfN: col('ninfN'), ninfStep: col('ninfStep'), ninfTs: col('ninfTs'),
  };
}

export function newAggColumns(length: number): AggColumns {
  return mapAggColumns(length, () => new Float64Array(length));
}

/** Rows [from, to) of `a` (views, no copy). */
export function sliceAggColumns(a: AggColumns, from: number, to: number): AggColumns {
  return mapAggColumns(to - from, (f) => a[f].subarray(from, to));
}
