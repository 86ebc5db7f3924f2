// Model versions: create (next number per model, never reused), read with tags and aliases, update,
// soft delete, stage transitions (with archive_existing_versions), search, tags. Every mutation runs
// in one transaction under the write lock and checks before it writes.
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Database, exec, inTransaction, queryRows, type SqlParam } from '../store/open-database';
import { invalidParam, notFound, MlflowError } from '../mlflow/errors';
import type { KeyValue } from '../store/run-repository';
import { ACTIVE_STAGES, STAGES, type ModelVersion, type SearchSql, type Stage } from './registry-types';

type VersionRow = Omit<ModelVersion, 'tags' | 'aliases'>;

export interface NewVersion {
  name: string;
  source: string;
  storageLocation: string;
  runId: string | null;
  runLink: string | null;
  modelId: string | null;
  description: string | null;
  userId: string | null;
  tags: KeyValue[];
}

/** MLflow's `get_canonical_stage`: stage names are case-insensitive on the way in. */
export function canonicalStage(stage: string): Stage {
  const s = STAGES.find((x) => x.toLowerCase() === stage.toLowerCase());
  if (!s) throw invalidParam(`Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(', ')}.`);
  return s;
}

/** MLflow's `_validate_model_version`: versions travel as strings and must read as integers. */
export function versionNumber(v: unknown): number {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^[-+]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalidParam(`Model version must be an integer, got '${typeof v === 'string' ? v : JSON.stringify(v)}'`);
  }
  return Number(text);
}

export const versionNotFound = (name: string, version: number): MlflowError =>
  notFound(`Model Version (name=${name}, version=${version}) not found`);

const LIVE = 'NOT v.deleted';

export class ModelVersions {
  constructor(private readonly db: Database) {}

  /** Full versions (tags, aliases) for rows, in the order given. */
  async hydrate(rows: VersionRow[], con: DuckDBConnection = this.db.reader): Promise<ModelVersion[]> {
    if (rows.length === 0) return [];
    const names = [...new Set(rows.map((r) => r.name))];
    const marks = names.map(() => '?').join(', ');
    const [tags, aliases] = await Promise.all([
      queryRows<{ name: string; version: number; key: string; value: string }>(con, `SELECT * FROM model_version_tags WHERE name IN (${marks}) ORDER BY key`, names),
      queryRows<{ name: string; version: number; alias: string }>(con, `SELECT * FROM registered_model_aliases WHERE name IN (${marks}) ORDER BY alias`, names),
    ]);
    const id = (n: string, v: number): string => `${n}\u0000${v}`;
    return rows.map((r) => ({
      ...r,
      tags: tags.filter((t) => id(t.name, t.version) === id(r.name, r.version)).map((t) => ({ key: t.key, value: t.value })),
      aliases: aliases.filter((a) => id(a.name, a.version) === id(r.name, r.version)).map((a) => a.alias),
    }));
  }

  async get(name: string, version: number, con: DuckDBConnection = this.db.reader): Promise<ModelVersion | null> {
    const rows = await queryRows<VersionRow>(con, `SELECT * EXCLUDE (deleted) FROM model_versions v WHERE name = ? AND version = ? AND ${LIVE}`, [name, version]);
    return rows[0] ? (await this.hydrate(rows, con))[0] : null;
  }

  async mustGet(name: string, version: number, con?: DuckDBConnection): Promise<ModelVersion> {
    const v = await this.get(name, version, con);
    if (!v) throw versionNotFound(name, version);
    return v;
  }

  /** Versions of `name` (newest first), deleted ones left out. */
  async ofModel(name: string): Promise<ModelVersion[]> {
    const rows = await queryRows<VersionRow>(this.db.reader, `SELECT * EXCLUDE (deleted) FROM model_versions v WHERE name = ? AND ${LIVE} ORDER BY version DESC`, [name]);
    return this.hydrate(rows);
  }

  /** The newest version per stage; `stages` empty means every stage (MLflow's get-latest-versions). */
  async latest(names: readonly string[], stages: readonly Stage[] = [], con: DuckDBConnection = this.db.reader): Promise<ModelVersion[]> {
    if (names.length === 0) return [];
    const params: SqlParam[] = [...names];
    let stageCond = '';
    if (stages.length > 0) {
      stageCond = `AND current_stage IN (${stages.map(() => '?').join(', ')})`;
      params.push(...stages);
    }
    const rows = await queryRows<VersionRow>(
      con,
      `SELECT * EXCLUDE (deleted, rn) FROM (
         SELECT *, row_number() OVER (PARTITION BY name, current_stage ORDER BY version DESC) AS rn
         FROM model_versions v WHERE name IN (${names.map(() => '?').join(', ')}) AND ${LIVE} ${stageCond})
       WHERE rn = 1 ORDER BY name, version`,
      params,
    );
    return this.hydrate(rows, con);
  }

