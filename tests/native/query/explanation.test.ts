// What query.explain gives the filter bar: every problem at once with its span and candidates,
// warnings that do not stop a query, chips whose `without` is the query minus that piece, and
// completions from the keys and values in the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../native/api/handlers';
import type { ApiHandlers } from '../../../native/api/contract';
import { NOW, seedStore, type SeededStore } from './seed-store';

let store: SeededStore;
let api: ApiHandlers;
const explain = (text: string) => api['query.explain']({ text, now: NOW });

beforeAll(async () => {
  store = await seedStore();
  api = createHandlers(store.core);
});
afterAll(() => store.close());

describe('problems', () => {
  it('reports every word it cannot place, each with its span and candidates', async () => {
    const text = 'loss < 0.3 and val_acu > 0.8 and banana';
    const x = await explain(text);
    expect(x.ok).toBe(false);
    expect(x.formal).toBe('');
    expect(x.problems.map((p) => [p.code, text.slice(p.start, p.end), p.candidates])).toEqual([
      ['ambiguous', 'loss', ['metrics.train_loss', 'metrics.val_loss']],
      ['unknown-word', 'val_acu', ['metrics.val_auc']],
      ['unknown-word', 'banana', []],
    ]);
    expect(x.explanation).toBe("Could not read this query: 'loss' could be 2 keys.");
  });

  it('notes without refusing: a converted unit, a value no run has, a misspelt grammar word', async () => {
    const x = await explain('faild runs with error rate under 5% and model catboost');
    expect(x.ok).toBe(true);
    expect(x.formal).toBe("attributes.status = 'FAILED' and metrics.error_rate < 0.05 and params.model = 'catboost'");
    expect(x.problems.map((p) => [p.severity, p.code, p.message])).toEqual([
      ['warning', 'corrected', "read 'faild' as 'failed'"],
      ['warning', 'unit', '5% compared with error_rate as the fraction 0.05'],
      ['warning', 'value', "no run has model = 'catboost'"],
    ]);
    expect(x.problems[2].candidates).toEqual(['gbm', 'lgbm', 'logreg', 'mlp', 'xgb']);
  });

  it('takes the stored spelling of a value written in another case', async () => {
    expect((await explain('model XGB')).formal).toBe("params.model = 'xgb'");
    // An explicit comparison is exact, as in MLflow: noted, not changed.
    const exact = await explain("params.model = 'XGB'");
    expect(exact.formal).toBe("params.model = 'XGB'");
    expect(exact.problems[0]).toMatchObject({ severity: 'warning', code: 'value' });
  });
});

describe('chips', () => {
  it('one per understood piece, each with the query that removing it leaves', async () => {
    const text = 'failed runs last week with val_auc > 0.8 and highest latency';
    const x = await explain(text);
    expect(x.chips.map((c) => [c.kind, c.label, c.formal, c.start === null ? null : text.slice(c.start, c.end ?? undefined)])).toEqual([
      ['condition', 'status is failed', "attributes.status = 'FAILED'", 'failed'],
      ['condition', 'it started in the last 7 days', 'attributes.start_time >= now - 7d', 'last week'],
      ['condition', 'val_auc is above 0.8', 'metrics.val_auc > 0.8', 'val_auc > 0.8'],
      ['sort', 'highest latency_ms', 'order by metrics.latency_ms desc', 'highest latency'],
      ['limit', 'one run', 'limit 1', null],
    ]);
    expect(x.chips[1].without).toBe("attributes.status = 'FAILED' and metrics.val_auc > 0.8 order by metrics.latency_ms desc limit 1");
    expect(x.chips[3].without).toBe("attributes.status = 'FAILED' and attributes.start_time >= now - 7d and metrics.val_auc > 0.8 limit 1");
    // What is left reads back as itself.
    for (const c of x.chips) expect((await explain(c.without)).formal).toBe(c.without);
  });

  it('a compare group removed leaves a plain condition once one group is left', async () => {
    const x = await explain('compare xgb vs mlp on v2.1');
    expect(x.chips.filter((c) => c.kind === 'group').map((c) => c.without)).toEqual([
      "params.model = 'mlp' and datasets.name = 'credit_risk_v2.1'",
      "params.model = 'xgb' and datasets.name = 'credit_risk_v2.1'",
    ]);
  });
});

describe('completions', () => {
  it.each([
    ['val_', ['val_f1', 'val_auc', 'val_loss']],
    ['metrics.lat', ['metrics.latency_ms']],
    ['model ml', ['mlp']],
    ['on credit', ['credit-risk', 'credit_risk_v2.0', 'credit_risk_v2.1']],
    ['dropout 0.2 ', []],
  ])('%s → %j', async (text, expected) => {
    expect((await explain(text)).completions).toEqual(expected);
  });
});
