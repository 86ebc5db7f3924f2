// "Export data as CSV": exactly what the chart shows (the downsampled points, then NaN/±Inf markers
// with their counts), one row per point, so a plot in a paper can be redrawn from it.
import { DIMS, type PlotSeries } from './series-view';

const KIND = ['NaN', '+Inf', '-Inf', 'resume'];

function cell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function compareCsv(metric: string, series: readonly PlotSeries[]): string {
  const lines = ['run_id,run_name,metric,x,step,timestamp_ms,value,kind,count'];
  for (const s of series) {
    const head = `${cell(s.runId)},${cell(s.runName)},${cell(metric)}`;
    for (let i = 0; i < s.data.length; i += DIMS) {
      if (Number.isNaN(s.data[i + 2])) continue; // a segment break, not a point
      lines.push(`${head},${s.data[i]},${s.data[i + 2]},${s.data[i + 3]},${s.data[i + 1]},point,1`);
    }
    for (const m of s.markers) lines.push(`${head},${m.x},${m.step},,${m.kind < 3 ? KIND[m.kind] : ''},${KIND[m.kind]},${m.count}`);
  }
  return `${lines.join('\n')}\n`;
}
