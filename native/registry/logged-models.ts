// MLflow 3 logged models: a model as a first-class object of an experiment (id `m-<32 hex>`), with
// params, tags, a status that finalize moves from PENDING to READY, and files under
// `mlflow-artifacts:/<exp>/models/<id>/artifacts`, kept in the `artifacts` table with the model id
// as owner (so the artifact store needs nothing new).
import crypto from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Database, exec, inTransaction, queryRows } from '../store/open-database';
import { invalidParam, notFound, type MlflowError } from '../mlflow/errors';
import type { KeyValue } from '../store/run-repository';
import type { LoggedModel, LoggedModelStatus, SearchSql } from './registry-types';

type LoggedModelRow = Omit<LoggedModel, 'artifact_uri' | 'params' | 'tags' | 'registrations'>;

export const LOGGED_MODEL_ID = /^m-[0-9a-f]{32}$/;

export const loggedModelUri = (experimentId: string, modelId: string): string => `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`;

export const loggedModelNotFound = (id: string): MlflowError => notFound(`Logged model with ID '${id}' not found.`);

const ADJECTIVES = ['bold', 'calm', 'clever', 'deft', 'fair', 'glad', 'keen', 'neat', 'proud', 'swift'];
const NOUNS = ['ant', 'bass', 'cat', 'deer', 'eel', 'fox', 'gnu', 'hare', 'jay', 'koi'];

export class LoggedModels {
  constructor(private readonly db: Database) {}

