// The runs table's columns as data: what each column is called, how it reads and prints a row, how
// wide it is and how the server sorts by it (an MLflow order_by key, or null when the server cannot).
// A column id says what it is (`metrics.val_auc`, `params.lr`, `tags.team`, `attributes.status`,
// `lineage.gpu`), so ids in a bookmarked URL still mean the same column after the store changes.
import type { RunKeys, RunRowSummary } from '../../../native/api/contract';
import { formatDuration, formatMetric, formatStart, statusLabel } from './run-columns';

export type ColumnGroup = 'attribute' | 'metric' | 'param' | 'tag' | 'lineage';

export interface ColumnDef {
  id: string;
  label: string;
  group: ColumnGroup;
  /** What `runs.page` orders by for this column (`metrics.val_auc`), or null: not sortable. */
  sortKey: string | null;
  numeric: boolean;
  /** px; fixed so the layout never shifts while rows scroll in and out. */
  width: number;
  text(run: RunRowSummary, nowMs: number): string;
  /** Tooltip, when the cell shortens its value. */
  title?(run: RunRowSummary): string | undefined;
}

/** Always first, and not in the chooser: the row's name is how people find it. */
export const NAME_COLUMN: ColumnDef = {
  id: 'attributes.run_name',
  label: 'Name',
  group: 'attribute',
  sortKey: 'attributes.run_name',
  numeric: false,
  width: 200,
  text: (r) => r.run_name || r.run_id.slice(0, 8),
  title: (r) => r.run_id,
};

/** Running runs count up to now ("…"); a run with no end that is not running has no duration. */
function durationText(run: RunRowSummary, nowMs: number): string {
  if (run.end_time !== null) return formatDuration(run.start_time, run.end_time, nowMs);
  return run.status === 'RUNNING' ? `${formatDuration(run.start_time, null, nowMs)}…` : '';
}

const ATTRIBUTES: readonly ColumnDef[] = [
  { id: 'attributes.status', label: 'Status', group: 'attribute', sortKey: 'attributes.status', numeric: false, width: 170, text: (r) => statusLabel(r) },
  { id: 'attributes.experiment', label: 'Experiment', group: 'attribute', sortKey: null, numeric: false, width: 130, text: (r) => r.experiment },
  { id: 'attributes.start_time', label: 'Started', group: 'attribute', sortKey: 'attributes.start_time', numeric: false, width: 160, text: (r) => formatStart(r.start_time) },
  { id: 'attributes.duration', label: 'Duration', group: 'attribute', sortKey: null, numeric: true, width: 90, text: durationText },
  { id: 'attributes.user_id', label: 'User', group: 'attribute', sortKey: 'attributes.user_id', numeric: false, width: 100, text: (r) => r.user_id },
];

const LINEAGE: readonly ColumnDef[] = [
  {
    id: 'lineage.commit',
    label: 'Commit',
    group: 'lineage',
    sortKey: null,
    numeric: false,
    width: 90,
    text: (r) => (r.lineage.commit ? r.lineage.commit.slice(0, 8) : ''),
    title: (r) => r.lineage.commit ?? undefined,
  },
  { id: 'lineage.dirty', label: 'Dirty', group: 'lineage', sortKey: null, numeric: false, width: 60, text: (r) => (r.lineage.dirty === null ? '' : r.lineage.dirty ? 'dirty' : 'clean') },
  { id: 'lineage.dataset', label: 'Dataset', group: 'lineage', sortKey: null, numeric: false, width: 150, text: (r) => r.lineage.datasets.join(', ') },
  { id: 'lineage.gpu', label: 'GPU', group: 'lineage', sortKey: null, numeric: false, width: 190, text: (r) => r.lineage.gpu ?? '' },
  {
    id: 'lineage.bundle',
    label: 'Bundle',
    group: 'lineage',
    sortKey: null,
    numeric: false,
    width: 100,
    // Imported runs are read-only copies of what a signer signed; an unverified one was quarantined.
    text: (r) => (r.lineage.bundle === 'trusted' ? 'signed' : r.lineage.bundle === 'unverified' ? 'unverified' : ''),
    title: (r) => (r.lineage.bundle === 'trusted' ? 'Imported from a bundle signed by a trusted key (read-only)' : r.lineage.bundle === 'unverified' ? 'Imported unverified: the signer is not trusted here (quarantined, read-only)' : undefined),
  },
];

