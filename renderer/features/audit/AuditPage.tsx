// Audit: the verification state of the tamper-evident log (recomputed on demand) and its events,
// newest first, paged with "older".
import { useState } from 'react';
import type { AuditEventDto } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { useAsync } from '../../app/use-async';
import { actorOf, describeEvent, verifyStateText } from './audit-text';
import '../../styles/audit.css';

export interface AuditPageProps {
  client: ApiClient;
  reloadToken?: number;
  pageSize?: number;
  onOpenRun?: (runId: string) => void;
}

export function AuditPage({ client, reloadToken = 0, pageSize = 200, onOpenRun }: AuditPageProps) {
  const [verifyToken, setVerifyToken] = useState(0);
  const [older, setOlder] = useState<AuditEventDto[]>([]);
  const report = useAsync((signal) => client.call('audit.verify', {}, { signal }), [client, reloadToken, verifyToken]);
  const first = useAsync((signal) => client.call('audit.log', { limit: pageSize }, { signal }), [client, reloadToken, verifyToken, pageSize]);
  const events = first.status === 'ready' ? [...first.value, ...older] : [];
  const canLoadMore = first.status === 'ready' && events.length > 0 && events[events.length - 1].seq > 0 && (older.length > 0 || first.value.length === pageSize);

  const loadOlder = async (): Promise<void> => {
    const page = await client.call('audit.log', { limit: pageSize, before: events[events.length - 1].seq });
    setOlder((o) => [...o, ...page]);
  };

  return (
    <div className="page">
      <main className="content audit-page">
        <h2>Audit log</h2>
        {report.status === 'ready' ? (
          <VerifyBanner text={verifyStateText(report.value)} onRecheck={() => (setOlder([]), setVerifyToken((n) => n + 1))} />
        ) : report.status === 'error' ? (
          <p className="audit-error" role="alert">Could not verify: {report.error.message}</p>
        ) : (
          <p className="muted">Verifying…</p>
        )}
        {first.status === 'error' && <p className="audit-error" role="alert">Could not load events: {first.error.message}</p>}
        {first.status === 'ready' && events.length === 0 && <p className="muted">No events yet: changes to runs and experiments appear here.</p>}
        {events.length > 0 && (
          <table className="audit-table">
            <thead>
              <tr>
                <th>#</th>
                <th>When (UTC)</th>
                <th>What</th>
                <th>Target</th>
                <th>Who</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.seq}>
                  <td className="numeric">{e.seq}</td>
                  <td>{new Date(e.at).toISOString().replace('T', ' ').slice(0, 19)}</td>
                  <td>{describeEvent(e)}</td>
                  <td>
                    {e.target_kind === 'run' && onOpenRun && e.action !== 'run.purge' ? (
                      <button type="button" className="link-button" onClick={() => onOpenRun(e.target_id)}>
                        {e.target_id}
                      </button>
                    ) : (
                      `${e.target_kind} ${e.target_id}`
                    )}
                  </td>
                  <td className="muted">{actorOf(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canLoadMore && (
          <button type="button" onClick={() => void loadOlder()}>
            Older events
          </button>
        )}
      </main>
    </div>
  );
}

function VerifyBanner({ text, onRecheck }: { text: ReturnType<typeof verifyStateText>; onRecheck: () => void }) {
  return (
    <section className={`audit-verify audit-${text.tone}`} role="status" aria-label="Verification state">
      <strong>{text.headline}</strong>
      <ul>
        {text.lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      <button type="button" onClick={onRecheck}>
        Verify again
      </button>
    </section>
  );
}
