// Datasets a run used: the fingerprint (digest, size, location), the profile (by the server when it
// can read the file, else as the client computed it), and the run ↔ dataset link. A dataset name
// that an earlier run used with another digest is flagged: the data changed under the same name.
import type { Core } from '../core';
import type { DatasetProvenance } from '../api/contract';
import { invalidParam } from '../mlflow/errors';
import { type Fields, optInt64, optString } from '../mlflow/request-fields';
import { exec, inTransaction, queryRows } from '../store/open-database';
import { type ColumnInfo, type DatasetFormat, localPath, profileDataset, schemaChecksum } from './dataset-profile';
import { json } from './provenance-store';

export interface DatasetInputRecord {
  name: string;
  uri: string;
  digest: string;
  size: number | null;
  context: string | null;
  clientProfile: { format: DatasetFormat | null; columns: ColumnInfo[]; rows: number | null; null_counts: Record<string, number> } | null;
}

function bounded(f: Fields, name: string, max: number, required = false): string | null {
  const v = optString(f, name);
  if ((v === undefined || v === '') && required) throw invalidParam(`Missing value for required parameter '${name}'.`);
  if (v !== undefined && v.length > max) throw invalidParam(`Dataset ${name} exceeds the maximum length of ${max} characters.`);
  return v || null;
}

function decodeClientProfile(v: unknown): DatasetInputRecord['clientProfile'] {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParam(`Invalid value for 'profile': expected an object.`);
  const p = v as Fields;
  const columns = Array.isArray(p.columns)
    ? p.columns.slice(0, 10_000).map((c) => ({ name: String((c as Fields)?.name ?? ''), type: String((c as Fields)?.type ?? '') }))
    : [];
  const nulls: Record<string, number> = {};
  if (p.null_counts && typeof p.null_counts === 'object') {
    for (const [k, n] of Object.entries(p.null_counts as Fields)) if (typeof n === 'number' && Number.isFinite(n)) nulls[k] = n;
  }
  const format = p.format === 'parquet' || p.format === 'csv' ? p.format : null;
  return { format, columns, rows: optInt64(p, 'rows') ?? null, null_counts: nulls };
}

export function decodeDatasetInput(input: Fields): DatasetInputRecord {
  const digest = bounded(input, 'digest', 200, true)!;
  return {
    name: bounded(input, 'name', 500, true)!,
    uri: bounded(input, 'uri', 65535, true)!,
    digest,
    size: optInt64(input, 'size_bytes') ?? null,
    context: bounded(input, 'context', 500),
    clientProfile: decodeClientProfile(input.profile),
  };
}

