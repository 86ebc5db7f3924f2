// Keeps the hot point table small. Points of a run move into the clustered `metrics` table when the
// run ends; a run that logs for days would otherwise keep every point hot, and every read of one of
// its series would scan the whole hot table. Past `maxHotRows`, the runs with hot points are compacted
// (running ones too: their next points simply land hot again).
import { type Database, queryRows } from './open-database';
import type { MetricRepository } from './metric-repository';
import type { MetricWriter } from './metric-writer';

export class HotCompactor {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly db: Database,
    private readonly metrics: MetricRepository,
    private readonly writer: MetricWriter,
    private readonly maxHotRows = 5_000_000,
    private readonly everyMs = 15_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check().catch(() => undefined), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Compacts every run with hot points when there are more than `maxHotRows`; returns the runs moved. */
  async check(): Promise<string[]> {
    if (this.busy) return [];
    this.busy = true;
    try {
      const [{ n }] = await queryRows<{ n: number }>(this.db.reader, 'SELECT count(*) AS n FROM metrics_hot');
      if (n <= this.maxHotRows) return [];
      // Summaries first: once points leave the hot table, a crash could no longer rebuild them.
      await this.writer.syncSummaries();
      const runs = await queryRows<{ run_id: string }>(
        this.db.reader,
        'SELECT DISTINCT l.run_id FROM metrics_hot h JOIN latest_metrics l USING (series_id)',
      );
      for (const { run_id } of runs) await this.db.lock.run(() => this.metrics.compactRun(run_id));
      return runs.map((r) => r.run_id);
    } finally {
      this.busy = false;
    }
  }
}
