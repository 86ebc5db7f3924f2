// RPC handlers of the audit log (issue #7): the log itself, its verification, purge and tombstones.
import type { ApiHandlers, AuditEventDto } from './contract';
import type { Core } from '../core';
import type { RunRow } from '../store/run-repository';
import type { AuditEventRow } from '../audit/audit-event';
import { findEvents } from '../audit/audit-store';
import { eventsForRuns } from '../audit/run-history';
import { verifyAuditLog } from '../audit/verify-log';
import { trustedLogKeys } from '../audit/workstation-signer';
import { purgeRun, tombstones } from '../store/run-purge';
import { MlflowError } from '../mlflow/errors';

type AuditHandlerNames = 'audit.log' | 'audit.verify' | 'audit.tombstones' | 'runs.purge';

export function auditEventDto(r: AuditEventRow): AuditEventDto {
  return {
    seq: r.seq,
    at: r.at,
    action: r.action,
    target_kind: r.target_kind,
    target_id: r.target_id,
    os_user: r.os_user,
    actor_key_fpr: r.actor_key_fpr,
    actor_principal: r.actor_principal,
    details: JSON.parse(r.details) as Record<string, unknown>,
    leaf_hash: Buffer.from(r.leaf_hash).toString('hex'),
  };
}

export function createAuditHandlers(core: Core, resolveRun: (ref: string) => Promise<RunRow>): Pick<ApiHandlers, AuditHandlerNames> {
  /** A live run by id or unique name; a purged one by its id or its tombstone's unique name (its rows are gone, its events are not). */
  async function runIdOf(ref: string): Promise<string> {
    try {
      return (await resolveRun(ref)).run_id;
    } catch (err) {
      if (!(err instanceof MlflowError && err.code === 'RESOURCE_DOES_NOT_EXIST')) throw err;
      const named = [...new Set((await tombstones(core.db.reader)).filter((t) => t.run_name === ref).map((t) => t.run_id))];
      return named.length === 1 ? named[0] : ref;
    }
  }

  return {
    async 'audit.log'({ run, limit = 1000, before }) {
      const rows = run
        ? await eventsForRuns(core.db.reader, [await runIdOf(run)], { before, limit, newestFirst: true })
        : await findEvents(core.db.reader, { where: before === undefined ? 'TRUE' : 'seq < ?', params: before === undefined ? [] : [before], limit, newestFirst: true });
      return rows.map(auditEventDto);
    },

    async 'audit.verify'() {
      return verifyAuditLog(core.db.reader, { trustedFingerprints: trustedLogKeys(core.dataDir) });
    },

    async 'audit.tombstones'({ run }) {
      return tombstones(core.db.reader, run);
    },

    async 'runs.purge'({ run, reason }) {
      const row = await resolveRun(run);
      return purgeRun(core, row.run_id, { reason: reason ?? '', actor: core.audit.osUser });
    },
  };
}
