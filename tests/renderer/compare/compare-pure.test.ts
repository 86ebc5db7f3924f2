// Compare's pure pieces: debiased EMA, settings in the URL, series → typed plot data (segment
// breaks, offsets, markers), the zoom's step ranges, the chart option builder and the CSV export.
import { describe, expect, it } from 'vitest';
import { debiasedEma } from '../../../renderer/features/compare/ema';
import { parseCompareSettings, serializeCompareSettings, DEFAULT_COMPARE } from '../../../renderer/features/compare/compare-settings';
import { DIMS, plotSeries, stepRangeFor, appendTail, type DecodedSeries, type RunInfo } from '../../../renderer/features/compare/series-view';
import { buildChartOptions, formatValue, nonFiniteSummary, tooltipRows } from '../../../renderer/features/compare/chart-options';
import { compareCsv } from '../../../renderer/features/compare/compare-csv';
import { defaultMetrics } from '../../../renderer/features/compare/ComparePage';
import { parseViewState, serializeViewState, updateViewState } from '../../../renderer/app/view-state';

describe('debiasedEma', () => {
  it.each([
    { name: 'weight 0 is the identity', values: [1, 2, 3], w: 0, out: [1, 2, 3] },
    // TensorBoard: first smoothed point equals the first value (debiased), not (1-w)·v.
    { name: 'first point is not pulled to zero', values: [10, 10, 10], w: 0.9, out: [10, 10, 10] },
    { name: 'a step responds gradually', values: [0, 1], w: 0.5, out: [0, 0.5 / 0.75] },
    { name: 'non-finite values pass through and do not poison the rest', values: [1, NaN, Infinity, 1], w: 0.6, out: [1, NaN, Infinity, 1] },
  ])('$name', ({ values, w, out }) => {
    const got = Array.from(debiasedEma(values, w));
    got.forEach((v, i) => (Number.isNaN(out[i]) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(out[i], 12)));
  });

  it('matches the TensorBoard formula on a random walk', () => {
    const values = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3 + i / 10);
    const w = 0.8;
    let last = 0;
    const expected = values.map((v, i) => {
      last = last * w + (1 - w) * v;
      return last / (1 - w ** (i + 1));
    });
    Array.from(debiasedEma(values, w)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });
});

describe('compare settings in the URL', () => {
  it.each([
    { name: 'defaults leave the URL empty', s: DEFAULT_COMPARE, url: '' },
    {
      name: 'everything set',
      s: { metrics: ['val/loss', 'acc,top1'], xAxis: { metric: 'lr:sched' }, smoothing: 0.6, logScale: true, groupBy: 'lr', offsets: { 'run-a': { offset: 1000, scale: 2 }, 'run:b': { offset: -5, scale: 1 } } },
      url: '?view=compare&sel=run-a&c.g=lr&c.log=1&c.m=val%2Floss%2Cacc%252Ctop1&c.off=run-a%3A1000%3A2%2Crun%253Ab%3A-5&c.s=0.6&c.x=metric%3Alr%3Asched',
    },
  ])('$name round-trips', ({ s, url }) => {
    const view = updateViewState(parseViewState(url ? '?view=compare&sel=run-a' : ''), { chart: serializeCompareSettings(s) });
    expect(serializeViewState(view)).toBe(url);
    expect(parseCompareSettings(parseViewState(url).chart)).toEqual(s);
  });

  it('ignores nonsense', () => {
    expect(parseCompareSettings({ s: '7', x: 'sideways', off: 'r:abc,q:1:0' })).toEqual(DEFAULT_COMPARE);
  });

  it('picks losses first by default', () => {
    expect(defaultMetrics(['acc', 'lr', 'train_loss', 'val_loss', 'zeta'], 3)).toEqual(['train_loss', 'val_loss', 'acc']);
  });
});

