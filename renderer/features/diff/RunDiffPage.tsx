// Diff: 2 to 10 runs side by side. Only the rows that differ by default (a toggle shows all):
// params, environment, packages (added / removed / changed against the first run), datasets,
// code (and each run's uncommitted diff), final metrics. Compatibility warnings go on top.
import { useState } from 'react';
import type { RunDetail } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { useAsync } from '../../app/use-async';
import { ArtifactPreview } from '../detail/ArtifactPreview';
import { diffRuns, visibleRows, type DiffRow, type PackageRow } from './run-diff';
import '../../styles/detail.css';

export const MIN_DIFF_RUNS = 2;
export const MAX_DIFF_RUNS = 10;

export interface RunDiffPageProps {
  client: ApiClient;
  runIds: readonly string[];
  onOpenRun?: (runId: string) => void;
}

export function RunDiffPage({ client, runIds, onOpenRun }: RunDiffPageProps) {
  const key = runIds.join(',');
  const details = useAsync(
    (signal) => Promise.all(runIds.slice(0, MAX_DIFF_RUNS).map((run) => client.call('runs.get', { run }, { signal }))),
    [client, key],
  );
  if (runIds.length < MIN_DIFF_RUNS || runIds.length > MAX_DIFF_RUNS) {
    return <p className="state">Select {MIN_DIFF_RUNS} to {MAX_DIFF_RUNS} runs in the runs table to diff them ({runIds.length} selected).</p>;
  }
  if (details.status === 'loading') return <p className="state" role="status">Loading {runIds.length} runs…</p>;
  if (details.status === 'error') {
    return (
      <section className="state error" role="alert">
        <h2>Could not load the runs to diff</h2>
        <p>{details.error.message}</p>
      </section>
    );
  }
  return <RunDiffView client={client} runs={details.value} onOpenRun={onOpenRun} />;
}

export function RunDiffView({ client, runs, onOpenRun }: { client: ApiClient; runs: readonly RunDetail[]; onOpenRun?: (runId: string) => void }) {
  const [showAll, setShowAll] = useState(false);
  const diff = diffRuns(runs);
  const heads = diff.runs.map((r) => (
    <th key={r.run_id} scope="col" title={r.run_id}>
      {onOpenRun ? (
        <button type="button" className="link-button" onClick={() => onOpenRun(r.run_id)}>
          {r.name}
        </button>
      ) : (
        r.name
      )}
    </th>
  ));
  const section = (title: string, rows: readonly DiffRow[], extra?: (r: DiffRow) => string | null) => {
    const shown = visibleRows(rows, showAll);
    return (
      <section aria-label={title}>
        <h3>
          {title} <span className="muted">{rows.filter((r) => r.differs).length} differ of {rows.length}</span>
        </h3>
        {shown.length === 0 ? (
          <p className="muted">{rows.length === 0 ? 'None recorded.' : 'All the same.'}</p>
        ) : (
          <table aria-label={title}>
            <thead>
              <tr>
                <th scope="col">Key</th>
                {extra && <th scope="col">Change</th>}
                {heads}
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.key} data-key={r.key} className={r.warning ? 'compat' : undefined}>
                  <th scope="row" title={r.warning}>
                    {r.key}
                    {r.warning && <span aria-label="compatibility warning"> ⚠</span>}
                  </th>
                  {extra && <td>{extra(r)}</td>}
                  {r.values.map((v, i) => (
                    <td key={i} className={`${r.differs ? 'differs' : ''}${v === null ? ' missing' : ''}`}>
                      {v ?? '—'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    );
  };
  return (
    <article className="run-diff" aria-label="Run diff">
      <header className="run-detail-header">
        <h2>Diff of {runs.length} runs</h2>
        <label>
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> Show all rows
        </label>
      </header>
      {diff.warnings.length > 0 && (
        <ul className="warning" role="alert" aria-label="Compatibility warnings">
          {diff.warnings.map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      )}
      {section('Params', diff.params)}
      {section('Environment', diff.environment)}
      {section('Packages', diff.packages, (r) => (r as PackageRow).change)}
      {section('Datasets', diff.datasets)}
      {section('Code', diff.code)}
      <UncommittedDiffs client={client} runs={runs} />
      {section('Final metrics', diff.metrics)}
    </article>
  );
}

function UncommittedDiffs({ client, runs }: { client: ApiClient; runs: readonly RunDetail[] }) {
  const dirty = runs.filter((r) => r.provenance.code?.diff_artifact);
  if (dirty.length === 0) return null;
  return (
    <section aria-label="Uncommitted diffs">
      {dirty.map((r) => (
        <details key={r.run_id}>
          <summary>Uncommitted diff of {r.run_name || r.run_id}</summary>
          <ArtifactPreview client={client} runId={r.run_id} path={r.provenance.code!.diff_artifact!} />
        </details>
      ))}
    </section>
  );
}
