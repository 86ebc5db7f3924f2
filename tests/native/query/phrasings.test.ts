// Every phrasing in the tables gives its formal query, the runs it returns from a real seeded store
// (in order when the query orders), and its formal query reads back to itself. Phrasings that cannot
// run are refused with the problem, the candidates and the span the tables name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../native/api/handlers';
import type { ApiHandlers } from '../../../native/api/contract';
import { NOW, seedStore, type SeededStore } from './seed-store';
import { BOOLEANS, COMPARISONS, EXAMPLES, UNITS, type Row } from './phrasings-core';
import { AGGREGATES, FREE_TEXT, MISSPELLINGS, MLFLOW, ORDERINGS, PROVENANCE, REPORTED, TAGS, TIMES } from './phrasings-more';

const TABLES: Record<string, Row[]> = { EXAMPLES, COMPARISONS, UNITS, BOOLEANS, ORDERINGS, AGGREGATES, TIMES, TAGS, PROVENANCE, FREE_TEXT, MLFLOW, MISSPELLINGS, REPORTED };
const ALL = Object.values(TABLES).flat();

let store: SeededStore;
let api: ApiHandlers;

beforeAll(async () => {
  store = await seedStore();
  api = createHandlers(store.core);
});
afterAll(() => store.close());

it('has at least 150 phrasings that run and 20 that are reported', () => {
  expect(new Set(ALL.map(([p]) => p)).size).toBe(ALL.length);
  expect(ALL.filter(([, e]) => 'formal' in e).length).toBeGreaterThanOrEqual(150);
  expect(ALL.filter(([, e]) => 'error' in e).length).toBeGreaterThanOrEqual(20);
});

for (const [table, rows] of Object.entries(TABLES)) {
  describe(table, () => {
    it.each(rows.map(([phrase, e]) => ({ phrase, e })))('$phrase', async ({ phrase, e }) => {
      const x = await api['query.explain']({ text: phrase, now: NOW });
      if ('error' in e) {
        expect(x.ok, `${phrase} should be refused`).toBe(false);
        const p = x.problems.find((q) => q.severity === 'error')!;
        expect(p.code).toBe(e.error);
        if (e.candidates) expect(p.candidates).toEqual(e.candidates);
        if (e.at !== undefined) expect(phrase.slice(p.start, p.end)).toBe(e.at);
        await expect(api['query.run']({ text: phrase, now: NOW })).rejects.toThrow(/cannot run this filter/);
        return;
      }
      expect(x.problems.filter((q) => q.severity === 'error'), phrase).toEqual([]);
      expect(x.formal).toBe(e.formal);
      expect(x.explanation).toMatch(/\.$/);
      const result = await api['query.run']({ text: phrase, now: NOW });
      const names = result.runs.map((r) => r.run_name);
      if (/order by|limit/.test(e.formal)) expect(names).toEqual(e.runs);
      else expect([...names].sort()).toEqual([...e.runs].sort());
      // The formal rendering is canonical: it reads back to itself and the same runs.
      const again = await api['query.explain']({ text: x.formal, now: NOW });
      expect(again.formal).toBe(x.formal);
      expect(again.sql).toEqual(x.sql);
    });
  });
}
