// metrics/get-history and the "latest value" in runs/get, over real HTTP and DuckDB: every point
// without max_results, paging with max_results + page_token, exact-duplicate collapse, resumed
// (backwards) steps kept, MLflow's latest = max (step, timestamp, value).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { createExperiment, createRun, expectEmpty, expectError, expectInt64, expectSnakeCase, getRun, missingMessage, rawRequest } from './wire';

let srv: TestServer;
let exp: string;
beforeAll(async () => {
  srv = await startTestServer();
  exp = await createExperiment(srv);
});
afterAll(async () => {
  await srv.stop();
});

interface Point {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

async function logBatch(runId: string, metrics: Point[]): Promise<void> {
  for (let off = 0; off < metrics.length; off += 1000) {
    expectEmpty(await srv.mlflow('POST', 'runs/log-batch', { run_id: runId, metrics: metrics.slice(off, off + 1000) }));
  }
}

async function history(runId: string, key: string, extra: Record<string, unknown> = {}): Promise<Point[]> {
  const res = await srv.mlflow('GET', 'metrics/get-history', { run_id: runId, metric_key: key, ...extra });
  expect(res.status, res.text).toBe(200);
  expect(res.json).not.toHaveProperty('next_page_token');
  return res.json.metrics ?? [];
}

async function pagedHistory(runId: string, key: string, maxResults: number): Promise<{ points: Point[]; pages: number }> {
  const points: Point[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const res = await srv.mlflow('GET', 'metrics/get-history', { run_uuid: runId, run_id: runId, metric_key: key, max_results: maxResults, ...(token ? { page_token: token } : {}) });
    expect(res.status, res.text).toBe(200);
    const page: Point[] = res.json.metrics ?? [];
    expect(page.length).toBeLessThanOrEqual(maxResults);
    points.push(...page);
    token = res.json.next_page_token;
    pages++;
  } while (token && pages < 1000);
  return { points, pages };
}

const sortPoints = (ps: Point[]): Point[] => [...ps].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp || Number(a.value) - Number(b.value));

