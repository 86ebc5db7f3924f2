// The store rows a bundle carries for a run, as JSON: exported with SELECT *, restored on import into
// the columns the table has now. Column names from a bundle are never trusted into SQL: only names
// that DESCRIBE reports for the table are used, and values are bound parameters.
import type { DuckDBConnection } from '@duckdb/node-api';
import { exec, queryRows, type SqlParam } from '../store/open-database';

export type RowTable = 'environments' | 'run_code' | 'datasets' | 'run_inputs';

/** Columns stored as JSON text: parsed on export so the bundle's JSON is readable, re-encoded on import. */
const JSON_COLUMNS: Record<RowTable, readonly string[]> = {
  environments: ['gpus', 'env_vars', 'command', 'extra'],
  run_code: ['untracked'],
  datasets: ['null_counts', 'columns'],
  run_inputs: ['tags'],
};

export type JsonRow = Record<string, unknown>;

export function rowToJson(table: RowTable, row: JsonRow, drop: readonly string[] = []): JsonRow {
  const out: JsonRow = {};
  for (const k of Object.keys(row).sort()) {
    if (drop.includes(k)) continue;
    let v = row[k];
    if (JSON_COLUMNS[table].includes(k) && typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        /* keep the text as recorded */
      }
    }
    out[k] = v;
  }
  return out;
}

async function columnsOf(con: DuckDBConnection, table: RowTable): Promise<Set<string>> {
  const rows = await queryRows<{ column_name: string }>(con, `SELECT column_name FROM information_schema.columns WHERE table_name = ?`, [table]);
  return new Set(rows.map((r) => r.column_name));
}

function sqlValue(table: RowTable, column: string, v: unknown): SqlParam {
  if (v === null || v === undefined) return null;
  if (JSON_COLUMNS[table].includes(column)) return typeof v === 'string' ? v : JSON.stringify(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new Error(`${table}.${column}: unsupported value ${JSON.stringify(v).slice(0, 60)}`);
}

/** Inserts `row` (plus `fixed` columns) using only columns the table has; `conflict` picks the ON CONFLICT clause. */
export async function insertRow(con: DuckDBConnection, table: RowTable, row: JsonRow, fixed: JsonRow, conflict: 'nothing' | 'replace'): Promise<void> {
  const known = await columnsOf(con, table);
  const merged: JsonRow = { ...row, ...fixed };
  const cols = Object.keys(merged).filter((k) => known.has(k) && /^[a-z_][a-z0-9_]*$/.test(k));
  if (cols.length === 0) return;
  const verb = conflict === 'replace' ? 'INSERT OR REPLACE' : 'INSERT OR IGNORE';
  await exec(con, `${verb} INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => sqlValue(table, c, merged[c])));
}
