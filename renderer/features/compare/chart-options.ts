// The ECharts option of one Compare chart, built by a pure function (chart components only mount it):
// raw lines (faint when smoothed) and smoothed lines per run, NaN/±Inf and resume markers as
// vertical mark lines with counts, log or linear y, a time or value x, zoom that re-queries, and a
// tooltip with run, step, value and time. No sampling in ECharts: the core already kept each pixel's
// min and max, and ECharts' own sampling could drop them again.
import type { SeriesXAxis } from '../../../native/api/contract';
import { DIMS, type PlotMarker, type PlotSeries } from './series-view';

export interface ChartInput {
  metric: string;
  series: readonly PlotSeries[];
  xAxis: SeriesXAxis;
  smoothing: number;
  logScale: boolean;
  /** The zoomed x range, kept across re-renders; null shows everything. */
  zoom: readonly [number, number] | null;
}

const MARKER_LABEL = ['NaN', '+Inf', '−Inf', 'resume'];

export function xAxisTitle(x: SeriesXAxis): string {
  if (x === 'step') return 'step';
  if (x === 'relative_time') return 'relative time (s)';
  if (x === 'wall_time') return 'wall time';
  if (x === 'epoch') return 'epoch';
  return x.metric;
}

/** "NaN 3 · +Inf 1" over all runs, or '' when every value was finite. */
export function nonFiniteSummary(series: readonly PlotSeries[]): string {
  let nan = 0, pos = 0, neg = 0;
  for (const s of series) (nan += s.nan), (pos += s.posInf), (neg += s.negInf);
  return [nan && `NaN ${nan}`, pos && `+Inf ${pos}`, neg && `−Inf ${neg}`].filter(Boolean).join(' · ');
}

/** Values a log axis cannot place (<= 0), counted so the chart says so instead of hiding them quietly. */
export function nonPositiveCount(series: readonly PlotSeries[]): number {
  let n = 0;
  for (const s of series) for (let i = 1; i < s.data.length; i += DIMS) if (s.data[i] <= 0) n++;
  return n;
}

function markLine(markers: readonly PlotMarker[], color: string) {
  return {
    silent: false,
    symbol: 'none',
    animation: false,
    data: markers
      .filter((m) => Number.isFinite(m.x))
      .map((m) => ({
        xAxis: m.x,
        name: m.kind === 3 ? `resume ${m.count} at step ${m.step}` : `${MARKER_LABEL[m.kind]} ×${m.count} at step ${m.step}`,
        lineStyle: { color: m.kind === 3 ? color : '#d62728', type: m.kind === 3 ? 'dotted' : 'dashed', width: 1, opacity: 0.8 },
        label: { show: true, formatter: m.kind === 3 ? '⟲' : `${MARKER_LABEL[m.kind]}${m.count > 1 ? ` ×${m.count}` : ''}`, color: m.kind === 3 ? color : '#d62728', fontSize: 10 },
      })),
  };
}

export function formatX(x: SeriesXAxis, v: number): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v ?? '');
  if (x === 'wall_time') return new Date(v).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return Number.isInteger(v) ? String(v) : v.toPrecision(6);
}

export interface TooltipItem {
  seriesId?: string;
  dataIndex?: number;
  value?: unknown;
}

/**
 * The [x, y, step, ts] row a tooltip item points at, read from our own arrays by series id and data
 * index: ECharts' `value` for TypedArray data is not reliable across option updates.
 */
export function tooltipPoint(it: TooltipItem, data: ReadonlyMap<string, Float64Array>): ArrayLike<number> | undefined {
  const arr = data.get(String(it.seriesId ?? ''));
  const i = it.dataIndex;
  if (arr && typeof i === 'number' && i >= 0 && (i + 1) * DIMS <= arr.length) return arr.subarray(i * DIMS, (i + 1) * DIMS);
  return Array.isArray(it.value) || ArrayBuffer.isView(it.value) ? (it.value as ArrayLike<number>) : undefined;
}

/** One tooltip row per series: run, value, step, time. */
export function tooltipRows(items: readonly TooltipItem[], names: ReadonlyMap<string, string>, data: ReadonlyMap<string, Float64Array> = new Map()): string[] {
  const rows: string[] = [];
  for (const it of items) {
    const v = tooltipPoint(it, data);
    if (!v || !Number.isFinite(v[1])) continue;
    const id = String(it.seriesId ?? '');
    const smooth = id.endsWith(':smooth');
    const name = names.get(smooth ? id.slice(0, -7) : id) ?? id;
    const time = Number.isFinite(v[3]) ? new Date(v[3]).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
    rows.push(`${escapeHtml(name)}${smooth ? ' (smoothed)' : ''}: ${formatValue(v[1])} · step ${v[2]} · ${time}`);
  }
  return rows;
}

