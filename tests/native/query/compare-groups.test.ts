// `compare A vs B` in the filter bar opens Compare with each group's runs: the renderer's helper
// runs every group's formal query through the real handlers over the seeded store.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHandlers } from '../../../native/api/handlers';
import { createApiClient } from '../../../renderer/api/api-client';
import { inProcessTransport } from '../../../renderer/api/in-process-transport';
import { runsOfGroups } from '../../../renderer/app/compare-groups';
import { NOW, seedStore, type SeededStore } from './seed-store';
import { BASE, DEEP, FMLP, LIVE, NARROW, RESUME, WIDE } from './phrasings-core';

let store: SeededStore;
let names: Map<string, string>;
let client: ReturnType<typeof createApiClient>;

beforeAll(async () => {
  store = await seedStore();
  const api = createHandlers(store.core);
  client = createApiClient(inProcessTransport(api));
  const all = await api['runs.list']({ view: 'all', limit: 1000 });
  names = new Map(all.map((r) => [r.run_id, r.run_name]));
});
afterAll(() => store.close());

const explain = async (text: string) => (await client.call('query.explain', { text, now: NOW })).groups!;

it('takes each group\'s runs in its own order, once each, group after group', async () => {
  const groups = await explain('compare xgb vs mlp');
  expect(groups.map((g) => g.label)).toHaveLength(2);
  const ids = await runsOfGroups(client, groups);
  expect(ids.map((id) => names.get(id))).toEqual([LIVE, DEEP, BASE, RESUME, NARROW, WIDE, FMLP]);
});

it('keeps a few runs per group, so a big group cannot crowd out the other', async () => {
  const ids = await runsOfGroups(client, await explain('compare xgb vs mlp'), 2);
  expect(ids.map((id) => names.get(id))).toEqual([LIVE, DEEP, RESUME, NARROW]);
});
