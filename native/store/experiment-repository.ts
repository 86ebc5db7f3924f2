// Experiments: MLflow's decimal-string ids ("0" is Default, created with the store), unique names,
// soft delete that takes the experiment's runs along (and restore that brings them back).
import { type Database, inTransaction, exec, queryRows } from './open-database';
import { invalidParam, notFound, MlflowError } from '../mlflow/errors';
import { NO_AUDIT, type AuditAppender } from '../audit/run-events';

export interface ExperimentRow {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  last_update_time: number;
  tags: { key: string; value: string }[];
}

export type ViewTypeName = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export function lifecycleFilter(view: ViewTypeName, column: string): string {
  if (view === 'ACTIVE_ONLY') return `${column} = 'active'`;
  if (view === 'DELETED_ONLY') return `${column} = 'deleted'`;
  return 'TRUE';
}

export class ExperimentRepository {
  /**
   * `onRunsChanged` is told when an experiment's delete or restore changed its runs' lifecycle too;
   * `audit` appends each mutation's event inside its transaction (native/audit).
   */
  constructor(
    private readonly db: Database,
    private readonly onRunsChanged: () => void = () => undefined,
    private readonly audit: AuditAppender = NO_AUDIT,
  ) {}

  async ensureDefault(): Promise<void> {
    const rows = await queryRows(this.db.reader, `SELECT 1 FROM experiments WHERE experiment_id = '0'`);
    if (rows.length > 0) return;
    const now = Date.now();
    await inTransaction(this.db, (con) =>
      exec(con, `INSERT INTO experiments VALUES ('0', 'Default', 'mlflow-artifacts:/0', 'active', ?, ?) ON CONFLICT DO NOTHING`, [now, now]),
    );
  }

