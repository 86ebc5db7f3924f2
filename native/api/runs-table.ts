// The runs table's RPCs: `runs.page` (one window of a possibly 100k-run result, in any order, with
// a filter-language query), `runs.rows` (rows by id, for live updates in place) and `runs.keys`
// (the column chooser's keys). Summaries for 100k runs cost seconds and megabytes of JSON, so the
// table asks for the window it shows; the ordered ids of a query are computed once and cached until
// a run is created or changes, so scrolling costs one small summaries query per window.
import type { ApiHandlers, QueryClock, RunKeys, RunLineage, RunRowSummary, RunSummary, ViewType } from './contract';
import type { Core } from '../core';
import { invalidParam, notFound } from '../mlflow/errors';
import { parseOrderBy } from '../mlflow/search-filter';
import { queryRows } from '../store/open-database';
import type { RunRow } from '../store/run-repository';
import { QueryService } from '../query/query-service';
import { mlflowSort } from '../query/query-handlers';

type TableHandlers = Pick<ApiHandlers, 'runs.page' | 'runs.rows' | 'runs.keys'>;
type PageArgs = Parameters<ApiHandlers['runs.page']>[0];

const MAX_PAGE = 1000;
const CACHE_ENTRIES = 8;
const VIEWS: readonly ViewType[] = ['active', 'deleted', 'all'];

const finite = (n: unknown, fallback: number): number => (typeof n === 'number' && Number.isFinite(n) ? n : fallback);

/** "2× NVIDIA H100 80GB HBM3, 1× NVIDIA A10": GPUs by name, most first. */
export function gpuSummary(gpus: unknown): string | null {
  if (!Array.isArray(gpus) || gpus.length === 0) return null;
  const counts = new Map<string, number>();
  for (const g of gpus) {
    const name = typeof g === 'object' && g !== null && typeof (g as { name?: unknown }).name === 'string' ? (g as { name: string }).name : 'GPU';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, n]) => `${n}× ${name}`).join(', ');
}

/** Ordered ids per query, dropped whenever a run is created or changes (the order may move). */
class OrderCache {
  private readonly entries = new Map<string, string[]>();
  constructor(core: Core) {
    const clear = (): void => this.entries.clear();
    core.events.on('runs.changed', clear);
    // New points move metric sorts and metric filters; the next window reads the new order.
    core.events.on('metrics.flushed', clear);
  }
  get(key: string): string[] | undefined {
    return this.entries.get(key);
  }
  set(key: string, ids: string[]): void {
    if (this.entries.size >= CACHE_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, ids);
  }
}

// One cache per core, however many handler maps are made for it (the server makes two).
const caches = new WeakMap<Core, OrderCache>();

