// One metric's chart: loads the selected runs' series downsampled to the chart's width, re-queries
// the visible range when zoomed (full resolution once it is small enough), appends live points as
// runs log, and exports the chart as PNG and its data as CSV.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../api/api-client';
import type { LiveEvents } from '../../api/live-events';
import { useLiveEvents } from '../../app/use-live-events';
import { buildChartOptions, nonFiniteSummary } from './chart-options';
import { CompareChart, type CompareChartHandle } from './CompareChart';
import { compareCsv } from './compare-csv';
import type { CompareSettings } from './compare-settings';
import { appendTail, decodeSeries, DIMS, plotSeries, stepRangeFor, type DecodedSeries, type PlotSeries, type RunInfo } from './series-view';

export interface MetricPanelProps {
  client: ApiClient;
  metric: string;
  /** The selected runs, in order: what is fetched. */
  runIds: readonly string[];
  /** Their names, start times and params once loaded (until then, ids stand in for names). */
  runs: readonly RunInfo[];
  settings: CompareSettings;
  live?: LiveEvents | null;
  onPainted?: (metric: string) => void;
}

function extentOf(series: readonly PlotSeries[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.data.length; i += DIMS) {
      const x = s.data[i];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    for (const m of s.markers) if (Number.isFinite(m.x)) (lo = Math.min(lo, m.x)), (hi = Math.max(hi, m.x));
  }
  return lo <= hi ? [lo, hi === lo ? lo + 1 : hi] : null;
}

function download(name: string, href: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
}

const fileName = (metric: string): string => metric.replace(/[^\w.-]+/g, '_');