  async create(name: string, artifactLocation: string | undefined, tags: { key: string; value: string }[]): Promise<string> {
    return inTransaction(this.db, async (con) => {
      const dup = await queryRows(con, 'SELECT experiment_id FROM experiments WHERE name = ?', [name]);
      if (dup.length > 0) {
        throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists.`);
      }
      const [row] = await queryRows<{ n: number | null }>(con, 'SELECT max(CAST(experiment_id AS BIGINT)) AS n FROM experiments');
      const id = String((row?.n ?? 0) + 1);
      const now = Date.now();
      await exec(con, 'INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?)', [id, name, artifactLocation || `mlflow-artifacts:/${id}`, 'active', now, now]);
      for (const t of tags) await exec(con, 'INSERT OR REPLACE INTO experiment_tags VALUES (?, ?, ?)', [id, t.key, t.value]);
      await this.audit.append(con, {
        action: 'experiment.create',
        target: { kind: 'experiment', id },
        details: { name, artifact_location: artifactLocation || `mlflow-artifacts:/${id}`, tags: Object.fromEntries(tags.map((t) => [t.key, t.value])) },
      });
      return id;
    });
  }

  async get(id: string): Promise<ExperimentRow | null> {
    const rows = await queryRows<Omit<ExperimentRow, 'tags'>>(this.db.reader, 'SELECT * FROM experiments WHERE experiment_id = ?', [id]);
    return rows[0] ? this.withTags(rows[0]) : null;
  }

  async mustGet(id: string): Promise<ExperimentRow> {
    const e = await this.get(id);
    if (!e) throw notFound(`No Experiment with id=${id} exists`);
    return e;
  }

  /** Prefers an active experiment of that name, as MLflow's get-by-name does. */
  async getByName(name: string): Promise<ExperimentRow | null> {
    const rows = await queryRows<Omit<ExperimentRow, 'tags'>>(
      this.db.reader,
      `SELECT * FROM experiments WHERE name = ? ORDER BY lifecycle_stage = 'active' DESC LIMIT 1`,
      [name],
    );
    return rows[0] ? this.withTags(rows[0]) : null;
  }

  async search(opts: { view: ViewTypeName; where: string; params: (string | number)[]; orderBy: string; limit: number; offset: number }): Promise<ExperimentRow[]> {
    const rows = await queryRows<Omit<ExperimentRow, 'tags'>>(
      this.db.reader,
      `SELECT * FROM experiments e WHERE ${lifecycleFilter(opts.view, 'e.lifecycle_stage')} AND (${opts.where})
       ORDER BY ${opts.orderBy} LIMIT ? OFFSET ?`,
      [...opts.params, opts.limit, opts.offset],
    );
    return Promise.all(rows.map((r) => this.withTags(r)));
  }

  async setLifecycle(id: string, stage: 'active' | 'deleted'): Promise<void> {
    const e = await this.mustGet(id);
    if (id === '0' && stage === 'deleted') throw invalidParam('Cannot delete the default experiment (id=0).');
    if (stage === 'active' && e.lifecycle_stage === 'active') return;
    if (stage === 'deleted' && e.lifecycle_stage === 'deleted') return;
    await inTransaction(this.db, async (con) => {
      const now = Date.now();
      await exec(con, 'UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?', [stage, now, id]);
      // MLflow marks the experiment's runs deleted with it, and restores them with it. The event
      // names those runs, so each run's history shows why it disappeared or came back.
      const affected = await queryRows<{ run_id: string }>(
        con,
        stage === 'deleted'
          ? `SELECT run_id FROM runs WHERE experiment_id = ? AND lifecycle_stage = 'active' ORDER BY run_id`
          : `SELECT run_id FROM runs WHERE experiment_id = ? AND delete_reason = 'experiment deleted' ORDER BY run_id`,
        [id],
      );
      await this.audit.append(con, {
        action: stage === 'deleted' ? 'experiment.delete' : 'experiment.restore',
        target: { kind: 'experiment', id },
        details: { name: e.name, run_ids: affected.map((r) => r.run_id) },
      });
      if (stage === 'deleted') {
        await exec(con, `UPDATE runs SET lifecycle_stage = 'deleted', deleted_at = ?, delete_reason = 'experiment deleted' WHERE experiment_id = ? AND lifecycle_stage = 'active'`, [now, id]);
      } else {
        await exec(con, `UPDATE runs SET lifecycle_stage = 'active', deleted_at = NULL, deleted_by = NULL, delete_reason = NULL WHERE experiment_id = ? AND delete_reason = 'experiment deleted'`, [id]);
      }
    });
    this.onRunsChanged();
  }

  async rename(id: string, newName: string): Promise<void> {
    const e = await this.mustGet(id);
    if (e.lifecycle_stage !== 'active') throw invalidParam('Cannot rename a non-active experiment.');
    await inTransaction(this.db, async (con) => {
      const dup = await queryRows(con, 'SELECT 1 FROM experiments WHERE name = ? AND experiment_id <> ?', [newName, id]);
      if (dup.length > 0) throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${newName}) already exists.`);
      await exec(con, 'UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?', [newName, Date.now(), id]);
      if (newName !== e.name) await this.audit.append(con, { action: 'experiment.rename', target: { kind: 'experiment', id }, details: { from: e.name, to: newName } });
    });
  }

  async setTag(id: string, key: string, value: string): Promise<void> {
    const e = await this.mustGet(id);
    if (e.lifecycle_stage !== 'active') throw invalidParam(`The experiment ${id} must be in the 'active' state. Current state is ${e.lifecycle_stage}.`);
    await inTransaction(this.db, async (con) => {
      await exec(con, 'INSERT OR REPLACE INTO experiment_tags VALUES (?, ?, ?)', [id, key, value]);
      const previous = e.tags.find((t) => t.key === key)?.value ?? null;
      if (previous !== value) await this.audit.append(con, { action: 'experiment.tag.set', target: { kind: 'experiment', id }, details: { key, value, previous } });
    });
  }

  async deleteTag(id: string, key: string): Promise<void> {
    const e = await this.mustGet(id);
    const previous = e.tags.find((t) => t.key === key)?.value;
    await inTransaction(this.db, async (con) => {
      await exec(con, 'DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?', [id, key]);
      if (previous !== undefined) await this.audit.append(con, { action: 'experiment.tag.delete', target: { kind: 'experiment', id }, details: { key, previous } });
    });
  }

  private async withTags(row: Omit<ExperimentRow, 'tags'>): Promise<ExperimentRow> {
    const tags = await queryRows<{ key: string; value: string }>(
      this.db.reader,
      'SELECT key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY key',
      [row.experiment_id],
    );
    return { ...row, tags };
  }
}