export function createRunsTableHandlers(core: Core, summaries: (rows: RunRow[]) => Promise<RunSummary[]>): TableHandlers {
  const service = new QueryService(core.db);
  const cache = caches.get(core) ?? new OrderCache(core);
  caches.set(core, cache);

  async function experimentIds(experiment: string | undefined): Promise<string[] | undefined> {
    if (experiment === undefined) return undefined;
    const e = (await core.experiments.getByName(experiment)) ?? (await core.experiments.get(experiment));
    if (!e) throw notFound(`No experiment named '${experiment}'`);
    return [e.experiment_id];
  }

  /** Every matching id in order; an empty filter is every run of the view. */
  async function orderedIds(a: PageArgs): Promise<string[]> {
    const filter = typeof a.filter === 'string' ? a.filter.trim() : '';
    const orderBy = Array.isArray(a.orderBy) ? a.orderBy.map(String) : [];
    if (a.view !== undefined && !VIEWS.includes(a.view)) throw invalidParam(`Unknown view '${String(a.view)}': use active, deleted or all`);
    // The clock matters only to time words ("last week"); minutes are fine-grained enough to share.
    const clock = { now: Math.floor(finite(a.now, Date.now()) / 60_000) * 60_000, utcOffsetMinutes: finite(a.utc_offset_minutes, 0) };
    const key = JSON.stringify([filter, orderBy, a.view ?? null, a.experiment ?? null, clock]);
    const hit = cache.get(key);
    if (hit) return hit;
    await core.writer.syncSummaries(); // filters and metric sorts read latest_metrics
    const extraSort = mlflowSort(parseOrderBy(orderBy));
    // Without a view, the query language shows active runs unless the text asks for deleted ones.
    const view = a.view ?? (filter === '' ? 'active' : undefined);
    const { ids } = await service.runIds(filter, { clock, experimentIds: await experimentIds(a.experiment), view, maxRows: 100_000, extraSort });
    const seen = new Set<string>();
    const flat = ids.flat().filter((id) => !seen.has(id) && seen.add(id));
    cache.set(key, flat);
    return flat;
  }

  async function rows(ids: readonly string[]): Promise<RunRowSummary[]> {
    if (ids.length === 0) return [];
    const marks = ids.map(() => '?').join(', ');
    const [runRows, envs, inputs] = await Promise.all([
      queryRows<RunRow & { git_commit: string | null; git_dirty: boolean | null; trust_state: string | null }>(core.db.reader, `SELECT * FROM runs WHERE run_id IN (${marks})`, [...ids]),
      queryRows<{ run_id: string; gpus: string | null }>(core.db.reader, `SELECT run_id, gpus FROM environments WHERE run_id IN (${marks})`, [...ids]),
      queryRows<{ run_id: string; name: string }>(core.db.reader, `SELECT DISTINCT run_id, dataset_name AS name FROM run_inputs WHERE run_id IN (${marks}) ORDER BY name`, [...ids]),
    ]);
    const byId = new Map(runRows.map((r) => [r.run_id, r]));
    const present = ids.filter((id) => byId.has(id));
    const sums = await summaries(present.map((id) => byId.get(id)!));
    const gpus = new Map(envs.map((e) => [e.run_id, gpuSummary(parseJson(e.gpus))]));
    const datasets = new Map<string, string[]>();
    for (const i of inputs) datasets.set(i.run_id, [...(datasets.get(i.run_id) ?? []), i.name]);
    return sums.map((s) => {
      const r = byId.get(s.run_id)!;
      const bundle = r.origin === 'local' ? null : r.trust_state === 'trusted' ? 'trusted' : 'unverified';
      const lineage: RunLineage = { commit: r.git_commit ?? null, dirty: r.git_dirty ?? null, datasets: datasets.get(s.run_id) ?? [], gpu: gpus.get(s.run_id) ?? null, bundle };
      return { ...s, lineage };
    });
  }

  return {
    async 'runs.page'(a) {
      const offset = Math.max(0, Math.floor(finite(a?.offset, 0)));
      const limit = Math.max(1, Math.min(Math.floor(finite(a?.limit, 200)), MAX_PAGE));
      const ids = await orderedIds(a ?? {});
      return { total: ids.length, offset, runs: await rows(ids.slice(offset, offset + limit)) };
    },

    async 'runs.rows'({ ids }) {
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw invalidParam("'ids' must be a list of run ids");
      if (ids.length > MAX_PAGE) throw invalidParam(`At most ${MAX_PAGE} ids per call`);
      return rows(ids);
    },

    async 'runs.keys'({ experiment, view = 'active' } = {}) {
      if (!VIEWS.includes(view)) throw invalidParam(`Unknown view '${String(view)}': use active, deleted or all`);
      await core.writer.syncSummaries();
      const exps = await experimentIds(experiment);
      const params: (string | number)[] = [];
      const where: string[] = [];
      if (view !== 'all') {
        where.push('r.lifecycle_stage = ?');
        params.push(view);
      }
      if (exps) {
        where.push('r.experiment_id = ?');
        params.push(exps[0]);
      }
      const runFilter = where.length ? `WHERE run_id IN (SELECT r.run_id FROM runs r WHERE ${where.join(' AND ')})` : '';
      const count = (table: string) =>
        queryRows<{ key: string; count: number }>(core.db.reader, `SELECT key, count(*) AS count FROM ${table} ${runFilter} GROUP BY key ORDER BY count DESC, key`, params);
      const [p, m, t] = await Promise.all([count('params'), count('latest_metrics'), count('tags')]);
      const keys: RunKeys = { params: p, metrics: m, tags: t.filter((x) => !x.key.startsWith('mlflow.')) };
      return keys;
    },
  };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