const f = (a: number[]) => Float64Array.from(a);
function decoded(runId: string, steps: number[], values: number[], opts: Partial<DecodedSeries> = {}): DecodedSeries {
  return {
    runId,
    key: 'loss',
    step: f(steps),
    ts: f(steps.map((s) => 1_000_000 + s * 1000)),
    value: f(values),
    x: null,
    markers: { step: f([]), ts: f([]), x: null, kind: new Uint8Array(0), count: f([]) },
    segments: [{ segment: 0, index: 0, step: steps[0], ts: 1_000_000 + steps[0] * 1000 }],
    points: steps.length,
    nan: 0,
    posInf: 0,
    negInf: 0,
    bucketSize: 1,
    ...opts,
  };
}
const runs: RunInfo[] = [
  { runId: 'a', name: 'alpha', startTime: 1_000_000, params: { lr: '0.1' } },
  { runId: 'b', name: 'beta', startTime: 1_000_000, params: { lr: '0.1' } },
  { runId: 'c', name: 'gamma', startTime: 1_000_000, params: { lr: '0.01' } },
];
const rows = (data: Float64Array) => Array.from({ length: data.length / DIMS }, (_, i) => Array.from(data.subarray(i * DIMS, i * DIMS + DIMS)));

describe('plotSeries', () => {
  it('applies offset and scale on a step axis and breaks the line between resume segments', () => {
    const s = decoded('a', [0, 10, 20, 5, 15], [1, 2, 3, 4, 5], {
      segments: [{ segment: 0, index: 0, step: 0, ts: 0 }, { segment: 1, index: 3, step: 5, ts: 0 }],
    });
    const [p] = plotSeries([s], runs, { xAxis: 'step', smoothing: 0, groupBy: null, offsets: { a: { offset: 100, scale: 2 } } });
    const r = rows(p.data);
    expect(r.map((x) => x[0])).toEqual([100, 120, 140, NaN, 110, 130]);
    expect(r.map((x) => x[2])).toEqual([0, 10, 20, NaN, 5, 15]);
    expect(p.markers).toEqual([{ x: 110, step: 5, kind: 3, count: 1 }]);
  });

  it('puts relative time in seconds since the run started, and joined metric values on x', () => {
    const s = decoded('a', [0, 10], [1, 2], { x: f([0, 1]) });
    expect(rows(plotSeries([s], runs, { xAxis: 'relative_time', smoothing: 0, groupBy: null, offsets: {} })[0].data).map((x) => x[0])).toEqual([0, 10]);
    expect(rows(plotSeries([s], runs, { xAxis: 'epoch', smoothing: 0, groupBy: null, offsets: {} })[0].data).map((x) => x[0])).toEqual([0, 1]);
  });

  it('colours by group when grouping by a param', () => {
    const ps = plotSeries(['a', 'b', 'c'].map((id) => decoded(id, [0], [1])), runs, { xAxis: 'step', smoothing: 0.5, groupBy: 'lr', offsets: {} });
    expect(ps.map((p) => p.label)).toEqual(['lr=0.1', 'lr=0.1', 'lr=0.01']);
    expect(ps[0].color).toBe(ps[1].color);
    expect(ps[2].color).not.toBe(ps[0].color);
    expect(ps[0].smoothed).not.toBeNull();
  });

  it('turns a zoomed x range back into each run’s steps', () => {
    const [p] = plotSeries([decoded('a', [0, 10, 20, 30, 40], [1, 2, 3, 4, 5])], runs, { xAxis: 'relative_time', smoothing: 0, groupBy: null, offsets: {} });
    expect(stepRangeFor(p, 'relative_time', undefined, 15, 25)).toEqual([10, 30]);
    expect(stepRangeFor(p, 'step', { offset: 100, scale: 2 }, 120, 160)).toEqual([10, 30]);
    expect(stepRangeFor(p, 'relative_time', undefined, 100, 200)).toBeNull();
  });

  it('appends a live tail', () => {
    const joined = appendTail(decoded('a', [0, 1], [1, 2]), decoded('a', [2, 3], [3, 4]));
    expect(Array.from(joined.step)).toEqual([0, 1, 2, 3]);
    expect(joined.points).toBe(4);
    expect(joined.segments).toHaveLength(1);
  });
});

