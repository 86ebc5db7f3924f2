// One metric of a run inside a bundle that was not imported: `bundle.series` downsamples it from the
// bundle's Parquet on the server (about one bucket per pixel, min and max kept), and the Compare
// chart pieces draw it, NaN/±Inf markers included. No zoom re-query: a bundle is a fixed record.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../api/api-client';
import { useAsync } from '../../app/use-async';
import { CompareChart } from '../compare/CompareChart';
import { buildChartOptions, nonFiniteSummary } from '../compare/chart-options';
import { decodeSeries, plotSeries, type RunInfo } from '../compare/series-view';

const STEP_AXIS = { xAxis: 'step', smoothing: 0, groupBy: null, offsets: {} } as const;

export function BundleMetricPlot({ client, path, run, metric, points }: { client: ApiClient; path: string; run: RunInfo; metric: string; points: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  // The plot's width in pixels (less the grid's margins) decides the bucket count; measured once.
  useLayoutEffect(() => setWidth(Math.max(200, Math.round((box.current?.clientWidth || 640) - 80))), []);
  const series = useAsync(
    async (signal) => (width === 0 ? null : decodeSeries(await client.call('bundle.series', { path, run: run.runId, key: metric, width }, { signal }))),
    [client, path, run.runId, metric, width],
  );
  const plotted = useMemo(() => (series.status === 'ready' && series.value ? plotSeries([series.value], [run], { ...STEP_AXIS }) : null), [series, run]);
  const option = useMemo(() => (plotted ? buildChartOptions({ metric, series: plotted, xAxis: 'step', smoothing: 0, logScale: false, zoom: null }) : null), [plotted, metric]);
  const nonFinite = plotted ? nonFiniteSummary(plotted) : '';
  return (
    <figure className="bundle-plot" ref={box} aria-label={`Plot of ${metric}`}>
      <figcaption>
        <strong>{metric}</strong> <span className="muted small">{points.toLocaleString('en-US')} points{nonFinite ? ` · ${nonFinite}` : ''}</span>
      </figcaption>
      {series.status === 'error' && <p role="alert" className="bad">Could not read {metric}: {series.error.message}</p>}
      {series.status === 'loading' && <p className="muted">Loading {metric}…</p>}
      {option && <CompareChart option={option} extent={null} height={220} />}
    </figure>
  );
}