  private async hydrate(rows: LoggedModelRow[], con: DuckDBConnection = this.db.reader): Promise<LoggedModel[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.model_id);
    const marks = ids.map(() => '?').join(', ');
    const [params, tags, regs] = await Promise.all([
      queryRows<{ model_id: string; key: string; value: string }>(con, `SELECT * FROM logged_model_params WHERE model_id IN (${marks}) ORDER BY key`, ids),
      queryRows<{ model_id: string; key: string; value: string }>(con, `SELECT * FROM logged_model_tags WHERE model_id IN (${marks}) ORDER BY key`, ids),
      queryRows<{ model_id: string; name: string; version: number }>(
        con,
        `SELECT model_id, name, version FROM model_versions WHERE NOT deleted AND model_id IN (${marks}) ORDER BY name, version`,
        ids,
      ),
    ]);
    const pick = <T extends { model_id: string }>(list: T[], id: string): T[] => list.filter((x) => x.model_id === id);
    return rows.map((r) => ({
      ...r,
      artifact_uri: loggedModelUri(r.experiment_id, r.model_id),
      params: pick(params, r.model_id).map(({ key, value }) => ({ key, value })),
      tags: pick(tags, r.model_id).map(({ key, value }) => ({ key, value })),
      registrations: pick(regs, r.model_id).map(({ name, version }) => ({ name, version })),
    }));
  }

  async get(id: string, con: DuckDBConnection = this.db.reader): Promise<LoggedModel | null> {
    const rows = await queryRows<LoggedModelRow>(con, 'SELECT * EXCLUDE (deleted) FROM logged_models WHERE model_id = ? AND NOT deleted', [id]);
    return rows[0] ? (await this.hydrate(rows, con))[0] : null;
  }

  async mustGet(id: string, con?: DuckDBConnection): Promise<LoggedModel> {
    const m = await this.get(id, con);
    if (!m) throw loggedModelNotFound(id);
    return m;
  }

  async create(a: { experimentId: string; name: string | null; modelType: string | null; sourceRunId: string | null; params: KeyValue[]; tags: KeyValue[] }): Promise<LoggedModel> {
    const id = `m-${crypto.randomBytes(16).toString('hex')}`;
    return inTransaction(this.db, async (con) => {
      const [exp] = await queryRows<{ lifecycle_stage: string }>(con, 'SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?', [a.experimentId]);
      if (!exp) throw notFound(`No Experiment with id=${a.experimentId} exists`);
      if (exp.lifecycle_stage !== 'active') throw invalidParam(`The experiment ${a.experimentId} must be in the 'active' state. Current state is ${exp.lifecycle_stage}.`);
      if (a.sourceRunId !== null && (await queryRows(con, 'SELECT 1 FROM runs WHERE run_id = ?', [a.sourceRunId])).length === 0) {
        throw notFound(`Run '${a.sourceRunId}' not found`);
      }
      const now = Date.now();
      const pick = (list: string[]): string => list[crypto.randomInt(list.length)];
      const name = a.name || `${pick(ADJECTIVES)}-${pick(NOUNS)}-${crypto.randomInt(1000)}`;
      await exec(
        con,
        `INSERT INTO logged_models (model_id, experiment_id, name, creation_timestamp_ms, last_updated_timestamp_ms, status, model_type, source_run_id)
         VALUES (?, ?, ?, ?, ?, 'LOGGED_MODEL_PENDING', ?, ?)`,
        [id, a.experimentId, name, now, now, a.modelType, a.sourceRunId],
      );
      await this.writeParams(con, id, a.params);
      for (const t of a.tags) await exec(con, 'INSERT OR REPLACE INTO logged_model_tags VALUES (?, ?, ?)', [id, t.key, t.value]);
      return this.mustGet(id, con);
    });
  }

  /** Params are immutable, as a run's: the same value again is fine, another value is a 400. */
  private async writeParams(con: DuckDBConnection, id: string, params: KeyValue[]): Promise<void> {
    for (const p of params) {
      const [old] = await queryRows<{ value: string }>(con, 'SELECT value FROM logged_model_params WHERE model_id = ? AND key = ?', [id, p.key]);
      if (old && old.value !== p.value) {
        throw invalidParam(`Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${old.value}' for logged model ID='${id}'. Attempted logging new value '${p.value}'.`);
      }
      if (!old) await exec(con, 'INSERT INTO logged_model_params VALUES (?, ?, ?)', [id, p.key, p.value]);
    }
  }

  async logParams(id: string, params: KeyValue[]): Promise<void> {
    await inTransaction(this.db, async (con) => {
      await this.mustGet(id, con);
      await this.writeParams(con, id, params);
      await exec(con, 'UPDATE logged_models SET last_updated_timestamp_ms = ? WHERE model_id = ?', [Date.now(), id]);
    });
  }

  async finalize(id: string, status: LoggedModelStatus): Promise<LoggedModel> {
    return inTransaction(this.db, async (con) => {
      await this.mustGet(id, con);
      await exec(con, 'UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_id = ?', [status, Date.now(), id]);
      return this.mustGet(id, con);
    });
  }

  async setTags(id: string, tags: KeyValue[]): Promise<LoggedModel> {
    return inTransaction(this.db, async (con) => {
      await this.mustGet(id, con);
      for (const t of tags) await exec(con, 'INSERT OR REPLACE INTO logged_model_tags VALUES (?, ?, ?)', [id, t.key, t.value]);
      await exec(con, 'UPDATE logged_models SET last_updated_timestamp_ms = ? WHERE model_id = ?', [Date.now(), id]);
      return this.mustGet(id, con);
    });
  }

  async deleteTag(id: string, key: string): Promise<void> {
    await inTransaction(this.db, async (con) => {
      await this.mustGet(id, con);
      const gone = await queryRows(con, 'SELECT 1 FROM logged_model_tags WHERE model_id = ? AND key = ?', [id, key]);
      if (gone.length === 0) throw notFound(`No tag with key '${key}' found for logged model with ID '${id}'.`);
      await exec(con, 'DELETE FROM logged_model_tags WHERE model_id = ? AND key = ?', [id, key]);
    });
  }

  /** Soft delete: the model disappears from get and search; its files stay for versions made from it. */
  async delete(id: string): Promise<void> {
    await inTransaction(this.db, async (con) => {
      await this.mustGet(id, con);
      await exec(con, 'UPDATE logged_models SET deleted = true, last_updated_timestamp_ms = ? WHERE model_id = ?', [Date.now(), id]);
    });
  }

  async search(q: SearchSql): Promise<LoggedModel[]> {
    const rows = await queryRows<LoggedModelRow>(
      this.db.reader,
      `SELECT lm.* EXCLUDE (deleted) FROM logged_models lm WHERE NOT lm.deleted AND ${q.where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`,
      [...q.params, q.limit, q.offset],
    );
    return this.hydrate(rows);
  }

  /** Models a run produced (newest first): what promotion registers when the run logged one. */
  async ofRun(runId: string): Promise<LoggedModel[]> {
    const rows = await queryRows<LoggedModelRow>(
      this.db.reader,
      `SELECT * EXCLUDE (deleted) FROM logged_models WHERE source_run_id = ? AND NOT deleted ORDER BY creation_timestamp_ms DESC`,
      [runId],
    );
    return this.hydrate(rows);
  }
}
