// Runs: every run the core knows in a windowed table (100k runs stay smooth), filtered with the
// filter bar, sorted on the server, with a column chooser and multi-select that opens Compare or
// Diff. Filter, sort, columns and selection are view state: in the URL when the App owns it, local
// when the page stands alone. Honest loading, empty and error states; the empty state tells a new
// user exactly how to point a training script here.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { QueryExplanation, ServerInfo } from '../../../native/api/contract';
import type { ShellBridge } from '../../../electron/shell-bridge';
import type { ApiClient } from '../../api/api-client';
import { ApiError } from '../../api/api-error';
import { useAsync } from '../../app/use-async';
import { DEFAULT_VIEW, serializeViewState, updateViewState, type ViewState } from '../../app/view-state';
import type { SetViewState } from '../../app/use-view-state';
import { trackingUri } from './run-columns';
import { availableColumns, defaultColumnIds, nextSort, orderByFor, toggleColumn, visibleColumns } from './column-model';
import { RunPager } from './run-pager';
import { RunsTable } from './RunsTable';
import { ServerHeader } from './ServerHeader';
import { FilterBar } from './FilterBar';
import { ColumnChooser } from './ColumnChooser';
import { EMPTY_SELECTION, type Selection } from './selection';
import { ImportDialog } from '../import/ImportDialog';
import type { LiveEvents } from '../../api/live-events';
import '../../styles/runs-table.css';

/** Changed run ids from the live event stream: the table refreshes those rows in place. */
export type RunChangeSource = (listener: (runIds: string[]) => void) => () => void;

export interface RunsPageProps {
  client: ApiClient;
  /** Bumped by the owner (e.g. the desktop menu's "Refresh Data") to fetch again. */
  reloadToken?: number;
  /** Rows per `runs.page` request. */
  pageSize?: number;
  shell?: ShellBridge | null;
  now?: () => number;
  /** Opens Compare with the groups of a `compare A vs B` filter. */
  onCompare?: (groups: NonNullable<QueryExplanation['groups']>) => void;
  /** The view state and its setter, when the App keeps it in the URL. */
  view?: ViewState;
  onViewChange?: SetViewState;
  /** Offers "Compare" for the selection (there is a Compare page). */
  canCompare?: boolean;
  liveChanges?: RunChangeSource;
  /** The core's live events (import progress); polling stands in without them. */
  live?: LiveEvents | null;
}

