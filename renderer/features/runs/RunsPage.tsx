// Runs: every run the core knows, newest data on each refresh, with honest loading, empty and error
// states. The empty state tells a new user exactly how to point a training script here.
import { useState } from 'react';
import type { QueryExplanation, RunSummary, ServerInfo } from '../../../native/api/contract';
import type { ShellBridge } from '../../../electron/shell-bridge';
import type { ApiClient } from '../../api/api-client';
import { ApiError } from '../../api/api-error';
import { useAsync } from '../../app/use-async';
import { trackingUri } from './run-columns';
import { RunsTable } from './RunsTable';
import { ServerHeader } from './ServerHeader';
import { FilterBar } from './FilterBar';
import { ImportDialog } from '../import/ImportDialog';

export interface RunsPageProps {
  client: ApiClient;
  /** Bumped by the owner (e.g. the desktop menu's "Refresh Data") to fetch again. */
  reloadToken?: number;
  /** Most runs fetched at once, until the virtualized table pages through more. */
  limit?: number;
  shell?: ShellBridge | null;
  now?: () => number;
  /** Opens Compare with the groups of a `compare A vs B` filter (absent until there is a Compare view). */
  onCompare?: (groups: NonNullable<QueryExplanation['groups']>) => void;
}

export function RunsPage({ client, reloadToken = 0, limit = 1000, shell = null, now = Date.now, onCompare }: RunsPageProps) {
  const [localReload, setLocalReload] = useState(0);
  const [filter, setFilter] = useState('');
  const [importing, setImporting] = useState(false);
  const info = useAsync((signal) => client.call('server.info', {}, { signal }), [client]);
  const runs = useAsync(
    (signal) =>
      filter
        ? client.call('query.run', { text: filter, limit, utc_offset_minutes: -new Date().getTimezoneOffset() }, { signal }).then((r) => r.runs)
        : client.call('runs.list', { view: 'active', limit }, { signal }),
    [client, limit, reloadToken, localReload, filter],
  );
  const serverInfo = info.status === 'ready' ? info.value : null;

  let body;
  if (runs.status === 'error') {
    body = <LoadError error={runs.error} onRetry={() => setLocalReload((n) => n + 1)} />;
  } else {
    const list = runs.status === 'ready' ? runs.value : runs.stale;
    if (!list) body = <p className="state" role="status">Loading runs…</p>;
    else if (list.length === 0) body = filter ? <p className="state">No runs match this filter.</p> : <EmptyState info={serverInfo} />;
    else body = <RunsList runs={list} limit={limit} nowMs={now()} />;
  }

  return (
    <div className="page">
      <ServerHeader
        info={info}
        refreshing={runs.status === 'loading'}
        onRefresh={() => setLocalReload((n) => n + 1)}
        shell={shell}
        onImport={() => setImporting(true)}
      />
      <main className="content">
        <FilterBar client={client} onApply={setFilter} onCompare={onCompare} />
        {body}
      </main>
      {importing && (
        <ImportDialog
          client={client}
          onClose={(imported) => {
            setImporting(false);
            if (imported) setLocalReload((n) => n + 1);
          }}
        />
      )}
    </div>
  );
}

function RunsList({ runs, limit, nowMs }: { runs: readonly RunSummary[]; limit: number; nowMs: number }) {
  return (
    <>
      <p className="summary">
        {runs.length >= limit ? `Showing the first ${limit} runs` : `${runs.length} run${runs.length === 1 ? '' : 's'}`}
      </p>
      <RunsTable runs={runs} nowMs={nowMs} />
    </>
  );
}

function EmptyState({ info }: { info: ServerInfo | null }) {
  const uri = trackingUri(info?.url ?? window.location.origin);
  const tokenFile = info ? `${info.data_dir.replace(/[\\/]+$/, '')}/token` : '~/.runledger/token';
  return (
    <section className="state empty">
      <h2>No runs yet.</h2>
      <p>Point a training script at this server:</p>
      <pre>
        <code>
          {`export MLFLOW_TRACKING_URI=${uri}\nexport MLFLOW_TRACKING_TOKEN=$(cat ${tokenFile})`}
        </code>
      </pre>
      <p className="muted">Then log with the usual mlflow calls; new runs appear here on refresh.</p>
    </section>
  );
}

function LoadError({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const apiError = error instanceof ApiError ? error : null;
  return (
    <section className="state error" role="alert">
      <h2>Could not load runs</h2>
      <p>{error.message}</p>
      {apiError && <p className="muted error-code">{apiError.error_code}</p>}
      {apiError?.isAuthError && (
        <p>This session has no valid token. Open the link that `runledger serve` printed (it carries the token).</p>
      )}
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </section>
  );
}
