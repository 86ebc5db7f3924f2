// The other half of version-export.ts: a model version that came in a bundle (issue #9) becomes a
// new version here, inside the import's transaction (so it commits or rolls back with its run).
// Version numbers are per store, so it gets the next number and keeps the origin's as a tag; the
// registered model is created only when absent (a local model's description and tags are never
// overwritten), and an alias already used here is left where it points. The JSON comes from a
// bundle, so every field is checked or coerced before it reaches SQL (always as bound parameters).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Core } from '../core';
import { exec, queryRows } from '../store/open-database';
import { artifactUri } from '../mlflow/serializers';
import type { KeyValue } from '../store/run-repository';
import { LOGGED_MODEL_ID, loggedModelUri } from './logged-models';
import { validateAlias, validateModelName } from './registered-models';
import { auditRegistryChange } from './registry-audit';
import { STAGES, type Stage } from './registry-types';

export interface VersionToImport {
  /** MLflow JSON as version-export.ts wrote it. */
  registered_model: Record<string, unknown>;
  model_version: Record<string, unknown>;
  logged_model: Record<string, unknown> | null;
  /** Where the origin kept the files; rewritten to this store's experiment where it names the run. */
  storage_location: string;
  runId: string;
  /** The experiment the source run landed in here. */
  experimentId: string;
  /** The logged model's files, already in the content-addressed store. */
  files: { path: string; sha256: string; size: number; media_type: string | null }[];
  /** Extra tags for the new version (origin version, bundle digest). */
  tags: KeyValue[];
  bundle: string;
}

export interface ImportedVersion {
  name: string;
  version: number;
  origin_version: number;
  model_created: boolean;
  /** Aliases not set because this store already uses them for another version. */
  aliases_skipped: string[];
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);
const int = (x: unknown, fallback: number): number => (typeof x === 'number' && Number.isSafeInteger(x) ? x : fallback);
const keyValues = (x: unknown): KeyValue[] =>
  (Array.isArray(x) ? x : []).filter(isObj).filter((t) => typeof t.key === 'string' && t.key !== '').map((t) => ({ key: t.key as string, value: String(t.value ?? '') }));

/** Is a logged model with this id already here? Import refuses then: ids are global, a clash means the same model twice. */
export async function loggedModelExists(con: DuckDBConnection, modelId: string): Promise<boolean> {
  return (await queryRows(con, 'SELECT 1 FROM logged_models WHERE model_id = ?', [modelId])).length > 0;
}

export async function insertImportedVersion(core: Core, con: DuckDBConnection, v: VersionToImport, now: number): Promise<ImportedVersion> {
  const name = validateModelName(v.registered_model.name);
  const mv = v.model_version;
  const originVersion = Number(mv.version);
  const modelCreated = (await queryRows(con, 'SELECT 1 FROM registered_models WHERE name = ?', [name])).length === 0;
  if (modelCreated) {
    const rm = v.registered_model;
    await exec(con, 'INSERT INTO registered_models VALUES (?, ?, ?, ?, ?)', [name, int(rm.creation_timestamp, now), now, str(rm.user_id), str(rm.description)]);
    for (const t of keyValues(rm.tags)) await exec(con, 'INSERT OR REPLACE INTO registered_model_tags VALUES (?, ?, ?)', [name, t.key, t.value]);
  }
  const modelId = await insertLoggedModel(con, v, now);
  // Deleted versions keep their rows, so max() never hands a number out twice (as ModelVersions.create).
  const [{ n }] = await queryRows<{ n: number | null }>(con, 'SELECT max(version) AS n FROM model_versions WHERE name = ?', [name]);
  const version = (n ?? 0) + 1;
  const stage: Stage = STAGES.find((s) => s === mv.current_stage) ?? 'None';
  const source = str(mv.source) ?? (modelId ? `models:/${modelId}` : `runs:/${v.runId}`);
  await exec(
    con,
    `INSERT INTO model_versions (name, version, creation_timestamp, last_updated_timestamp, user_id, current_stage, description,
       source, storage_location, run_id, run_link, model_id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'READY')`,
    [name, version, int(mv.creation_timestamp, now), now, str(mv.user_id), stage, str(mv.description), source, storageLocation(v, source, modelId), v.runId, str(mv.run_link), modelId],
  );
  for (const t of [...keyValues(mv.tags), ...v.tags]) await exec(con, 'INSERT OR REPLACE INTO model_version_tags VALUES (?, ?, ?, ?)', [name, version, t.key, t.value]);
  const skipped: string[] = [];
  for (const alias of Array.isArray(mv.aliases) ? mv.aliases : []) {
    let ok: string;
    try {
      ok = validateAlias(alias);
    } catch {
      skipped.push(String(alias));
      continue;
    }
    const taken = await queryRows(con, 'SELECT 1 FROM registered_model_aliases WHERE name = ? AND alias = ?', [name, ok]);
    if (taken.length) skipped.push(ok);
    else await exec(con, 'INSERT INTO registered_model_aliases VALUES (?, ?, ?)', [name, ok, version]);
  }
  await exec(con, 'UPDATE registered_models SET last_updated_timestamp = ? WHERE name = ?', [now, name]);
  await auditRegistryChange(core, 'model.import', name, version, { origin_version: originVersion, run_id: v.runId, stage, bundle: v.bundle, aliases_skipped: skipped }, con);
  return { name, version, origin_version: originVersion, model_created: modelCreated, aliases_skipped: skipped };
}

