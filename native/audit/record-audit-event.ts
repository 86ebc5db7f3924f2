// For changes that do not go through a repository: bundle export and import, trust add and revoke,
// key creation (issue #6). Pass `con` when the change has its own transaction (import's commit
// step), so the event commits or rolls back with it.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AuditLog } from './audit-log';
import type { AuditEvent, AuditInput } from './audit-event';

export type { AuditInput, AuditAction, AuditTargetKind, AuditEvent } from './audit-event';

export function recordAuditEvent(owner: { audit: AuditLog }, input: AuditInput, con?: DuckDBConnection): Promise<AuditEvent> {
  return con ? owner.audit.append(con, input) : owner.audit.record(input);
}
