// The `import_sources` table: which source runs are in the store, under which run id. A row is
// written with the run ('importing') and marked 'done' once every point is committed, so an import
// cut short (Ctrl-C, a crash) is recognised and redone by the next one instead of counted as there.
import crypto from 'node:crypto';
import { exec, inTransaction, queryRows, type Database } from '../store/open-database';
import type { DuckDBConnection } from '@duckdb/node-api';

export type LedgerState = 'importing' | 'done' | 'failed';

export interface LedgerRow {
  identity: string;
  run_id: string;
  format: string;
  source: string;
  state: LedgerState;
  imported_at: number;
}

export class ImportLedger {
  constructor(private readonly db: Database) {}

  async get(identity: string): Promise<LedgerRow | null> {
    const rows = await queryRows<LedgerRow>(this.db.reader, 'SELECT * FROM import_sources WHERE identity = ?', [identity]);
    return rows[0] ?? null;
  }

  /** Inside the transaction that creates the run, so a run never exists without its row. */
  async begin(con: DuckDBConnection, row: Omit<LedgerRow, 'state' | 'imported_at'>): Promise<void> {
    await exec(con, `INSERT OR REPLACE INTO import_sources VALUES (?, ?, ?, ?, 'importing', ?)`, [row.identity, row.run_id, row.format, row.source, Date.now()]);
  }

  async setState(identity: string, state: LedgerState): Promise<void> {
    await inTransaction(this.db, (con) => exec(con, 'UPDATE import_sources SET state = ? WHERE identity = ?', [state, identity]));
  }

  async forget(identity: string): Promise<void> {
    await inTransaction(this.db, (con) => exec(con, 'DELETE FROM import_sources WHERE identity = ?', [identity]));
  }
}

/**
 * A run id in the store's readable format (`run-YYYYMMDD-HHMM-xxxxxxxx`, see store/ids.ts), but
 * derived from the source's identity and start time instead of random: the same source run gets the
 * same id in every store it is imported into.
 */
export function importedRunId(identity: string, startTime: number, attempt: number): string {
  const d = new Date(Number.isFinite(startTime) && startTime > 0 ? startTime : 0);
  const p = (n: number): string => String(n).padStart(2, '0');
  const day = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
  // A later attempt (the id was taken: an earlier, unfinished import of this source) hashes again.
  const hex = attempt === 0 ? identity.slice(0, 8) : crypto.createHash('sha256').update(`${identity}:${attempt}`).digest('hex').slice(0, 8);
  return `run-${day}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}-${hex}`;
}
