// Pure text for the import dialog: what the progress and the summary say (tested without a DOM).
import type { ImportProgress, ImportSummary } from '../../../native/api/contract';

const n = (x: number): string => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`): string => `${n(x)} ${x === 1 ? one : many}`;

/** 0..1 by bytes read, or null before the importer knows the total. */
export function progressFraction(p: ImportProgress): number | null {
  if (p.state !== 'running') return 1;
  return p.bytes_total > 0 ? Math.min(1, p.bytes_done / p.bytes_total) : null;
}

export function progressText(p: ImportProgress): string {
  const run = p.run ? `: ${p.run}` : '';
  const damaged = p.damaged_records > 0 ? `, ${plural(p.damaged_records, 'damaged record')} skipped` : '';
  return `Run ${Math.min(p.runs_done + 1, Math.max(p.runs_total, 1))} of ${p.runs_total}${run} · ${plural(p.points, 'point')}${damaged}`;
}

export function summaryHeadline(s: ImportSummary): string {
  const c = s.counts;
  if (s.outcome === 'nothing') return `Nothing imported: ${s.message ?? 'no runs found'}`;
  const parts = [`Imported ${plural(c.runs_imported, 'run')}`];
  if (c.runs_already_there > 0) parts.push(`${n(c.runs_already_there)} already there`);
  if (c.runs_failed > 0) parts.push(`${n(c.runs_failed)} failed`);
  parts.push(plural(c.points, 'point'));
  if (c.damaged_records > 0) parts.push(`${plural(c.damaged_records, 'damaged record')} skipped`);
  return parts.join(', ');
}
