// runs/search over real HTTP and DuckDB: filters (metrics/params/tags/attributes/datasets), order_by
// with NaN and missing values last, run_view_type, pagination with page tokens until none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { createExperiment, createRun, expectEmpty, expectError, expectInt64, expectSnakeCase } from './wire';

let srv: TestServer;
let exp: string;
let other: string;
const ids: Record<string, string> = {};

interface Seed {
  name: string;
  start: number;
  loss?: number | 'NaN';
  lr: string;
  tags?: Record<string, string>;
  status?: string;
  deleted?: boolean;
  dataset?: string;
  exp?: 'other';
}

// Active runs of `exp` in default order (start_time DESC): delta, gamma, beta, alpha. eps is deleted.
const SEEDS: Seed[] = [
  { name: 'alpha', start: 1000, loss: 0.3, lr: '0.01', tags: { team: 'core' }, status: 'FINISHED', dataset: 'training' },
  { name: 'beta', start: 2000, loss: 0.7, lr: '0.1', tags: { team: 'edge' } },
  { name: 'gamma', start: 3000, loss: 'NaN', lr: '0.01' },
  { name: 'delta', start: 4000, lr: '0.001', tags: { 'mlflow.source.type': 'LOCAL' } },
  { name: 'eps', start: 5000, loss: 0.1, lr: '0.5', deleted: true },
  { name: 'phi', start: 6000, loss: 0.2, lr: '0.5', exp: 'other' },
];

beforeAll(async () => {
  srv = await startTestServer();
  exp = await createExperiment(srv);
  other = await createExperiment(srv);
  for (const s of SEEDS) {
    const id = await createRun(srv, s.exp ? other : exp, { run_name: s.name, start_time: s.start, tags: Object.entries(s.tags ?? {}).map(([key, value]) => ({ key, value })) });
    ids[s.name] = id;
    const metrics = s.loss === undefined ? [] : [{ key: 'loss', value: s.loss, timestamp: s.start, step: 0 }];
    expect((await srv.mlflow('POST', 'runs/log-batch', { run_id: id, metrics, params: [{ key: 'lr', value: s.lr }] })).status).toBe(200);
    if (s.dataset) {
      const datasets = [{ tags: [{ key: 'mlflow.data.context', value: s.dataset }], dataset: { name: 'ds', digest: 'd1', source_type: 'local', source: 'x' } }];
      expect((await srv.mlflow('POST', 'runs/log-inputs', { run_id: id, datasets })).status).toBe(200);
    }
    if (s.status) expect((await srv.mlflow('POST', 'runs/update', { run_id: id, status: s.status, end_time: s.start + 500 })).status).toBe(200);
    if (s.deleted) expect((await srv.mlflow('POST', 'runs/delete', { run_id: id })).status).toBe(200);
  }
});
afterAll(async () => {
  await srv.stop();
});

type Body = Record<string, unknown>;
async function search(body: Body): Promise<string[]> {
  const res = await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], ...body });
  expect(res.status, res.text).toBe(200);
  const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  return (res.json.runs ?? []).map((r: { info: { run_id: string } }) => byId.get(r.info.run_id) ?? r.info.run_id);
}

describe('runs/search response shape', () => {
  it('{"runs": [Run...]} with full runs; no next_page_token on the last page', async () => {
    const res = await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], filter: "attributes.run_name = 'alpha'" });
    expect(res.status).toBe(200);
    expectSnakeCase(res.json);
    expect(Object.keys(res.json)).toEqual(['runs']);
    const run = res.json.runs[0];
    expect(run.info).toMatchObject({ run_id: ids.alpha, run_uuid: ids.alpha, run_name: 'alpha', experiment_id: exp, status: 'FINISHED', lifecycle_stage: 'active' });
    expectInt64(res, run.info, 'start_time', 1000);
    expectInt64(res, run.info, 'end_time', 1500);
    expect(run.data.metrics).toEqual([{ key: 'loss', value: 0.3, timestamp: 1000, step: 0 }]);
    expect(run.data.params).toEqual([{ key: 'lr', value: '0.01' }]);
    expect(run.inputs.dataset_inputs[0].dataset.name).toBe('ds');
  });

  it('no match → {}', async () => {
    expectEmpty(await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], filter: "params.lr = 'nope'" }));
  });

  it('default order is start_time DESC; default view is ACTIVE_ONLY', async () => {
    expect(await search({})).toEqual(['delta', 'gamma', 'beta', 'alpha']);
  });
});

