// One run of a bundle being browsed (nothing imported): its params, a plot per metric from the
// bundle's Parquet, its final metrics, and its artifacts with previews read from the bundle.
import { useMemo } from 'react';
import type { BundleRunInfo } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { ArtifactBrowser } from '../detail/ArtifactBrowser';
import { LoadedPreview } from '../detail/ArtifactPreview';
import { KeyValueTable } from '../detail/KeyValueTable';
import { BundleMetricPlot } from './BundleMetricPlot';

export interface BundleRunViewProps {
  client: ApiClient;
  path: string;
  run: BundleRunInfo;
  series: readonly { key: string; points: number }[];
}

const metricText = (v: number | string): string => (typeof v === 'number' ? String(+v.toPrecision(6)) : v);

export function BundleRunView({ client, path, run, series }: BundleRunViewProps) {
  const info = useMemo(() => ({ runId: run.run_id, name: run.run_name || run.run_id, startTime: run.start_time, params: run.params }), [run]);
  return (
    <section className="bundle-run" aria-label={`Run ${run.run_name || run.run_id}`}>
      <h4>
        {run.run_name || run.run_id} <span className="muted small">{run.run_id} · {run.experiment} · {run.status}</span>
      </h4>
      <h5>Params</h5>
      <KeyValueTable label="Params" entries={Object.entries(run.params)} />
      <h5>Metrics</h5>
      <KeyValueTable label="Final metrics" entries={run.metrics.map((m) => [m.key, `${metricText(m.value)} (step ${m.step})`] as const)} />
      <div className="bundle-plots">
        {series.map((s) => (
          <BundleMetricPlot key={s.key} client={client} path={path} run={info} metric={s.key} points={s.points} />
        ))}
      </div>
      <h5>Artifacts</h5>
      <ArtifactBrowser
        artifacts={run.artifacts}
        preview={(artifact) => (
          <LoadedPreview
            key={artifact}
            path={artifact}
            load={(signal) => client.call('bundle.artifact', { path, run: run.run_id, artifact }, { signal })}
            deps={[client, path, run.run_id, artifact]}
          />
        )}
      />
    </section>
  );
}