/** Profiles (when it can), stores the dataset and links it to the run; returns what `runs show` shows. */
export async function logDataset(core: Core, runId: string, d: DatasetInputRecord): Promise<DatasetProvenance> {
  await core.runs.assertWritable(runId);
  const outcome = await profileDataset(core.db.instance, d.uri);
  let profile = d.clientProfile;
  let profiledBy: 'server' | 'client' | null = profile ? 'client' : null;
  let note: string | null = null;
  if (outcome.ok && d.size !== null && outcome.size !== d.size) {
    // The file changed between the client hashing it and us reading it: our profile would describe other bytes.
    note = `the file on the server is ${outcome.size} bytes, not the ${d.size} the client hashed`;
  } else if (outcome.ok) {
    profile = outcome.profile;
    profiledBy = 'server';
  } else note = outcome.reason;
  const columns = profile && profile.columns.length > 0 ? profile.columns : null;
  const mlflowProfile = profile ? JSON.stringify({ num_rows: profile.rows, null_counts: profile.null_counts, format: profile.format, profiled_by: profiledBy }) : '';
  await inTransaction(core.db, async (con) => {
    const [existing] = await queryRows<{ profiled_by: string | null }>(con, 'SELECT profiled_by FROM datasets WHERE name = ? AND digest = ?', [d.name, d.digest]);
    // Same name and digest means the same bytes: keep a server profile over a later client-only one.
    const keepOld = existing && existing.profiled_by === 'server' && profiledBy !== 'server';
    if (!keepOld) {
      await exec(
        con,
        `INSERT INTO datasets (digest, name, source_type, source, schema, profile, schema_sha256, rows, null_counts, size_bytes, columns, profiled_by, profile_note, format, first_seen)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (name, digest) DO UPDATE SET source = excluded.source, source_type = excluded.source_type, schema = excluded.schema,
           profile = excluded.profile, schema_sha256 = excluded.schema_sha256, rows = excluded.rows, null_counts = excluded.null_counts,
           size_bytes = coalesce(excluded.size_bytes, datasets.size_bytes), columns = excluded.columns, profiled_by = excluded.profiled_by,
           profile_note = excluded.profile_note, format = excluded.format`,
        [
          d.digest, d.name, localPath(d.uri) ? 'local' : (/^([a-z][a-z0-9+.-]*):/i.exec(d.uri)?.[1] ?? 'local'), d.uri,
          columns ? JSON.stringify({ columns }) : '', mlflowProfile, columns ? schemaChecksum(columns) : null, profile?.rows ?? null,
          profile ? JSON.stringify(profile.null_counts) : null, d.size, columns ? JSON.stringify(columns) : null, profiledBy, note,
          profile?.format ?? null, Date.now(),
        ],
      );
    }
    const tags = d.context ? [{ key: 'mlflow.data.context', value: d.context }] : [];
    await exec(
      con,
      `INSERT INTO run_inputs VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, dataset_name, dataset_digest) DO UPDATE SET tags = excluded.tags, context = excluded.context`,
      [runId, d.name, d.digest, JSON.stringify(tags), d.context],
    );
    await exec(con, 'UPDATE runs SET last_activity = ?, interrupted_at = NULL WHERE run_id = ?', [Date.now(), runId]);
  });
  const all = await loadDatasets(core, runId);
  return all.find((x) => x.name === d.name && x.digest === d.digest)!;
}

type Row = Record<string, unknown>;


/** The run's datasets, each with the digest an earlier run used under the same name, if it differs. */
export async function loadDatasets(core: Core, runId: string): Promise<DatasetProvenance[]> {
  const earlier = (col: string): string => `(
    SELECT ${col} FROM run_inputs i2 JOIN runs r2 ON r2.run_id = i2.run_id
    WHERE i2.dataset_name = i.dataset_name AND i2.dataset_digest <> i.dataset_digest AND i2.run_id <> i.run_id AND r2.start_time <= r.start_time
    ORDER BY r2.start_time DESC, i2.run_id LIMIT 1)`;
  const rows = await queryRows<Row>(
    core.db.reader,
    `SELECT i.dataset_name AS name, i.dataset_digest AS digest, i.context, d.source, d.size_bytes, d.format, d.rows, d.columns,
            d.null_counts, d.schema_sha256, d.profiled_by, d.profile_note,
            ${earlier('i2.dataset_digest')} AS previous_digest, ${earlier('i2.run_id')} AS previous_run_id
     FROM run_inputs i JOIN runs r ON r.run_id = i.run_id
     LEFT JOIN datasets d ON d.name = i.dataset_name AND d.digest = i.dataset_digest
     WHERE i.run_id = ? ORDER BY i.dataset_name, i.dataset_digest`,
    [runId],
  );
  return rows.map((r) => ({
    name: String(r.name),
    digest: String(r.digest),
    source: r.source === null || r.source === undefined ? '' : String(r.source),
    context: (r.context as string | null) ?? null,
    size_bytes: r.size_bytes === null || r.size_bytes === undefined ? null : Number(r.size_bytes),
    format: (r.format as DatasetProvenance['format']) ?? null,
    rows: r.rows === null || r.rows === undefined ? null : Number(r.rows),
    columns: json<ColumnInfo[] | null>(r.columns, null),
    null_counts: json<Record<string, number> | null>(r.null_counts, null),
    schema_sha256: (r.schema_sha256 as string | null) ?? null,
    profiled_by: (r.profiled_by as DatasetProvenance['profiled_by']) ?? null,
    profile_note: (r.profile_note as string | null) ?? null,
    digest_changed: r.previous_digest !== null && r.previous_digest !== undefined,
    previous_digest: (r.previous_digest as string | null) ?? null,
    previous_run_id: (r.previous_run_id as string | null) ?? null,
  }));
}