describe('runs/search filters', () => {
  const cases: [string, string[]][] = [
    ['metrics.loss < 0.5', ['alpha']], // NaN (gamma) and missing (delta) never match
    ['metrics.loss >= 0.3', ['beta', 'alpha']],
    ['metrics.loss != 0.3', ['beta']],
    ['metric.loss = 0.7', ['beta']],
    ["params.lr = '0.01'", ['gamma', 'alpha']],
    ['params.lr = "0.01"', ['gamma', 'alpha']],
    ["params.lr != '0.01'", ['delta', 'beta']],
    ["param.lr LIKE '0.0%'", ['delta', 'gamma', 'alpha']],
    ["tags.team != 'core'", ['beta']], // runs without the tag do not match != either
    ["tags.team ILIKE 'CO%'", ['alpha']],
    ["tags.`mlflow.source.type` = 'LOCAL'", ['delta']],
    ["tags.\"mlflow.source.type\" = 'LOCAL'", ['delta']],
    ["attributes.status = 'FINISHED'", ['alpha']],
    ["attributes.run_name ILIKE 'AL%'", ['alpha']],
    ["`Run name` = 'beta'", ['beta']],
    ['attributes.start_time > 2500', ['delta', 'gamma']],
    ['created <= 2000', ['beta', 'alpha']],
    ["datasets.context = 'training'", ['alpha']],
    ["metrics.loss < 0.5 AND params.lr = '0.01'", ['alpha']],
    ["metrics.loss > 0 and params.lr = '0.1' and tags.team = 'edge'", ['beta']],
  ];
  for (const [filter, expected] of cases) {
    it(`${filter} → ${expected.join(', ')}`, async () => {
      expect(await search({ filter })).toEqual(expected);
    });
  }

  it('attributes.run_id IN (...)', async () => {
    expect(await search({ filter: `attributes.run_id IN ('${ids.alpha}', '${ids.beta}')` })).toEqual(['beta', 'alpha']);
    expect(await search({ filter: `run_id NOT IN ('${ids.alpha}', '${ids.beta}')` })).toEqual(['delta', 'gamma']);
  });

  it('several experiment_ids at once', async () => {
    expect(await search({ experiment_ids: [exp, other], filter: 'metrics.loss < 0.5' })).toEqual(['phi', 'alpha']);
  });

  it('malformed filters → 400 INVALID_PARAMETER_VALUE (never 500)', async () => {
    const bad: [string, RegExp][] = [
      ["metrics.loss > 'a'", /Expected numeric value type for metric/],
      ['params.lr = a', /not quoted/],
      ["params.lr = '0.01' or params.lr = '0.1'", /Invalid clause\(s\) in filter string/],
      ["(params.lr = '0.01')", /./],
      ["attributes.lifecycle_stage = 'active'", /./],
      ["bogus.key = 'x'", /./],
    ];
    for (const [filter, message] of bad) {
      expectError(await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], filter }), 400, 'INVALID_PARAMETER_VALUE', message);
    }
  });
});

describe('runs/search order_by', () => {
  it('metrics ASC and DESC put NaN, then missing, last in both directions', async () => {
    expect(await search({ order_by: ['metrics.loss ASC'] })).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    expect(await search({ order_by: ['metrics.loss DESC'] })).toEqual(['beta', 'alpha', 'gamma', 'delta']);
    expect(await search({ order_by: ['metrics.loss'] })).toEqual(['alpha', 'beta', 'gamma', 'delta']); // ASC is the default
  });

  it('params with start_time DESC as the tie-breaker; attributes; several clauses', async () => {
    expect(await search({ order_by: ['params.lr DESC'] })).toEqual(['beta', 'gamma', 'alpha', 'delta']);
    expect(await search({ order_by: ['attributes.start_time ASC'] })).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    expect(await search({ order_by: ['params.lr ASC', 'attributes.start_time ASC'] })).toEqual(['delta', 'alpha', 'gamma', 'beta']);
    expect(await search({ order_by: ['tags.team ASC'] })).toEqual(['alpha', 'beta', 'delta', 'gamma']);
  });

  it('a bad or duplicate order_by → 400 (MLflow answers 500 for duplicates, which the client would retry)', async () => {
    for (const order_by of [['metrics.loss SIDEWAYS'], ['metrics.loss ASC', 'metrics.loss DESC'], ['nonsense.key']]) {
      expectError(await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], order_by }), 400, 'INVALID_PARAMETER_VALUE');
    }
  });
});

