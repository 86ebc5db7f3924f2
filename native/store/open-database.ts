// Opens (or creates) the DuckDB file, applies migrations, and hands out two connections: one writer
// that all mutations go through (serialised by `WriteLock`), and one reader for queries, so a long
// read never waits behind the write buffer's commits (DuckDB is MVCC inside one process), plus the
// write buffer's own append-only connections.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { MIGRATIONS } from './migrations';
import { WriteLock } from './write-lock';

export type SqlParam = string | number | bigint | boolean | null;
export type Row = Record<string, unknown>;

export interface Database {
  readonly file: string;
  readonly instance: DuckDBInstance;
  readonly writer: DuckDBConnection;
  readonly reader: DuckDBConnection;
  /** Connections of the metric write buffer's flush lanes (appends only; no write lock needed). */
  readonly ingest: readonly DuckDBConnection[];
  readonly lock: WriteLock;
  close(): void;
}

export class StoreLockedError extends Error {}

/** DuckDB hands BIGINT back as bigint: convert at the store edge so everything above is JSON-safe. */
export function toJs(value: DuckDBValue | unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value;
}

export async function queryRows<T extends object = Row>(
  con: DuckDBConnection,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<T[]> {
  const reader = await con.runAndReadAll(sql, params as DuckDBValue[]);
  const rows = reader.getRowObjects();
  for (const row of rows) for (const k in row) row[k] = toJs(row[k]) as DuckDBValue;
  return rows as unknown as T[];
}

export async function exec(con: DuckDBConnection, sql: string, params: readonly SqlParam[] = []): Promise<void> {
  await con.run(sql, params as DuckDBValue[]);
}

/** Runs `fn` in a transaction on the writer connection, under the write lock. */
export async function inTransaction<T>(db: Database, fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  return db.lock.run(async () => {
    await db.writer.run('BEGIN TRANSACTION');
    try {
      const result = await fn(db.writer);
      await db.writer.run('COMMIT');
      return result;
    } catch (err) {
      await db.writer.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

export async function openDatabase(file: string): Promise<Database> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // DuckDB's own file lock: another process holds the database read-write.
    if (/lock/i.test(message)) throw new StoreLockedError(`the store ${file} is locked by another process: ${message}`);
    throw err;
  }
  const writer = await instance.connect();
  const reader = await instance.connect();
  const ingest = [await instance.connect(), await instance.connect()];
  await migrate(writer);
  return {
    file,
    instance,
    writer,
    reader,
    ingest,
    lock: new WriteLock(),
    close() {
      for (const c of ingest) c.closeSync();
      reader.closeSync();
      writer.closeSync();
      instance.closeSync();
    },
  };
}

async function migrate(con: DuckDBConnection): Promise<void> {
  await con.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at BIGINT)');
  const done = new Set((await queryRows<{ version: number }>(con, 'SELECT version FROM schema_migrations')).map((r) => r.version));
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await con.run('BEGIN TRANSACTION');
    try {
      await con.run(m.sql);
      await con.run('INSERT INTO schema_migrations VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      await con.run('COMMIT');
    } catch (err) {
      await con.run('ROLLBACK').catch(() => undefined);
      throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
    }
  }
}
