// The `query.explain` and `query.run` RPCs, and `runs.list` with a filter, over one QueryService
// per handler map (it caches the store's vocabulary between calls).
import type { ApiHandlers, QueryClock, RunSummary, ViewType } from '../api/contract';
import type { Core } from '../core';
import { invalidParam, notFound } from '../mlflow/errors';
import { parseOrderBy, parseSearchFilter, type OrderByClause } from '../mlflow/search-filter';
import type { RunRow } from '../store/run-repository';
import type { AttributeKey, SortKey } from './ast';
import { QueryService } from './query-service';
import type { Clock } from './time-ref';

const MAX_ROWS = 100_000;
const MLFLOW_PREFIX = /(^|[\s(])(metrics?|params?|parameters?|tags?|attributes?|datasets?)\.\S/i;

/** RPC arguments arrive as JSON from any client: the text must be a string before anything reads it. */
function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string') throw invalidParam("'text' must be a string: the query");
}

const finite = (n: unknown, fallback: number): number => (typeof n === 'number' && Number.isFinite(n) ? n : fallback);
const clockOf = (a: QueryClock): Clock => ({ now: finite(a.now, Date.now()), utcOffsetMinutes: finite(a.utc_offset_minutes, 0) });
const rowsFor = (limit: number | undefined): number => Math.max(1, Math.min(Math.floor(finite(limit, 1000)), MAX_ROWS));

/** When MLflow syntax fails here, say whether MLflow's own parser would have taken it. */
function mlflowHint(text: string): string {
  if (!MLFLOW_PREFIX.test(text)) return '';
  try {
    parseSearchFilter(text);
    return '';
  } catch (err) {
    return `\n(MLflow's own filter parser rejects it too: ${(err as Error).message})`;
  }
}

const ORDER_ATTRIBUTES: Readonly<Record<string, AttributeKey>> = { start_time: 'start_time', end_time: 'end_time', run_name: 'run_name', run_id: 'run_id', user_id: 'user_id', status: 'status' };

/** MLflow `order_by` strings (`metrics.val_auc DESC`) as sort keys. */
export function mlflowSort(orderBy: readonly OrderByClause[]): SortKey[] {
  return orderBy.flatMap((o): SortKey[] => {
    const dir = o.ascending ? 'asc' : 'desc';
    if (o.type === 'metric') return [{ field: { kind: 'metric', key: o.key, agg: 'last' }, dir }];
    if (o.type === 'parameter') return [{ field: { kind: 'param', key: o.key }, dir }];
    if (o.type === 'tag') return [{ field: { kind: 'tag', key: o.key }, dir }];
    const key = ORDER_ATTRIBUTES[o.key];
    return key ? [{ field: { kind: 'attribute', key }, dir }] : [];
  });
}

export function createQueryHandlers(core: Core, summaries: (rows: RunRow[]) => Promise<RunSummary[]>) {
  const service = new QueryService(core.db);

  async function experimentIds(experiment: string | undefined): Promise<string[] | undefined> {
    if (experiment === undefined) return undefined;
    const e = (await core.experiments.getByName(experiment)) ?? (await core.experiments.get(experiment));
    if (!e) throw notFound(`No experiment named '${experiment}'`);
    return [e.experiment_id];
  }

  async function runGroups(text: string, a: QueryClock & { experimentIds?: string[]; view?: ViewType; limit?: number; orderBy?: readonly string[] }) {
    await core.writer.syncSummaries(); // filters and the vocabulary read latest_metrics
    const extraSort = mlflowSort(parseOrderBy(a.orderBy ? [...a.orderBy] : []));
    return service.run(text, { clock: clockOf(a), experimentIds: a.experimentIds, view: a.view, maxRows: rowsFor(a.limit), extraSort }, () => mlflowHint(text));
  }

  const handlers: Pick<ApiHandlers, 'query.explain' | 'query.run'> = {
    async 'query.explain'(a) {
      checkText(a?.text);
      await core.writer.syncSummaries();
      return service.explain(await service.analyze(a.text), { clock: clockOf(a), maxRows: 1000 });
    },

    async 'query.run'(a) {
      checkText(a?.text);
      const { explanation, groups } = await runGroups(a.text, { ...a, experimentIds: await experimentIds(a.experiment) });
      const seen = new Set<string>();
      const rows = groups.flat().filter((r) => !seen.has(r.run_id) && seen.add(r.run_id));
      return {
        explanation,
        runs: await summaries(rows),
        groups: explanation.groups && explanation.groups.map((g, i) => ({ ...g, run_ids: groups[i].map((r) => r.run_id) })),
      };
    },
  };

  return {
    handlers,
    /** `runs.list` with a filter: the matching runs in the query's order (compare groups one after another). */
    async list(a: { experimentIds?: string[]; filter: string; view?: ViewType; orderBy?: string[]; limit?: number } & QueryClock): Promise<RunSummary[]> {
      const { groups } = await runGroups(a.filter, a);
      const seen = new Set<string>();
      return summaries(groups.flat().filter((r) => !seen.has(r.run_id) && seen.add(r.run_id)));
    },
  };
}
