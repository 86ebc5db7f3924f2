// Compare's settings form: metrics to chart, x axis, smoothing, log scale, colour/group by a param,
// and per-run step offset and scale (to line up resumed runs or runs that counted steps differently).
import type { SeriesXAxis } from '../../../native/api/contract';
import { parseXAxis, xAxisKey, type CompareSettings, type RunTransform } from './compare-settings';
import type { RunInfo } from './series-view';

export interface CompareControlsProps {
  settings: CompareSettings;
  /** Metrics charted now (the chosen ones, or the default choice). */
  metrics: readonly string[];
  keys: readonly string[];
  paramKeys: readonly string[];
  runs: readonly RunInfo[];
  onChange: (patch: Partial<CompareSettings>) => void;
}

const AXES: { value: SeriesXAxis; label: string }[] = [
  { value: 'step', label: 'Step' },
  { value: 'relative_time', label: 'Relative time' },
  { value: 'wall_time', label: 'Wall time' },
  { value: 'epoch', label: 'Epoch' },
];

export function CompareControls({ settings, metrics, keys, paramKeys, runs, onChange }: CompareControlsProps) {
  const toggle = (k: string): void => onChange({ metrics: metrics.includes(k) ? metrics.filter((m) => m !== k) : [...metrics, k] });
  const setTransform = (runId: string, patch: Partial<RunTransform>): void => {
    const t = { ...(settings.offsets[runId] ?? { offset: 0, scale: 1 }), ...patch };
    onChange({ offsets: { ...settings.offsets, [runId]: t } });
  };
  return (
    <div className="compare-controls">
      <fieldset className="compare-metrics">
        <legend>Metrics</legend>
        {keys.map((k) => (
          <label key={k} className="chip-toggle">
            <input type="checkbox" checked={metrics.includes(k)} onChange={() => toggle(k)} /> {k}
          </label>
        ))}
      </fieldset>
      <label>
        X axis{' '}
        <select aria-label="X axis" value={xAxisKey(settings.xAxis)} onChange={(e) => onChange({ xAxis: parseXAxis(e.target.value) })}>
          {AXES.map((a) => (
            <option key={xAxisKey(a.value)} value={xAxisKey(a.value)}>
              {a.label}
            </option>
          ))}
          {keys.filter((k) => k !== 'epoch').map((k) => (
            <option key={k} value={`metric:${k}`}>
              Metric: {k}
            </option>
          ))}
        </select>
      </label>
      <label>
        Smoothing{' '}
        <input aria-label="Smoothing" type="range" min={0} max={0.99} step={0.01} value={settings.smoothing} onChange={(e) => onChange({ smoothing: Number(e.target.value) })} />
        <output>{settings.smoothing.toFixed(2)}</output>
      </label>
      <label>
        <input type="checkbox" aria-label="Log scale" checked={settings.logScale} onChange={(e) => onChange({ logScale: e.target.checked })} /> Log scale
      </label>
      <label>
        Group by{' '}
        <select aria-label="Group by" value={settings.groupBy ?? ''} onChange={(e) => onChange({ groupBy: e.target.value || null })}>
          <option value="">(run)</option>
          {paramKeys.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <details className="compare-offsets">
        <summary>Step offset and scale per run</summary>
        <table>
          <thead>
            <tr>
              <th>Run</th>
              <th>Offset</th>
              <th>Scale</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const t = settings.offsets[r.runId] ?? { offset: 0, scale: 1 };
              return (
                <tr key={r.runId}>
                  <td>{r.name}</td>
                  <td>
                    <input aria-label={`Offset ${r.name}`} type="number" value={t.offset} onChange={(e) => Number.isFinite(e.target.valueAsNumber) && setTransform(r.runId, { offset: e.target.valueAsNumber })} />
                  </td>
                  <td>
                    <input aria-label={`Scale ${r.name}`} type="number" step="any" value={t.scale} onChange={(e) => e.target.valueAsNumber && setTransform(r.runId, { scale: e.target.valueAsNumber })} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </details>
    </div>
  );
}
