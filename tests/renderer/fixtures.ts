// Shared test data for renderer tests: a couple of runs as the core would return them.
import type { ApiHandlers, RunKeys, RunRowSummary, RunSummary, ServerInfo } from '../../native/api/contract';

export const serverInfo: ServerInfo = {
  version: '0.1.0',
  data_dir: '/home/me/.runledger',
  pid: 4242,
  url: 'http://127.0.0.1:5917/',
};

export function run(overrides: Partial<RunSummary> & Pick<RunSummary, 'run_id'>): RunSummary {
  return {
    run_name: overrides.run_id,
    experiment_id: '1',
    experiment: 'credit_risk',
    status: 'FINISHED',
    lifecycle_stage: 'active',
    start_time: Date.UTC(2025, 0, 2, 3, 4, 5),
    end_time: Date.UTC(2025, 0, 2, 4, 6, 5),
    user_id: 'me',
    last_step: 10,
    params: {},
    metrics: {},
    tags: {},
    ...overrides,
  };
}

export const runs: RunSummary[] = [
  run({
    run_id: 'a1',
    run_name: 'xgb-baseline',
    metrics: { val_auc: 0.8512345, loss: 'NaN' },
    params: { model: 'xgb', lr: '0.1' },
  }),
  run({
    run_id: 'b2',
    run_name: 'mlp-wide',
    status: 'INTERRUPTED',
    end_time: null,
    last_step: 1200,
    metrics: { val_auc: 0.83 },
    params: { model: 'mlp' },
  }),
  run({ run_id: 'c3', run_name: '', status: 'RUNNING', end_time: null, metrics: {}, params: {} }),
];

/** The runs as the table's `runs.page` rows (with their provenance summary). */
export function tableRows(list: readonly RunSummary[] = runs): RunRowSummary[] {
  return list.map((r, i) => ({ ...r, lineage: { commit: i === 0 ? 'a1b2c3d4e5f6' : null, dirty: i === 0 ? true : null, datasets: i === 0 ? ['credit_v2'] : [], gpu: i === 0 ? '1× NVIDIA A100' : null, bundle: null } }));
}

/** A `runs.page` handler over fixed rows: `rowsFor(filter)` says which rows a filter matches. */
export function pageHandler(rowsFor: (filter: string) => RunRowSummary[]): ApiHandlers['runs.page'] {
  return async ({ filter = '', offset = 0, limit = 200 }) => {
    const all = rowsFor(filter);
    return { total: all.length, offset, runs: all.slice(offset, offset + limit) };
  };
}

export const keysOf = (list: readonly RunSummary[] = runs): RunKeys => {
  const count = (pick: (r: RunSummary) => Record<string, unknown>) => {
    const counts = new Map<string, number>();
    for (const r of list) for (const k of Object.keys(pick(r))) counts.set(k, (counts.get(k) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key, n]) => ({ key, count: n }));
  };
  return { metrics: count((r) => r.metrics), params: count((r) => r.params), tags: count((r) => r.tags) };
};
