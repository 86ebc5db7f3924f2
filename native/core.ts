// createCore({ dataDir }) wires the store and its services. Everything that serves a user (HTTP
// routes, RPC handlers, the CLI when no server owns the data dir) goes through one Core.
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { openDatabase, type Database } from './store/open-database';
import { ExperimentRepository } from './store/experiment-repository';
import { RunRepository, type RunRow } from './store/run-repository';
import { MetricRepository } from './store/metric-repository';
import { MetricWriter } from './store/metric-writer';
import { ArtifactStore } from './store/artifact-store';
import { InterruptedRunWatch } from './store/interrupted-runs';
import { HotCompactor } from './store/hot-compactor';
import { rebuildRollups } from './series/series-query';
import { EventBus } from './events/event-bus';
import { LiveNotifier } from './events/live-notifier';
import type { RunParts } from './mlflow/serializers';
import { AuditLog, type SignerSource } from './audit/audit-log';
import { workstationSigner } from './audit/workstation-signer';
import { Registry } from './registry/registry';
import { closeBrowseCache } from './bundle/browse-cache';

export interface CoreOptions {
  dataDir: string;
  /** A RUNNING run silent this long is shown as interrupted (default 10 minutes). */
  interruptAfterMs?: number;
  /** Largest artifact upload accepted, in bytes (default 5 GiB). */
  maxArtifactBytes?: number;
  /** Hot (not yet clustered) points above which running runs are compacted too (default 5M). */
  maxHotRows?: number;
  /** A signed audit checkpoint every this many events (default 1000; every export makes one too). */
  auditCheckpointEvery?: number;
  /** The signing key for audit checkpoints and the actor's fingerprint (default: the data dir's key, native/keys). */
  auditSigner?: SignerSource;
}

export interface CoreEvents {
  /** Runs whose points were committed: live charts and tables refresh these. */
  'metrics.flushed': [runIds: string[]];
  'runs.changed': [runIds: string[]];
}

export class Core {
  readonly events = new EventEmitter<CoreEvents>();
  /** Live events for pages (`GET /api/events`); topics in contract.ts ServerEventMap. */
  readonly bus = new EventBus();
  private readonly live: LiveNotifier;
  readonly experiments: ExperimentRepository;
  readonly runs: RunRepository;
  readonly metrics: MetricRepository;
  readonly writer: MetricWriter;
  readonly artifacts: ArtifactStore;
  readonly maxArtifactBytes: number;
  private readonly watch: InterruptedRunWatch;
  readonly compactor: HotCompactor;
  /** The tamper-evident log of every change (native/audit, issue #7). */
  readonly audit: AuditLog;
  /** Model registry, MLflow 3 logged models and promotion rules (native/registry). */
  readonly registry: Registry;

  private constructor(readonly dataDir: string, readonly db: Database, options: CoreOptions) {
    // Every run and experiment mutation appends its audit event in its own transaction (native/audit).
    this.audit = new AuditLog(db, { checkpointEvery: options.auditCheckpointEvery, signer: options.auditSigner ?? workstationSigner(dataDir) });
    this.runs = new RunRepository(db, this.audit);
    this.experiments = new ExperimentRepository(db, () => this.runs.invalidate(), this.audit);
    this.metrics = new MetricRepository(db);
    // Rollups commit with the compaction that moves their points (native/series/rollup-levels.ts).
    this.metrics.afterCompact = (con, ids) => rebuildRollups(con, this.metrics, ids);
    this.artifacts = new ArtifactStore(db, path.join(dataDir, 'artifacts'));
    this.registry = new Registry(db);
    this.maxArtifactBytes = options.maxArtifactBytes ?? 5 * 1024 ** 3;

    this.watch = new InterruptedRunWatch(db, this.runs.interrupted, options.interruptAfterMs ?? 10 * 60_000, () => this.writer.takeActivity(), (ids) => {
      this.events.emit('runs.changed', ids);
      // Interrupted runs are done writing for now: cluster their points for fast reads.
      void (async () => {
        // Summaries first: after compaction their points are no longer hot, so a crash could not rebuild them.
        await this.writer.syncSummaries();
        for (const id of ids) await this.db.lock.run(() => this.metrics.compactRun(id));
      })().catch(() => undefined);
    });
    this.writer = new MetricWriter(db, {
      onCommitted: (seriesIds) => this.metrics.noteHot(seriesIds),
      onFlushed: (runIds) => this.events.emit('metrics.flushed', [...runIds]),
    });
    this.compactor = new HotCompactor(db, this.metrics, this.writer, options.maxHotRows);
    this.live = new LiveNotifier(this, this.bus);
    this.live.start();
  }

  static async open(options: CoreOptions): Promise<Core> {
    const db = await openDatabase(path.join(options.dataDir, 'runledger.duckdb'));
    const core = new Core(options.dataDir, db, options);
    try {
      await core.experiments.ensureDefault();
      await core.metrics.recomputeHotSummaries();
      await core.metrics.loadHot();
      await core.watch.start();
      core.compactor.start();
    } catch (err) {
      db.close();
      throw err;
    }
    return core;
  }

  /** Params, tags, latest metrics and inputs of many runs in four queries. */
  async runParts(runIds: readonly string[]): Promise<Map<string, RunParts>> {
    await this.writer.syncSummaries();
    const [params, tags, metrics, inputs] = await Promise.all([
      this.runs.params(runIds),
      this.runs.tags(runIds),
      this.metrics.summaries(runIds),
      this.runs.inputs(runIds),
    ]);
    const out = new Map<string, RunParts>();
    for (const id of runIds) {
      out.set(id, { params: params.get(id) ?? [], tags: tags.get(id) ?? [], metrics: metrics.get(id) ?? [], inputs: inputs.get(id) ?? [] });
    }
    return out;
  }

  /**
   * After a run reaches a terminal status: commit its buffered points, move them into the clustered
   * table, and write `artifacts/runs/<id>/metrics.parquet`.
   */
  async finalizeRun(run: RunRow): Promise<void> {
    await this.writer.syncSummaries();
    await this.db.lock.run(() => this.metrics.compactRun(run.run_id));
    await this.metrics.writeParquet(run.run_id, this.artifacts.root);
    this.events.emit('runs.changed', [run.run_id]);
  }

  async close(): Promise<void> {
    this.watch.stop();
    this.compactor.stop();
    this.live.stop();
    await this.writer.close();
    await closeBrowseCache(this);
    await this.watch.persistActivity();
    await this.db.lock.run(async () => this.db.writer.run('CHECKPOINT'));
    this.db.close();
  }
}

export const createCore = (options: CoreOptions): Promise<Core> => Core.open(options);
