// Reads of metric points and summaries, hot-to-cold compaction, and the per-run Parquet export.
import path from 'node:path';
import fs from 'node:fs';
import duckdb from '@duckdb/node-bindings';
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
const SERIES_SQL = `
  SELECT step, ts, value, segment FROM (
    SELECT step, ts, value, segment FROM metrics WHERE series_id = $1
    UNION ALL
    SELECT step, ts, first(v) AS value, min(segment) AS segment
    FROM (SELECT step, ts, value AS v, segment FROM metrics_hot h WHERE series_id = $1
          -- a retry that arrives after its point was compacted
          AND NOT EXISTS (SELECT 1 FROM metrics c WHERE c.series_id = $1 AND c.step = h.step AND c.ts = h.ts
                          AND c.value = h.value AND signbit(c.value) = signbit(h.value)))
    GROUP BY step, ts, v, signbit(v)
  ) ORDER BY segment, step, ts`;

/** Same rows with the int64 columns as doubles, so each chunk's columns copy out as Float64Arrays. */
const SERIES_COLUMNS_SQL = `SELECT step::DOUBLE, ts::DOUBLE, value, segment FROM (${SERIES_SQL})`;

/** Grows typed columns chunk by chunk (2048 rows each) without a JS value per point. */
class ColumnBuilder {
  private n = 0;
  private cols: SeriesColumns = { step: new Float64Array(4096), ts: new Float64Array(4096), value: new Float64Array(4096), segment: new Int32Array(4096) };

  push(n: number, step: Uint8Array, ts: Uint8Array, value: Uint8Array, segment: Uint8Array): void {
    if (this.n + n > this.cols.step.length) {
      const size = Math.max(this.cols.step.length * 2, this.n + n);
      const grow = <T extends Float64Array | Int32Array>(a: T, make: (k: number) => T): T => {
        const b = make(size);
        b.set(a.subarray(0, this.n));
        return b;
      };
      this.cols = {
        step: grow(this.cols.step, (k) => new Float64Array(k)),
        ts: grow(this.cols.ts, (k) => new Float64Array(k)),
        value: grow(this.cols.value, (k) => new Float64Array(k)),
        segment: grow(this.cols.segment, (k) => new Int32Array(k)),
      };
    }
    // DuckDB's buffers are not guaranteed 8-byte aligned for a typed-array view: copy bytes instead.
    const at = this.n;
    new Uint8Array(this.cols.step.buffer).set(step, at * 8);
    new Uint8Array(this.cols.ts.buffer).set(ts, at * 8);
    new Uint8Array(this.cols.value.buffer).set(value, at * 8);
    new Uint8Array(this.cols.segment.buffer).set(segment, at * 4);
    this.n += n;
  }

  finish(): SeriesColumns {
    const n = this.n;
    return { step: this.cols.step.slice(0, n), ts: this.cols.ts.slice(0, n), value: this.cols.value.slice(0, n), segment: this.cols.segment.slice(0, n) };
  }
}

export class MetricRepository {
  constructor(private readonly db: Database) {}

  async seriesId(runId: string, key: string): Promise<number | null> {
    const [row] = await queryRows<{ series_id: number }>(this.db.reader, 'SELECT series_id FROM latest_metrics WHERE run_id = ? AND key = ?', [runId, key]);
    return row ? row.series_id : null;
  }

  /**
   * Columnar read for charts and benchmarks: no object per point. Each result chunk's vectors are
   * copied out of DuckDB's memory in one typed-array copy per column.
   */
  async series(runId: string, key: string): Promise<SeriesColumns> {
    const id = await this.seriesId(runId, key);
    const out = new ColumnBuilder();
    if (id === null) return out.finish();
    const result = await this.db.reader.run(SERIES_COLUMNS_SQL, [id]);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const n = chunk.rowCount;
      const col = (c: number, bytes: number): Uint8Array => duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, c), n * bytes);
      out.push(n, col(0, 8), col(1, 8), col(2, 8), col(3, 4));
    }
    return out.finish();
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
    const ids = `SELECT series_id FROM latest_metrics WHERE run_id = $1`;
    await con.run('BEGIN TRANSACTION');
    try {
      await exec(
        con,
        `INSERT INTO metrics
         SELECT series_id, step, ts, first(v), min(segment) FROM (
           SELECT series_id, step, ts, value AS v, segment FROM metrics_hot WHERE series_id IN (${ids})
         ) h
         WHERE NOT EXISTS (SELECT 1 FROM metrics c WHERE c.series_id = h.series_id AND c.step = h.step AND c.ts = h.ts
                           AND c.value = h.v AND signbit(c.value) = signbit(h.v))
         GROUP BY series_id, step, ts, v, signbit(v)
         ORDER BY series_id, min(segment), step, ts`,
        [runId],
      );
      await exec(con, `DELETE FROM metrics_hot WHERE series_id IN (${ids})`, [runId]);
      await con.run('COMMIT');
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
    // COPY takes no bound parameters for its target; the run id was validated against RUN_ID_PATTERN
    // and the path is ours, but both are still quoted as SQL string literals.
    const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;
    await exec(
      this.db.reader,
      `COPY (SELECT key, step, ts AS timestamp_ms, value, segment FROM metric_points WHERE run_id = ${lit(runId)}
             ORDER BY key, segment, step, ts) TO ${lit(tmp)} (FORMAT parquet)`,
    );
    fs.renameSync(tmp, file);
    return file;
  }
}
