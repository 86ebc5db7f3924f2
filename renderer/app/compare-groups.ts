// `compare lr=1e-3 and lr=3e-4 on v2.1` in the filter bar: each group's formal query is run, and the
// union of their runs (a few per group, best first in each group's own order) opens in Compare.
import type { QueryExplanation } from '../../native/api/contract';
import type { ApiClient } from '../api/api-client';

export type CompareGroups = NonNullable<QueryExplanation['groups']>;

/** Runs per group: enough to see a trend, few enough that 2–4 groups stay readable on one chart. */
export const RUNS_PER_GROUP = 10;

export async function runsOfGroups(client: ApiClient, groups: CompareGroups, perGroup = RUNS_PER_GROUP): Promise<string[]> {
  const ids: string[] = [];
  for (const g of groups) {
    const result = await client.call('query.run', { text: g.formal, limit: perGroup });
    for (const r of result.runs) if (!ids.includes(r.run_id)) ids.push(r.run_id);
  }
  return ids;
}
