// `artifacts.preview` (what the run detail's artifact browser shows) and `datasets.history`. The kind
// of preview follows the artifact's extension; nothing here trusts the media type a client sent.
// Tables (Parquet, CSV) are read through DuckDB on a connection of its own, capped in rows; text is
// capped in bytes; images are not read at all: the page loads them from the raw route, whose
// headers keep an SVG from ever running script (native/server/artifact-raw.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { ApiHandlers, ArtifactPreview, DatasetUse } from './contract';
import type { Core } from '../core';
import { invalidParam, notFound } from '../mlflow/errors';
import { queryRows } from '../store/open-database';

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};
const TEXT_KINDS: Readonly<Record<string, 'json' | 'markdown' | 'diff'>> = { '.json': 'json', '.md': 'markdown', '.markdown': 'markdown', '.diff': 'diff', '.patch': 'diff' };
const TABLE_READERS: Readonly<Record<string, string>> = { '.parquet': 'read_parquet($1)', '.csv': 'read_csv($1)', '.tsv': "read_csv($1, delim = '\t')" };

const DEFAULT_BYTES = 256 * 1024;
const MAX_BYTES = 4 * 1024 * 1024;
const DEFAULT_ROWS = 100;
const MAX_ROWS = 1000;
/** Counting a CSV's rows is a full scan: only for files this small. */
const COUNT_CSV_BELOW = 64 * 1024 * 1024;

/** The media type the raw route serves an artifact with, or null when it is not a previewable image. */
export function imageType(artifactPath: string): string | null {
  return IMAGE_TYPES[path.posix.extname(artifactPath).toLowerCase()] ?? null;
}

/** Same-origin URL of an image artifact's bytes (served by native/server/artifact-raw.ts). */
export function rawArtifactUrl(runId: string, artifactPath: string): string {
  return `/api/artifacts/raw?run=${encodeURIComponent(runId)}&path=${encodeURIComponent(artifactPath)}`;
}

function readHead(file: string, maxBytes: number): { bytes: Buffer; truncated: boolean } {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const bytes = Buffer.alloc(Math.min(size, maxBytes));
    const n = fs.readSync(fd, bytes, 0, bytes.length, 0);
    return { bytes: bytes.subarray(0, n), truncated: size > n };
  } finally {
    fs.closeSync(fd);
  }
}

/** `bytes` without a UTF-8 sequence that the byte cap cut in half at its end. */
export function withoutCutCharacter(bytes: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.subarray(0, bytes.length - back) : bytes;
  }
  return bytes;
}

/** Text, unless it has NUL bytes or is not UTF-8. */
function asText(bytes: Buffer, truncated: boolean): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(truncated ? withoutCutCharacter(bytes) : bytes);
  } catch {
    return null;
  }
}

async function tablePreview(core: Core, file: string, reader: string, maxRows: number, base: { path: string; size: number }): Promise<ArtifactPreview> {
  // A connection of its own: a slow file must not hold up the reader that serves the table.
  const con = await core.db.instance.connect();
  try {
    const described = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`, [file])).getRowObjects();
    const columns = described.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    // Every value as text: JSON-safe whatever the column type (BIGINT, DECIMAL, TIMESTAMP, STRUCT).
    const result = await con.runAndReadAll(`SELECT COLUMNS(*)::VARCHAR FROM ${reader} LIMIT ${maxRows + 1}`, [file]);
    const all = result.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
    let total: number | null = null;
    if (reader.startsWith('read_parquet') || base.size < COUNT_CSV_BELOW) {
      total = Number((await con.runAndReadAll(`SELECT count(*) FROM ${reader}`, [file])).getRows()[0][0]);
    }
    return { kind: 'table', ...base, columns, rows: all.slice(0, maxRows), total_rows: total, truncated: all.length > maxRows };
  } catch (err) {
    return { kind: 'binary', ...base, reason: `DuckDB could not read it as a table: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    con.closeSync();
  }
}

/**
 * The preview of one artifact's bytes at `file` (a store blob, or a verified bundle's staged copy).
 * `imageUrl` says where the page loads an image from: the raw route for stored runs, a data: URL
 * for a bundle that was never imported.
 */
export async function previewFile(core: Core, file: string, base: { path: string; size: number }, o: { maxRows?: number; maxBytes?: number }, imageUrl: (mediaType: string) => string): Promise<ArtifactPreview> {
  const { maxRows, maxBytes } = o;
  const ext = path.posix.extname(base.path).toLowerCase();

  const media = imageType(base.path);
  if (media) return { kind: 'image', ...base, media_type: media, url: imageUrl(media) };
  const reader = TABLE_READERS[ext];
  if (reader) {
    const rows = Math.max(1, Math.min(Math.floor(Number.isFinite(maxRows) ? maxRows! : DEFAULT_ROWS), MAX_ROWS));
    return tablePreview(core, file, reader, rows, base);
  }
  const cap = Math.max(1024, Math.min(Math.floor(Number.isFinite(maxBytes) ? maxBytes! : DEFAULT_BYTES), MAX_BYTES));
  const { bytes, truncated } = readHead(file, cap);
  const text = asText(bytes, truncated);
  if (text === null) return { kind: 'binary', ...base, reason: 'binary content: download it to open it' };
  const kind = TEXT_KINDS[ext] ?? 'text';
  if (kind === 'json' && !truncated) {
    try {
      return { kind, ...base, text: JSON.stringify(JSON.parse(text), null, 2), truncated };
    } catch {
      return { kind: 'text', ...base, text, truncated }; // not valid JSON: show it as it is
    }
  }
  return { kind, ...base, text, truncated };
}

export function createArtifactPreviewHandlers(core: Core): Pick<ApiHandlers, 'artifacts.preview' | 'datasets.history'> {
  return {
    async 'artifacts.preview'({ run, path: artifactPath, maxRows, maxBytes }) {
      if (typeof run !== 'string' || typeof artifactPath !== 'string') throw invalidParam("'run' and 'path' must be strings");
      const runRow = await core.runs.get(run);
      if (!runRow) throw notFound(`No run with id '${run}'`);
      const row = await core.artifacts.get(runRow.run_id, artifactPath);
      if (!row) throw notFound(`Artifact '${artifactPath}' not found in run '${runRow.run_id}'`);
      const file = core.artifacts.blobPath(row.sha256);
      if (!fs.existsSync(file)) throw notFound(`Artifact '${artifactPath}' is recorded but its bytes are missing from the store`);
      return previewFile(core, file, { path: artifactPath, size: row.size }, { maxRows, maxBytes }, () => rawArtifactUrl(runRow.run_id, artifactPath));
    },

    async 'datasets.history'({ name }) {
      if (typeof name !== 'string') throw invalidParam("'name' must be a string: the dataset name");
      return queryRows<DatasetUse>(
        core.db.reader,
        `SELECT i.dataset_name AS name, i.dataset_digest AS digest, count(*) AS runs,
                arg_min(r.run_id, r.start_time) AS first_run_id, min(r.start_time) AS first_seen,
                arg_max(r.run_id, r.start_time) AS last_run_id, max(r.start_time) AS last_seen
         FROM run_inputs i JOIN runs r ON r.run_id = i.run_id
         WHERE i.dataset_name = ? GROUP BY i.dataset_name, i.dataset_digest ORDER BY first_seen, digest`,
        [name],
      );
    },
  };
}
