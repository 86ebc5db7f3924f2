// The one place registry changes made by people and rules (promote, stage changes from the UI) reach
// the audit log (native/audit, issue #7). The event is appended right after the change commits, in a
// transaction of its own: a crash between the two loses the event, never the change. A bundle import
// (issue #9) passes its transaction's `con` instead, so the event commits or rolls back with the version.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Core } from '../core';
import { recordAuditEvent } from '../audit/record-audit-event';

export type RegistryAuditAction = 'model.promote' | 'model.stage' | 'model.import';

type Detail = string | number | boolean | null | Detail[] | { [key: string]: Detail };

export async function auditRegistryChange(
  core: Core,
  action: RegistryAuditAction,
  model: string,
  version: number,
  details: { [key: string]: Detail },
  con?: DuckDBConnection,
): Promise<void> {
  await recordAuditEvent(core, { action, target: { kind: 'model_version', id: `${model}/${version}` }, details }, con);
}
