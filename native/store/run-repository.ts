// Runs, params, tags and dataset inputs. Every mutation runs in a transaction under the write lock,
// checks first and writes after, so a rejected request leaves the store exactly as it was.
import { type Database, inTransaction, exec, queryRows } from './open-database';
import { invalidParam, notFound } from '../mlflow/errors';
import { newRunId } from './ids';
import { NO_AUDIT, runCreated, runStatusChanged, tagEvents, type AuditAppender } from '../audit/run-events';

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface RunRow {
  run_id: string;
  experiment_id: string;
  run_name: string;
  user_id: string;
  status: RunStatus;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: 'active' | 'deleted';
  deleted_at: number | null;
  deleted_by: string | null;
  delete_reason: string | null;
  last_activity: number;
  interrupted_at: number | null;
  origin: string;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface DatasetInput {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string;
  profile: string;
  tags: KeyValue[];
}

export const RUN_NAME_TAG = 'mlflow.runName';

const readOnlyImported = (runId: string): Error => invalidParam(`The run ${runId} was imported from a signed run bundle and is read-only.`);

export class RunRepository {
  /**
   * Lifecycle stage by run id, for the write path: every log request checks it, and a DuckDB query
   * per request would serialise ingest on one connection. One process owns the store and every change
   * goes through this class (or calls invalidate()), so the cache cannot go stale.
   */
  private readonly stage = new Map<string, 'active' | 'deleted' | 'imported'>();
  /**
   * Runs marked interrupted (kept by InterruptedRunWatch). The first write to one clears the mark
   * before the write is acknowledged. Every change to the runs table goes through the writer
   * connection, so this never races an ingest flush on the same row.
   */
  readonly interrupted = new Set<string>();

  /** `audit` appends each mutation's event inside the mutation's own transaction (native/audit). */
  constructor(
    private readonly db: Database,
    private readonly audit: AuditAppender = NO_AUDIT,
  ) {}

  invalidate(runId?: string): void {
    if (runId === undefined) this.stage.clear();
    else this.stage.delete(runId);
  }

  /** Throws unless the run exists and is active: MLflow refuses writes to deleted runs. */
  async assertWritable(runId: string): Promise<void> {
    let stage = this.stage.get(runId);
    if (stage === undefined) {
      const row = await this.mustGet(runId);
      // Runs imported from a signed bundle are read-only: they are what their signer signed (issue #6).
      stage = row.origin !== 'local' ? 'imported' : row.lifecycle_stage;
      if (this.stage.size > 100_000) this.stage.clear();
      this.stage.set(runId, stage);
    }
    if (stage === 'imported') throw readOnlyImported(runId);
    if (stage !== 'active') throw invalidParam(`The run ${runId} must be in the 'active' state. Current state is ${stage}.`);
    if (this.interrupted.has(runId)) {
      await inTransaction(this.db, (con) => exec(con, 'UPDATE runs SET interrupted_at = NULL, last_activity = ? WHERE run_id = ?', [Date.now(), runId]));
      this.interrupted.delete(runId);
    }
  }

  async create(a: { experimentId: string; userId: string; runName: string; startTime: number; tags: KeyValue[] }): Promise<string> {
    const runId = newRunId();
    const tags = a.tags.filter((t) => t.key !== RUN_NAME_TAG);
    tags.push({ key: RUN_NAME_TAG, value: a.runName });
    await inTransaction(this.db, async (con) => {
      const [exp] = await queryRows<{ lifecycle_stage: string }>(con, 'SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?', [a.experimentId]);
      if (!exp) throw notFound(`No Experiment with id=${a.experimentId} exists`);
      if (exp.lifecycle_stage !== 'active') {
        throw invalidParam(`The experiment ${a.experimentId} must be in the 'active' state. Current state is ${exp.lifecycle_stage}.`);
      }
      await exec(
        con,
        `INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, lifecycle_stage, last_activity)
         VALUES (?, ?, ?, ?, 'RUNNING', ?, 'active', ?)`,
        [runId, a.experimentId, a.runName, a.userId, a.startTime, Date.now()],
      );
      for (const t of tags) await exec(con, 'INSERT OR REPLACE INTO tags VALUES (?, ?, ?)', [runId, t.key, t.value]);
      await this.audit.append(con, runCreated(runId, { ...a, tags }));
    });
    return runId;
  }

  async get(runId: string): Promise<RunRow | null> {
    const rows = await queryRows<RunRow>(this.db.reader, 'SELECT * FROM runs WHERE run_id = ?', [runId]);
    return rows[0] ?? null;
  }

  async mustGet(runId: string): Promise<RunRow> {
    const r = await this.get(runId);
    if (!r) throw notFound(`Run '${runId}' not found`);
    return r;
  }

  /** The run, which must exist and be active (MLflow refuses writes to deleted runs). */
  async mustBeActive(runId: string): Promise<RunRow> {
    const r = await this.mustGet(runId);
    if (r.origin !== 'local') throw readOnlyImported(runId);
    if (r.lifecycle_stage !== 'active') {
      throw invalidParam(`The run ${runId} must be in the 'active' state. Current state is ${r.lifecycle_stage}.`);
    }
    return r;
  }

  async update(runId: string, a: { status?: RunStatus; endTime?: number; runName?: string }): Promise<RunRow> {
    await this.mustBeActive(runId);
    await inTransaction(this.db, async (con) => {
      // Read under the write lock: the audited "from" is the state this update replaces.
      const [before] = await queryRows<RunRow>(con, 'SELECT status, end_time, run_name FROM runs WHERE run_id = ?', [runId]);
      const sets: string[] = ['last_activity = ?'];
      const params: (string | number)[] = [Date.now()];
      if (a.status) {
        sets.push('status = ?', 'interrupted_at = NULL');
        params.push(a.status);
      }
      if (a.endTime !== undefined) {
        sets.push('end_time = ?');
        params.push(a.endTime);
      }
      if (a.runName !== undefined && a.runName !== '') {
        sets.push('run_name = ?');
        params.push(a.runName);
        await exec(con, 'INSERT OR REPLACE INTO tags VALUES (?, ?, ?)', [runId, RUN_NAME_TAG, a.runName]);
      }
      await exec(con, `UPDATE runs SET ${sets.join(', ')} WHERE run_id = ?`, [...params, runId]);
      if (a.status && a.status !== before.status) await this.audit.append(con, runStatusChanged(runId, before.status, a.status, a.endTime ?? before.end_time));
      if (a.runName && a.runName !== before.run_name) {
        await this.audit.append(con, { action: 'run.rename', target: { kind: 'run', id: runId }, details: { from: before.run_name, to: a.runName } });
      }
    });
    return this.mustGet(runId);
  }

  async setLifecycle(runId: string, stage: 'active' | 'deleted', actor: string | null, reason: string | null): Promise<RunRow> {
    const run = await this.mustGet(runId);
    if (stage === 'active') {
      const [exp] = await queryRows<{ lifecycle_stage: string }>(this.db.reader, 'SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?', [run.experiment_id]);
      if (exp?.lifecycle_stage === 'deleted') {
        throw invalidParam(`Cannot restore run ${runId}: its experiment ${run.experiment_id} is deleted. Restore the experiment first.`);
      }
    }
    this.invalidate(runId);
    await inTransaction(this.db, async (con) => {
      if (stage === 'deleted') {
        await exec(con, `UPDATE runs SET lifecycle_stage = 'deleted', deleted_at = ?, deleted_by = ?, delete_reason = ? WHERE run_id = ?`, [Date.now(), actor, reason, runId]);
        await this.audit.append(con, { action: 'run.soft_delete', target: { kind: 'run', id: runId }, details: { reason, deleted_by: actor, was: run.lifecycle_stage } });
      } else {
        await exec(con, `UPDATE runs SET lifecycle_stage = 'active', deleted_at = NULL, deleted_by = NULL, delete_reason = NULL WHERE run_id = ?`, [runId]);
        // Restoring an active run changes nothing and says nothing.
        if (run.lifecycle_stage !== 'active') {
          await this.audit.append(con, { action: 'run.restore', target: { kind: 'run', id: runId }, details: { restored_by: actor, deleted_at: run.deleted_at, delete_reason: run.delete_reason } });
        }
      }
    });
    return this.mustGet(runId);
  }

  /**
   * Params are immutable: the same value again is a no-op, a different one is refused, and a refused
   * batch writes nothing. Checked and written under the write lock so two requests cannot race.
   */
  async logParams(runId: string, params: KeyValue[]): Promise<void> {
    if (params.length === 0) return;
    await inTransaction(this.db, async (con) => {
      const keys = params.map((p) => p.key);
      const existing = await queryRows<KeyValue>(con, `SELECT key, value FROM params WHERE run_id = ? AND key IN (${keys.map(() => '?').join(',')})`, [runId, ...keys]);
      const have = new Map(existing.map((p) => [p.key, p.value]));
      const changed = params.filter((p) => have.has(p.key) && have.get(p.key) !== p.value);
      if (changed.length === 1) {
        const p = changed[0];
        throw invalidParam(
          `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${have.get(p.key)}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
        );
      }
      if (changed.length > 1) {
        const list = changed.map((p) => `{key: '${p.key}', old: '${have.get(p.key)}', new: '${p.value}'}`).join(', ');
        throw invalidParam(`Changing param values is not allowed. Params were already logged='[${list}]' for run ID='${runId}'.`);
      }
      for (const p of params) {
        if (!have.has(p.key)) await exec(con, 'INSERT INTO params VALUES (?, ?, ?)', [runId, p.key, p.value]);
      }
      await exec(con, 'UPDATE runs SET last_activity = ?, interrupted_at = NULL WHERE run_id = ?', [Date.now(), runId]);
    });
  }

  /** Last write wins; setting `mlflow.runName` renames the run, as in MLflow. */
  async setTags(runId: string, tags: KeyValue[]): Promise<void> {
    if (tags.length === 0) return;
    await inTransaction(this.db, async (con) => {
      // Only values that change are audited: clients re-send the same tags with every batch.
      const keys = [...new Set(tags.map((t) => t.key))];
      const old = new Map(
        (await queryRows<KeyValue>(con, `SELECT key, value FROM tags WHERE run_id = ? AND key IN (${keys.map(() => '?').join(',')})`, [runId, ...keys])).map((t) => [t.key, t.value]),
      );
      const changed = new Map<string, { key: string; value: string; old: string | null }>();
      for (const t of tags) if (old.get(t.key) !== t.value) changed.set(t.key, { key: t.key, value: t.value, old: old.get(t.key) ?? null });
      for (const e of tagEvents(runId, [...changed.values()])) await this.audit.append(con, e);
      for (const t of tags) {
        await exec(con, 'INSERT OR REPLACE INTO tags VALUES (?, ?, ?)', [runId, t.key, t.value]);
        if (t.key === RUN_NAME_TAG) await exec(con, 'UPDATE runs SET run_name = ? WHERE run_id = ?', [t.value, runId]);
      }
      await exec(con, 'UPDATE runs SET last_activity = ?, interrupted_at = NULL WHERE run_id = ?', [Date.now(), runId]);
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await inTransaction(this.db, async (con) => {
      const rows = await queryRows<{ value: string }>(con, 'SELECT value FROM tags WHERE run_id = ? AND key = ?', [runId, key]);
      if (rows.length === 0) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
      await exec(con, 'DELETE FROM tags WHERE run_id = ? AND key = ?', [runId, key]);
      await this.audit.append(con, { action: 'run.tag.delete', target: { kind: 'run', id: runId }, details: { key, previous: rows[0].value } });
    });
  }

  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    if (inputs.length === 0) return;
    await inTransaction(this.db, async (con) => {
      for (const d of inputs) {
        await exec(
          con,
          `INSERT INTO datasets (digest, name, source_type, source, schema, profile) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (name, digest) DO NOTHING`,
          [d.digest, d.name, d.source_type, d.source, d.schema, d.profile],
        );
        const context = d.tags.find((t) => t.key === 'mlflow.data.context')?.value ?? null;
        await exec(
          con,
          `INSERT INTO run_inputs VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, dataset_name, dataset_digest) DO UPDATE SET tags = excluded.tags, context = excluded.context`,
          [runId, d.name, d.digest, JSON.stringify(d.tags), context],
        );
      }
    });
  }

  async params(runIds: readonly string[]): Promise<Map<string, KeyValue[]>> {
    return this.grouped('SELECT run_id, key, value FROM params', runIds);
  }

  async tags(runIds: readonly string[]): Promise<Map<string, KeyValue[]>> {
    return this.grouped('SELECT run_id, key, value FROM tags', runIds);
  }

  async inputs(runIds: readonly string[]): Promise<Map<string, (DatasetInput & { context: string | null })[]>> {
    const out = new Map<string, (DatasetInput & { context: string | null })[]>();
    if (runIds.length === 0) return out;
    const rows = await queryRows<Record<string, string>>(
      this.db.reader,
      `SELECT i.run_id, i.tags, i.context, d.* FROM run_inputs i JOIN datasets d ON d.name = i.dataset_name AND d.digest = i.dataset_digest
       WHERE i.run_id IN (${runIds.map(() => '?').join(',')}) ORDER BY i.run_id, d.name`,
      runIds as string[],
    );
    for (const r of rows) {
      const list = out.get(r.run_id) ?? [];
      list.push({ name: r.name, digest: r.digest, source_type: r.source_type, source: r.source, schema: r.schema, profile: r.profile, tags: JSON.parse(r.tags) as KeyValue[], context: r.context ?? null });
      out.set(r.run_id, list);
    }
    return out;
  }

  private async grouped(select: string, runIds: readonly string[]): Promise<Map<string, KeyValue[]>> {
    const out = new Map<string, KeyValue[]>();
    if (runIds.length === 0) return out;
    const rows = await queryRows<{ run_id: string; key: string; value: string }>(
      this.db.reader,
      `${select} WHERE run_id IN (${runIds.map(() => '?').join(',')}) ORDER BY run_id, key`,
      runIds as string[],
    );
    for (const r of rows) {
      const list = out.get(r.run_id) ?? [];
      list.push({ key: r.key, value: r.value });
      out.set(r.run_id, list);
    }
    return out;
  }
}
