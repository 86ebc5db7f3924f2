// Metrics: one row per key with the latest value and step, min, max and point count. NaN and
// infinities are shown as they are, never hidden.
import type { MetricSummary } from '../../../native/api/contract';
import { formatMetric } from '../runs/run-columns';

export function MetricsSection({ metrics }: { metrics: readonly MetricSummary[] }) {
  if (metrics.length === 0) return <p className="muted">This run logged no metrics.</p>;
  return (
    <table className="kv-table metrics-table" aria-label="Metrics">
      <thead>
        <tr>
          <th>Metric</th>
          <th className="numeric">Latest</th>
          <th className="numeric">Step</th>
          <th className="numeric">Min</th>
          <th className="numeric">Max</th>
          <th className="numeric">Points</th>
        </tr>
      </thead>
      <tbody>
        {[...metrics].sort((a, b) => a.key.localeCompare(b.key)).map((m) => (
          <tr key={m.key}>
            <th scope="row">{m.key}</th>
            <td className="numeric">{formatMetric(m.value)}</td>
            <td className="numeric">{m.step}</td>
            <td className="numeric">{m.min === null ? '' : formatMetric(m.min)}</td>
            <td className="numeric">{m.max === null ? '' : formatMetric(m.max)}</td>
            <td className="numeric">{m.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
