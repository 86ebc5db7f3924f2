// Writes what an importer reads into the store, through the same repositories and write buffer as
// live logging: runs, params and tags in transactions, points through MetricWriter (group commit,
// NaN/±Inf/-0 kept), text and histograms as content-addressed artifacts, and each run finalized
// (compacted, metrics.parquet written) at its end. Counts everything for the summary.
import type { Core } from '../core';
import type { ImportedRun, ImportProgress, ImportSummary } from '../api/contract';
import { emptySummary, finishSummary, newProgress } from './import-summary';
import { exec, inTransaction, queryRows } from '../store/open-database';
import { RUN_NAME_TAG, type RunStatus } from '../store/run-repository';
import { artifactPathProblem } from '../store/artifact-paths';
import type { Importer, ImportRecord, RunStart } from './import-record';
import { ImportLedger, importedRunId } from './import-ledger';
import { ImportExperiments } from './import-experiments';
import { runCreated } from '../audit/run-events';

const DEFAULT_EXPERIMENT = 'Default';
const MAX_DAMAGED_LISTED = 1000;
/** Point batches handed to the writer and not yet committed: parsing overlaps the commits. */
const MAX_IN_FLIGHT = 8;

/** Identities being imported right now, per store: a second import of the same source skips them. */
const active = new WeakMap<Core, Set<string>>();

interface LiveRun {
  runId: string;
  identity: string;
  experimentId: string;
  entry: ImportedRun;
  failed: boolean;
}

export class StoreImport {
  readonly progress: ImportProgress;
  private readonly ledger: ImportLedger;
  private readonly runs = new Map<string, LiveRun>();
  private readonly experiments: ImportExperiments;
  private readonly ignored = new Map<string, number>();
  private readonly summary: ImportSummary;
  private inFlight: Promise<void>[] = [];
  private readonly started = Date.now();

  constructor(
    private readonly core: Core,
    private readonly importer: Importer,
    readonly path: string,
    importId: string,
    private readonly experiment?: string,
  ) {
    this.ledger = new ImportLedger(core.db);
    this.experiments = new ImportExperiments(core, () => this.summary.counts.experiments_created++);
    this.summary = emptySummary(path, importer.id, null);
    this.progress = newProgress(importId, path, importer.id);
  }

  async run(): Promise<ImportSummary> {
    const mine = active.get(this.core) ?? new Set<string>();
    active.set(this.core, mine);
    const claimed: string[] = [];
    const shouldImport = async (r: { identity: string; name: string; source: string }): Promise<boolean> => {
      this.progress.run = r.name;
      // Claimed before the first await: two imports of the same files at once must not both import.
      const busy = mine.has(r.identity);
      if (!busy) {
        mine.add(r.identity);
        claimed.push(r.identity);
      }
      const there = busy ? null : await this.ledger.get(r.identity);
      if (busy || there?.state === 'done') {
        this.summary.counts.runs_already_there++;
        this.progress.runs_done++;
        const row = there ? await this.core.runs.get(there.run_id) : null;
        const experiment = row ? ((await this.core.experiments.get(row.experiment_id))?.name ?? row.experiment_id) : '';
        this.summary.runs.push({ run_id: row?.run_id ?? null, name: r.name, experiment, source: r.source, outcome: 'already-there', points: 0 });
        return false;
      }
      if (there) await this.supersede(there.run_id, r.identity);
      return true;
    };
    try {
      const records = this.importer.read(this.path, { experiment: this.experiment, shouldImport })[Symbol.asyncIterator]();
      for (;;) {
        const t = performance.now();
        const next = await records.next();
        this.summary.timings.reading += performance.now() - t;
        if (next.done) break;
        await this.handle(next.value);
      }
      await this.timed('committing', Promise.all(this.inFlight));
      await this.experiments.deleteThoseDeletedInSource();
    } catch (err) {
      this.summary.problems.push(`import stopped: ${(err as Error).message}`);
    } finally {
      for (const id of claimed) mine.delete(id);
    }
    // A run the importer started but never ended (it stopped early) is kept, marked FAILED.
    for (const [ref, live] of this.runs) if (!live.failed && live.entry.outcome !== 'imported') await this.failRun(ref, 'the import stopped before the run was complete');
    return this.finish();
  }

