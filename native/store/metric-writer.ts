// The ingest write buffer. Requests append points here and wait; a flush moves everything buffered
// into DuckDB through the Appender in one transaction, then acknowledges every waiting request.
// Group commit: a flush starts as soon as the event loop turns, and whatever arrives while it runs
// goes into the next one, so latency stays at one commit under light load and batches grow by
// themselves under heavy load. One commit per request would cap ingest at a few hundred requests/s;
// one commit per flush carries a million points/s, and an acknowledged point is committed.
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Database, queryRows } from './open-database';
import { accumulate, newSeries, seriesFromRow, type SeriesState } from './series-state';
import { appendPoints, PointBuffer } from './point-buffer';

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
  /** Called after each committed flush, before its requests are acknowledged. */
  onCommitted?: (seriesIds: ReadonlySet<number>) => void;
  /** Called after each committed flush with the runs it touched (live updates). */
  onFlushed?: (runIds: ReadonlySet<string>, points: number) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class MetricWriter {
  private readonly db: Database;
  private readonly maxBufferedPoints: number;
  private readonly onFlushed?: MetricWriterOptions['onFlushed'];
  private readonly onCommitted?: MetricWriterOptions['onCommitted'];
  private readonly runs = new Map<string, Map<string, SeriesState>>();
  private readonly loading = new Map<string, Promise<Map<string, SeriesState>>>();
  private nextSeriesId = -1;
  private buffer = new PointBuffer();
  /** Series first seen since the last flush: their rows are inserted with the points that create them. */
  private created: SeriesState[] = [];
  /** Series whose summary changed since the last syncSummaries(). */
  private pending = new Set<SeriesState>();
  private syncTimer: NodeJS.Timeout | null = null;
  private syncTail: Promise<void> = Promise.resolve();
  private touchedRuns = new Set<string>();
  private touchedSeries = new Set<number>();
  /** Last write per run since the last takeActivity(): kept in memory, persisted by the interrupted-run watch. */
  private activity = new Map<string, number>();
  private waiters: Waiter[] = [];
  private scheduled = false;
  private readonly freeLanes: DuckDBConnection[];
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(db: Database, options: MetricWriterOptions = {}) {
    this.db = db;
    this.maxBufferedPoints = options.maxBufferedPoints ?? 100_000;
    this.onFlushed = options.onFlushed;
    this.onCommitted = options.onCommitted;
    this.freeLanes = [...db.ingest];
  }

  /**
   * Drops the in-memory series of a purged run (its rows are gone), so a run later created with the
   * same id (re-imports derive ids from the source) starts from an empty state. Call after flush().
   */
  forgetRun(runId: string): void {
    this.runs.delete(runId);
    this.activity.delete(runId);
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
    for (const st of states) {
      if (!st) continue;
      this.pending.add(st);
      this.touchedSeries.add(st.seriesId);
    }
    this.scheduleSync();
    this.touchedRuns.add(runId);
    this.activity.set(runId, Date.now());
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.buffer.length < this.maxBufferedPoints || !this.startFlush()) this.schedule();
    return done;
  }

  /** The in-memory summaries of a run's series (live updates read the newest values here, not from disk). */
  latestOf(runId: string): readonly SeriesState[] {
    return [...(this.runs.get(runId)?.values() ?? [])];
  }

  takeActivity(): Map<string, number> {
    const a = this.activity;
    this.activity = new Map();
    return a;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate, not a timer: requests that arrived in the same event-loop turn share one commit.
    setImmediate(() => {
      this.scheduled = false;
      this.startFlush();
    });
  }

  /**
   * Starts committing the buffer on a free lane (a connection of its own). With two lanes, one
   * flush's COMMIT (a WAL write and sync, most of a flush's time) overlaps the next one's appends.
   * Returns null when there is nothing to flush or no lane is free; a finishing flush reschedules.
   */
  private startFlush(): Promise<void> | null {
    if (this.buffer.length === 0 && this.created.length === 0) {
      this.settle(this.takeWaiters(), null);
      return null;
    }
    const lane = this.freeLanes.pop();
    if (!lane) return null;
    const buffer = this.buffer;
    const created = this.created;
    const runs = this.touchedRuns;
    const seriesIds = this.touchedSeries;
    const waiters = this.takeWaiters();
    this.buffer = new PointBuffer();
    this.created = [];
    this.touchedRuns = new Set();
    this.touchedSeries = new Set();
    const running: Promise<void> = this.commit(lane, buffer, created)
      .then(
        () => {
          for (const st of created) st.persisted = true;
          this.onCommitted?.(seriesIds);
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
        this.freeLanes.push(lane);
        this.running.delete(running);
        // Whatever arrived during this commit goes out in the next one.
        if (this.buffer.length > 0 || this.waiters.length > 0) this.schedule();
      });
    this.running.add(running);
    return running;
  }

  /**
   * Resolves once every point appended before the call is committed (or its flush failed: the error
   * went to the requests that sent those points). Flushes on two lanes may finish out of order, so
   * this waits for the flushes already running as well as for its own.
   */
  async flush(): Promise<void> {
    const earlier = [...this.running];
    if (this.buffer.length > 0 || this.created.length > 0) {
      const mine = new Promise<void>((resolve) => this.waiters.push({ resolve, reject: () => resolve() }));
      if (this.buffer.length >= this.maxBufferedPoints) this.startFlush();
      this.schedule();
      await mine;
    }
    await Promise.all(earlier);
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
    // Behind any sync already under way: it took states out of `pending` that a reader after us
    // must see committed, so returning early would break read-your-writes.
    const mine = this.syncTail.then(() => this.syncPending());
    this.syncTail = mine.catch(() => undefined);
    return mine;
  }

  private async syncPending(): Promise<void> {
    // A series whose creating flush has not committed yet stays pending: upserting its row now
    // would collide with that flush's insert.
    const states = [...this.pending].filter((st) => st.persisted);
    if (states.length === 0) return;
    for (const st of states) this.pending.delete(st);
    try {
      await this.db.lock.run(async () => {
        const con = this.db.writer;
        await con.run('BEGIN TRANSACTION');
        try {
          await this.appendSummaries(con, 'latest_metrics_stage', states);
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

  private async commit(con: DuckDBConnection, buf: PointBuffer, created: SeriesState[]): Promise<void> {
    await con.run('BEGIN TRANSACTION');
    try {
      if (buf.length > 0) {
        const appender = await con.createAppender('metrics_hot');
        appendPoints(appender, buf);
        appender.closeSync();
      }
      if (created.length > 0) {
        // New series rows go in with their first points, so a committed point always has its (run, key).
        await this.appendSummaries(con, 'latest_metrics', created);
      }
      await con.run('COMMIT');
    } catch (err) {
      await con.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /**
   * Summaries go through the Appender into a stage table and are merged in one statement; doubles
   * stay binary (a bound JS number would lose the sign of -0, and the value must come back as logged).
   */
  private async appendSummaries(con: DuckDBConnection, table: string, states: Iterable<SeriesState>): Promise<void> {
    const app = await con.createAppender(table);
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
          for (const r of rows) m.set(String(r.key), seriesFromRow(r));
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
