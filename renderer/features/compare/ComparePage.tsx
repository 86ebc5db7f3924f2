// Compare: the selected runs overlaid, one chart per chosen metric. The selection and every setting
// live in the URL (renderer/app/view-state.ts, chart settings through compare-settings.ts), so a
// comparison can be bookmarked and reopened.
import { useMemo } from 'react';
import type { ApiClient } from '../../api/api-client';
import type { LiveEvents } from '../../api/live-events';
import { useAsync } from '../../app/use-async';
import type { SetViewState } from '../../app/use-view-state';
import type { ViewState } from '../../app/view-state';
import { CompareControls } from './CompareControls';
import { parseCompareSettings, serializeCompareSettings, type CompareSettings } from './compare-settings';
import { MetricPanel } from './MetricPanel';
import './compare.css';
import type { RunInfo } from './series-view';

export interface ComparePageProps {
  client: ApiClient;
  view: ViewState;
  onViewChange: SetViewState;
  live?: LiveEvents | null;
  /** Called after each completed chart paint (benchmark and tests). */
  onPainted?: (metric: string) => void;
}

/** Without a choice, the first few metrics, losses first: what people open Compare to look at. */
export function defaultMetrics(keys: readonly string[], n = 4): string[] {
  const loss = keys.filter((k) => /loss/i.test(k));
  return [...loss, ...keys.filter((k) => !loss.includes(k))].slice(0, n);
}

export function ComparePage({ client, view, onViewChange, live, onPainted }: ComparePageProps) {
  const selectedKey = view.selected.join('\n');
  const rows = useAsync((signal) => client.call('runs.rows', { ids: view.selected }, { signal }), [client, selectedKey]);
  const settings = useMemo(() => parseCompareSettings(view.chart), [view.chart]);
  const runs = useMemo<RunInfo[]>(() => {
    if (rows.status !== 'ready') return [];
    const byId = new Map(rows.value.map((r) => [r.run_id, r]));
    // Selection order, so colours stay put when a run is added.
    return view.selected.flatMap((id) => {
      const r = byId.get(id);
      return r ? [{ runId: r.run_id, name: r.run_name || r.run_id, startTime: r.start_time, params: r.params }] : [];
    });
  }, [rows, selectedKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const keys = useMemo(() => (rows.status === 'ready' ? [...new Set(rows.value.flatMap((r) => Object.keys(r.metrics)))].sort() : []), [rows]);
  const paramKeys = useMemo(() => (rows.status === 'ready' ? [...new Set(rows.value.flatMap((r) => Object.keys(r.params)))].sort() : []), [rows]);
  const metrics = settings.metrics.length > 0 ? settings.metrics : defaultMetrics(keys);
  const update = (patch: Partial<CompareSettings>): void => onViewChange({ chart: serializeCompareSettings({ ...settings, metrics, ...patch }) });

  // Metrics named in the URL load at once, in parallel with the run names (first paint matters);
  // without them, the default choice needs the runs' keys first.
  const panels = metrics.length > 0 && (
    <div className="compare-grid">
      {metrics.map((m) => (
        <MetricPanel key={m} client={client} metric={m} runIds={view.selected} runs={runs} settings={settings} live={live} onPainted={onPainted} />
      ))}
    </div>
  );
  // One tree shape whatever loads first: a panel that moved in the tree would remount and fetch again.
  let notice = null;
  if (view.selected.length === 0) notice = <p className="state">Select runs in the table, then choose Compare.</p>;
  else if (rows.status === 'error') notice = <p className="state error" role="alert">Could not load the runs: {rows.error.message}</p>;
  else if (rows.status === 'loading') notice = panels ? null : <p className="state" role="status">Loading runs…</p>;
  else if (keys.length === 0) notice = <p className="state">These runs have no metrics yet.</p>;
  const body = (
    <>
      {notice}
      {rows.status === 'ready' && keys.length > 0 && (
        <CompareControls settings={settings} metrics={metrics} keys={keys} paramKeys={paramKeys} runs={runs} onChange={update} />
      )}
      {view.selected.length > 0 && rows.status !== 'error' && panels}
    </>
  );

  return (
    <div className="page compare-page">
      <header className="compare-head">
        <button type="button" className="link-button" onClick={() => onViewChange({ view: 'runs' }, { push: true })}>
          ← Runs
        </button>
        <h1>
          Compare {runs.length > 0 ? `${runs.length} run${runs.length === 1 ? '' : 's'}` : ''}
        </h1>
      </header>
      <main className="content">{body}</main>
    </div>
  );
}
