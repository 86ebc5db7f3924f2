// One audit event: what is hashed (its RFC 8785 form) and how it maps to the audit_event columns.
// Everything a column holds is inside the hashed JSON too, so editing a column alone is caught by
// comparing it with the JSON, and editing the JSON is caught by the leaf hash and the tree.
import { canonicalize, type JsonValue } from './canonical-json';
import { hashLeaf } from './merkle';

export type AuditAction =
  | 'run.create'
  | 'run.status'
  | 'run.finish'
  | 'run.rename'
  | 'run.tag.set'
  | 'run.tag.delete'
  | 'run.note.edit'
  | 'run.soft_delete'
  | 'run.restore'
  | 'run.purge'
  | 'experiment.create'
  | 'experiment.rename'
  | 'experiment.delete'
  | 'experiment.restore'
  | 'experiment.tag.set'
  | 'experiment.tag.delete'
  | 'bundle.export'
  | 'bundle.exported'
  | 'bundle.import'
  | 'trust.add'
  | 'trust.revoke'
  | 'key.create'
  | 'audit.fork'
  // Model registry (issue #9, native/registry/registry-audit.ts).
  | 'model.promote'
  | 'model.stage'
  | 'model.import';

export type AuditTargetKind = 'run' | 'experiment' | 'bundle' | 'trust' | 'key' | 'log' | 'model_version';

/** What a mutation says about itself; the log adds sequence number, time and actor. */
export interface AuditInput {
  action: AuditAction;
  target: { kind: AuditTargetKind; id: string };
  details: { [key: string]: JsonValue };
}

/** The hashed event. `v` versions this shape. */
export interface AuditEvent extends AuditInput {
  v: 1;
  seq: number;
  at: number;
  actor: { os_user: string; key_fpr: string | null; principal: string | null };
}

export interface StoredEvent {
  event: AuditEvent;
  /** RFC 8785 text of `event`: the leaf's data. */
  json: string;
  leafHash: Buffer;
}

export function sealEvent(event: AuditEvent): StoredEvent {
  const json = canonicalize(event as unknown as JsonValue);
  return { event, json, leafHash: hashLeaf(Buffer.from(json, 'utf8')) };
}

/** audit_event row as read back (details as DuckDB hands back JSON: text). */
export interface AuditEventRow {
  seq: number;
  at: number;
  os_user: string;
  actor_key_fpr: string | null;
  actor_principal: string | null;
  action: string;
  target_kind: string;
  target_id: string;
  details: string;
  event_json: string;
  leaf_hash: Uint8Array;
}

/** Where the row's columns disagree with its hashed JSON: the first differing column, or null. */
export function columnMismatch(row: AuditEventRow, e: AuditEvent): string | null {
  const pairs: [string, unknown, unknown][] = [
    ['seq', row.seq, e.seq],
    ['at', row.at, e.at],
    ['os_user', row.os_user, e.actor?.os_user],
    ['actor_key_fpr', row.actor_key_fpr, e.actor?.key_fpr],
    ['actor_principal', row.actor_principal, e.actor?.principal],
    ['action', row.action, e.action],
    ['target_kind', row.target_kind, e.target?.kind],
    ['target_id', row.target_id, e.target?.id],
  ];
  for (const [name, col, hashed] of pairs) if (col !== hashed) return name;
  try {
    if (canonicalize(JSON.parse(row.details)) !== canonicalize(e.details ?? null)) return 'details';
  } catch {
    return 'details';
  }
  return null;
}
