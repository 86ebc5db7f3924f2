// A run's history from the audit log: who created, tagged, noted, finished, deleted, restored or
// exported it, newest first. Made to be embedded in the run-detail page: <RunHistory client runId />.
import type { ApiClient } from '../../api/api-client';
import { useAsync } from '../../app/use-async';
import { actorOf, describeEvent } from './audit-text';
import '../../styles/audit.css';

export interface RunHistoryProps {
  client: ApiClient;
  runId: string;
  /** Bump to fetch again (after the page changed the run). */
  reloadToken?: number;
  limit?: number;
}

export function RunHistory({ client, runId, reloadToken = 0, limit = 200 }: RunHistoryProps) {
  const events = useAsync((signal) => client.call('audit.log', { run: runId, limit }, { signal }), [client, runId, reloadToken, limit]);
  if (events.status === 'error') return <p className="audit-error" role="alert">Could not load the history: {events.error.message}</p>;
  const list = events.status === 'ready' ? events.value : events.stale;
  if (!list) return <p className="muted">Loading history…</p>;
  if (list.length === 0) return <p className="muted">No recorded changes.</p>;
  return (
    <section className="run-history" aria-label="Run history">
      <ol>
        {list.map((e) => (
          <li key={e.seq} className={e.action === 'run.soft_delete' || e.action === 'run.purge' ? 'audit-deleted' : undefined}>
            <time dateTime={new Date(e.at).toISOString()}>{new Date(e.at).toISOString().replace('T', ' ').slice(0, 19)} UTC</time>
            <span className="audit-what">{describeEvent(e)}</span>
            <span className="audit-who muted">{actorOf(e)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
