// A run left RUNNING by a process that died must not look "running" forever. Runs silent for
// `silenceMs`, and at start-up every RUNNING run from before this process, are marked interrupted
// (interrupted_at); the next write to the run clears the mark (it resumed).
//
// Metric writes do not touch the runs table (that UPDATE would cost every flush a few ms): the write
// buffer records activity in memory, and this watch folds it into runs.last_activity on each check.
import { type Database, inTransaction, queryRows, exec } from './open-database';

export class InterruptedRunWatch {
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly db: Database,
    /** Marked runs, shared with RunRepository, which clears a mark on the run's next write. */
    private readonly interrupted: Set<string>,
    private readonly silenceMs: number,
    /** Runs written since the last call, with the time of their last write; the caller clears it. */
    private readonly takeActivity: () => Map<string, number>,
    private readonly onInterrupted: (runIds: string[]) => void,
  ) {}

  async start(): Promise<void> {
    // Nothing can be logging to this store before we opened it: every RUNNING run is orphaned.
    await this.mark(Date.now() + 1);
    const rows = await queryRows<{ run_id: string }>(this.db.reader, 'SELECT run_id FROM runs WHERE interrupted_at IS NOT NULL');
    for (const r of rows) this.interrupted.add(r.run_id);
    const every = Math.max(250, Math.min(30_000, Math.floor(this.silenceMs / 4)));
    this.timer = setInterval(() => void this.check().catch(() => undefined), every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Persists recent activity and marks runs silent for longer than the silence period. */
  async check(): Promise<string[]> {
    await this.persistActivity();
    return this.mark(Date.now() - this.silenceMs);
  }

  async persistActivity(): Promise<void> {
    const activity = this.takeActivity();
    if (activity.size === 0) return;
    const entries = [...activity];
    await inTransaction(this.db, (con) =>
      exec(
        con,
        `UPDATE runs SET last_activity = greatest(runs.last_activity, v.ts)
         FROM (VALUES ${entries.map(() => '(?, ?)').join(',')}) v(id, ts) WHERE runs.run_id = v.id`,
        entries.flat(),
      ),
    );
  }

  /** Marks RUNNING runs whose last write is older than `before`; returns their ids. */
  async mark(before: number): Promise<string[]> {
    const ids = await inTransaction(this.db, async (con) => {
      const rows = await queryRows<{ run_id: string }>(
        con,
        `SELECT run_id FROM runs WHERE status = 'RUNNING' AND interrupted_at IS NULL AND last_activity < ?`,
        [before],
      );
      if (rows.length > 0) {
        await exec(con, `UPDATE runs SET interrupted_at = ? WHERE status = 'RUNNING' AND interrupted_at IS NULL AND last_activity < ?`, [Date.now(), before]);
      }
      return rows.map((r) => r.run_id);
    });
    for (const id of ids) this.interrupted.add(id);
    if (ids.length > 0) this.onInterrupted(ids);
    return ids;
  }
}
