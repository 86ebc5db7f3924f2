// The ingest write buffer. Requests append points here and wait; a flush moves everything buffered
// into DuckDB through the Appender in one transaction, then acknowledges every waiting request.
// Group commit: a flush starts as soon as the event loop turns, and whatever arrives while it runs
// goes into the next one, so latency stays at one commit under light load and batches grow by
// themselves under heavy load. One commit per request would cap ingest at a few hundred requests/s;
// one commit per flush carries a million points/s, and an acknowledged point is committed.
import duckdb from '@duckdb/node-bindings';
import { BIGINT, DOUBLE, DuckDBDataChunk, INTEGER } from '@duckdb/node-api';
import { type Database, queryRows } from './open-database';
import { accumulate, newSeries, type SeriesState } from './series-state';

export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** Points as columns: `keys[keyIndex[i]]` is point i's key. Typed arrays, so they cross threads cheaply. */
export interface MetricColumns {
  keys: string[];
  keyIndex: Int32Array;
  step: Float64Array;
  ts: Float64Array;
  value: Float64Array;
}

export interface MetricWriterOptions {
  /** Start a flush as soon as this many points are buffered, even mid-tick. */
  maxBufferedPoints?: number;
  /**
   * Runs currently marked interrupted: a flush that writes to one of them clears the mark in the same
   * transaction, so the acknowledgement of the first resumed point also means "running again".
   */
  interrupted?: Set<string>;
  /** Called after each committed flush with the runs it touched (live updates). */
  onFlushed?: (runIds: ReadonlySet<string>, points: number) => void;
}

const CHUNK = 2048; // DuckDB's vector size: the most rows one data chunk holds
const TWO_32 = 4294967296;

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Column buffers grown by doubling; steps and timestamps as doubles until they are copied into int64. */
class PointBuffer {
  length = 0;
  series = new Int32Array(4096);
  step = new Float64Array(4096);
  ts = new Float64Array(4096);
  value = new Float64Array(4096);
  segment = new Int32Array(4096);

  push(seriesId: number, step: number, ts: number, value: number, segment: number): void {
    if (this.length === this.series.length) this.grow();
    const i = this.length++;
    this.series[i] = seriesId;
    this.step[i] = step;
    this.ts[i] = ts;
    this.value[i] = value;
    this.segment[i] = segment;
  }

  private grow(): void {
    const n = this.series.length * 2;
    const g = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.series = g(this.series, (k) => new Int32Array(k));
    this.step = g(this.step, (k) => new Float64Array(k));
    this.ts = g(this.ts, (k) => new Float64Array(k));
    this.value = g(this.value, (k) => new Float64Array(k));
    this.segment = g(this.segment, (k) => new Int32Array(k));
  }
}

export class MetricWriter {
  private readonly db: Database;
  private readonly maxBufferedPoints: number;
  private readonly onFlushed?: MetricWriterOptions['onFlushed'];
  private readonly interrupted: Set<string>;
  private readonly runs = new Map<string, Map<string, SeriesState>>();
  private readonly loading = new Map<string, Promise<Map<string, SeriesState>>>();
  private nextSeriesId = -1;
  private buffer = new PointBuffer();
  /** Series first seen since the last flush: their rows are inserted with the points that create them. */
  private created: SeriesState[] = [];
  /** Series whose summary changed since the last syncSummaries(). */
  private pending = new Set<SeriesState>();
  private syncTimer: NodeJS.Timeout | null = null;
  private touchedRuns = new Set<string>();
  /** Last write per run since the last takeActivity(): kept in memory, persisted by the interrupted-run watch. */
  private activity = new Map<string, number>();
  private waiters: Waiter[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;
  private closed = false;
  // Reused across flushes: the int64 columns are written as two int32 halves, so no bigint is made per point.
  private readonly i64Step = new BigInt64Array(CHUNK);
  private readonly i64Ts = new BigInt64Array(CHUNK);

  constructor(db: Database, options: MetricWriterOptions = {}) {
    this.db = db;
    this.maxBufferedPoints = options.maxBufferedPoints ?? 100_000;
    this.onFlushed = options.onFlushed;
    this.interrupted = options.interrupted ?? new Set();
  }

  /** Buffers the points of one run; resolves once they are committed. */
  append(runId: string, points: readonly MetricPoint[]): Promise<void> {
    const n = points.length;
    const cols: MetricColumns = { keys: [], keyIndex: new Int32Array(n), step: new Float64Array(n), ts: new Float64Array(n), value: new Float64Array(n) };
    const ids = new Map<string, number>();
    points.forEach((p, i) => {
      let k = ids.get(p.key);
      if (k === undefined) {
        k = cols.keys.push(p.key) - 1;
        ids.set(p.key, k);
      }
      cols.keyIndex[i] = k;
      cols.step[i] = p.step;
      cols.ts[i] = p.timestamp;
      cols.value[i] = p.value;
    });
    return this.appendColumns(runId, cols);
  }

  /** Columnar append (the log-batch hot path); resolves once the points are committed. */
  async appendColumns(runId: string, cols: MetricColumns): Promise<void> {
    if (this.closed) throw new Error('the metric writer is closed');
    const n = cols.keyIndex.length;
    if (n === 0) return;
    const series = this.runs.get(runId) ?? (await this.loadRun(runId));
    if (this.nextSeriesId < 0) await this.loadNextSeriesId();
    const states = cols.keys.map((key) => series.get(key));
    for (let i = 0; i < n; i++) {
      const k = cols.keyIndex[i];
      const step = cols.step[i];
      const ts = cols.ts[i];
      const value = cols.value[i];
      let s = states[k];
      if (!s) {
        s = newSeries(this.nextSeriesId++, runId, cols.keys[k], step, ts, value);
        series.set(cols.keys[k], s);
        states[k] = s;
        this.created.push(s);
      }
      this.buffer.push(s.seriesId, step, ts, value, accumulate(s, step, ts, value));
    }
    for (const st of states) if (st) this.pending.add(st);
    this.scheduleSync();
    this.touchedRuns.add(runId);
    this.activity.set(runId, Date.now());
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.buffer.length >= this.maxBufferedPoints) void this.flush();
    else this.schedule();
    return done;
  }

