// Compare's settings in the URL: the view state keeps chart settings as a string map (`c.<key>` in
// the query string, renderer/app/view-state.ts); this reads and writes the typed settings from it.
// Default values are left out so URLs stay short.
import type { SeriesXAxis } from '../../../native/api/contract';

export interface RunTransform {
  /** Added to the run's steps after scaling: lines up a resumed run or a run that counted differently. */
  offset: number;
  scale: number;
}

export interface CompareSettings {
  metrics: string[];
  xAxis: SeriesXAxis;
  /** EMA weight in [0, 1); 0 is off. */
  smoothing: number;
  logScale: boolean;
  /** A param key: runs with equal values share a colour and a legend entry. */
  groupBy: string | null;
  offsets: Record<string, RunTransform>;
}

export const DEFAULT_COMPARE: CompareSettings = { metrics: [], xAxis: 'step', smoothing: 0, logScale: false, groupBy: null, offsets: {} };

const enc = (s: string): string => s.replace(/[%,:]/g, encodeURIComponent);
const dec = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

export function xAxisKey(x: SeriesXAxis): string {
  return typeof x === 'string' ? x : `metric:${x.metric}`;
}

export function parseXAxis(text: string | undefined): SeriesXAxis {
  if (text === 'relative_time' || text === 'wall_time' || text === 'epoch' || text === 'step') return text;
  if (text?.startsWith('metric:') && text.length > 7) return { metric: text.slice(7) };
  return 'step';
}

export function parseCompareSettings(chart: Record<string, string>): CompareSettings {
  const smoothing = Number(chart.s);
  const offsets: Record<string, RunTransform> = {};
  for (const item of (chart.off ?? '').split(',').filter(Boolean)) {
    const [run, offset, scale] = item.split(':');
    const o = Number(offset);
    const k = scale === undefined || scale === '' ? 1 : Number(scale);
    if (run && Number.isFinite(o) && Number.isFinite(k) && k !== 0) offsets[dec(run)] = { offset: o, scale: k };
  }
  return {
    metrics: (chart.m ?? '').split(',').filter(Boolean).map(dec),
    xAxis: parseXAxis(chart.x),
    smoothing: Number.isFinite(smoothing) && smoothing > 0 && smoothing < 1 ? smoothing : 0,
    logScale: chart.log === '1',
    groupBy: chart.g ? chart.g : null,
    offsets,
  };
}

/** The chart map to merge into the view state: '' removes a key (updateViewState's convention). */
export function serializeCompareSettings(s: CompareSettings): Record<string, string> {
  const offsets = Object.entries(s.offsets)
    .filter(([, t]) => t.offset !== 0 || t.scale !== 1)
    .map(([run, t]) => `${enc(run)}:${t.offset}${t.scale === 1 ? '' : `:${t.scale}`}`);
  return {
    m: s.metrics.map(enc).join(','),
    x: s.xAxis === 'step' ? '' : xAxisKey(s.xAxis),
    s: s.smoothing > 0 ? String(s.smoothing) : '',
    log: s.logScale ? '1' : '',
    g: s.groupBy ?? '',
    off: offsets.join(','),
  };
}
