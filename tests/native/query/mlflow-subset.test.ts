// MLflow's filter syntax is a subset of the language: every filter MLflow accepts returns the same
// runs, in the same order, as the MLflow search path (native/store/run-search-sql.ts) on one seeded
// store. Two deliberate differences: `status = 'RUNNING'` means what the run table shows (an
// interrupted run is not "running"), and params holding numbers sort as numbers (0.03 before 0.1;
// MLflow compares the text, so '1e-3' sorts above '0.1').
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOrderBy, parseSearchFilter } from '../../../native/mlflow/search-filter';
import { compileRunSearch } from '../../../native/store/run-search-sql';
import { queryRows } from '../../../native/store/open-database';
import { createHandlers } from '../../../native/api/handlers';
import type { ApiHandlers } from '../../../native/api/contract';
import { NOW, seedStore, type SeededStore } from './seed-store';

let store: SeededStore;
let api: ApiHandlers;

beforeAll(async () => {
  store = await seedStore();
  api = createHandlers(store.core);
});
afterAll(() => store.close());

async function viaMlflow(filter: string, orderBy: string[] = []): Promise<string[]> {
  const sql = compileRunSearch({ clauses: parseSearchFilter(filter), orderBy: parseOrderBy(orderBy), viewType: 'ALL' });
  const rows = await queryRows<{ run_name: string }>(store.core.db.reader, `SELECT r.run_name FROM runs r WHERE ${sql.where} ORDER BY ${sql.orderBy}`, sql.params);
  return rows.map((r) => r.run_name);
}

async function viaLanguage(filter: string, orderBy: string[] = []): Promise<string[]> {
  const runs = await api['runs.list']({ filter, orderBy, view: 'all', limit: 1000, now: NOW });
  return runs.map((r) => r.run_name);
}

const FILTERS: [string, string[]?][] = [
  ['metrics.val_auc > 0.8'],
  ['metrics.val_auc >= 0.85 and metrics.latency_ms < 50'],
  ['metrics.val_loss < 0.5'], // mlp-wide's latest val_loss is NaN: matches no comparison
  ['metrics.val_loss != 0.31'],
  ['metrics.val_loss = 0.45'],
  ["params.model = 'xgb'"],
  ["params.model != 'xgb'"],
  ["params.lr = '0.1'"],
  ["params.model LIKE 'x%'"],
  ["params.model ILIKE '%G%'"],
  ['params.dropout_p IS NULL'],
  ['params.dropout_p IS NOT NULL'],
  ["tags.priority = 'p0'"],
  ["tags.team != 'risk'"],
  ["tags.`mlflow.runName` LIKE '%mlp%'"],
  ['tags.baseline IS NULL'],
  ["attributes.status = 'FAILED'"],
  ["attributes.status != 'FINISHED'"],
  ["attributes.run_name = 'xgb-deep'"],
  ["attributes.run_name LIKE '%fraud%'"],
  ["run_name ILIKE 'XGB%'"],
  ["attributes.user_id = 'ana'"],
  ['attributes.start_time > 1763600000000'],
  ['attributes.end_time < 1764000000000'],
  ["datasets.name = 'credit_risk_v2.1'"],
  ["datasets.digest IN ('d2b0beef0002', 'f3a0aa')"],
  ["datasets.context = 'training'"],
  ["datasets.name != 'fraud_tx_v3'"],
  ["metrics.val_auc > 0.7 and params.model = 'mlp' and tags.team = 'risk'"],
  ['', ['metrics.val_auc DESC']],
  ['', ['metrics.val_loss ASC']],
  ['', ['params.model DESC', 'attributes.start_time ASC']],
  ["tags.team = 'risk'", ['metrics.latency_ms DESC']],
  ['metrics.val_auc > 0.8', ['tags.priority ASC']],
];

describe('MLflow filters give the same runs as the MLflow search path', () => {
  it.each(FILTERS)('%s %j', async (filter, orderBy = []) => {
    const expected = await viaMlflow(filter, orderBy);
    // An empty filter takes runs.list's plain path; prefix a no-op condition to go through the language.
    const text = filter || 'attributes.run_id is not null';
    expect(await viaLanguage(text, orderBy)).toEqual(expected);
  });

  it("reads status as shown: RUNNING excludes an interrupted run, which MLflow's path counts", async () => {
    expect((await viaMlflow("attributes.status = 'RUNNING'")).sort()).toEqual(['mlp-resume', 'xgb-live']);
    expect(await viaLanguage("attributes.status = 'RUNNING'")).toEqual(['xgb-live']);
    expect(await viaLanguage("attributes.status = 'INTERRUPTED'")).toEqual(['mlp-resume']);
  });

  it('adds OR, NOT and parentheses', async () => {
    expect(await viaLanguage("metrics.val_auc > 0.9 or (params.model = 'logreg' and not tags.team = 'risk')")).toEqual(['xgb-leaky', 'fraud-gbm', 'churn-logreg']);
  });

  it('orders params holding numbers numerically', async () => {
    const text = await viaMlflow('', ['params.lr DESC']);
    expect(text.indexOf('mlp-wide')).toBeLessThan(text.indexOf('xgb-baseline')); // '1e-3' > '0.1' as text
    const numeric = await viaLanguage('params.lr is not null', ['params.lr DESC']);
    expect(numeric.slice(0, 6)).toEqual(['xgb-live', 'xgb-leaky', 'fraud-gbm', 'xgb-baseline', 'churn-xgb-old', 'lgbm-fast']);
    expect(numeric.slice(-2)).toEqual(['mlp-narrow', 'fraud-mlp']);
  });
});