export function MetricPanel({ client, metric, runIds: selected, runs, settings, live, onPainted }: MetricPanelProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<CompareChartHandle>(null);
  const [width, setWidth] = useState(0);
  const [overview, setOverview] = useState<DecodedSeries[] | null>(null);
  const [detail, setDetail] = useState<DecodedSeries[] | null>(null);
  // The zoomed x range lives in a ref: the chart already shows it (ECharts redraws on the gesture),
  // so it must not cause a render of its own; options built later (new data) carry it along.
  const zoomRef = useRef<[number, number] | null>(null);
  const [zoomed, setZoomed] = useState(false);
  const [resets, setResets] = useState(0);
  const [detailState, setDetailState] = useState<'none' | 'loading' | 'ready'>('none');
  const [error, setError] = useState<string | null>(null);
  const zoomSeq = useRef(0);
  const zoomBusy = useRef(false);
  const zoomNext = useRef<(() => void) | null>(null);
  const selectedKey = selected.join('\n');
  const runIds = useMemo(() => [...selected], [selectedKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const xKey = JSON.stringify(settings.xAxis);

  // The plot's width in pixels decides the bucket count (the panel less the grid's 80 px of margins);
  // measured once, before the first request.
  useLayoutEffect(() => setWidth(Math.max(200, Math.round((box.current?.clientWidth ?? 880) - 80))), []);

  useEffect(() => {
    if (width === 0 || runIds.length === 0) return;
    const controller = new AbortController();
    setError(null);
    setDetail(null);
    setDetailState('none');
    zoomRef.current = null;
    setZoomed(false);
    client.call('series.query', { runIds, keys: [metric], xAxis: settings.xAxis, width }, { signal: controller.signal }).then(
      (data) => setOverview(data.map(decodeSeries)),
      (err: Error) => !controller.signal.aborted && setError(err.message),
    );
    return () => controller.abort();
    // xKey stands for settings.xAxis (an object for metric axes)
  }, [client, metric, runIds, xKey, width]); // eslint-disable-line react-hooks/exhaustive-deps

  const plotOptions = { xAxis: settings.xAxis, smoothing: settings.smoothing, groupBy: settings.groupBy, offsets: settings.offsets };
  const overviewPlot = useMemo(() => (overview ? plotSeries(overview, runs, plotOptions) : []), [overview, runs, settings]); // eslint-disable-line react-hooks/exhaustive-deps
  const shownPlot = useMemo(() => (detail ? plotSeries(detail, runs, plotOptions) : overviewPlot), [detail, overviewPlot]); // eslint-disable-line react-hooks/exhaustive-deps
  const extent = useMemo(() => extentOf(overviewPlot), [overviewPlot]);
  const option = useMemo(
    () => buildChartOptions({ metric, series: shownPlot, xAxis: settings.xAxis, smoothing: settings.smoothing, logScale: settings.logScale, zoom: zoomRef.current }),
    [metric, shownPlot, settings.xAxis, settings.smoothing, settings.logScale, resets],
  );

  const onZoom = useCallback(
    (range: [number, number] | null) => {
      const seq = ++zoomSeq.current;
      zoomRef.current = range;
      setZoomed(range !== null);
      // Half the overview or more on screen: its buckets are at most two pixels wide there and hold
      // every spike, so the data shown is good enough; deeper zooms re-query the visible range.
      if (!range || (extent && range[1] - range[0] >= 0.5 * (extent[1] - extent[0]))) {
        setDetail(null);
        setDetailState('none');
        return;
      }
      setDetailState('loading');
      const stepRanges: Record<string, [number, number]> = {};
      for (const p of overviewPlot) {
        const r = stepRangeFor(p, settings.xAxis, settings.offsets[p.runId], range[0], range[1]);
        if (r) stepRanges[p.runId] = r;
      }
      const ids = Object.keys(stepRanges);
      if (ids.length === 0) {
        setDetail([]);
        setDetailState('ready');
        return;
      }
      // One re-query in flight at a time: a gesture that outlasts the debounce would otherwise queue
      // a query per pause on the server, and the last (wanted) one would wait behind all of them.
      const send = (): void => {
        zoomBusy.current = true;
        client
          .call('series.query', { runIds: ids, keys: [metric], xAxis: settings.xAxis, width, stepRanges })
          .then(
            (data) => {
              if (seq !== zoomSeq.current) return;
              setDetail(data.map(decodeSeries));
              setDetailState('ready');
            },
            (err: Error) => seq === zoomSeq.current && setError(err.message),
          )
          .finally(() => {
            zoomBusy.current = false;
            const next = zoomNext.current;
            zoomNext.current = null;
            next?.();
          });
      };
      if (zoomBusy.current) zoomNext.current = send;
      else send();
    },
    [client, metric, overviewPlot, extent, settings.xAxis, settings.offsets, width],
  );

  // Live: a run logged more points of this metric than the chart has: fetch only the points after
  // the last one shown (a cursor in series order, so a resume's lower steps are not missed).
  const tailBusy = useRef(new Set<string>());
  useLiveEvents(live, 'metrics.appended', (event) => {
    if (!overview || !runIds.includes(event.run_id) || !(metric in event.metrics) || tailBusy.current.has(event.run_id)) return;
    const base = overview.find((s) => s.runId === event.run_id);
    if (base && event.metrics[metric].count <= base.points) return;
    tailBusy.current.add(event.run_id);
    const after = base && base.step.length > 0 ? { segment: base.segments.at(-1)?.segment ?? 0, step: base.step[base.step.length - 1] } : { segment: -1, step: 0 };
    client
      .call('series.query', { runIds: [event.run_id], keys: [metric], xAxis: settings.xAxis, width, after: { [event.run_id]: after } })
      .then((data) => {
        const tail = data.map(decodeSeries)[0];
        if (!tail) return;
        setOverview((cur) => {
          if (!cur) return cur;
          const has = cur.some((s) => s.runId === tail.runId);
          return has ? cur.map((s) => (s.runId === tail.runId ? appendTail(s, tail) : s)) : [...cur, tail];
        });
      }, () => undefined)
      .finally(() => tailBusy.current.delete(event.run_id));
  });

  const points = shownPlot.reduce((n, s) => n + s.points, 0);
  const full = detail !== null && shownPlot.every((s) => s.bucketSize === 1);
  const nonFinite = nonFiniteSummary(shownPlot);
  return (
    <section className="metric-panel" ref={box} data-metric={metric} data-series={shownPlot.length} data-zoomed={zoomed ? 'yes' : 'no'} data-detail={detailState} data-resolution={full ? 'full' : 'downsampled'}>
      <header className="metric-panel-head">
        <span className="muted">
          {overview === null && !error ? 'Loading…' : `${shownPlot.length} run${shownPlot.length === 1 ? '' : 's'} · ${points.toLocaleString()} points${full ? ' (full resolution)' : ''}`}
        </span>
        {nonFinite && <span className="metric-panel-nonfinite" title="Non-finite values, drawn as dashed markers">{nonFinite}</span>}
        <span className="metric-panel-actions">
          {zoomed && (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                onZoom(null);
                setResets((n) => n + 1); // a new option with the zoom cleared puts the chart back
              }}
            >
              Reset zoom
            </button>
          )}
          <button type="button" onClick={() => { const png = chart.current?.toPng(); if (png) download(`${fileName(metric)}.png`, png); }}>
            PNG
          </button>
          <button type="button" onClick={() => download(`${fileName(metric)}.csv`, URL.createObjectURL(new Blob([compareCsv(metric, shownPlot)], { type: 'text/csv' })))}>
            CSV
          </button>
        </span>
      </header>
      {error ? (
        <p className="state error" role="alert">{error}</p>
      ) : (
        <CompareChart ref={chart} option={option} extent={extent} onZoom={onZoom} onPainted={() => onPainted?.(metric)} />
      )}
    </section>
  );
}