const FIXED = new Map([...ATTRIBUTES, ...LINEAGE, NAME_COLUMN].map((c) => [c.id, c]));

/** The column an id names, or null when it names nothing this table knows. */
export function columnById(id: string): ColumnDef | null {
  const fixed = FIXED.get(id);
  if (fixed) return fixed;
  const m = /^(metrics|params|tags)\.(.+)$/s.exec(id);
  if (!m) return null;
  const key = m[2];
  if (m[1] === 'metrics') {
    // No per-cell tooltip: the header names the key, and an attribute per cell costs while scrolling.
    return { id, label: key, group: 'metric', sortKey: id, numeric: true, width: 100, text: (r) => formatMetric(r.metrics[key]) };
  }
  if (m[1] === 'params') return { id, label: key, group: 'param', sortKey: id, numeric: false, width: 100, text: (r) => r.params[key] ?? '' };
  return { id, label: key, group: 'tag', sortKey: id, numeric: false, width: 110, text: (r) => r.tags[key] ?? '' };
}

/** Every column the chooser offers for the keys in the store, grouped, most common keys first. */
export function availableColumns(keys: RunKeys): ColumnDef[] {
  return [
    ...ATTRIBUTES,
    ...keys.metrics.map((k) => columnById(`metrics.${k.key}`)!),
    ...keys.params.map((k) => columnById(`params.${k.key}`)!),
    ...keys.tags.map((k) => columnById(`tags.${k.key}`)!),
    ...LINEAGE,
  ];
}

/** The first view of a store: status and time, the commonest metrics and params, where it came from. */
export function defaultColumnIds(keys: RunKeys, maxMetrics = 4, maxParams = 3): string[] {
  return [
    'attributes.status',
    'attributes.experiment',
    'attributes.start_time',
    'attributes.duration',
    ...keys.metrics.slice(0, maxMetrics).map((k) => `metrics.${k.key}`),
    ...keys.params.slice(0, maxParams).map((k) => `params.${k.key}`),
    'lineage.commit',
    'lineage.dataset',
    'lineage.gpu',
    'lineage.bundle',
  ];
}

/** Name first, then the chosen columns (unknown ids dropped, duplicates once). */
export function visibleColumns(ids: readonly string[]): ColumnDef[] {
  const seen = new Set<string>([NAME_COLUMN.id]);
  const out = [NAME_COLUMN];
  for (const id of ids) {
    const c = seen.has(id) ? null : columnById(id);
    if (c) {
      seen.add(id);
      out.push(c);
    }
  }
  return out;
}

/** Shows a hidden column (at the end) or hides a shown one. */
export function toggleColumn(ids: readonly string[], id: string): string[] {
  return ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
}

/** `runs.page`'s orderBy for a sort state, in MLflow's order_by syntax. */
export function orderByFor(sort: { key: string; dir: 'asc' | 'desc' } | null): string[] {
  return sort ? [`${sort.key} ${sort.dir === 'asc' ? 'ASC' : 'DESC'}`] : [];
}

/** Clicking a header: unsorted → the column's natural first direction → the other → unsorted. */
export function nextSort(current: { key: string; dir: 'asc' | 'desc' } | null, column: ColumnDef): { key: string; dir: 'asc' | 'desc' } | null {
  if (!column.sortKey) return current;
  // Metrics and times are usually wanted biggest/newest first; names and params A→Z.
  const first: 'asc' | 'desc' = column.numeric || column.id === 'attributes.start_time' ? 'desc' : 'asc';
  if (!current || current.key !== column.sortKey) return { key: column.sortKey, dir: first };
  if (current.dir === first) return { key: column.sortKey, dir: first === 'asc' ? 'desc' : 'asc' };
  return null;
}
