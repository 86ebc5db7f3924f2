// Import side of model versions in a bundle (issue #9): read the records verify already checked,
// refuse clashes before anything is written, move the logged models' staged files into the
// content-addressed store, then (inside import's transaction) create the registry rows through
// native/registry/version-import.ts. Undo removes what a failed import created.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core';
import { exec, inTransaction, type Database } from '../store/open-database';
import type { DuckDBConnection } from '@duckdb/node-api';
import { insertImportedVersion, loggedModelExists, type ImportedVersion } from '../registry/version-import';
import { modelRecordsOf, ORIGIN_BUNDLE_TAG, ORIGIN_VERSION_TAG, type ModelRecord } from './model-record';
import type { VerifiedBundle } from './verify-bundle';

export interface ModelImport {
  runId: string;
  record: ModelRecord;
  files: { path: string; sha256: string; size: number; media_type: string | null }[];
}

/** The records of every run in the bundle (verify parsed them once already, so this does not fail on a valid bundle). */
export function modelImportsOf(v: VerifiedBundle): ModelImport[] {
  return [...v.runPrefixes].flatMap(([runId, prefix]) => modelRecordsOf(v.small, prefix).map(({ record }) => ({ runId, record, files: [] })));
}

/** Why these versions cannot come in (a logged model id that is already here), or null. */
export async function modelConflict(db: Database, models: readonly ModelImport[]): Promise<string | null> {
  for (const m of models) {
    const info = m.record.logged_model?.info as Record<string, unknown> | undefined;
    const id = typeof info?.model_id === 'string' ? info.model_id : null;
    if (id && (await loggedModelExists(db.reader, id))) return `conflict: logged model ${id} (of ${String(m.record.model_version.name)} version ${String(m.record.model_version.version)}) is already in this store`;
  }
  return null;
}

/** A staged file into the content-addressed store, re-hashed first: import never trusts a digest it did not compute. */
export function storeStagedBlob(core: Core, staged: string, expected: string, what: string): { sha256: string; size: number } {
  const sha = crypto.createHash('sha256').update(fs.readFileSync(staged)).digest('hex');
  if (sha !== expected) throw new Error(`${what}: the bundle's record says ${expected}, the file is ${sha}`);
  const dest = core.artifacts.blobPath(sha);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (!fs.existsSync(dest)) fs.renameSync(staged, dest);
  return { sha256: sha, size: fs.statSync(dest).size };
}

/** Before the transaction: the logged models' files into the blob store (an unreferenced blob is harmless). */
export function storeModelFiles(core: Core, v: VerifiedBundle, models: ModelImport[]): void {
  for (const m of models) {
    const prefix = v.runPrefixes.get(m.runId)!;
    for (const f of m.record.files) {
      const staged = v.staged.get(`${prefix}${f.bag_path}`);
      if (!staged) throw new Error(`${String(m.record.model_version.name)} version ${String(m.record.model_version.version)} lists ${f.bag_path}, which was not staged`);
      m.files.push({ path: f.path, ...storeStagedBlob(core, staged, f.sha256, `model file ${f.path}`), media_type: null });
    }
  }
}

/** Inside import's transaction, after the runs: one new version per record. */
export async function insertModelVersions(core: Core, con: DuckDBConnection, models: readonly ModelImport[], experimentOf: (runId: string) => string, digest: string, now: number): Promise<ImportedVersion[]> {
  const out: ImportedVersion[] = [];
  for (const m of models) {
    out.push(await insertImportedVersion(core, con, {
      registered_model: m.record.registered_model,
      model_version: m.record.model_version,
      logged_model: m.record.logged_model,
      storage_location: m.record.storage_location,
      runId: m.runId,
      experimentId: experimentOf(m.runId),
      files: m.files,
      tags: [{ key: ORIGIN_VERSION_TAG, value: String(m.record.model_version.version) }, { key: ORIGIN_BUNDLE_TAG, value: digest }],
      bundle: digest,
    }, now));
  }
  return out;
}

/** Undo after a failure past the transaction: the versions, models created for them, and logged models. */
export async function removeModelVersions(db: Database, models: readonly ModelImport[], imported: readonly ImportedVersion[]): Promise<void> {
  await inTransaction(db, async (con) => {
    for (const i of imported) {
      for (const t of ['model_version_tags', 'registered_model_aliases', 'model_versions']) await exec(con, `DELETE FROM ${t} WHERE name = ? AND version = ?`, [i.name, i.version]);
      if (i.model_created) for (const t of ['registered_model_tags', 'registered_models']) await exec(con, `DELETE FROM ${t} WHERE name = ?`, [i.name]);
    }
    for (const m of models) {
      const id = (m.record.logged_model?.info as Record<string, unknown> | undefined)?.model_id;
      if (typeof id !== 'string') continue;
      for (const t of ['logged_model_params', 'logged_model_tags', 'logged_models']) await exec(con, `DELETE FROM ${t} WHERE model_id = ?`, [id]);
      await exec(con, 'DELETE FROM artifacts WHERE run_id = ?', [id]);
    }
  }).catch(() => undefined);
}
