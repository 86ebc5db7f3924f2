// SQL for the audit tables. Append-only in the data layer: this module (the only one that touches
// audit_event, audit_checkpoint and audit_witness) has INSERT and SELECT statements and nothing else.
import type { DuckDBConnection } from '@duckdb/node-api';
import { exec, queryRows, type SqlParam } from '../store/open-database';
import type { AuditEventRow, StoredEvent } from './audit-event';

export interface CheckpointRow {
  checkpoint_id: number;
  tree_size: number;
  root_hash: Uint8Array;
  origin: string;
  note: string;
  signer_fpr: string | null;
  public_key: string | null;
  reason: string;
  created_at: number;
}

export interface WitnessRow {
  witness_id: number;
  origin: string;
  tree_size: number;
  root_hash: Uint8Array;
  note: string;
  bundle_digest: string | null;
  seen_at: number;
  verdict: 'first' | 'consistent' | 'older' | 'unproven' | 'fork';
  evidence: string | null;
}

/** DuckDB hands a BLOB back as a DuckDBBlobValue; the bytes are what everything above wants. */
const bytes = (v: unknown): Buffer => Buffer.from((v as { bytes?: Uint8Array }).bytes ?? (v as Uint8Array));
/** SqlParam has no binary type: a BLOB goes in as its `\xNN` escape text, cast by the statement. */
const blob = (b: Uint8Array): SqlParam => `\\x${Buffer.from(b).toString('hex').match(/../g)!.join('\\x')}`;

export async function nextSeq(con: DuckDBConnection): Promise<number> {
  const [row] = await queryRows<{ n: number | null }>(con, 'SELECT max(seq) AS n FROM audit_event');
  return row?.n === null || row?.n === undefined ? 0 : row.n + 1;
}

export async function insertEvent(con: DuckDBConnection, s: StoredEvent): Promise<void> {
  const e = s.event;
  await exec(
    con,
    `INSERT INTO audit_event (seq, "at", os_user, actor_key_fpr, actor_principal, action, target_kind, target_id, details, event_json, leaf_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS BLOB))`,
    [e.seq, e.at, e.actor.os_user, e.actor.key_fpr, e.actor.principal, e.action, e.target.kind, e.target.id, JSON.stringify(e.details), s.json, blob(s.leafHash)],
  );
}

/** Leaf hashes of events [0, end) in order (the stored column, as the append path trusts it). */
export async function leafHashes(con: DuckDBConnection, end?: number): Promise<Buffer[]> {
  const rows = await queryRows<{ leaf_hash: Uint8Array }>(
    con,
    `SELECT leaf_hash FROM audit_event ${end === undefined ? '' : 'WHERE seq < ?'} ORDER BY seq`,
    end === undefined ? [] : [end],
  );
  return rows.map((r) => bytes(r.leaf_hash));
}

export async function allEvents(con: DuckDBConnection): Promise<AuditEventRow[]> {
  return normalise(await queryRows<AuditEventRow>(con, 'SELECT * FROM audit_event ORDER BY seq'));
}

export async function findEvents(con: DuckDBConnection, q: { where?: string; params?: SqlParam[]; limit?: number; newestFirst?: boolean }): Promise<AuditEventRow[]> {
  const limit = q.limit === undefined ? '' : ` LIMIT ${Math.max(1, Math.min(Math.trunc(q.limit), 100_000))}`;
  return normalise(
    await queryRows<AuditEventRow>(con, `SELECT * FROM audit_event WHERE ${q.where ?? 'TRUE'} ORDER BY seq ${q.newestFirst ? 'DESC' : 'ASC'}${limit}`, q.params ?? []),
  );
}

export async function insertCheckpoint(con: DuckDBConnection, c: Omit<CheckpointRow, 'checkpoint_id'>): Promise<CheckpointRow> {
  const [row] = await queryRows<{ n: number | null }>(con, 'SELECT max(checkpoint_id) AS n FROM audit_checkpoint');
  const id = (row?.n ?? 0) + 1;
  await exec(
    con,
    `INSERT INTO audit_checkpoint VALUES (?, ?, CAST(? AS BLOB), ?, ?, ?, ?, ?, ?)`,
    [id, c.tree_size, blob(c.root_hash), c.origin, c.note, c.signer_fpr, c.public_key, c.reason, c.created_at],
  );
  return { checkpoint_id: id, ...c };
}

export async function checkpoints(con: DuckDBConnection): Promise<CheckpointRow[]> {
  return (await queryRows<CheckpointRow>(con, 'SELECT * FROM audit_checkpoint ORDER BY tree_size, checkpoint_id')).map((r) => ({ ...r, root_hash: bytes(r.root_hash) }));
}

export async function latestCheckpoint(con: DuckDBConnection, where = 'TRUE', params: SqlParam[] = []): Promise<CheckpointRow | null> {
  const [r] = await queryRows<CheckpointRow>(con, `SELECT * FROM audit_checkpoint WHERE ${where} ORDER BY tree_size DESC, checkpoint_id DESC LIMIT 1`, params);
  return r ? { ...r, root_hash: bytes(r.root_hash) } : null;
}

export async function insertWitness(con: DuckDBConnection, w: Omit<WitnessRow, 'witness_id'>): Promise<WitnessRow> {
  const [row] = await queryRows<{ n: number | null }>(con, 'SELECT max(witness_id) AS n FROM audit_witness');
  const id = (row?.n ?? 0) + 1;
  await exec(con, `INSERT INTO audit_witness VALUES (?, ?, ?, CAST(? AS BLOB), ?, ?, ?, ?, ?)`, [
    id, w.origin, w.tree_size, blob(w.root_hash), w.note, w.bundle_digest, w.seen_at, w.verdict, w.evidence,
  ]);
  return { witness_id: id, ...w };
}

/** Checkpoints of `origin` seen so far and accepted (new bundles must be consistent with them). */
export async function witnessed(con: DuckDBConnection, origin: string): Promise<WitnessRow[]> {
  const rows = await queryRows<WitnessRow>(con, `SELECT * FROM audit_witness WHERE origin = ? AND verdict <> 'fork' ORDER BY tree_size, witness_id`, [origin]);
  return rows.map((r) => ({ ...r, root_hash: bytes(r.root_hash) }));
}

export async function forks(con: DuckDBConnection): Promise<WitnessRow[]> {
  return (await queryRows<WitnessRow>(con, `SELECT * FROM audit_witness WHERE verdict = 'fork' ORDER BY witness_id`)).map((r) => ({ ...r, root_hash: bytes(r.root_hash) }));
}

function normalise(rows: AuditEventRow[]): AuditEventRow[] {
  for (const r of rows) r.leaf_hash = bytes(r.leaf_hash);
  return rows;
}
