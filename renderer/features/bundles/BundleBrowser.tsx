// The runs of an opened bundle, read-only (issue #6): a list to choose from, and the chosen run's
// params, plots and artifacts, all read from the verified bundle without importing it.
import { useState } from 'react';
import type { BundleBrowse } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { BundleRunView } from './BundleRunView';

export function BundleBrowser({ client, path, browse }: { client: ApiClient; path: string; browse: BundleBrowse }) {
  const runs = browse.report.runs;
  const [chosen, setChosen] = useState<string | null>(runs.length === 1 ? runs[0].run_id : null);
  const run = runs.find((r) => r.run_id === chosen) ?? null;
  return (
    <section className="bundle-browser" aria-label="Runs in the bundle">
      <h4>Runs in this bundle (read-only, not imported)</h4>
      <ul className="bundle-run-list">
        {runs.map((r) => (
          <li key={r.run_id}>
            <button type="button" className="link-button" aria-current={r.run_id === chosen ? 'true' : undefined} onClick={() => setChosen(r.run_id)}>
              {r.run_name || r.run_id}
            </button>{' '}
            <span className="muted small">
              {r.experiment} · {r.status} · {Object.keys(r.params).length} params · {r.metrics.length} metrics · {r.artifacts.length} artifacts
            </span>
          </li>
        ))}
      </ul>
      {run ? <BundleRunView key={run.run_id} client={client} path={path} run={run} series={browse.series[run.run_id] ?? []} /> : <p className="muted">Choose a run to see its params, plots and artifacts.</p>}
    </section>
  );
}