  private async handle(rec: ImportRecord): Promise<void> {
    const s = this.summary;
    switch (rec.kind) {
      case 'plan':
        this.progress.runs_total = rec.runs;
        this.progress.bytes_total = rec.bytes;
        return;
      case 'bytes':
        this.progress.bytes_done += rec.done;
        return;
      case 'experiment':
        await this.experiments.get(rec.name, rec.tags, rec.lifecycle === 'deleted');
        return;
      case 'run':
        try {
          await this.startRun(rec);
        } catch (err) {
          // One run that cannot be created (a param the store refuses, say) does not stop the others.
          if (this.runs.has(rec.ref)) await this.failRun(rec.ref, (err as Error).message);
          else {
            s.counts.runs_failed++;
            this.progress.runs_done++;
            s.problems.push(`${rec.source}: ${(err as Error).message}`);
          }
        }
        return;
      case 'damaged':
        s.counts.damaged_records++;
        this.progress.damaged_records++;
        if (s.damaged.length < MAX_DAMAGED_LISTED) s.damaged.push({ file: rec.file, offset: rec.offset, reason: rec.reason });
        return;
      case 'ignored':
        this.ignored.set(rec.what, (this.ignored.get(rec.what) ?? 0) + rec.count);
        return;
      case 'problem':
        s.problems.push(rec.message);
        return;
    }
    const live = this.runs.get(rec.ref);
    if (!live || live.failed) return;
    try {
      switch (rec.kind) {
        case 'points': {
          const n = rec.columns.keyIndex.length;
          const committed = this.core.writer.appendColumns(live.runId, rec.columns);
          // Awaited later (below, or at the run's end); until then a failed commit must not count as
          // an unhandled rejection, which would end the process.
          committed.catch(() => undefined);
          this.inFlight.push(committed);
          live.entry.points += n;
          s.counts.points += n;
          this.progress.points += n;
          if (this.inFlight.length >= MAX_IN_FLIGHT) await this.timed('committing', this.inFlight.shift()!);
          return;
        }
        case 'params':
          await this.core.runs.logParams(live.runId, rec.params);
          s.counts.params += rec.params.length;
          return;
        case 'tags':
          await this.core.runs.setTags(live.runId, rec.tags);
          s.counts.tags += rec.tags.length;
          return;
        case 'artifact': {
          const problem = artifactPathProblem(rec.path);
          if (problem) throw new Error(`artifact path ${JSON.stringify(rec.path)} ${problem}`);
          await this.core.artifacts.put(live.runId, rec.path, rec.open(), rec.mediaType, this.core.maxArtifactBytes);
          s.counts.artifacts++;
          if (rec.what === 'text') s.counts.texts += rec.items;
          if (rec.what === 'histogram') s.counts.histograms += rec.items;
          return;
        }
        case 'run-failed':
          await this.failRun(rec.ref, rec.reason);
          return;
        case 'run-end':
          await this.endRun(live, rec.status, rec.endTime, rec.deleted);
          return;
      }
    } catch (err) {
      await this.failRun(rec.ref, (err as Error).message);
    }
  }

