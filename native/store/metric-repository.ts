// Reads of metric points and summaries, hot-to-cold compaction, and the per-run Parquet export.
import path from 'node:path';
import fs from 'node:fs';
import duckdb from '@duckdb/node-bindings';
import type { DuckDBConnection, DuckDBMaterializedResult } from '@duckdb/node-api';
import { type Database, exec, queryRows } from './open-database';

export interface SeriesColumns {
  step: Float64Array;
  ts: Float64Array;
  value: Float64Array;
  segment: Int32Array;
}

export interface MetricSummaryRow {
  run_id: string;
  key: string;
  step: number;
  ts: number;
  value: number;
  min_value: number | null;
  max_value: number | null;
  count: number;
  nan_count: number;
  inf_count: number;
  segment: number;
}

/**
 * One series, all points, ordered by (segment, step, ts). Compacted rows (`metrics`) were
 * deduplicated when they were moved; hot rows are deduplicated here, among themselves and against
 * the compacted ones. GROUP BY rather than DISTINCT so
 * a retried point that landed in a later segment still collapses onto the first; signbit() keeps -0
 * and 0 apart (GROUP BY alone would merge them and hand back 0 for a logged -0), and the inner
 * column is renamed because an output alias equal to a GROUP BY column makes DuckDB return the key.
 */
const HOT_DEDUPED_SQL = `
    SELECT step, ts, first(v) AS value, min(segment) AS segment
    FROM (SELECT step, ts, value AS v, segment FROM metrics_hot h WHERE series_id = $1
          -- a retry that arrives after its point was compacted
          AND NOT EXISTS (SELECT 1 FROM metrics c WHERE c.series_id = $1 AND c.step = h.step AND c.ts = h.ts
                          AND c.value = h.value AND signbit(c.value) = signbit(h.value)))
    GROUP BY step, ts, v, signbit(v)`;

const SERIES_SQL = `
  SELECT step, ts, value, segment FROM (
    SELECT step, ts, value, segment FROM metrics WHERE series_id = $1
    UNION ALL ${HOT_DEDUPED_SQL}
  ) ORDER BY segment, step, ts`;

/**
 * Columnar reads take the two parts separately, int64 columns cast to doubles so each chunk copies out
 * as Float64Arrays. Compacted rows come in insertion order, which is sorted (compaction writes them
 * sorted, and DuckDB preserves insertion order without ORDER BY): sorting 100k rows again would cost
 * more than reading them. series() checks the order anyway and sorts only if it must.
 */
const COLD_COLUMNS_SQL = 'SELECT step::DOUBLE, ts::DOUBLE, value, segment FROM metrics WHERE series_id = $1';
const HOT_COLUMNS_SQL = `SELECT step::DOUBLE, ts::DOUBLE, value, segment FROM (${HOT_DEDUPED_SQL}) ORDER BY segment, step, ts`;

/** Copies materialized result chunks into exactly-sized typed columns, one byte copy per vector. */
export function collectColumns(results: readonly DuckDBMaterializedResult[]): SeriesColumns {
  const total = results.reduce((n, r) => n + r.rowCount, 0);
  const out: SeriesColumns = { step: new Float64Array(total), ts: new Float64Array(total), value: new Float64Array(total), segment: new Int32Array(total) };
  // DuckDB's buffers are not guaranteed aligned for a typed-array view over them: copy bytes instead.
  const bytes = [new Uint8Array(out.step.buffer), new Uint8Array(out.ts.buffer), new Uint8Array(out.value.buffer), new Uint8Array(out.segment.buffer)];
  const widths = [8, 8, 8, 4];
  let at = 0;
  for (const result of results) {
    for (let i = 0; i < result.chunkCount; i++) {
      const chunk = result.getChunk(i);
      const n = chunk.rowCount;
      for (let c = 0; c < 4; c++) {
        bytes[c].set(duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, c), n * widths[c]), at * widths[c]);
      }
      at += n;
    }
  }
  return out;
}

/** The columns in (segment, step, ts) order: as they are when already sorted, else re-sorted. */
export function sortedColumns(c: SeriesColumns): SeriesColumns {
  const before = (i: number, j: number): number => c.segment[i] - c.segment[j] || c.step[i] - c.step[j] || c.ts[i] - c.ts[j];
  let sorted = true;
  for (let i = 1; i < c.step.length && sorted; i++) sorted = before(i - 1, i) <= 0;
  if (sorted) return c;
  const order = Array.from(c.step.keys()).sort(before);
  return {
    step: Float64Array.from(order, (i) => c.step[i]),
    ts: Float64Array.from(order, (i) => c.ts[i]),
    value: Float64Array.from(order, (i) => c.value[i]),
    segment: Int32Array.from(order, (i) => c.segment[i]),
  };
}

