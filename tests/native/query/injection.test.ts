// SQL injection attempts are inert: quotes, semicolons and comment markers in values, keys and free
// text end up as bound parameters (or as refused queries), never in the SQL text, and the store is
// untouched afterwards. Each payload carries the marker ZZQ so its absence from the SQL is checkable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../native/api/handlers';
import type { ApiHandlers } from '../../../native/api/contract';
import { queryRows } from '../../../native/store/open-database';
import { NOW, seedStore, type SeededStore } from './seed-store';

let store: SeededStore;
let api: ApiHandlers;

async function tableCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['runs', 'params', 'tags', 'latest_metrics', 'run_inputs', 'environments', 'experiments']) {
    out[t] = (await queryRows<{ n: number }>(store.core.db.reader, `SELECT count(*) AS n FROM ${t}`))[0].n;
  }
  return out;
}

beforeAll(async () => {
  store = await seedStore();
  api = createHandlers(store.core);
});
afterAll(() => store.close());

/** Queries that parse: the payload is a value and travels as a parameter. */
const AS_VALUES = [
  "model = 'ZZQ'' OR ''1''=''1'",
  "model = 'ZZQ''; DROP TABLE runs; --'",
  'model = "ZZQ\'; DELETE FROM params; --"',
  "run_name = 'ZZQ /* comment */ OR 1=1'",
  "tags.team = 'ZZQ'') OR (1=1'",
  "model like '%ZZQ%'' OR 1=1 --'",
  "model in ('ZZQ'', ''x', 'y''); DROP TABLE tags; --')",
  "'ZZQ''; DROP TABLE runs; --'",
  "gpu 'ZZQ'' OR 1=1 --'",
  "commit 'ZZQ''; --'",
  "torch 'ZZQ'')--'",
  "experiment = 'ZZQ''; DROP TABLE experiments; --'",
  "env.hostname contains 'ZZQ%_'",
];

/** Queries that are refused: the payload is a key or stray SQL, and nothing runs. */
const REFUSED = [
  "params.`ZZQ'; DROP TABLE runs; --` = '1'",
  'metrics."ZZQ"" OR 1=1 --" > 0',
  'tags.`ZZQ--` = 1',
  'val_auc > 0.5; DROP TABLE runs ZZQ',
  'val_auc > 0.5 -- ZZQ',
  'val_auc > 0.5 /* ZZQ */',
  "val_auc > 'ZZQ'",
  'ZZQ; DELETE FROM runs',
  "order by params.`ZZQ' DESC; DROP TABLE runs; --`",
  // Double quotes name a key (as in MLflow), and no key, dataset or tag has these names.
  "\"ZZQ' UNION SELECT * FROM params --\"",
  "on 'ZZQ'' OR 1=1'",
  "tagged 'ZZQ'' OR 1=1'",
  // A backslash does not escape a quote (SQL's rule): the string is left open.
  "datasets.name = 'ZZQ\\''",
];

describe('injection attempts', () => {
  it.each(AS_VALUES)('%s: bound as a parameter, matches nothing', async (text) => {
    const before = await tableCounts();
    const x = await api['query.explain']({ text, now: NOW });
    expect(x.problems.filter((p) => p.severity === 'error')).toEqual([]);
    for (const s of x.sql) {
      expect(s.sql).not.toContain('ZZQ');
      expect(s.params.some((p) => typeof p === 'string' && p.includes('ZZQ'))).toBe(true);
    }
    const result = await api['query.run']({ text, now: NOW });
    expect(result.runs).toEqual([]);
    expect(await tableCounts()).toEqual(before);
  });

  it.each(REFUSED)('%s: refused, nothing runs', async (text) => {
    const before = await tableCounts();
    const x = await api['query.explain']({ text, now: NOW });
    expect(x.ok).toBe(false);
    expect(x.sql).toEqual([]);
    await expect(api['query.run']({ text, now: NOW })).rejects.toThrow(/cannot run this filter/);
    await expect(api['runs.list']({ filter: text })).rejects.toThrow(/cannot run this filter/);
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses hostile shapes without recursing or crashing', async () => {
    const deep = `${'('.repeat(3000)}failed${')'.repeat(3000)}`;
    expect((await api['query.explain']({ text: deep })).problems[0].message).toMatch(/brackets nest deeper than 64/);
    expect((await api['query.explain']({ text: `${'not '.repeat(2000)}failed` })).problems[0].message).toMatch(/nested 'not'/);
    expect((await api['query.explain']({ text: 'x'.repeat(20_000) })).problems[0].message).toMatch(/at most 10000 characters/);
    await expect(api['query.explain']({ text: 42 as unknown as string })).rejects.toThrow(/'text' must be a string/);
    await expect(api['query.run']({ text: null as unknown as string })).rejects.toThrow(/'text' must be a string/);
    const x = await api['query.explain']({ text: 'today', now: Number.NaN, utc_offset_minutes: 'x' as unknown as number });
    expect(x.ok).toBe(true);
    expect((await api['query.run']({ text: 'failed', limit: 'all' as unknown as number })).runs.map((r) => r.run_name)).toEqual(['mlp-wide']);
  });

  it('a value with quotes matches the run that has exactly that value', async () => {
    const id = store.ids.get('xgb-baseline')!;
    await store.core.runs.setTags(id, [{ key: 'note', value: "it's a '; DROP TABLE runs; -- test" }]);
    const result = await api['query.run']({ text: "tags.note = 'it''s a ''; DROP TABLE runs; -- test'", now: NOW });
    expect(result.runs.map((r) => r.run_name)).toEqual(['xgb-baseline']);
    expect((await tableCounts()).runs).toBe(12);
  });
});
