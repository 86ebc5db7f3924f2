// Run detail: the summary (status, including INTERRUPTED at its last step), then the five
// dimensions as tabs: code, data, config, context, and metrics and artifacts; then the run's history
// from the tamper-evident audit log.
import { useState } from 'react';
import type { RunDetail } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { useAsync } from '../../app/use-async';
import { formatDuration, formatStart, statusLabel } from '../runs/run-columns';
import { ArtifactBrowser } from './ArtifactBrowser';
import { ArtifactPreview } from './ArtifactPreview';
import { CodeSection } from './CodeSection';
import { ContextSection } from './ContextSection';
import { DataSection } from './DataSection';
import { KeyValueTable } from './KeyValueTable';
import { MetricsSection } from './MetricsSection';
import { RunHistory } from '../audit/RunHistory';
import '../../styles/detail.css';

const TABS = ['Code', 'Data', 'Config', 'Context', 'Metrics', 'Artifacts', 'History'] as const;
type Tab = (typeof TABS)[number];

export interface RunDetailPageProps {
  client: ApiClient;
  runId: string | null;
  now?: () => number;
  /** Back to the runs list. */
  onBack?: () => void;
}

export function RunDetailPage({ client, runId, now = Date.now, onBack }: RunDetailPageProps) {
  const detail = useAsync((signal) => (runId ? client.call('runs.get', { run: runId }, { signal }) : Promise.resolve(null)), [client, runId]);
  if (!runId) return <p className="state">No run chosen: open one from the runs table.</p>;
  if (detail.status === 'loading') return <p className="state" role="status">Loading run {runId}…</p>;
  if (detail.status === 'error') {
    return (
      <section className="state error" role="alert">
        <h2>Could not load run {runId}</h2>
        <p>{detail.error.message}</p>
      </section>
    );
  }
  return detail.value ? <RunDetailView client={client} run={detail.value} nowMs={now()} onBack={onBack} /> : null;
}

export function RunDetailView({ client, run, nowMs, onBack }: { client: ApiClient; run: RunDetail; nowMs: number; onBack?: () => void }) {
  const [tab, setTab] = useState<Tab>('Code');
  const counts: Partial<Record<Tab, number>> = {
    Data: run.provenance.datasets.length,
    Config: Object.keys(run.params).length,
    Metrics: run.metric_summaries.length,
    Artifacts: run.artifacts.length,
  };
  const changed = run.provenance.datasets.some((d) => d.digest_changed);
  return (
    <article className="run-detail" aria-label={`Run ${run.run_name || run.run_id}`}>
      <header className="run-detail-header">
        {onBack && (
          <button type="button" className="link-button" onClick={onBack}>
            ← Runs
          </button>
        )}
        <h2>{run.run_name || run.run_id}</h2>
        <span className={`status status-${run.status.toLowerCase()}`}>{statusLabel(run)}</span>
        {run.lifecycle_stage === 'deleted' && <span className="status status-failed">DELETED{run.delete_reason ? `: ${run.delete_reason}` : ''}</span>}
      </header>
      <dl className="facts run-facts">
        <dt>Run id</dt>
        <dd><code>{run.run_id}</code></dd>
        <dt>Experiment</dt>
        <dd>{run.experiment}</dd>
        <dt>Started</dt>
        <dd>{formatStart(run.start_time)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(run.start_time, run.end_time, nowMs)}{run.end_time === null ? '…' : ''}</dd>
        <dt>User</dt>
        <dd>{run.user_id || '—'}</dd>
      </dl>
      <nav className="detail-tabs" role="tablist" aria-label="Run dimensions">
        {TABS.map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t}
            {counts[t] !== undefined && <span className="muted"> {counts[t]}</span>}
            {t === 'Data' && changed && <span className="warn" title="A dataset changed since earlier runs"> ⚠</span>}
          </button>
        ))}
      </nav>
      <section role="tabpanel" aria-label={tab} className="detail-panel">
        {tab === 'Code' && <CodeSection client={client} run={run} />}
        {tab === 'Data' && <DataSection client={client} datasets={run.provenance.datasets} />}
        {tab === 'Config' && (
          <>
            <h3>Params</h3>
            <KeyValueTable label="Params" entries={Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b))} />
            <h3>Tags</h3>
            <KeyValueTable label="Tags" entries={Object.entries(run.tags).sort(([a], [b]) => a.localeCompare(b))} />
          </>
        )}
        {tab === 'Context' && <ContextSection env={run.provenance.environment} />}
        {tab === 'Metrics' && <MetricsSection metrics={run.metric_summaries} />}
        {tab === 'Artifacts' && <ArtifactBrowser artifacts={run.artifacts} preview={(p) => <ArtifactPreview key={p} client={client} runId={run.run_id} path={p} />} />}
        {tab === 'History' && <RunHistory client={client} runId={run.run_id} />}
      </section>
    </article>
  );
}
