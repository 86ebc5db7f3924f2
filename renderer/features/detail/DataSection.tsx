// Data: each dataset the run read, with its fingerprint (digest, schema hash, rows, size), its
// columns with their null rates, and a warning when an earlier run used the same dataset name with
// another digest: the data changed under the name. "History" lists every digest the name has had.
import { useState } from 'react';
import type { DatasetProvenance } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { useAsync } from '../../app/use-async';

export function DataSection({ client, datasets }: { client: ApiClient; datasets: readonly DatasetProvenance[] }) {
  if (datasets.length === 0) return <p className="muted">This run recorded no dataset inputs.</p>;
  return (
    <>
      {datasets.map((d) => (
        <DatasetCard key={`${d.name}@${d.digest}`} client={client} d={d} />
      ))}
    </>
  );
}

/** "12.5%" of rows null, from the profile's counts. */
export function nullRate(nulls: number | undefined, rows: number | null): string {
  if (nulls === undefined || rows === null) return '';
  if (rows === 0) return '—';
  const pct = (100 * nulls) / rows;
  return `${pct === 0 || pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

function DatasetCard({ client, d }: { client: ApiClient; d: DatasetProvenance }) {
  const [showHistory, setShowHistory] = useState(false);
  return (
    <section className="dataset-card" aria-label={`Dataset ${d.name}`}>
      <h3>
        {d.name} {d.context && <span className="muted">({d.context})</span>}
      </h3>
      {d.digest_changed && (
        <p className="warning" role="alert">
          ⚠ The data under “{d.name}” changed: {d.previous_run_id ?? 'an earlier run'} used digest <code>{(d.previous_digest ?? '').slice(0, 12)}</code>, this run{' '}
          <code>{d.digest.slice(0, 12)}</code>.
        </p>
      )}
      <dl className="facts">
        <dt>Digest</dt>
        <dd><code>{d.digest}</code></dd>
        <dt>Source</dt>
        <dd><code>{d.source || '—'}</code></dd>
        <dt>Rows</dt>
        <dd>{d.rows === null ? '—' : d.rows.toLocaleString('en-US')}</dd>
        <dt>Schema</dt>
        <dd>{d.schema_sha256 ? <code>{d.schema_sha256.slice(0, 16)}</code> : '—'}{d.format ? ` · ${d.format}` : ''}</dd>
        {d.profile_note && (
          <>
            <dt>Profile</dt>
            <dd className="muted">{d.profile_note}</dd>
          </>
        )}
      </dl>
      {d.columns && d.columns.length > 0 && (
        <table className="kv-table">
          <thead>
            <tr>
              <th>Column</th>
              <th>Type</th>
              <th className="numeric">Nulls</th>
            </tr>
          </thead>
          <tbody>
            {d.columns.map((c) => (
              <tr key={c.name}>
                <td><code>{c.name}</code></td>
                <td>{c.type}</td>
                <td className="numeric">{nullRate(d.null_counts?.[c.name], d.rows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="link-button" onClick={() => setShowHistory((v) => !v)}>
        {showHistory ? 'Hide history' : 'History of this name'}
      </button>
      {showHistory && <DatasetHistory client={client} name={d.name} current={d.digest} />}
    </section>
  );
}

function DatasetHistory({ client, name, current }: { client: ApiClient; name: string; current: string }) {
  const history = useAsync((signal) => client.call('datasets.history', { name }, { signal }), [client, name]);
  if (history.status !== 'ready') return <p className="muted">{history.status === 'error' ? history.error.message : 'Loading…'}</p>;
  return (
    <table className="kv-table" aria-label={`History of ${name}`}>
      <thead>
        <tr>
          <th>Digest</th>
          <th className="numeric">Runs</th>
          <th>First seen</th>
          <th>Last seen</th>
        </tr>
      </thead>
      <tbody>
        {history.value.map((h) => (
          <tr key={h.digest} className={h.digest === current ? 'selected' : undefined}>
            <td><code>{h.digest.slice(0, 16)}</code></td>
            <td className="numeric">{h.runs}</td>
            <td>{new Date(h.first_seen).toISOString().slice(0, 16).replace('T', ' ')} ({h.first_run_id})</td>
            <td>{new Date(h.last_seen).toISOString().slice(0, 16).replace('T', ' ')} ({h.last_run_id})</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