export class MetricRepository {
  private readonly ids = new Map<string, number>();
  /**
   * Series with points in the hot table, with a count of the flushes that added some. Compaction
   * forgets a series only if no flush touched it meanwhile, so this never misses an acknowledged point.
   */
  private readonly hot = new Map<number, number>();
  /**
   * Runs inside compactRun's transaction, after the points moved, with the ids of the run's series:
   * derived data (rollups, native/series) commits with the points it was computed from.
   */
  afterCompact: ((con: DuckDBConnection, seriesIds: number[]) => Promise<void>) | null = null;

  constructor(private readonly db: Database) {}

  /** The series has points not yet compacted (reads must include the hot table). */
  hasHot(seriesId: number): boolean {
    return this.hot.has(seriesId);
  }

  /** Compacted points of one series, read on `con` (inside a transaction: its own uncommitted rows too). */
  async coldColumns(con: DuckDBConnection, seriesId: number, range?: readonly [number, number]): Promise<SeriesColumns> {
    const result = range
      ? await con.run(`${COLD_COLUMNS_SQL} AND step BETWEEN $2 AND $3`, [seriesId, range[0], range[1]])
      : await con.run(COLD_COLUMNS_SQL, [seriesId]);
    return sortedColumns(collectColumns([result]));
  }

  /** Series ids never change once assigned, so lookups are remembered (bounded). */
  async seriesId(runId: string, key: string): Promise<number | null> {
    const cacheKey = `${runId}\u0000${key}`;
    const cached = this.ids.get(cacheKey);
    if (cached !== undefined) return cached;
    const [row] = await queryRows<{ series_id: number }>(this.db.reader, 'SELECT series_id FROM latest_metrics WHERE run_id = ? AND key = ?', [runId, key]);
    if (!row) return null;
    if (this.ids.size >= 200_000) this.ids.clear();
    this.ids.set(cacheKey, row.series_id);
    return row.series_id;
  }

  /** The write buffer committed hot points for these series. */
  noteHot(seriesIds: Iterable<number>): void {
    for (const id of seriesIds) this.hot.set(id, (this.hot.get(id) ?? 0) + 1);
  }

  async loadHot(): Promise<void> {
    const rows = await queryRows<{ series_id: number }>(this.db.reader, 'SELECT DISTINCT series_id FROM metrics_hot');
    this.noteHot(rows.map((r) => r.series_id));
  }

  /**
   * Columnar read for charts and benchmarks: no object per point. Compacted points come in one query
   * (in stored order, already sorted); hot points, deduplicated, only for a series that has any.
   */
  async series(runId: string, key: string): Promise<SeriesColumns> {
    const id = await this.seriesId(runId, key);
    if (id === null) return collectColumns([]);
    const parts = [await this.db.reader.run(COLD_COLUMNS_SQL, [id])];
    if (this.hot.has(id)) parts.push(await this.db.reader.run(HOT_COLUMNS_SQL, [id]));
    return sortedColumns(collectColumns(parts));
  }

  /** A page of one series's history, for MLflow's get-history. */
  async history(runId: string, key: string, offset: number, limit: number | null): Promise<{ step: number; ts: number; value: number }[]> {
    const id = await this.seriesId(runId, key);
    if (id === null) return [];
    const page = limit === null ? '' : ` LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`;
    return queryRows(this.db.reader, SERIES_SQL + page, [id]);
  }

  async summaries(runIds: readonly string[]): Promise<Map<string, MetricSummaryRow[]>> {
    const out = new Map<string, MetricSummaryRow[]>();
    if (runIds.length === 0) return out;
    const rows = await queryRows<MetricSummaryRow>(
      this.db.reader,
      `SELECT run_id, key, step, ts, value, min_value, max_value, count, nan_count, inf_count, segment
       FROM latest_metrics WHERE run_id IN (${runIds.map(() => '?').join(',')}) ORDER BY run_id, key`,
      runIds as string[],
    );
    for (const r of rows) {
      const list = out.get(r.run_id) ?? [];
      list.push(r);
      out.set(r.run_id, list);
    }
    return out;
  }

