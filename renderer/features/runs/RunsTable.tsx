// The runs table: fixed columns, then the most common metrics and params. Plain rows for now; the
// virtualized table for 100k runs (DESIGN §5) replaces the body without changing these columns.
import type { RunSummary } from '../../../native/api/contract';
import { formatDuration, formatMetric, formatStart, pickColumns, statusLabel } from './run-columns';

export interface RunsTableProps {
  runs: readonly RunSummary[];
  nowMs: number;
}

/** Running runs count up to now ("…"); a run with no end that is not running has no duration. */
function durationText(run: RunSummary, nowMs: number): string {
  if (run.end_time !== null) return formatDuration(run.start_time, run.end_time, nowMs);
  return run.status === 'RUNNING' ? `${formatDuration(run.start_time, null, nowMs)}…` : '';
}

export function RunsTable({ runs, nowMs }: RunsTableProps) {
  const columns = pickColumns(runs);
  return (
    <div className="table-scroll">
      <table className="runs-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Experiment</th>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
            {columns.metrics.map((key) => (
              <th scope="col" key={`m:${key}`} className="numeric" title={`metric ${key} (latest)`}>
                {key}
              </th>
            ))}
            {columns.params.map((key) => (
              <th scope="col" key={`p:${key}`} className="param" title={`param ${key}`}>
                {key}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.run_id} data-run-id={run.run_id}>
              <th scope="row" className="run-name" title={run.run_id}>
                {run.run_name || run.run_id.slice(0, 8)}
              </th>
              <td>
                <span className={`status status-${run.status.toLowerCase()}`}>{statusLabel(run)}</span>
              </td>
              <td>{run.experiment}</td>
              <td>{formatStart(run.start_time)}</td>
              <td className="numeric">{durationText(run, nowMs)}</td>
              {columns.metrics.map((key) => (
                <td key={`m:${key}`} className="numeric">
                  {formatMetric(run.metrics[key])}
                </td>
              ))}
              {columns.params.map((key) => (
                <td key={`p:${key}`} className="param">
                  {run.params[key] ?? ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