describe('runs/search run_view_type', () => {
  it('DELETED_ONLY, ALL, by number, and an unknown name falls back to ACTIVE_ONLY', async () => {
    expect(await search({ run_view_type: 'DELETED_ONLY' })).toEqual(['eps']);
    expect(await search({ run_view_type: 'ALL' })).toEqual(['eps', 'delta', 'gamma', 'beta', 'alpha']);
    expect(await search({ run_view_type: 2 })).toEqual(['eps']);
    expect(await search({ run_view_type: '3' })).toHaveLength(5);
    expect(await search({ run_view_type: 'ACTIVE_ONLY' })).toEqual(['delta', 'gamma', 'beta', 'alpha']);
    expect(await search({ run_view_type: 'NOT_A_VIEW' })).toEqual(['delta', 'gamma', 'beta', 'alpha']);
  });

  it('a deleted run comes back once restored', async () => {
    const id = await createRun(srv, other, { run_name: 'restore-me', start_time: 1 });
    await srv.mlflow('POST', 'runs/delete', { run_id: id });
    const names = async (): Promise<string[]> =>
      ((await srv.mlflow('POST', 'runs/search', { experiment_ids: [other] })).json.runs ?? []).map((r: { info: { run_name: string } }) => r.info.run_name);
    expect(await names()).not.toContain('restore-me');
    await srv.mlflow('POST', 'runs/restore', { run_id: id });
    expect(await names()).toContain('restore-me');
  });
});

describe('runs/search pagination', () => {
  let big: string;
  const N = 23;
  beforeAll(async () => {
    big = await createExperiment(srv);
    for (let i = 0; i < N; i++) await createRun(srv, big, { run_name: `r${i}`, start_time: 10_000 + i });
  });

  async function allPages(body: Body, maxResults: number): Promise<{ names: string[]; pages: number }> {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await srv.mlflow('POST', 'runs/search', { experiment_ids: [big], max_results: maxResults, ...body, ...(token ? { page_token: token } : {}) });
      expect(res.status, res.text).toBe(200);
      const page = (res.json.runs ?? []).map((r: { info: { run_name: string } }) => r.info.run_name);
      expect(page.length).toBeLessThanOrEqual(maxResults);
      names.push(...page);
      token = res.json.next_page_token;
      pages++;
    } while (token && pages < 100);
    return { names, pages };
  }

  it('follows next_page_token until none: every run exactly once, in order', async () => {
    const expected = Array.from({ length: N }, (_, i) => `r${N - 1 - i}`);
    const { names, pages } = await allPages({}, 10);
    expect(names).toEqual(expected);
    expect(pages).toBe(3);
    const one = await allPages({}, 1);
    expect(one.names).toEqual(expected);
  });

  it('pages keep the order_by and the filter', async () => {
    const { names } = await allPages({ order_by: ['attributes.start_time ASC'], filter: 'attributes.start_time >= 10005' }, 4);
    expect(names).toEqual(Array.from({ length: N - 5 }, (_, i) => `r${i + 5}`));
  });

  it('max_results as a string works; over 50000 → 400; a forged page token → 400', async () => {
    const res = await srv.mlflow('POST', 'runs/search', { experiment_ids: [big], max_results: '5' });
    expect(res.json.runs).toHaveLength(5);
    expect(res.json.next_page_token).toBeTypeOf('string');
    expectError(await srv.mlflow('POST', 'runs/search', { experiment_ids: [big], max_results: 50001 }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await srv.mlflow('POST', 'runs/search', { experiment_ids: [big], page_token: 'garbage!!' }), 400, 'INVALID_PARAMETER_VALUE');
    const ok = await srv.mlflow('POST', 'runs/search', { experiment_ids: [big], max_results: 50000 });
    expect(ok.json.runs).toHaveLength(N);
  });
});
