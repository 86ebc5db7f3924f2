// The view state lives in the URL's query string, so a view can be bookmarked, shared on the same
// machine and reopened: which page, the filter, the selected runs, the table's sort and columns, the
// run shown in detail and the chart settings. Query string rather than path: the UI is built with
// relative asset URLs (base './'), so a deeper path would break them; and rather than the hash so
// the server's token redirect (which keeps the query) carries it. Unknown keys are ignored and
// default values are left out, so short URLs stay short and old bookmarks keep working.

export type PageName = 'runs' | 'compare' | 'detail' | 'diff' | (string & {});

export interface SortState {
  /** MLflow order_by key: `metrics.val_auc`, `params.lr`, `tags.team`, `attributes.start_time`. */
  key: string;
  dir: 'asc' | 'desc';
}

export interface ViewState {
  view: PageName;
  /** Filter-language text ('' for none). */
  filter: string;
  /** Selected run ids, in selection order. */
  selected: string[];
  /** The run the detail page shows. */
  run: string | null;
  sort: SortState | null;
  /** Visible table columns in order, or null for the default choice. */
  columns: string[] | null;
  /** Compare settings (x axis, smoothing, log scale, zoom…), as the Compare view names them. */
  chart: Record<string, string>;
}

export const DEFAULT_VIEW: ViewState = { view: 'runs', filter: '', selected: [], run: null, sort: null, columns: null, chart: {} };

const CHART_PREFIX = 'c.';

/** A comma list; ids and column names may hold commas, so each item is percent-escaped first. */
function splitList(value: string | null): string[] {
  if (!value) return [];
  return value.split(',').filter((s) => s !== '').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

const joinList = (items: readonly string[]): string => items.map((s) => s.replace(/[%,]/g, encodeURIComponent)).join(',');

export function parseViewState(search: string): ViewState {
  const q = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const sortText = q.get('sort');
  let sort: SortState | null = null;
  if (sortText) {
    const m = /^(-)?(.+)$/.exec(sortText)!;
    sort = { key: m[2], dir: m[1] ? 'desc' : 'asc' };
  }
  const chart: Record<string, string> = {};
  for (const [k, v] of q) if (k.startsWith(CHART_PREFIX) && k.length > CHART_PREFIX.length) chart[k.slice(CHART_PREFIX.length)] = v;
  const columns = q.has('cols') ? splitList(q.get('cols')) : null;
  return {
    view: q.get('view') || DEFAULT_VIEW.view,
    filter: q.get('q') ?? '',
    selected: [...new Set(splitList(q.get('sel')))],
    run: q.get('run') || null,
    sort,
    columns,
    chart,
  };
}

/** `?view=…&q=…`, or '' for the default view. Keys in a fixed order, so equal states give equal URLs. */
export function serializeViewState(state: ViewState): string {
  const q = new URLSearchParams();
  if (state.view !== DEFAULT_VIEW.view) q.set('view', state.view);
  if (state.filter !== '') q.set('q', state.filter);
  if (state.selected.length > 0) q.set('sel', joinList(state.selected));
  if (state.run) q.set('run', state.run);
  if (state.sort) q.set('sort', `${state.sort.dir === 'desc' ? '-' : ''}${state.sort.key}`);
  if (state.columns) q.set('cols', joinList(state.columns));
  for (const k of Object.keys(state.chart).sort()) q.set(`${CHART_PREFIX}${k}`, state.chart[k]);
  const text = q.toString();
  return text === '' ? '' : `?${text}`;
}

/** The state with `patch` applied; chart settings merge key by key (an empty string removes one). */
export function updateViewState(state: ViewState, patch: Partial<ViewState>): ViewState {
  const next = { ...state, ...patch };
  if (patch.chart) {
    const chart = { ...state.chart };
    for (const [k, v] of Object.entries(patch.chart)) {
      if (v === '') delete chart[k];
      else chart[k] = v;
    }
    next.chart = chart;
  }
  return next;
}
