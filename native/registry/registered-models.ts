// Registered models: create, read (with tags, aliases and the newest version per stage), rename
// (carrying versions, tags and aliases along), update, delete, search, tags and aliases.
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Database, exec, inTransaction, queryRows } from '../store/open-database';
import { invalidParam, MlflowError, notFound } from '../mlflow/errors';
import type { KeyValue } from '../store/run-repository';
import { ModelVersions } from './model-versions';
import type { ModelVersion, RegisteredModel, SearchSql } from './registry-types';

type ModelRow = Pick<RegisteredModel, 'name' | 'creation_timestamp' | 'last_updated_timestamp' | 'user_id' | 'description'>;

export const modelNotFound = (name: string): MlflowError => notFound(`Registered Model with name=${name} not found`);

/** MLflow's `_validate_model_name`, plus a length cap so a name always fits a URI and a file name. */
export function validateModelName(name: unknown, field = 'name'): string {
  if (name === undefined || name === null || name === '') throw invalidParam('Registered model name cannot be empty.');
  if (typeof name !== 'string') throw invalidParam(`Invalid value ${JSON.stringify(name)} for parameter '${field}' supplied: expected a string.`);
  if (name.length > 1000) throw invalidParam('Registered model name exceeds the maximum length of 1000 characters.');
  return name;
}

const ALIAS = /^[\w-]*$/;

/** MLflow's `_validate_model_alias_name`. */
export function validateAlias(alias: unknown): string {
  if (alias === undefined || alias === null || alias === '') throw invalidParam('Registered model alias name cannot be empty.');
  if (typeof alias !== 'string' || !ALIAS.test(alias)) {
    throw invalidParam(`Invalid alias name: '${String(alias)}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`);
  }
  if (alias.length > 255) throw invalidParam('Registered model alias name exceeds the maximum length of 255 characters.');
  if (alias.toLowerCase() === 'latest') throw invalidParam("'latest' alias name (case insensitive) is reserved.");
  if (/^[vV]\d+$/.test(alias)) throw invalidParam(`Version alias name '${alias}' is reserved.`);
  return alias;
}

export class RegisteredModels {
  readonly versions: ModelVersions;

  constructor(private readonly db: Database) {
    this.versions = new ModelVersions(db);
  }

  private async hydrate(rows: ModelRow[], con: DuckDBConnection = this.db.reader): Promise<RegisteredModel[]> {
    if (rows.length === 0) return [];
    const names = rows.map((r) => r.name);
    const marks = names.map(() => '?').join(', ');
    const [tags, aliases, latest] = await Promise.all([
      queryRows<{ name: string; key: string; value: string }>(con, `SELECT * FROM registered_model_tags WHERE name IN (${marks}) ORDER BY key`, names),
      queryRows<{ name: string; alias: string; version: number }>(con, `SELECT * FROM registered_model_aliases WHERE name IN (${marks}) ORDER BY alias`, names),
      this.versions.latest(names, [], con),
    ]);
    return rows.map((r) => ({
      ...r,
      tags: tags.filter((t) => t.name === r.name).map((t) => ({ key: t.key, value: t.value })),
      aliases: aliases.filter((a) => a.name === r.name).map((a) => ({ alias: a.alias, version: a.version })),
      latest_versions: latest.filter((v: ModelVersion) => v.name === r.name),
    }));
  }

  async get(name: string, con: DuckDBConnection = this.db.reader): Promise<RegisteredModel | null> {
    const rows = await queryRows<ModelRow>(con, 'SELECT * FROM registered_models WHERE name = ?', [name]);
    return rows[0] ? (await this.hydrate(rows, con))[0] : null;
  }

  async mustGet(name: string, con?: DuckDBConnection): Promise<RegisteredModel> {
    const m = await this.get(name, con);
    if (!m) throw modelNotFound(name);
    return m;
  }

