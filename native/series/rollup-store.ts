// Rollups in DuckDB (`metric_rollups`, migration 6): written when a run's points are compacted, in the
// same transaction, and read one level at a time when a chart asks for a long series. Rows go in and
// out as data chunks copied from/to typed arrays (no JS value per cell): a 1M-point series has ~21k
// rows of 28 columns, which the per-value Appender API would take hundreds of milliseconds to write.
import duckdb from '@duckdb/node-bindings';
import { DOUBLE, DuckDBDataChunk, INTEGER, type DuckDBConnection } from '@duckdb/node-api';
import type { SeriesColumns } from '../store/metric-repository';
import { AGG_FIELDS, mapAggColumns, newAggColumns, sliceAggColumns, type AggColumns } from './aggregate-columns';
import { buildRollups } from './rollup-levels';
import type { StepRange } from './downsample';

const CHUNK = 2048;

/** Replaces the rollups of `seriesId` with those of `cols` (its complete, sorted compacted points). */
export async function writeRollups(con: DuckDBConnection, seriesId: number, cols: SeriesColumns): Promise<number> {
  await con.run('DELETE FROM metric_rollups WHERE series_id = $1', [seriesId]);
  if (cols.step.length === 0) return 0;
  const levels = buildRollups(cols);
  const appender = await con.createAppender('metric_rollups');
  const ids = new Int32Array(CHUNK).fill(seriesId);
  const lvl = new Int32Array(CHUNK);
  let rows = 0;
  levels.forEach((level, k) => {
    lvl.fill(k);
    for (let off = 0; off < level.length; off += CHUNK) {
      const n = Math.min(CHUNK, level.length - off);
      const chunk = DuckDBDataChunk.create([INTEGER, INTEGER, ...AGG_FIELDS.map(() => DOUBLE)]);
      chunk.rowCount = n;
      const copy = (c: number, arr: Int32Array | Float64Array, at: number): void => {
        duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, c), 0, arr.buffer as ArrayBuffer, arr.byteOffset + at * arr.BYTES_PER_ELEMENT, n * arr.BYTES_PER_ELEMENT);
      };
      copy(0, ids, 0);
      copy(1, lvl, 0);
      AGG_FIELDS.forEach((f, c) => copy(c + 2, level[f], off));
      appender.appendDataChunk(chunk);
      rows += n;
    }
  });
  appender.closeSync();
  return rows;
}

/** One series to look up, with its step range (none: all of it). */
export interface RollupRequest {
  seriesId: number;
  range?: StepRange;
}

// Open ranges: ±Infinity binds as a DOUBLE (an integral JS number would bind as BIGINT).
const LO = -Infinity;
const HI = Infinity;

/** `series_id BETWEEN … AND … AND series_id IN (…)`: our own integers, inlined so DuckDB can skip row groups by zone map. */
function idFilter(ids: readonly number[]): string {
  const list = ids.map((id) => Math.trunc(id));
  return `r.series_id BETWEEN ${Math.min(...list)} AND ${Math.max(...list)} AND r.series_id IN (${list.join(',')})`;
}

/**
 * For each series, the points whose level-0 rollup rows meet its range (rows cut by the range count
 * whole). A series missing from the answer has no rollup rows there (none in range, or none at all:
 * compacted before rollups existed); its raw points answer instead. One query for the whole chart.
 */
export async function rollupCounts(con: DuckDBConnection, reqs: readonly RollupRequest[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (reqs.length === 0) return out;
  const clauses = reqs.map((_, i) => `(r.series_id = $${3 * i + 1} AND r.stepHi >= $${3 * i + 2}::DOUBLE AND r.stepLo <= $${3 * i + 3}::DOUBLE)`);
  const params = reqs.flatMap((q) => [q.seriesId, q.range?.[0] ?? LO, q.range?.[1] ?? HI]);
  const reader = await con.runAndReadAll(
    `SELECT r.series_id, sum(r.count)::DOUBLE FROM metric_rollups r
     WHERE r.level = 0 AND ${idFilter(reqs.map((q) => q.seriesId))} AND (${clauses.join(' OR ')}) GROUP BY r.series_id`,
    params,
  );
  for (const [id, n] of reader.getRows() as [number, number][]) out.set(Number(id), n);
  return out;
}

/** For each series, the rows of its chosen level that meet its range, in series order; one query for the chart. */
export async function readRollupLevels(con: DuckDBConnection, reqs: readonly (RollupRequest & { level: number })[]): Promise<Map<number, AggColumns>> {
  const out = new Map<number, AggColumns>();
  if (reqs.length === 0) return out;
  // A plain filtered scan, no join and no ORDER BY: DuckDB keeps insertion order for it, and each
  // series' rows were appended together in (level, segment, start) order, so every series comes out
  // as one contiguous, sorted run. Sorting 80k wide rows instead cost most of a chart's first paint.
  const clauses = reqs.map((_, i) => `(r.series_id = $${4 * i + 1} AND r.level = $${4 * i + 2} AND r.stepHi >= $${4 * i + 3}::DOUBLE AND r.stepLo <= $${4 * i + 4}::DOUBLE)`);
  const params = reqs.flatMap((q) => [q.seriesId, q.level, q.range?.[0] ?? LO, q.range?.[1] ?? HI]);
  const result = await con.run(
    `SELECT r.series_id::DOUBLE, ${AGG_FIELDS.map((f) => `r."${f}"`).join(', ')}
     FROM metric_rollups r WHERE ${idFilter(reqs.map((q) => q.seriesId))} AND (${clauses.join(' OR ')})`,
    params,
  );
  const chunks = [];
  let total = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    chunks.push(chunk);
    total += chunk.rowCount;
  }
  const ids = new Float64Array(total);
  const all = newAggColumns(total);
  // DuckDB's buffers may not be 8-byte aligned for a Float64Array view: copy bytes.
  const bytes = [ids, ...AGG_FIELDS.map((f) => all[f])].map((a) => new Uint8Array(a.buffer));
  let at = 0;
  for (const chunk of chunks) {
    const n = chunk.rowCount;
    for (let c = 0; c < bytes.length; c++) bytes[c].set(duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, c), n * 8), at * 8);
    at += n;
  }
  // Each series is one contiguous slice (see above).
  for (let a = 0; a < total; ) {
    let b = a + 1;
    while (b < total && ids[b] === ids[a]) b++;
    out.set(ids[a], inSeriesOrder(sliceAggColumns(all, a, b)));
    a = b;
  }
  for (const q of reqs) if (!out.has(q.seriesId)) out.set(q.seriesId, newAggColumns(0));
  return out;
}

/** The rows sorted by (segment, start): as they come (checked), or re-sorted should a scan ever reorder them. */
function inSeriesOrder(rows: AggColumns): AggColumns {
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) sorted = rows.segment[i - 1] < rows.segment[i] || (rows.segment[i - 1] === rows.segment[i] && rows.start[i - 1] < rows.start[i]);
  if (sorted) return rows;
  const order = Array.from({ length: rows.length }, (_, i) => i).sort((i, j) => rows.segment[i] - rows.segment[j] || rows.start[i] - rows.start[j]);
  return mapAggColumns(rows.length, (f) => Float64Array.from(order, (i) => rows[f][i]));
}