  takeActivity(): Map<string, number> {
    const a = this.activity;
    this.activity = new Map();
    return a;
  }

  /** Series summaries of a run as the writer sees them (including points not yet flushed). */
  async seriesOf(runId: string): Promise<ReadonlyMap<string, SeriesState>> {
    return this.runs.get(runId) ?? this.loadRun(runId);
  }

  /** Forget cached state for a run (after its rows were rewritten outside the writer). */
  forget(runId: string): void {
    if (!this.touchedRuns.has(runId)) this.runs.delete(runId);
  }

  /** Flushes whatever is buffered; resolves when it is committed. Safe to call concurrently. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate, not a timer: requests that arrived in the same event-loop turn share one commit.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0 && this.created.length === 0) {
      this.settle(this.takeWaiters(), null);
      return;
    }
    const buffer = this.buffer;
    const created = this.created;
    const runs = this.touchedRuns;
    const waiters = this.takeWaiters();
    this.buffer = new PointBuffer();
    this.created = [];
    this.touchedRuns = new Set();
    this.flushing = this.db.lock
      .run(() => this.commit(buffer, created, runs))
      .then(
        () => {
          this.settle(waiters, null);
          this.onFlushed?.(runs, buffer.length);
        },
        (err: Error) => {
          // The in-memory summaries ran ahead of what was committed: drop them so they reload from disk.
          for (const r of runs) this.runs.delete(r);
          for (const st of this.pending) if (runs.has(st.runId)) this.pending.delete(st);
          this.settle(waiters, err);
        },
      )
      .finally(() => {
        this.flushing = null;
        // Whatever arrived during this commit goes out in the next one.
        if (this.buffer.length > 0) this.schedule();
      });
    await this.flushing;
  }

  async close(): Promise<void> {
    await this.syncSummaries();
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.closed = true;
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      void this.syncSummaries().catch(() => undefined);
    }, 1000);
    this.syncTimer.unref();
  }

  /**
   * Writes changed series summaries to latest_metrics. Updating them on every flush would cost more
   * than the points themselves (a DuckDB upsert of even ten rows takes milliseconds), so they are
   * written about once a second, and by every reader of latest_metrics before it reads
   * (read-your-writes). After a crash, Core recomputes the summaries of series with hot points.
   */
  async syncSummaries(): Promise<void> {
    await this.flush();
    if (this.pending.size === 0) return;
    const states = [...this.pending];
    this.pending = new Set();
    try {
      await this.db.lock.run(async () => {
        const con = this.db.writer;
        await con.run('BEGIN TRANSACTION');
        try {
          await this.stageSummaries(states);
          await con.run('INSERT OR REPLACE INTO latest_metrics SELECT * FROM latest_metrics_stage');
          await con.run('DELETE FROM latest_metrics_stage');
          await con.run('COMMIT');
        } catch (err) {
          await con.run('ROLLBACK').catch(() => undefined);
          throw err;
        }
      });
    } catch (err) {
      for (const st of states) this.pending.add(st);
      throw err;
    }
  }

  private takeWaiters(): Waiter[] {
    const w = this.waiters;
    this.waiters = [];
    return w;
  }

  private settle(waiters: Waiter[], err: Error | null): void {
    for (const w of waiters) (err ? w.reject(err) : w.resolve());
  }