describe('buildChartOptions', () => {
  const markers = { step: f([7, 9]), ts: f([0, 0]), x: null, kind: Uint8Array.from([0, 1]), count: f([3, 1]) };
  const series = plotSeries([decoded('a', [0, 1, 2], [0.5, -1, 2], { markers, nan: 3, posInf: 1 }), decoded('b', [0, 1], [1, 1])], runs, { xAxis: 'step', smoothing: 0.6, groupBy: null, offsets: {} });

  it.each([
    { name: 'linear, step axis', logScale: false, xAxis: 'step' as const, yType: 'value', xType: 'value', subtext: 'NaN 3 · +Inf 1' },
    { name: 'log scale says what it cannot draw', logScale: true, xAxis: 'step' as const, yType: 'log', xType: 'value', subtext: 'NaN 3 · +Inf 1 · 1 value ≤ 0 not drawn on log scale' },
    { name: 'wall time is a time axis', logScale: false, xAxis: 'wall_time' as const, yType: 'value', xType: 'time', subtext: 'NaN 3 · +Inf 1' },
  ])('$name', ({ logScale, xAxis, yType, xType, subtext }) => {
    const o = buildChartOptions({ metric: 'loss', series, xAxis, smoothing: 0.6, logScale, zoom: null });
    expect(o.yAxis.type).toBe(yType);
    expect(o.xAxis.type).toBe(xType);
    expect(o.title.subtext).toBe(subtext);
  });

  it('draws raw lines faint under smoothed ones, typed arrays untouched, no sampling', () => {
    const o = buildChartOptions({ metric: 'loss', series, xAxis: 'step', smoothing: 0.6, logScale: false, zoom: [0, 1] });
    // Golden shape: ids, names, opacity, data type, marker labels.
    expect(o.series.map((s) => ({ id: s.id, name: s.name, opacity: s.lineStyle.opacity ?? 1, typed: s.data instanceof Float64Array, sampling: 'sampling' in s ? s.sampling : undefined }))).toEqual([
      { id: 'a', name: 'alpha', opacity: 0.25, typed: true, sampling: undefined },
      { id: 'a:smooth', name: 'alpha', opacity: 1, typed: true, sampling: undefined },
      { id: 'b', name: 'beta', opacity: 0.25, typed: true, sampling: undefined },
      { id: 'b:smooth', name: 'beta', opacity: 1, typed: true, sampling: undefined },
    ]);
    expect(o.series[0].data).toBe(series[0].data);
    const ml = (o.series[0] as { markLine?: { data: { xAxis: number; name: string }[] } }).markLine!;
    expect(ml.data.map((d) => [d.xAxis, d.name])).toEqual([[7, 'NaN ×3 at step 7'], [9, '+Inf ×1 at step 9']]);
    expect(o.dataZoom[0]).toMatchObject({ startValue: 0, endValue: 1, filterMode: 'none' });
    expect(o.legend.data).toEqual(['alpha', 'beta']);
  });

  it('tooltip rows name the run, value, step and time', () => {
    const names = new Map([['a', 'alpha']]);
    expect(tooltipRows([{ seriesId: 'a', value: [5, 0.125, 5, Date.UTC(2026, 0, 2, 3, 4, 5)] }, { seriesId: 'a:smooth', value: [5, 0.2, 5, 0] }, { seriesId: 'a', value: [5, NaN, NaN, NaN] }], names)).toEqual([
      'alpha: 0.125 · step 5 · 2026-01-02 03:04:05Z',
      'alpha (smoothed): 0.2 · step 5 · 1970-01-01 00:00:00Z',
    ]);
    expect(formatValue(1.23456789e-7)).toBe('1.2346e-7');
    expect(nonFiniteSummary([])).toBe('');
  });

  it('exports what the chart shows as CSV', () => {
    const csv = compareCsv('loss', series.slice(0, 1)).trim().split('\n');
    expect(csv[0]).toBe('run_id,run_name,metric,x,step,timestamp_ms,value,kind,count');
    expect(csv.slice(1)).toEqual([
      'a,alpha,loss,0,0,1000000,0.5,point,1',
      'a,alpha,loss,1,1,1001000,-1,point,1',
      'a,alpha,loss,2,2,1002000,2,point,1',
      'a,alpha,loss,7,7,,NaN,NaN,3',
      'a,alpha,loss,9,9,,+Inf,+Inf,1',
    ]);
  });
});