  async create(a: NewVersion): Promise<ModelVersion> {
    return inTransaction(this.db, async (con) => {
      const [model] = await queryRows(con, 'SELECT name FROM registered_models WHERE name = ?', [a.name]);
      if (!model) throw notFound(`Registered Model with name=${a.name} not found`);
      // Deleted versions keep their rows, so max() never hands a number out twice.
      const [{ n }] = await queryRows<{ n: number | null }>(con, 'SELECT max(version) AS n FROM model_versions WHERE name = ?', [a.name]);
      const version = (n ?? 0) + 1;
      const now = Date.now();
      await exec(
        con,
        `INSERT INTO model_versions (name, version, creation_timestamp, last_updated_timestamp, user_id, current_stage, description,
           source, storage_location, run_id, run_link, model_id, status) VALUES (?, ?, ?, ?, ?, 'None', ?, ?, ?, ?, ?, ?, 'READY')`,
        [a.name, version, now, now, a.userId, a.description, a.source, a.storageLocation, a.runId, a.runLink, a.modelId],
      );
      for (const t of a.tags) await exec(con, 'INSERT OR REPLACE INTO model_version_tags VALUES (?, ?, ?, ?)', [a.name, version, t.key, t.value]);
      await exec(con, 'UPDATE registered_models SET last_updated_timestamp = ? WHERE name = ?', [now, a.name]);
      return this.mustGet(a.name, version, con);
    });
  }

  async update(name: string, version: number, description: string | null): Promise<ModelVersion> {
    return inTransaction(this.db, async (con) => {
      await this.mustGet(name, version, con);
      await exec(con, 'UPDATE model_versions SET description = ?, last_updated_timestamp = ? WHERE name = ? AND version = ?', [description, Date.now(), name, version]);
      return this.mustGet(name, version, con);
    });
  }

  /** Soft delete: the row stays (so the number is never reused) but its tags and aliases go. */
  async delete(name: string, version: number): Promise<void> {
    await inTransaction(this.db, async (con) => {
      await this.mustGet(name, version, con);
      await exec(con, 'UPDATE model_versions SET deleted = true, last_updated_timestamp = ? WHERE name = ? AND version = ?', [Date.now(), name, version]);
      await exec(con, 'DELETE FROM model_version_tags WHERE name = ? AND version = ?', [name, version]);
      await exec(con, 'DELETE FROM registered_model_aliases WHERE name = ? AND version = ?', [name, version]);
    });
  }

  /**
   * Moves a version to `stage`; with `archiveExisting` (Staging/Production only) the other versions
   * in that stage become Archived. Returns the version and the versions it archived.
   */
  async transition(name: string, version: number, stage: Stage, archiveExisting: boolean): Promise<{ version: ModelVersion; archived: number[] }> {
    if (archiveExisting && !ACTIVE_STAGES.includes(stage)) {
      throw invalidParam(
        `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are ${ACTIVE_STAGES.join(', ')}`,
      );
    }
    return inTransaction(this.db, async (con) => {
      await this.mustGet(name, version, con);
      const now = Date.now();
      let archived: number[] = [];
      if (archiveExisting) {
        const others = await queryRows<{ version: number }>(
          con,
          `SELECT version FROM model_versions v WHERE name = ? AND version != ? AND current_stage = ? AND ${LIVE} ORDER BY version`,
          [name, version, stage],
        );
        archived = others.map((o) => o.version);
        if (archived.length > 0) {
          await exec(con, `UPDATE model_versions SET current_stage = 'Archived', last_updated_timestamp = ? WHERE name = ? AND version IN (${archived.map(() => '?').join(', ')})`, [now, name, ...archived]);
        }
      }
      await exec(con, 'UPDATE model_versions SET current_stage = ?, last_updated_timestamp = ? WHERE name = ? AND version = ?', [stage, now, name, version]);
      await exec(con, 'UPDATE registered_models SET last_updated_timestamp = ? WHERE name = ?', [now, name]);
      return { version: await this.mustGet(name, version, con), archived };
    });
  }

  async search(q: SearchSql): Promise<ModelVersion[]> {
    const rows = await queryRows<VersionRow>(
      this.db.reader,
      `SELECT * EXCLUDE (deleted) FROM model_versions v WHERE ${LIVE} AND ${q.where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`,
      [...q.params, q.limit, q.offset],
    );
    return this.hydrate(rows);
  }

  async setTag(name: string, version: number, tag: KeyValue): Promise<void> {
    await inTransaction(this.db, async (con) => {
      await this.mustGet(name, version, con);
      await exec(con, 'INSERT OR REPLACE INTO model_version_tags VALUES (?, ?, ?, ?)', [name, version, tag.key, tag.value]);
    });
  }

  /** A key the version does not have is fine (MLflow's SQL store ignores it too). */
  async deleteTag(name: string, version: number, key: string): Promise<void> {
    await inTransaction(this.db, async (con) => {
      await this.mustGet(name, version, con);
      await exec(con, 'DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?', [name, version, key]);
    });
  }

  /** The number the next version of `name` gets (1 for a model that does not exist yet). */
  async nextNumber(name: string): Promise<number> {
    const [{ n }] = await queryRows<{ n: number | null }>(this.db.reader, 'SELECT max(version) AS n FROM model_versions WHERE name = ?', [name]);
    return (n ?? 0) + 1;
  }

  /** Numbers of the live versions now in `stage`. */
  async inStage(name: string, stage: Stage): Promise<number[]> {
    const rows = await queryRows<{ version: number }>(this.db.reader, `SELECT version FROM model_versions v WHERE name = ? AND current_stage = ? AND ${LIVE} ORDER BY version`, [name, stage]);
    return rows.map((r) => r.version);
  }

  /** Versions made from a run (for "reuse its version" in promotion and the UI's lineage). */
  async ofRun(name: string, runId: string): Promise<ModelVersion[]> {
    const rows = await queryRows<VersionRow>(this.db.reader, `SELECT * EXCLUDE (deleted) FROM model_versions v WHERE name = ? AND run_id = ? AND ${LIVE} ORDER BY version DESC`, [name, runId]);
    return this.hydrate(rows);
  }
}