  private async commit(buf: PointBuffer, created: SeriesState[], runs: Set<string>): Promise<void> {
    const con = this.db.writer;
    await con.run('BEGIN TRANSACTION');
    try {
      if (buf.length > 0) {
        const appender = await con.createAppender('metrics_hot');
        const step32 = new Int32Array(this.i64Step.buffer);
        const ts32 = new Int32Array(this.i64Ts.buffer);
        for (let off = 0; off < buf.length; off += CHUNK) {
          const n = Math.min(CHUNK, buf.length - off);
          for (let i = 0; i < n; i++) {
            const s = buf.step[off + i];
            const t = buf.ts[off + i];
            step32[2 * i] = s | 0; // ToInt32 keeps the low 32 bits of any safe integer
            step32[2 * i + 1] = Math.floor(s / TWO_32);
            ts32[2 * i] = t | 0;
            ts32[2 * i + 1] = Math.floor(t / TWO_32);
          }
          const chunk = DuckDBDataChunk.create([INTEGER, BIGINT, BIGINT, DOUBLE, INTEGER]);
          chunk.rowCount = n;
          const cols: [Int32Array | Float64Array | BigInt64Array, number][] = [
            [buf.series, off * 4],
            [this.i64Step, 0],
            [this.i64Ts, 0],
            [buf.value, off * 8],
            [buf.segment, off * 4],
          ];
          cols.forEach(([arr, byteOff], c) => {
            const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
            duckdb.copy_data_to_vector(vector, 0, arr.buffer as ArrayBuffer, arr.byteOffset + byteOff, n * arr.BYTES_PER_ELEMENT);
          });
          appender.appendDataChunk(chunk);
        }
        appender.closeSync();
      }
      if (created.length > 0) {
        // New series rows go in with their first points, so a committed point always has its (run, key).
        await this.stageSummaries(created);
        await con.run('INSERT INTO latest_metrics SELECT * FROM latest_metrics_stage');
        await con.run('DELETE FROM latest_metrics_stage');
      }
      const resumed = [...runs].filter((r) => this.interrupted.has(r));
      if (resumed.length > 0) {
        await con.run(`UPDATE runs SET interrupted_at = NULL, last_activity = ${Date.now()} WHERE run_id IN (${resumed.map(() => '?').join(',')})`, resumed);
      }
      await con.run('COMMIT');
      for (const r of resumed) this.interrupted.delete(r);
    } catch (err) {
      await con.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /**
   * Summaries go through the Appender into a stage table and are merged in one statement; doubles
   * stay binary (a bound JS number would lose the sign of -0, and the value must come back as logged).
   */
  private async stageSummaries(states: Iterable<SeriesState>): Promise<void> {
    const app = await this.db.writer.createAppender('latest_metrics_stage');
    const dbl = (v: number | null): void => (v === null ? app.appendNull() : app.appendDouble(v));
    for (const s of states) {
      app.appendInteger(s.seriesId);
      app.appendVarchar(s.runId);
      app.appendVarchar(s.key);
      app.appendBigInt(BigInt(s.step));
      app.appendBigInt(BigInt(s.ts));
      dbl(s.value);
      dbl(s.min);
      dbl(s.max);
      dbl(s.first);
      app.appendBigInt(BigInt(s.count));
      app.appendBigInt(BigInt(s.nanCount));
      app.appendBigInt(BigInt(s.infCount));
      app.appendBigInt(BigInt(s.lastStep));
      app.appendInteger(s.segment);
      app.endRow();
    }
    app.closeSync();
  }

  private loadRun(runId: string): Promise<Map<string, SeriesState>> {
    let p = this.loading.get(runId);
    if (!p) {
      p = queryRows(this.db.reader, 'SELECT * FROM latest_metrics WHERE run_id = ?', [runId])
        .then((rows) => {
          const m = new Map<string, SeriesState>();
          for (const r of rows) {
            m.set(String(r.key), {
              seriesId: Number(r.series_id),
              runId,
              key: String(r.key),
              step: Number(r.step),
              ts: Number(r.ts),
              value: Number(r.value),
              min: r.min_value === null ? null : Number(r.min_value),
              max: r.max_value === null ? null : Number(r.max_value),
              first: Number(r.first_value),
              count: Number(r.count),
              nanCount: Number(r.nan_count),
              infCount: Number(r.inf_count),
              lastStep: Number(r.last_step),
              segment: Number(r.segment),
            });
          }
          // A concurrent append may have created the map while we read: keep the first one.
          const existing = this.runs.get(runId);
          if (existing) return existing;
          this.runs.set(runId, m);
          return m;
        })
        .finally(() => this.loading.delete(runId));
      this.loading.set(runId, p);
    }
    return p;
  }

  private async loadNextSeriesId(): Promise<void> {
    const [row] = await queryRows<{ n: number | null }>(this.db.reader, 'SELECT max(series_id) AS n FROM latest_metrics');
    // Another append may have set it while we awaited.
    if (this.nextSeriesId < 0) this.nextSeriesId = (row?.n ?? -1) + 1;
  }
}
