// The audit events of run and experiment mutations, built in one place so the repositories and the
// importers (which insert runs directly, in their own transactions) describe a change the same way.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AuditInput } from './audit-event';
import type { JsonValue } from './canonical-json';

/** What a repository needs from the log: append inside its own transaction. */
export interface AuditAppender {
  append(con: DuckDBConnection, input: AuditInput): Promise<unknown>;
}

/** For stores opened without an audit log (none today; keeps repositories usable on their own). */
export const NO_AUDIT: AuditAppender = { append: async () => undefined };

/** MLflow keeps a run's note in this tag; edits to it are audited as notes, not as tag noise. */
export const NOTE_TAG = 'mlflow.note.content';

const TERMINAL = new Set(['FINISHED', 'FAILED', 'KILLED']);

export function runCreated(runId: string, r: { experimentId: string; runName: string; userId: string; startTime: number; tags: { key: string; value: string }[]; source?: string }): AuditInput {
  const details: { [k: string]: JsonValue } = {
    experiment_id: r.experimentId,
    run_name: r.runName,
    user_id: r.userId,
    start_time: r.startTime,
    tags: Object.fromEntries(r.tags.map((t) => [t.key, t.value])),
  };
  if (r.source) details.source = r.source;
  return { action: 'run.create', target: { kind: 'run', id: runId }, details };
}

export function runStatusChanged(runId: string, from: string, to: string, endTime: number | null): AuditInput {
  return { action: TERMINAL.has(to) ? 'run.finish' : 'run.status', target: { kind: 'run', id: runId }, details: { from, to, end_time: endTime } };
}

/** Tag changes split into note edits and other tags (only keys whose value actually changed). */
export function tagEvents(runId: string, changed: { key: string; value: string; old: string | null }[]): AuditInput[] {
  const out: AuditInput[] = [];
  const note = changed.find((t) => t.key === NOTE_TAG);
  if (note) out.push({ action: 'run.note.edit', target: { kind: 'run', id: runId }, details: { content: note.value, previous: note.old } });
  const rest = changed.filter((t) => t.key !== NOTE_TAG);
  if (rest.length > 0) {
    out.push({ action: 'run.tag.set', target: { kind: 'run', id: runId }, details: { tags: rest.map((t) => ({ key: t.key, value: t.value, previous: t.old })) } });
  }
  return out;
}
