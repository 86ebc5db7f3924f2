// Profiles a Parquet or CSV dataset with DuckDB when the file is readable from the server's machine:
// column names and types, a schema checksum, the row count and the null count of every column. The
// checksum is computed here from the column list whoever profiled it, so a client's profile and the
// server's are summed the same way.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';

export type DatasetFormat = 'parquet' | 'csv';

export interface ColumnInfo {
  name: string;
  type: string;
}

export interface DatasetProfile {
  format: DatasetFormat;
  columns: ColumnInfo[];
  rows: number;
  null_counts: Record<string, number>;
  schema_sha256: string;
}

export type ProfileOutcome = { ok: true; profile: DatasetProfile; size: number } | { ok: false; reason: string };

/** A full scan of a bigger file would hold the request for minutes; the client's profile is used instead. */
export const MAX_PROFILE_BYTES = 4 * 1024 ** 3;

export function schemaChecksum(columns: readonly ColumnInfo[]): string {
  return crypto.createHash('sha256').update(JSON.stringify(columns.map((c) => [c.name, c.type]))).digest('hex');
}

export function formatOf(file: string): DatasetFormat | null {
  const lower = file.toLowerCase();
  if (/\.(parquet|pq)$/.test(lower)) return 'parquet';
  if (/\.(csv|tsv)(\.gz|\.zst)?$/.test(lower)) return 'csv';
  return null;
}

/** `file:///x` and plain absolute paths are local; `s3://`, `http://` and the like are not ours to open. */
export function localPath(uri: string): string | null {
  if (uri.startsWith('file://')) {
    try {
      return new URL(uri).pathname;
    } catch {
      return null;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return null;
  return path.isAbsolute(uri) ? uri : null;
}

/** What a directory dataset holds, when it is one format throughout (a partitioned Parquet folder). */
function directoryFormat(dir: string): DatasetFormat | null {
  const formats = new Set<DatasetFormat | null>();
  const walk = (d: string, depth: number): void => {
    if (depth > 8 || formats.size > 1) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue; // _SUCCESS, .crc files
      if (e.isDirectory()) walk(path.join(d, e.name), depth + 1);
      else if (e.isFile()) formats.add(formatOf(e.name));
    }
  };
  walk(dir, 0);
  return formats.size === 1 ? [...formats][0] : null;
}

function sizeOf(p: string, stat: fs.Stats): number {
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const e of fs.readdirSync(p, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += fs.statSync(path.join(e.parentPath, e.name)).size;
  }
  return total;
}

export async function profileDataset(instance: DuckDBInstance, uri: string, maxBytes = MAX_PROFILE_BYTES): Promise<ProfileOutcome> {
  const file = localPath(uri);
  if (file === null) return { ok: false, reason: 'not a local path' };
  // DuckDB expands glob characters in file names; a path holding them could read other files.
  if (/[*?[\]{}]/.test(file)) return { ok: false, reason: 'the path contains glob characters' };
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return { ok: false, reason: 'not readable from the server' };
  const format = stat.isDirectory() ? directoryFormat(file) : stat.isFile() ? formatOf(file) : null;
  if (format === null) return { ok: false, reason: 'not a Parquet or CSV file (or a folder of one of them)' };
  const size = sizeOf(file, stat);
  if (size > maxBytes) return { ok: false, reason: `${size} bytes is over the server's inline profiling limit of ${maxBytes}` };
  const source = stat.isDirectory() ? path.join(file, format === 'parquet' ? '**/*.parquet' : '**/*.csv') : file;
  const reader = format === 'parquet' ? 'read_parquet($1)' : 'read_csv($1)';
  // A connection of its own: a long scan must not hold up the reader that serves the UI.
  const con = await instance.connect();
  try {
    const described = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`, [source])).getRowObjects();
    const columns = described.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    // COLUMNS(*) expands to one null count per column, in DESCRIBE's order, without quoting names.
    const [row] = (await con.runAndReadAll(`SELECT count(*), count(*) - count(COLUMNS(*)) FROM ${reader}`, [source])).getRows();
    const nullCounts: Record<string, number> = {};
    columns.forEach((c, i) => (nullCounts[c.name] = Number(row[i + 1])));
    return { ok: true, size, profile: { format, columns, rows: Number(row[0]), null_counts: nullCounts, schema_sha256: schemaChecksum(columns) } };
  } catch (err) {
    return { ok: false, reason: `DuckDB could not read it: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    con.closeSync();
  }
}