/** Recreates the MLflow 3 logged model under its own (global) id, in the run's experiment here, with its files. */
async function insertLoggedModel(con: DuckDBConnection, v: VersionToImport, now: number): Promise<string | null> {
  const info = isObj(v.logged_model?.info) ? v.logged_model.info : null;
  const id = str(info?.model_id);
  if (!info || !id || !LOGGED_MODEL_ID.test(id)) return null;
  if (await loggedModelExists(con, id)) throw new Error(`logged model ${id} is already in this store`);
  const status = ['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'].find((s) => s === info.status) ?? 'LOGGED_MODEL_READY';
  await exec(
    con,
    `INSERT INTO logged_models (model_id, experiment_id, name, creation_timestamp_ms, last_updated_timestamp_ms, status, status_message, model_type, source_run_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [id, v.experimentId, str(info.name) ?? id, int(info.creation_timestamp_ms, now), now, status, str(info.status_message), str(info.model_type), v.runId],
  );
  const data = isObj(v.logged_model?.data) ? v.logged_model.data : {};
  for (const p of keyValues(data.params)) await exec(con, 'INSERT OR REPLACE INTO logged_model_params VALUES (?, ?, ?)', [id, p.key, p.value]);
  for (const t of keyValues(info.tags)) await exec(con, 'INSERT OR REPLACE INTO logged_model_tags VALUES (?, ?, ?)', [id, t.key, t.value]);
  // Logged-model files are artifacts owned by the model id (logged-models.ts).
  for (const f of v.files) await exec(con, 'INSERT INTO artifacts VALUES (?, ?, ?, ?, ?, ?)', [id, f.path, f.sha256, f.size, f.media_type, now]);
  return id;
}

/** Where the files are in this store: the experiment id in the origin's URI is the origin's own. */
function storageLocation(v: VersionToImport, source: string, modelId: string | null): string {
  if (modelId) return loggedModelUri(v.experimentId, modelId);
  const run = /^runs:\/([^/]+)(?:\/(.*))?$/.exec(source);
  if (run && run[1] === v.runId) {
    const rel = (run[2] ?? '').replace(/\/+$/, '');
    return rel ? `${artifactUri(v.experimentId, v.runId)}/${rel}` : artifactUri(v.experimentId, v.runId);
  }
  const prefix = /^mlflow-artifacts:\/[^/]+\/([^/]+)\/artifacts(\/|$)/.exec(v.storage_location);
  if (prefix && prefix[1] === v.runId) return `${artifactUri(v.experimentId, v.runId)}${v.storage_location.slice(prefix[0].length - prefix[2].length)}`;
  return v.storage_location;
}
