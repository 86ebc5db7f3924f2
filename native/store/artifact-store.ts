// Content-addressed artifact bytes (`artifacts/sha256/ab/abcdef…`) with each run's logical paths in
// the `artifacts` table. Uploads stream to a temp file while hashing, so a 5 GiB model never sits in
// memory, and an aborted upload leaves nothing behind.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { type Database, inTransaction, exec, queryRows } from './open-database';
import { MlflowError } from '../mlflow/errors';

export interface ArtifactRow {
  run_id: string;
  path: string;
  sha256: string;
  size: number;
  media_type: string | null;
}

export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export class ArtifactStore {
  readonly root: string;

  constructor(private readonly db: Database, artifactsDir: string) {
    this.root = artifactsDir;
    // Leftovers of uploads cut short by a crash: nothing refers to them. One process owns the store.
    fs.rmSync(path.join(this.root, 'tmp'), { recursive: true, force: true });
    fs.mkdirSync(path.join(this.root, 'tmp'), { recursive: true });
  }

  blobPath(sha256: string): string {
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  /** Streams `body` into the store under the run's logical `relPath` (already validated). */
  async put(runId: string, relPath: string, body: Readable, mediaType: string | null, maxBytes: number): Promise<ArtifactRow> {
    const tmp = path.join(this.root, 'tmp', `${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
    const hash = crypto.createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > maxBytes) {
          cb(new MlflowError('INVALID_PARAMETER_VALUE', `Artifact upload exceeds the limit of ${maxBytes} bytes.`, 413));
          return;
        }
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    const out = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
    // pipeline() rejects as soon as the meter fails, possibly before the file has even been opened;
    // removing the temp file then would race the open. Wait for the stream to close first.
    const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
    try {
      await pipeline(body, meter, out);
      const sha256 = hash.digest('hex');
      const dest = this.blobPath(sha256);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      if (fs.existsSync(dest)) fs.rmSync(tmp);
      else fs.renameSync(tmp, dest);
      const row: ArtifactRow = { run_id: runId, path: relPath, sha256, size, media_type: mediaType };
      await inTransaction(this.db, async (con) => {
        // A directory and a file cannot share a name: refuse a file where a directory is, and vice versa.
        const clash = await queryRows(con, `SELECT path FROM artifacts WHERE run_id = ? AND (starts_with(path, ?) OR ? LIKE path || '/%') LIMIT 1`, [runId, `${relPath}/`, relPath]);
        if (clash.length > 0) throw new MlflowError('INVALID_PARAMETER_VALUE', `Artifact path '${relPath}' conflicts with existing artifact '${String(clash[0].path)}'.`);
        await exec(con, 'INSERT OR REPLACE INTO artifacts VALUES (?, ?, ?, ?, ?, ?)', [runId, relPath, sha256, size, mediaType, Date.now()]);
      });
      return row;
    } finally {
      if (!out.closed) await closed;
      fs.rmSync(tmp, { force: true });
    }
  }

  async get(runId: string, relPath: string): Promise<ArtifactRow | null> {
    const rows = await queryRows<ArtifactRow>(this.db.reader, 'SELECT run_id, path, sha256, size, media_type FROM artifacts WHERE run_id = ? AND path = ?', [runId, relPath]);
    return rows[0] ?? null;
  }

  async all(runId: string): Promise<ArtifactRow[]> {
    return queryRows<ArtifactRow>(this.db.reader, 'SELECT run_id, path, sha256, size, media_type FROM artifacts WHERE run_id = ? ORDER BY path', [runId]);
  }

  /** Immediate children of a directory (basenames when `basenames`, else run-relative paths). */
  async list(runId: string, dir: string): Promise<FileInfo[]> {
    const prefix = dir === '' ? '' : `${dir}/`;
    const rows = await queryRows<{ path: string; size: number }>(
      this.db.reader,
      'SELECT path, size FROM artifacts WHERE run_id = ? AND starts_with(path, ?) ORDER BY path',
      [runId, prefix],
    );
    const out = new Map<string, FileInfo>();
    for (const r of rows) {
      const rest = r.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) out.set(rest, { path: rest, is_dir: false, file_size: r.size });
      else {
        const name = rest.slice(0, slash);
        if (!out.has(name)) out.set(name, { path: name, is_dir: true });
      }
    }
    return [...out.values()];
  }

  /** Removes a file or a whole directory from the run's listing (bytes stay: other runs may share them). */
  async delete(runId: string, relPath: string): Promise<number> {
    return inTransaction(this.db, async (con) => {
      const rows = await queryRows(con, 'SELECT path FROM artifacts WHERE run_id = ? AND (path = ? OR starts_with(path, ?))', [runId, relPath, `${relPath}/`]);
      await exec(con, 'DELETE FROM artifacts WHERE run_id = ? AND (path = ? OR starts_with(path, ?))', [runId, relPath, `${relPath}/`]);
      return rows.length;
    });
  }
}
