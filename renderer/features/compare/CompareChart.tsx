// Mounts one ECharts instance and hands it the option built by chart-options.ts; reports zoom (as an
// x range, null when zoomed all the way out) and completed paints. Tree-shaken: only the line chart,
// the components Compare uses and the canvas renderer are bundled.
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ChartOption } from './chart-options';

echarts.use([LineChart, GridComponent, TooltipComponent, DataZoomComponent, LegendComponent, TitleComponent, MarkLineComponent, CanvasRenderer]);

export interface CompareChartHandle {
  /** PNG of the chart as shown, at twice the screen resolution. */
  toPng(): string | null;
}

export interface CompareChartProps {
  option: ChartOption;
  /** The full x extent: zoom percentages are read against it. */
  extent: readonly [number, number] | null;
  onZoom?: (range: [number, number] | null) => void;
  /** After each completed paint (first paint, zoom re-render, live update): for tests and the benchmark. */
  onPainted?: () => void;
  height?: number;
}

export const CompareChart = forwardRef<CompareChartHandle, CompareChartProps>(function CompareChart({ option, extent, onZoom, onPainted, height = 320 }, ref) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const latest = useRef({ extent, onZoom, onPainted });
  latest.current = { extent, onZoom, onPainted };

  useEffect(() => {
    const node = el.current!;
    const c = echarts.init(node, null, { renderer: 'canvas' });
    chart.current = c;
    let timer: ReturnType<typeof setTimeout> | null = null;
    c.on('datazoom', () => {
      // Debounced: wheel zooming fires many events; the re-query waits for the gesture to settle.
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        const ext = latest.current.extent;
        const dz = (c.getOption() as { dataZoom?: { start?: number; end?: number }[] }).dataZoom?.[0];
        if (!ext || !dz) return;
        const start = dz.start ?? 0;
        const end = dz.end ?? 100;
        if (start <= 0 && end >= 100) latest.current.onZoom?.(null);
        else latest.current.onZoom?.([ext[0] + ((ext[1] - ext[0]) * start) / 100, ext[0] + ((ext[1] - ext[0]) * end) / 100]);
      }, 80);
    });
    c.on('finished', () => {
      // Paint bookkeeping in the DOM, for tests and the benchmark: how many paints, when the last one
      // finished, and which option version it showed.
      node.dataset.paints = String(Number(node.dataset.paints ?? '0') + 1);
      node.dataset.paintedAt = String(Date.now());
      node.dataset.paintedVersion = node.dataset.optionVersion ?? '0';
      latest.current.onPainted?.();
    });
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(node);
    return () => {
      if (timer) clearTimeout(timer);
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const withExtent = extent ? { ...option, xAxis: { ...option.xAxis, min: extent[0], max: extent[1] } } : option;
    // replaceMerge: runs removed from the selection disappear instead of lingering from the last option.
    el.current!.dataset.optionVersion = String(Number(el.current!.dataset.optionVersion ?? '0') + 1);
    el.current!.dataset.optionSeries = String(option.series.filter((x) => !String(x.id).endsWith(':smooth')).length);
    c.setOption(withExtent as echarts.EChartsCoreOption, { replaceMerge: ['series'] });
  }, [option, extent]);

  useImperativeHandle(ref, () => ({
    toPng: () => chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }) ?? null,
  }));

  return <div ref={el} className="compare-chart" style={{ height }} data-testid="compare-chart" />;
});
