// The verification report of one bundle: the trust badge, every check in order, the signer, the
// digest, and the runs inside (read-only), with what a signature does and does not prove.
import type { BundleReport } from '../../../native/api/contract';
import { formatBytes, trustBadge } from './bundle-text';

export function BundleReportView({ report }: { report: BundleReport }) {
  const badge = trustBadge(report);
  return (
    <section className="bundle-report" aria-label="Verification report">
      <p className={`bundle-badge bundle-${badge.tone}`} role="status">
        <strong>{badge.label}</strong> <span>{badge.detail}</span>
      </p>
      {report.digest && (
        <p className="muted">
          Bundle digest <code>{report.digest}</code> · {report.payload_files} files, {formatBytes(report.payload_bytes)}
        </p>
      )}
      <ol className="bundle-checks">
        {report.checks.map((c) => (
          <li key={`${c.step}-${c.name}`} className={c.ok ? 'check-ok' : 'check-fail'}>
            <span aria-label={c.ok ? 'passed' : 'failed'}>{c.ok ? '✓' : '✗'}</span> {c.step}. {c.name}: <span className="muted">{c.detail}</span>
          </li>
        ))}
      </ol>
      {report.warnings.map((w) => (
        <p key={w} className="bundle-warn">
          {w}
        </p>
      ))}
      {report.valid && (
        <p className="muted small">A signature proves who asserted these bytes, not that the run happened as described, nor when (times are the workstation's clock).</p>
      )}
      {report.runs.length > 0 && (
        <table className="bundle-runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Experiment</th>
              <th>Status</th>
              <th>Metrics</th>
              <th>Params</th>
              <th>Artifacts</th>
            </tr>
          </thead>
          <tbody>
            {report.runs.map((r) => (
              <tr key={r.run_id}>
                <td>
                  {r.run_name || r.run_id}
                  <div className="muted small">{r.run_id}</div>
                </td>
                <td>{r.experiment}</td>
                <td>{r.status}</td>
                <td>{r.metrics.slice(0, 4).map((m) => `${m.key} ${typeof m.value === 'number' ? +m.value.toPrecision(5) : m.value}`).join(', ')}</td>
                <td>{Object.entries(r.params).slice(0, 4).map(([k, v]) => `${k}=${v}`).join(', ')}</td>
                <td>{r.artifacts.map((a) => a.path).slice(0, 3).join(', ')}{r.artifacts.length > 3 ? ` +${r.artifacts.length - 3}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
