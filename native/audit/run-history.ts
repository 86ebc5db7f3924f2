// The events that concern given runs: their own (target = run) and those of experiments and bundles
// that name them in details.run_ids (an experiment delete takes its runs along; an export carries
// them). One query serves `audit log --run`, the run-history view and the events a bundle carries.
import type { DuckDBConnection } from '@duckdb/node-api';
import { findEvents } from './audit-store';
import type { AuditEventRow } from './audit-event';

export async function eventsForRuns(con: DuckDBConnection, runIds: readonly string[], o: { before?: number; limit?: number; newestFirst?: boolean } = {}): Promise<AuditEventRow[]> {
  if (runIds.length === 0) return [];
  const marks = runIds.map(() => '?').join(', ');
  return findEvents(con, {
    where: `((target_kind = 'run' AND target_id IN (${marks}))
             OR list_has_any(CAST(json_extract(details, '$.run_ids') AS VARCHAR[]), list_value(${marks})))
            ${o.before === undefined ? '' : 'AND seq < ?'}`,
    params: [...runIds, ...runIds, ...(o.before === undefined ? [] : [o.before])],
    limit: o.limit,
    newestFirst: o.newestFirst,
  });
}