describe('metrics/get-history', () => {
  it('Metric shape: {key, value, timestamp, step} with int64 as numbers', async () => {
    const id = await createRun(srv, exp);
    await logBatch(id, [{ key: 'loss', value: 0.25, timestamp: 1_700_000_000_001, step: 4 }]);
    const res = await srv.mlflow('GET', 'metrics/get-history', { run_id: id, metric_key: 'loss' });
    expect(res.status).toBe(200);
    expectSnakeCase(res.json);
    expect(res.json).toEqual({ metrics: [{ key: 'loss', value: 0.25, timestamp: 1_700_000_000_001, step: 4 }] });
    expectInt64(res, res.json.metrics[0], 'timestamp');
    expectInt64(res, res.json.metrics[0], 'step', 4);
  });

  it('without max_results: every point in one response (3000 points, no token)', async () => {
    const id = await createRun(srv, exp);
    const points = Array.from({ length: 3000 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), timestamp: 10_000 + i, step: i }));
    await logBatch(id, points);
    const got = await history(id, 'loss');
    expect(got).toHaveLength(3000);
    expect(sortPoints(got)).toEqual(points);
    // What every client sends: max_results=25000, one page, no token.
    const clientStyle = await srv.mlflow('GET', 'metrics/get-history', { run_uuid: id, metric_key: 'loss', run_id: id, max_results: 25000 });
    expect(clientStyle.json.metrics).toHaveLength(3000);
    expect(clientStyle.json).not.toHaveProperty('next_page_token');
  });

  it('max_results + page_token: pages until no token, every point exactly once', async () => {
    const id = await createRun(srv, exp);
    const points = Array.from({ length: 10 }, (_, i) => ({ key: 'acc', value: i / 10, timestamp: 500 + i, step: i }));
    await logBatch(id, points);
    const { points: got, pages } = await pagedHistory(id, 'acc', 4);
    expect(pages).toBe(3);
    expect(sortPoints(got)).toEqual(points);
    const single = await pagedHistory(id, 'acc', 1);
    expect(single.pages).toBe(10);
    expect(sortPoints(single.points)).toEqual(points);
    const exact = await pagedHistory(id, 'acc', 10); // a full last page: clients still just loop until no token
    expect(sortPoints(exact.points)).toEqual(points);
  });

  it('int64 steps and timestamps beyond 32 bits (and negative steps) round-trip exactly, as strings or numbers', async () => {
    const id = await createRun(srv, exp);
    const points = [
      { key: 'big', value: 1, timestamp: 4_102_444_800_000, step: Number.MAX_SAFE_INTEGER },
      { key: 'big', value: 2, timestamp: 2 ** 32 + 7, step: 2 ** 40 + 3 },
      { key: 'big', value: 3, timestamp: 0, step: -(2 ** 33) - 1 },
    ];
    await logBatch(id, points.map((p, i) => (i === 1 ? { ...p, step: String(p.step) as unknown as number, timestamp: String(p.timestamp) as unknown as number } : p)));
    const res = await srv.mlflow('GET', 'metrics/get-history', { run_id: id, metric_key: 'big' });
    expect(sortPoints(res.json.metrics)).toEqual(sortPoints(points));
    expect(res.text).toMatch(new RegExp(`"step"\\s*:\\s*${Number.MAX_SAFE_INTEGER}\\b`)); // a JSON number, not a string
    expect((await getRun(srv, id)).json.run.data.metrics).toEqual([points[0]]);
  });

  it('an unknown metric key → {} (200)', async () => {
    const id = await createRun(srv, exp);
    expectEmpty(await srv.mlflow('GET', 'metrics/get-history', { run_id: id, metric_key: 'never-logged' }));
    expectEmpty(await srv.mlflow('GET', 'metrics/get-history', { run_id: id, metric_key: 'never-logged', max_results: 25000 }));
  });

  it('errors: missing metric_key / run_id → 400; unknown run → 404; bad page token → 400', async () => {
    const id = await createRun(srv, exp);
    expectError(await srv.mlflow('GET', 'metrics/get-history', { run_id: id }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('metric_key'));
    expectError(await srv.mlflow('GET', 'metrics/get-history', { metric_key: 'loss' }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('run_id'));
    expectError(await srv.mlflow('GET', 'metrics/get-history', { run_id: 'nosuchrun77', metric_key: 'loss' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await srv.mlflow('GET', 'metrics/get-history', { run_id: id, metric_key: 'loss', max_results: 5, page_token: '%%%' }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('NaN / ±Infinity come back as strings, -0 as -0.0 in the raw text', async () => {
    const id = await createRun(srv, exp);
    const body = `{"run_id": "${id}", "metrics": [
      {"key": "odd", "value": "NaN", "timestamp": 1, "step": 0},
      {"key": "odd", "value": "Infinity", "timestamp": 2, "step": 1},
      {"key": "odd", "value": "-Infinity", "timestamp": 3, "step": 2},
      {"key": "odd", "value": -0.0, "timestamp": 4, "step": 3}
    ]}`;
    expectEmpty(await rawRequest(srv, 'POST', '/api/2.0/mlflow/runs/log-batch', body, { 'Content-Type': 'application/json' }));
    const res = await srv.mlflow('GET', 'metrics/get-history', { run_id: id, metric_key: 'odd' });
    const byStep = Object.fromEntries(res.json.metrics.map((m: Point) => [m.step, m.value]));
    expect(byStep).toMatchObject({ 0: 'NaN', 1: 'Infinity', 2: '-Infinity' });
    expect(Object.is(byStep[3], -0)).toBe(true);
    expect(res.text).toMatch(/"value"\s*:\s*-0\.0\s*,\s*"timestamp"\s*:\s*4\b/);
  });
});

describe('append-only history semantics', () => {
  it('exact duplicates (same key, step, timestamp, value — a client retry) come back once, before and after the run ends', async () => {
    const id = await createRun(srv, exp);
    const p = { key: 'loss', value: 0.5, timestamp: 1234, step: 1 };
    await logBatch(id, [{ key: 'loss', value: 1, timestamp: 1000, step: 0 }, p]);
    await logBatch(id, [p, p]); // retried batch, duplicated inside too
    expectEmpty(await srv.mlflow('POST', 'runs/log-metric', { run_id: id, ...p })); // and a retried log-metric
    // Same step and timestamp, different value: a distinct point, kept.
    await logBatch(id, [{ ...p, value: 0.6 }]);
    const expected = [{ key: 'loss', value: 1, timestamp: 1000, step: 0 }, p, { ...p, value: 0.6 }];
    expect(sortPoints(await history(id, 'loss'))).toEqual(expected);
    expect(sortPoints((await pagedHistory(id, 'loss', 2)).points)).toEqual(expected);
    await srv.mlflow('POST', 'runs/update', { run_id: id, status: 'FINISHED', end_time: 9999 });
    expect(sortPoints(await history(id, 'loss'))).toEqual(expected);
  });

  // Hot rows are de-duplicated against compacted ones too (SERIES_SQL in metric-repository.ts).
  it('a retry that arrives after the run ended (points compacted) still comes back once', async () => {
    const id = await createRun(srv, exp);
    const p = { key: 'loss', value: 0.5, timestamp: 1234, step: 1 };
    await logBatch(id, [p]);
    await srv.mlflow('POST', 'runs/update', { run_id: id, status: 'FINISHED', end_time: 9999 });
    await logBatch(id, [p]);
    expect(await history(id, 'loss')).toEqual([p]);
  });

  it('a step that goes backwards (a resumed run) keeps every point', async () => {
    const id = await createRun(srv, exp);
    const first = [0, 1, 2, 3].map((s) => ({ key: 'loss', value: 1 - s / 10, timestamp: 100 + s, step: s }));
    const resumed = [2, 3, 4].map((s) => ({ key: 'loss', value: 0.5 - s / 100, timestamp: 200 + s, step: s }));
    await logBatch(id, first);
    await logBatch(id, resumed);
    const got = await history(id, 'loss');
    expect(got).toHaveLength(7);
    expect(sortPoints(got)).toEqual(sortPoints([...first, ...resumed]));
  });
});

describe('latest metric in runs/get (and runs/search): max by (step, timestamp, value), as MLflow', () => {
  async function latest(id: string, key = 'm'): Promise<Point | undefined> {
    return (await getRun(srv, id)).json.run.data.metrics?.find((m: Point) => m.key === key);
  }

  it('highest step wins over a later timestamp', async () => {
    const id = await createRun(srv, exp);
    await logBatch(id, [{ key: 'm', value: 1, timestamp: 100, step: 5 }]);
    await logBatch(id, [{ key: 'm', value: 9, timestamp: 900, step: 3 }]);
    expect(await latest(id)).toEqual({ key: 'm', value: 1, timestamp: 100, step: 5 });
  });

  it('same step: the later timestamp wins; same step and timestamp: the larger value wins', async () => {
    const id = await createRun(srv, exp);
    await logBatch(id, [{ key: 'm', value: 1, timestamp: 100, step: 5 }, { key: 'm', value: 0.5, timestamp: 200, step: 5 }]);
    expect(await latest(id)).toEqual({ key: 'm', value: 0.5, timestamp: 200, step: 5 });
    await logBatch(id, [{ key: 'm', value: 0.7, timestamp: 200, step: 5 }, { key: 'm', value: 0.6, timestamp: 200, step: 5 }]);
    expect(await latest(id)).toEqual({ key: 'm', value: 0.7, timestamp: 200, step: 5 });
  });

  it('one entry per key in data.metrics, and the same latest value after the run ends and in runs/search', async () => {
    const id = await createRun(srv, exp);
    await logBatch(id, [
      { key: 'a', value: 3, timestamp: 1, step: 2 },
      { key: 'a', value: 4, timestamp: 2, step: 1 },
      { key: 'b', value: 7, timestamp: 5, step: 0 },
    ]);
    const check = async (): Promise<void> => {
      const metrics = (await getRun(srv, id)).json.run.data.metrics;
      expect([...metrics].sort((x: Point, y: Point) => x.key.localeCompare(y.key))).toEqual([
        { key: 'a', value: 3, timestamp: 1, step: 2 },
        { key: 'b', value: 7, timestamp: 5, step: 0 },
      ]);
    };
    await check();
    await srv.mlflow('POST', 'runs/update', { run_id: id, status: 'FINISHED', end_time: 10 });
    await check();
    const found = await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], filter: `metrics.a = 3 and attributes.run_id = '${id}'` });
    expect(found.json.runs).toHaveLength(1);
  });
});