  private async startRun(rec: RunStart): Promise<void> {
    const expName = rec.experiment ?? this.experiment ?? DEFAULT_EXPERIMENT;
    const exp = await this.experiments.get(expName, [], false);
    const format = this.importer.id;
    const runId = await inTransaction(this.core.db, async (con) => {
      let id = '';
      for (let attempt = 0; ; attempt++) {
        id = importedRunId(rec.identity, rec.startTime, attempt);
        if ((await queryRows(con, 'SELECT 1 FROM runs WHERE run_id = ?', [id])).length === 0) break;
      }
      await exec(
        con,
        `INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, lifecycle_stage, last_activity)
         VALUES (?, ?, ?, ?, 'RUNNING', ?, 'active', ?)`,
        [id, exp.id, rec.name, rec.userId, rec.startTime, Date.now()],
      );
      for (const t of [...rec.tags.filter((t) => t.key !== RUN_NAME_TAG), { key: RUN_NAME_TAG, value: rec.name }]) {
        await exec(con, 'INSERT OR REPLACE INTO tags VALUES (?, ?, ?)', [id, t.key, t.value]);
      }
      await this.ledger.begin(con, { identity: rec.identity, run_id: id, format, source: rec.source });
      // Inserted here rather than through RunRepository.create (the id is derived from the source),
      // so the audit event is appended here too.
      await this.core.audit.append(con, runCreated(id, { experimentId: exp.id, runName: rec.name, userId: rec.userId, startTime: rec.startTime, tags: rec.tags, source: `${format}:${rec.source}` }));
      return id;
    });
    this.core.runs.invalidate(runId);
    // Outcome 'failed' until its run-end arrives: a run the import never finishes stays failed.
    const entry: ImportedRun = { run_id: runId, name: rec.name, experiment: expName, source: rec.source, outcome: 'failed', points: 0 };
    this.summary.runs.push(entry);
    this.runs.set(rec.ref, { runId, identity: rec.identity, experimentId: exp.id, entry, failed: false });
    this.summary.counts.tags += rec.tags.length;
    if (rec.params.length > 0) {
      await this.core.runs.logParams(runId, rec.params);
      this.summary.counts.params += rec.params.length;
    }
    this.core.events.emit('runs.changed', [runId]);
  }

  private async endRun(live: LiveRun, status: RunStatus, endTime: number | null, deleted?: { at: number | null }): Promise<void> {
    await this.timed('committing', this.drain());
    const row = await this.core.runs.update(live.runId, { status, endTime: endTime ?? undefined });
    await this.timed('finalizing', this.core.finalizeRun(row));
    if (deleted) {
      await this.core.runs.setLifecycle(live.runId, 'deleted', null, 'deleted in the store it was imported from');
      if (deleted.at) await inTransaction(this.core.db, (con) => exec(con, 'UPDATE runs SET deleted_at = ? WHERE run_id = ?', [deleted.at, live.runId]));
    } else if (this.experiments.isDeleted(live.experimentId)) {
      // The local experiment is deleted: its runs are too, and come back when it is restored.
      await this.core.runs.setLifecycle(live.runId, 'deleted', null, 'experiment deleted');
    }
    await this.ledger.setState(live.identity, 'done');
    live.entry.outcome = 'imported';
    this.summary.counts.runs_imported++;
    this.progress.runs_done++;
    this.core.events.emit('runs.changed', [live.runId]);
  }

  /** Keeps what the run got so far, marked FAILED; the next import of the same source redoes it. */
  private async failRun(ref: string, reason: string): Promise<void> {
    const live = this.runs.get(ref);
    if (!live || live.failed) return;
    live.failed = true;
    live.entry.outcome = 'failed';
    this.summary.counts.runs_failed++;
    this.progress.runs_done++;
    this.summary.problems.push(`${live.entry.source}: ${reason}`);
    try {
      await this.drain();
      await this.core.runs.setTags(live.runId, [{ key: 'runledger.import.problem', value: reason }]);
      const row = await this.core.runs.update(live.runId, { status: 'FAILED' });
      await this.core.finalizeRun(row);
      await this.ledger.setState(live.identity, 'failed');
    } catch (err) {
      this.summary.problems.push(`${live.entry.source}: could not mark the run failed: ${(err as Error).message}`);
    }
  }

  /** An earlier import of this source never finished: hide its partial run and import afresh. */
  private async supersede(runId: string, identity: string): Promise<void> {
    const row = await this.core.runs.get(runId);
    if (row && row.lifecycle_stage === 'active') {
      await this.core.runs.setLifecycle(runId, 'deleted', null, 'unfinished import, superseded by a new import of the same source');
    }
    await this.ledger.forget(identity);
  }

  private async timed<T>(what: 'committing' | 'finalizing', p: Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await p;
    } finally {
      this.summary.timings[what] += performance.now() - t;
    }
  }

  private async drain(): Promise<void> {
    const pending = this.inFlight;
    this.inFlight = [];
    await Promise.all(pending);
  }

  private finish(): ImportSummary {
    this.progress.state = 'done';
    this.progress.run = null;
    this.progress.summary = finishSummary(this.summary, this.ignored, Date.now() - this.started);
    return this.summary;
  }
}