  /**
   * Moves a run's hot points into the clustered table, deduplicated and sorted by series, so later
   * reads of a series touch a few row groups. Caller holds the write lock (and has flushed the buffer).
   */
  async compactRun(runId: string): Promise<void> {
    const con = this.db.writer;
    const series = await queryRows<{ series_id: number }>(con, 'SELECT series_id FROM latest_metrics WHERE run_id = $1', [runId]);
    if (series.length === 0) return;
    const before = new Map(series.map((r) => [r.series_id, this.hot.get(r.series_id)]));
    // Integer ids of our own, inlined: the range lets DuckDB skip other runs' row groups by zone map.
    const idList = series.map((r) => Math.trunc(r.series_id));
    const inRun = `series_id BETWEEN ${Math.min(...idList)} AND ${Math.max(...idList)} AND series_id IN (${idList.join(',')})`;
    // Checking every hot point against compacted ones costs a join; a run compacted for the first
    // time (every import, most runs) has none to check against.
    const [{ n: compacted }] = await queryRows<{ n: number }>(con, `SELECT count(*) AS n FROM (SELECT 1 FROM metrics WHERE ${inRun} LIMIT 1)`);
    const notCompactedYet = compacted === 0
      ? ''
      : `WHERE NOT EXISTS (SELECT 1 FROM metrics c WHERE c.series_id = h.series_id AND c.step = h.step AND c.ts = h.ts
                           AND c.value = h.v AND signbit(c.value) = signbit(h.v))`;
    await con.run('BEGIN TRANSACTION');
    try {
      await exec(
        con,
        `INSERT INTO metrics
         SELECT series_id, step, ts, first(v), min(segment) FROM (
           SELECT series_id, step, ts, value AS v, segment FROM metrics_hot WHERE ${inRun}
         ) h
         ${notCompactedYet}
         GROUP BY series_id, step, ts, v, signbit(v)
         ORDER BY series_id, min(segment), step, ts`,
      );
      await exec(con, `DELETE FROM metrics_hot WHERE ${inRun}`);
      if (this.afterCompact) await this.afterCompact(con, idList);
      await con.run('COMMIT');
      for (const [id, flushes] of before) if (this.hot.get(id) === flushes) this.hot.delete(id);
    } catch (err) {
      await con.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /**
   * Rebuilds the summaries of every series that still has hot points from the points themselves.
   * Summaries are written lazily (MetricWriter.syncSummaries), so after a crash they may trail the
   * committed points; hot points are exactly the ones written since their run was last compacted.
   * Struct ordering gives MLflow's "latest" (highest step, then timestamp, then value, NaN largest).
   */
  async recomputeHotSummaries(): Promise<number> {
    const con = this.db.writer;
    const [row] = await queryRows<{ n: number }>(con, 'SELECT count(DISTINCT series_id) AS n FROM metrics_hot');
    if (!row || row.n === 0) return 0;
    await con.run('BEGIN TRANSACTION');
    try {
      await exec(
        con,
        `INSERT OR REPLACE INTO latest_metrics
         SELECT l.series_id, l.run_id, l.key,
                max_by(p.step, {'s': p.step, 't': p.ts, 'v': p.value}),
                max_by(p.ts, {'s': p.step, 't': p.ts, 'v': p.value}),
                max_by(p.value, {'s': p.step, 't': p.ts, 'v': p.value}),
                min(p.value) FILTER (WHERE NOT isnan(p.value)),
                max(p.value) FILTER (WHERE NOT isnan(p.value)),
                min_by(p.value, {'g': p.segment, 's': p.step, 't': p.ts}),
                count(*), count_if(isnan(p.value)), count_if(isinf(p.value)),
                max_by(p.step, {'g': p.segment, 's': p.step, 't': p.ts}),
                max(p.segment)
         FROM latest_metrics l
         JOIN (SELECT * FROM metrics UNION ALL SELECT * FROM metrics_hot) p USING (series_id)
         WHERE l.series_id IN (SELECT DISTINCT series_id FROM metrics_hot)
         GROUP BY l.series_id, l.run_id, l.key`,
      );
      await con.run('COMMIT');
    } catch (err) {
      await con.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
    return row.n;
  }

  /** `artifacts/runs/<run-id>/metrics.parquet`: the run's history readable without Runledger. */
  async writeParquet(runId: string, artifactsDir: string): Promise<string> {
    const dir = path.join(artifactsDir, 'runs', runId);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'metrics.parquet');
    const tmp = `${file}.tmp`;
    const series = await queryRows<{ series_id: number; key: string }>(this.db.reader, 'SELECT series_id, key FROM latest_metrics WHERE run_id = ?', [runId]);
    // COPY takes no bound parameters. Everything inlined is ours: integer series ids, key names as
    // quoted literals, our own path. The id range lets DuckDB skip row groups of other runs.
    const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;
    const ids = series.map((r) => Math.trunc(r.series_id));
    const keyOf = series.length ? `CASE series_id ${series.map((r) => `WHEN ${Math.trunc(r.series_id)} THEN ${lit(r.key)}`).join(' ')} END` : 'NULL';
    const where = ids.length ? `series_id BETWEEN ${Math.min(...ids)} AND ${Math.max(...ids)} AND series_id IN (${ids.join(',')})` : 'FALSE';
    await exec(
      this.db.reader,
      `COPY (SELECT ${keyOf}::VARCHAR AS key, step, ts AS timestamp_ms, value, segment
             FROM (SELECT * FROM metrics WHERE ${where} UNION ALL SELECT DISTINCT * FROM metrics_hot WHERE ${where})
             ORDER BY series_id, segment, step, ts) TO ${lit(tmp)} (FORMAT parquet)`,
    );
    fs.renameSync(tmp, file);
    return file;
  }

}