export function formatTick(v: number): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return String(v ?? '');
  return Number(v.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One line series over [x, y, step, ts] rows: exact min/max points from the core, so no sampling, no animation, one frame. */
function line(id: string, s: PlotSeries, data: Float64Array, lineStyle: { width: number; opacity?: number }) {
  return {
    id,
    name: s.label,
    type: 'line' as const,
    data,
    dimensions: ['x', 'y', 'step', 'ts'],
    encode: { x: 0, y: 1 },
    showSymbol: false,
    symbol: 'none',
    sampling: undefined,
    animation: false,
    progressive: 0,
    connectNulls: false,
    color: s.color,
    lineStyle,
    emphasis: { disabled: true },
  };
}

export function buildChartOptions(input: ChartInput) {
  const { series, smoothing, logScale, xAxis, zoom } = input;
  const names = new Map(series.map((s) => [s.runId, s.runName]));
  const data = new Map<string, Float64Array>();
  for (const s of series) {
    data.set(s.runId, s.data);
    if (s.smoothed) data.set(`${s.runId}:smooth`, s.smoothed);
  }
  const notes = [nonFiniteSummary(series)];
  if (logScale) {
    const n = nonPositiveCount(series);
    if (n > 0) notes.push(`${n} value${n === 1 ? '' : 's'} ≤ 0 not drawn on log scale`);
  }
  const lines = [];
  for (const s of series) {
    lines.push({ ...line(s.runId, s, s.data, { width: 1.25, opacity: smoothing > 0 ? 0.25 : 1 }), markLine: markLine(s.markers, s.color) });
    if (s.smoothed) lines.push({ ...line(`${s.runId}:smooth`, s, s.smoothed, { width: 1.5 }), z: 3 });
  }
  const legend = [...new Set(series.map((s) => s.label))];
  return {
    animation: false,
    title: { text: input.metric, subtext: notes.filter(Boolean).join(' · '), left: 8, top: 4, textStyle: { fontSize: 13 }, subtextStyle: { color: '#d62728' } },
    legend: { type: 'scroll' as const, data: legend, top: 4, right: 8, left: 160 },
    grid: { left: 56, right: 24, top: 56, bottom: 64, containLabel: false },
    xAxis: {
      type: xAxis === 'wall_time' ? ('time' as const) : ('value' as const),
      name: xAxisTitle(xAxis),
      nameLocation: 'middle' as const,
      nameGap: 24,
      min: 'dataMin',
      max: 'dataMax',
      scale: true,
      // The zoomed range's ends are arbitrary doubles: round the edge labels instead of printing 16 digits.
      ...(xAxis === 'wall_time' ? {} : { axisLabel: { formatter: formatTick } }),
    },
    yAxis: { type: logScale ? ('log' as const) : ('value' as const), scale: true },
    dataZoom: [
      // throttle 0: redraw on every wheel step; the server already bounded what there is to draw.
      { type: 'inside' as const, xAxisIndex: 0, filterMode: 'none' as const, throttle: 0, ...(zoom ? { startValue: zoom[0], endValue: zoom[1] } : { start: 0, end: 100 }) },
      { type: 'slider' as const, xAxisIndex: 0, filterMode: 'none' as const, throttle: 0, height: 16, bottom: 8, ...(zoom ? { startValue: zoom[0], endValue: zoom[1] } : { start: 0, end: 100 }) },
    ],
    tooltip: {
      trigger: 'axis' as const,
      axisPointer: { type: 'line' as const, animation: false },
      confine: true,
      formatter: (params: unknown) => {
        const items = (Array.isArray(params) ? params : [params]) as TooltipItem[];
        const first = items.map((it) => tooltipPoint(it, data)).find((v) => v && Number.isFinite(v[0]));
        const head = first ? `${xAxisTitle(xAxis)} ${formatX(xAxis, first[0])}` : '';
        return [head, ...tooltipRows(items, names, data)].join('<br/>');
      },
    },
    series: lines,
  };
}

export type ChartOption = ReturnType<typeof buildChartOptions>;
