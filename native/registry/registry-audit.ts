// The one place registry changes made by people and rules (promote, stage changes from the UI) reach
// the audit log (native/audit, issue #7). The event is appended right after the change commits, in a
// transaction of its own: a crash between the two loses the event, never the change.
import type { Core } from '../core';
import { recordAuditEvent } from '../audit/record-audit-event';

export type RegistryAuditAction = 'model.promote' | 'model.stage';

type Detail = string | number | boolean | null | Detail[] | { [key: string]: Detail };

export async function auditRegistryChange(
  core: Core,
  action: RegistryAuditAction,
  model: string,
  version: number,
  details: { [key: string]: Detail },
): Promise<void> {
  await recordAuditEvent(core, { action, target: { kind: 'model_version', id: `${model}/${version}` }, details });
}