export function RunsPage({ client, reloadToken = 0, pageSize = 200, shell = null, now = Date.now, onCompare, view, onViewChange, canCompare = false, liveChanges, live = null }: RunsPageProps) {
  const [localView, setLocalView] = useState<ViewState>(DEFAULT_VIEW);
  const state = view ?? localView;
  const setView: SetViewState = onViewChange ?? ((patch) => setLocalView((s) => updateViewState(s, patch)));
  const [localReload, setLocalReload] = useState(0);
  const [importing, setImporting] = useState(false);
  const [anchor, setAnchor] = useState<Selection['anchor']>(null);

  const info = useAsync((signal) => client.call('server.info', {}, { signal }), [client]);
  const keys = useAsync((signal) => client.call('runs.keys', {}, { signal }), [client, reloadToken, localReload]);
  const orderBy = orderByFor(state.sort);
  const orderKey = orderBy.join('\n');

  // A new pager per query; the old one stays on screen until the new one has its first page, so a
  // refresh or a new sort does not blank the table.
  const next = useMemo(
    () => new RunPager(client, { filter: state.filter, orderBy: orderKey ? orderKey.split('\n') : [] }, pageSize),
    [client, state.filter, orderKey, pageSize, reloadToken, localReload],
  );
  const [shown, setShown] = useState(next);
  useEffect(() => {
    next.ensure(0, pageSize);
    if (next === shown) return;
    const swap = (): void => {
      const s = next.getSnapshot();
      if (s.total !== null || s.error) setShown((previous) => (previous === next ? previous : (previous.dispose(), next)));
    };
    return next.subscribe(swap);
  }, [next, shown, pageSize]);
  const snapshot = useSyncExternalStore(shown.subscribe, shown.getSnapshot);

  useEffect(() => {
    if (!liveChanges) return;
    // Known rows are replaced in place; a run the table has not seen means the list itself changed.
    return liveChanges((ids) => {
      void shown.refreshRows(ids).then((unknown) => {
        if (unknown.length > 0) setLocalReload((n) => n + 1);
      }, () => undefined);
    });
  }, [liveChanges, shown]);

  const columnIds = state.columns ?? (keys.status === 'ready' ? defaultColumnIds(keys.value) : defaultColumnIds({ params: [], metrics: [], tags: [] }));
  const columnKey = columnIds.join('\u0000');
  // Stable between renders: the table's rows are memoized on these.
  const columns = useMemo(() => visibleColumns(columnKey ? columnKey.split('\u0000') : []), [columnKey]);
  // "Now" for running runs' durations: per query and once a minute, not per page load, which would
  // re-render every memoized row on screen.
  const [minute, setMinute] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setMinute((m) => m + 1), 60_000);
    return () => clearInterval(timer);
  }, []);
  const nowMs = useMemo(() => now(), [now, shown, minute]); // eslint-disable-line react-hooks/exhaustive-deps -- deliberate ticks
  const selection: Selection = { ids: state.selected, anchor };
  const setSelection = (s: Selection): void => {
    setAnchor(s.anchor);
    setView({ selected: s.ids });
  };
  const open = (page: string, patch: Partial<ViewState> = {}): void => setView({ view: page, ...patch }, { push: true });
  const serverInfo = info.status === 'ready' ? info.value : null;
  const n = state.selected.length;

  let body;
  if (snapshot.error && snapshot.total === null) {
    body = <LoadError error={snapshot.error} onRetry={() => setLocalReload((x) => x + 1)} />;
  } else if (snapshot.total === null) {
    body = <p className="state" role="status">Loading runs…</p>;
  } else if (snapshot.total === 0) {
    body = state.filter ? <p className="state">No runs match this filter.</p> : <EmptyState info={serverInfo} />;
  } else {
    body = (
      <RunsTable
        pager={shown}
        columns={columns}
        nowMs={nowMs}
        sort={state.sort}
        onSort={(c) => setView({ sort: nextSort(state.sort, c) })}
        selection={selection}
        onSelectionChange={setSelection}
        onOpen={(id) => open('detail', { run: id })}
        hrefFor={(id) => serializeViewState({ ...state, view: 'detail', run: id }) || '?'}
      />
    );
  }

  return (
    <div className="page">
      <ServerHeader info={info} refreshing={next !== shown} onRefresh={() => setLocalReload((x) => x + 1)} shell={shell} onImport={() => setImporting(true)} />
      <main className="content runs-content">
        <FilterBar client={client} initialText={state.filter} onApply={(filter) => setView({ filter })} onCompare={onCompare} />
        <div className="runs-toolbar">
          <p className="summary" aria-live="polite">
            {snapshot.total === null ? '' : `${snapshot.total.toLocaleString('en-US')} run${snapshot.total === 1 ? '' : 's'}`}
            {n > 0 && ` · ${n} selected`}
          </p>
          {n > 0 && (
            <>
              {canCompare && (
                <button type="button" onClick={() => open('compare')}>
                  Compare {n}
                </button>
              )}
              <button type="button" disabled={n < 2 || n > 10} title="Diff needs 2 to 10 runs" onClick={() => open('diff')}>
                Diff {n}
              </button>
              <button type="button" className="link-button" onClick={() => setSelection(EMPTY_SELECTION)}>
                Clear selection
              </button>
            </>
          )}
          <span className="spacer-flex" />
          <ColumnChooser
            available={keys.status === 'ready' ? availableColumns(keys.value) : []}
            shown={columnIds}
            onToggle={(id) => setView({ columns: toggleColumn(columnIds, id) })}
            onReset={() => setView({ columns: null })}
          />
        </div>
        {body}
      </main>
      {importing && (
        <ImportDialog
          client={client}
          live={live}
          pathOfDropped={shell ? (file) => shell.pathForFile(file) : undefined}
          pick={shell ? (kind) => shell.openImportDialog(kind) : undefined}
          onClose={(imported) => {
            setImporting(false);
            if (imported) setLocalReload((x) => x + 1);
          }}
        />
      )}
    </div>
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
        <code>{`export MLFLOW_TRACKING_URI=${uri}\nexport MLFLOW_TRACKING_TOKEN=$(cat ${tokenFile})`}</code>
      </pre>
      <p className="muted">Then log with the usual mlflow calls; new runs appear here as they log.</p>
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
      {apiError?.isAuthError && <p>This session has no valid token. Open the link that `runledger serve` printed (it carries the token).</p>}
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </section>
  );
}