  async create(name: string, tags: KeyValue[], description: string | null, userId: string | null): Promise<RegisteredModel> {
    return inTransaction(this.db, async (con) => {
      if ((await queryRows(con, 'SELECT 1 FROM registered_models WHERE name = ?', [name])).length > 0) {
        throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`);
      }
      const now = Date.now();
      await exec(con, 'INSERT INTO registered_models VALUES (?, ?, ?, ?, ?)', [name, now, now, userId, description]);
      for (const t of tags) await exec(con, 'INSERT OR REPLACE INTO registered_model_tags VALUES (?, ?, ?)', [name, t.key, t.value]);
      return this.mustGet(name, con);
    });
  }

  async rename(name: string, newName: string): Promise<RegisteredModel> {
    return inTransaction(this.db, async (con) => {
      await this.mustGet(name, con);
      if (newName !== name && (await queryRows(con, 'SELECT 1 FROM registered_models WHERE name = ?', [newName])).length > 0) {
        throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${newName}) already exists.`);
      }
      for (const table of ['registered_models', 'registered_model_tags', 'model_versions', 'model_version_tags', 'registered_model_aliases']) {
        await exec(con, `UPDATE ${table} SET name = ? WHERE name = ?`, [newName, name]);
      }
      await exec(con, 'UPDATE registered_models SET last_updated_timestamp = ? WHERE name = ?', [Date.now(), newName]);
      return this.mustGet(newName, con);
    });
  }

  async update(name: string, description: string | null): Promise<RegisteredModel> {
    return inTransaction(this.db, async (con) => {
      await this.mustGet(name, con);
      await exec(con, 'UPDATE registered_models SET description = ?, last_updated_timestamp = ? WHERE name = ?', [description, Date.now(), name]);
      return this.mustGet(name, con);
    });
  }

  /** Removes the model with its versions, tags and aliases (MLflow deletes them too). */
  async delete(name: string): Promise<void> {
    await inTransaction(this.db, async (con) => {
      await this.mustGet(name, con);
      for (const table of ['registered_model_tags', 'model_version_tags', 'registered_model_aliases', 'model_versions', 'registered_models']) {
        await exec(con, `DELETE FROM ${table} WHERE name = ?`, [name]);
      }
    });
  }

  async search(q: SearchSql): Promise<RegisteredModel[]> {
    const rows = await queryRows<ModelRow>(this.db.reader, `SELECT * FROM registered_models m WHERE ${q.where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`, [...q.params, q.limit, q.offset]);
    return this.hydrate(rows);
  }

  async setTag(name: string, tag: KeyValue): Promise<void> {
    await inTransaction(this.db, async (con) => {
      await this.mustGet(name, con);
      await exec(con, 'INSERT OR REPLACE INTO registered_model_tags VALUES (?, ?, ?)', [name, tag.key, tag.value]);
    });
  }

  async deleteTag(name: string, key: string): Promise<void> {
    await inTransaction(this.db, async (con) => {
      await this.mustGet(name, con);
      await exec(con, 'DELETE FROM registered_model_tags WHERE name = ? AND key = ?', [name, key]);
    });
  }

  /** Points `alias` at a version (moving it if it pointed elsewhere). */
  async setAlias(name: string, alias: string, version: number): Promise<void> {
    await inTransaction(this.db, async (con) => {
      await this.versions.mustGet(name, version, con);
      await exec(con, 'INSERT OR REPLACE INTO registered_model_aliases VALUES (?, ?, ?)', [name, alias, version]);
    });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await inTransaction(this.db, async (con) => {
      await this.mustGet(name, con);
      await exec(con, 'DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?', [name, alias]);
    });
  }

  async versionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const [row] = await queryRows<{ version: number }>(this.db.reader, 'SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?', [name, alias]);
    // MLflow's SQL store answers 400 INVALID_PARAMETER_VALUE (not 404) for an unknown alias; same here,
    // so code that branches on the error code behaves as against MLflow.
    if (!row) throw invalidParam(`Registered model alias ${alias} not found.`);
    return this.versions.mustGet(name, row.version);
  }

  /** Every model (for the UI list), newest change first. */
  async all(): Promise<RegisteredModel[]> {
    const rows = await queryRows<ModelRow>(this.db.reader, 'SELECT * FROM registered_models ORDER BY last_updated_timestamp DESC, name');
    return this.hydrate(rows);
  }
}
