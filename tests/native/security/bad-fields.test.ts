// Well-formed JSON with bad contents, over real HTTP: wrong field types, missing fields, invalid keys,
// oversize values. Each is a 400 with MLflow's error JSON, and the store is unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { authed, expectRejected, MLFLOW, seedRun } from './support';

let srv: TestServer;
let runId: string;
let experimentId: string;

beforeAll(async () => {
  srv = await startTestServer();
  ({ runId, experimentId } = await seedRun(srv, 'fields'));
});
afterAll(() => srv?.stop());

type Body = Record<string, unknown>;
const post = (endpoint: string, body: Body | string) => () =>
  authed(srv, { method: 'POST', path: `${MLFLOW}/${endpoint}`, body: typeof body === 'string' ? body : JSON.stringify(body) });
const get = (endpoint: string, query: string) => () => authed(srv, { path: `${MLFLOW}/${endpoint}?${query}` });

const metric = (over: Body): Body => ({ run_id: runId, key: 'm', value: 1, timestamp: 1, step: 0, ...over });

describe('wrong field types → 400', () => {
  const cases = (): [string, string, Body][] => [
    ['run_id: 5', 'runs/log-metric', metric({ run_id: 5 })],
    ['run_id: []', 'runs/log-metric', metric({ run_id: [] })],
    ['run_id: {}', 'runs/log-batch', { run_id: {}, tags: [{ key: 't', value: 'v' }] }],
    ['run_uuid: 5 (alias)', 'runs/log-parameter', { run_uuid: 5, key: 'p', value: 'v' }],
    ['metrics: "x"', 'runs/log-batch', { run_id: runId, metrics: 'x' }],
    ['metrics: {}', 'runs/log-batch', { run_id: runId, metrics: {} }],
    ['metrics: [5]', 'runs/log-batch', { run_id: runId, metrics: [5] }],
    ['metrics: [[…]]', 'runs/log-batch', { run_id: runId, metrics: [[metric({})]] }],
    ['params: "x"', 'runs/log-batch', { run_id: runId, params: 'x' }],
    ['tags: 5', 'runs/log-batch', { run_id: runId, tags: 5 }],
    ['tags: [null]', 'runs/log-batch', { run_id: runId, tags: [null] }],
    ['value: {}', 'runs/log-metric', metric({ value: {} })],
    ['value: []', 'runs/log-metric', metric({ value: [] })],
    ['value: true', 'runs/log-metric', metric({ value: true })],
    ['value: "abc"', 'runs/log-metric', metric({ value: 'abc' })],
    ['value: ""', 'runs/log-metric', metric({ value: '' })],
    ['value: "nan" (only "NaN" is protobuf JSON)', 'runs/log-metric', metric({ value: 'nan' })],
    ['value: "0x10"', 'runs/log-metric', metric({ value: '0x10' })],
    ['step: 1.5', 'runs/log-metric', metric({ step: 1.5 })],
    ['step: "1.5"', 'runs/log-metric', metric({ step: '1.5' })],
    ['step: "abc"', 'runs/log-metric', metric({ step: 'abc' })],
    ['step: true', 'runs/log-metric', metric({ step: true })],
    ['step: 1e300', 'runs/log-metric', metric({ step: 1e300 })],
    ['timestamp: "abc"', 'runs/log-metric', metric({ timestamp: 'abc' })],
    ['timestamp: {}', 'runs/log-metric', metric({ timestamp: {} })],
    ['timestamp: 1.5', 'runs/log-metric', metric({ timestamp: 1.5 })],
    ['metric in a batch with step: 1.5', 'runs/log-batch', { run_id: runId, metrics: [metric({}), metric({ step: 1.5 })] }],
    ['param value: 5', 'runs/log-parameter', { run_id: runId, key: 'p', value: 5 }],
    ['param value: {}', 'runs/log-batch', { run_id: runId, params: [{ key: 'p', value: {} }] }],
    ['tag value: true', 'runs/set-tag', { run_id: runId, key: 't', value: true }],
    ['key: 5', 'runs/set-tag', { run_id: runId, key: 5, value: 'v' }],
    ['experiment name: 5', 'experiments/create', { name: 5 }],
    ['experiment tags: "x"', 'experiments/create', { name: 'typed', tags: 'x' }],
    ['experiment_id: 5 on runs/create', 'runs/create', { experiment_id: 5 }],
    ['start_time: "abc"', 'runs/create', { experiment_id: experimentId, start_time: 'abc' }],
    ['run tags: [5]', 'runs/create', { experiment_id: experimentId, tags: [5] }],
    ['status: {}', 'runs/update', { run_id: runId, status: {} }],
    ['end_time: 1.5', 'runs/update', { run_id: runId, end_time: 1.5 }],
    ['run_name: 5', 'runs/update', { run_id: runId, run_name: 5 }],
    ['max_results: "abc"', 'runs/search', { max_results: 'abc' }],
    ['max_results: 50001', 'runs/search', { max_results: 50001 }],
    ['max_results: 0', 'runs/search', { max_results: 0 }],
    ['experiment_ids: 5', 'runs/search', { experiment_ids: 5 }],
    ['order_by: [5]', 'runs/search', { order_by: [5] }],
    ['filter: 5', 'runs/search', { filter: 5 }],
    ['filter: unparsable', 'runs/search', { filter: 'metrics.loss <<< 1' }],
    ['page_token: garbage', 'runs/search', { page_token: 'garbage!!' }],
    ['datasets: "x"', 'runs/log-inputs', { run_id: runId, datasets: 'x' }],
    ['dataset: []', 'runs/log-inputs', { run_id: runId, datasets: [{ dataset: [] }] }],
  ];
  it.each(cases().map(([name], i) => [name, i] as const))('%s', async (_name, i) => {
    const [, endpoint, body] = cases()[i];
    await expectRejected(srv, post(endpoint, body), 400);
  });

  // int64 values a double cannot hold exactly are refused (optInt64), never rounded or left to the
  // store to reject with a 500 that the MLflow client would retry for minutes.
  it.each([
    ['step: 9223372036854775807 (int64 max, read as 2^63)', '{"key":"i64","value":1,"timestamp":1,"step":9223372036854775807}'],
    ['step: "9223372036854775808"', '{"key":"i64","value":1,"timestamp":1,"step":"9223372036854775808"}'],
    ['timestamp: "9223372036854775807"', '{"key":"i64","value":1,"timestamp":"9223372036854775807"}'],
  ])('%s → 400, not 500', async (_name, fields) => {
    await expectRejected(srv, post('runs/log-metric', `{"run_id":"${runId}",${fields.slice(1)}`), 400, 'INVALID_PARAMETER_VALUE');
  });

  it.each([
    ['max_results=abc', 'metrics/get-history', () => `run_id=${runId}&metric_key=loss&max_results=abc`],
    ['max_results=0', 'metrics/get-history', () => `run_id=${runId}&metric_key=loss&max_results=0`],
    ['page_token=garbage', 'metrics/get-history', () => `run_id=${runId}&metric_key=loss&max_results=10&page_token=%%%`],
    ['run_id with a slash', 'runs/get', () => `run_id=${encodeURIComponent('../x')}`],
    ['run_id too long', 'runs/get', () => `run_id=${'a'.repeat(300)}`],
  ])('GET %s → 400', async (_name, endpoint, query) => {
    await expectRejected(srv, get(endpoint, query()), 400);
  });
});

describe('missing fields → 400', () => {
  const cases = (): [string, string, Body | string][] => [
    ['log-metric without run_id', 'runs/log-metric', { key: 'm', value: 1, timestamp: 1 }],
    ['log-metric without key', 'runs/log-metric', { run_id: runId, value: 1, timestamp: 1 }],
    ['log-metric without value', 'runs/log-metric', { run_id: runId, key: 'm', timestamp: 1 }],
    ['log-metric without timestamp', 'runs/log-metric', { run_id: runId, key: 'm', value: 1 }],
    ['log-metric with value null', 'runs/log-metric', metric({ value: null })],
    ['log-batch without run_id', 'runs/log-batch', { metrics: [metric({})] }],
    ['log-batch metric without key', 'runs/log-batch', { run_id: runId, metrics: [{ value: 1, timestamp: 1 }] }],
    ['log-batch metric without timestamp', 'runs/log-batch', { run_id: runId, metrics: [{ key: 'm', value: 1 }] }],
    ['log-batch param without key', 'runs/log-batch', { run_id: runId, params: [{ value: 'v' }] }],
    ['log-parameter without key', 'runs/log-parameter', { run_id: runId, value: 'v' }],
    ['set-tag without key', 'runs/set-tag', { run_id: runId, value: 'v' }],
    ['set-tag without run_id', 'runs/set-tag', { key: 't', value: 'v' }],
    ['delete-tag without key', 'runs/delete-tag', { run_id: runId }],
    ['runs/create without experiment_id', 'runs/create', { run_name: 'orphan' }],
    ['runs/update without run_id', 'runs/update', { status: 'FINISHED' }],
    ['runs/delete without run_id', 'runs/delete', {}],
    ['runs/restore with run_id ""', 'runs/restore', { run_id: '' }],
    ['experiments/create without name', 'experiments/create', {}],
    ['experiments/create with name ""', 'experiments/create', { name: '' }],
    ['log-inputs dataset without name', 'runs/log-inputs', { run_id: runId, datasets: [{ dataset: { digest: 'd' } }] }],
    ['empty body', 'runs/log-metric', ''],
  ];
  it.each(cases().map(([name], i) => [name, i] as const))('%s', async (_name, i) => {
    const [, endpoint, body] = cases()[i];
    const res = await expectRejected(srv, post(endpoint, body), 400, 'INVALID_PARAMETER_VALUE');
    expect(res.json.message).toMatch(/required|Missing|must/i);
  });

  it.each([
    ['runs/get without run_id', 'runs/get', ''],
    ['get-history without metric_key', 'metrics/get-history', () => `run_id=${runId}`],
    ['get-history without run_id', 'metrics/get-history', 'metric_key=loss'],
    ['get-by-name without experiment_name', 'experiments/get-by-name', ''],
  ])('GET %s → 400', async (_name, endpoint, query) => {
    await expectRejected(srv, get(endpoint, typeof query === 'function' ? query() : query), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('a well-formed run id that does not exist → 404, not 400 or 500', async () => {
    await expectRejected(srv, post('runs/log-metric', metric({ run_id: 'abcdef0123456789' })), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('invalid keys → 400 (metric, param and tag alike)', () => {
  const keys: [string, string][] = [
    ['../x', 'parent segment'],
    ['a/../b', 'inner parent segment'],
    ['..', 'parent'],
    ['/x', 'absolute'],
    ['a//b', 'double slash'],
    ['a/', 'trailing slash'],
    ['./a', 'dot segment'],
    ['.', 'dot'],
    ['k'.repeat(251), '251 characters'],
    ['bad$char', 'dollar'],
    ['a\\b', 'backslash'],
    ['a\u0000b', 'NUL'],
    ['a\nb', 'newline'],
    ['a;DROP TABLE params', 'semicolon'],
    ["a'b", 'quote'],
    ['', 'empty'],
  ];
  const endpoints = (key: string): [string, Body][] => [
    ['runs/log-metric', metric({ key })],
    ['runs/log-parameter', { run_id: runId, key, value: 'v' }],
    ['runs/set-tag', { run_id: runId, key, value: 'v' }],
    ['runs/log-batch', { run_id: runId, metrics: [metric({ key: 'ok' })], params: [{ key, value: 'v' }] }],
    ['runs/log-batch', { run_id: runId, tags: [{ key: 'ok', value: 'v' }, { key, value: 'v' }] }],
    ['runs/log-batch', { run_id: runId, params: [{ key: 'ok2', value: 'v' }], metrics: [metric({ key })] }],
  ];
  it.each(keys)('%j (%s)', async (key) => {
    for (const [endpoint, body] of endpoints(key)) {
      await expectRejected(srv, post(endpoint, body), 400, 'INVALID_PARAMETER_VALUE');
    }
  });

  it('250 characters and the full allowed alphabet are accepted', async () => {
    const long = 'k'.repeat(250);
    expect((await srv.mlflow('POST', 'runs/log-parameter', { run_id: runId, key: long, value: 'v' })).status).toBe(200);
    expect((await srv.mlflow('POST', 'runs/set-tag', { run_id: runId, key: 'a-b_c.d e:f/g', value: 'v' })).status).toBe(200);
  });
});

describe('value sizes: stored whole up to 1 MiB, refused above', () => {
  it('a 10 KB param is stored whole', async () => {
    const value = Array.from({ length: 10_240 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    expect((await srv.mlflow('POST', 'runs/log-parameter', { run_id: runId, key: 'ten_kb', value })).status).toBe(200);
    const run = await srv.mlflow('GET', 'runs/get', { run_id: runId });
    const got = run.json.run.data.params.find((p: { key: string }) => p.key === 'ten_kb');
    expect(got.value.length).toBe(10_240);
    expect(got.value).toBe(value);
  });

  it('a 2 MiB param → 400, alone or in a batch (nothing else from the batch is stored)', async () => {
    const value = 'x'.repeat(2 * 1024 * 1024);
    await expectRejected(srv, post('runs/log-parameter', { run_id: runId, key: 'two_mib', value }), 400, 'INVALID_PARAMETER_VALUE');
    const batch = { run_id: runId, metrics: [metric({ key: 'batch_m' })], tags: [{ key: 'batch_t', value: 'v' }], params: [{ key: 'ok_p', value: 'v' }, { key: 'two_mib', value }] };
    await expectRejected(srv, post('runs/log-batch', batch), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('a 2 MiB tag → 400; a multi-byte value is measured in UTF-8 bytes', async () => {
    await expectRejected(srv, post('runs/set-tag', { run_id: runId, key: 'big_tag', value: 't'.repeat(2 * 1024 * 1024) }), 400, 'INVALID_PARAMETER_VALUE');
    // 400k × '数' is 1.2 MB in UTF-8 though only 400k UTF-16 units.
    await expectRejected(srv, post('runs/set-tag', { run_id: runId, key: 'big_tag', value: '数'.repeat(400_000) }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('exactly 1 MiB is stored whole', async () => {
    const value = 'y'.repeat(1024 * 1024);
    expect((await srv.mlflow('POST', 'runs/set-tag', { run_id: runId, key: 'one_mib', value })).status).toBe(200);
    const run = await srv.mlflow('GET', 'runs/get', { run_id: runId });
    expect(run.json.run.data.tags.find((t: { key: string }) => t.key === 'one_mib').value).toBe(value);
  });
});

describe('state rules are refusals that change nothing', () => {
  it('changing a param value → 400, old value kept', async () => {
    await expectRejected(srv, post('runs/log-parameter', { run_id: runId, key: 'lr', value: '0.02' }), 400, 'INVALID_PARAMETER_VALUE');
    await expectRejected(srv, post('runs/log-batch', { run_id: runId, params: [{ key: 'fresh', value: '1' }, { key: 'lr', value: '0.03' }], tags: [{ key: 'fresh_t', value: 'v' }] }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('over the batch limits → 400', async () => {
    const many = (n: number, f: (i: number) => Body): Body[] => Array.from({ length: n }, (_, i) => f(i));
    await expectRejected(srv, post('runs/log-batch', { run_id: runId, metrics: many(1001, (i) => metric({ key: 'lim', step: i })) }), 400);
    await expectRejected(srv, post('runs/log-batch', { run_id: runId, params: many(101, (i) => ({ key: `p${i}`, value: 'v' })) }), 400);
    await expectRejected(srv, post('runs/log-batch', { run_id: runId, tags: many(101, (i) => ({ key: `t${i}`, value: 'v' })) }), 400);
    await expectRejected(srv, post('runs/log-batch', { run_id: runId, params: [{ key: 'dup', value: 'a' }, { key: 'dup', value: 'a' }] }), 400);
  });

  it('writes to a deleted run → 400', async () => {
    const r = await srv.mlflow('POST', 'runs/create', { experiment_id: experimentId, run_name: 'gone' });
    const gone = r.json.run.info.run_id as string;
    expect((await srv.mlflow('POST', 'runs/delete', { run_id: gone })).status).toBe(200);
    await expectRejected(srv, post('runs/log-metric', metric({ run_id: gone })), 400, 'INVALID_PARAMETER_VALUE');
    await expectRejected(srv, post('runs/log-parameter', { run_id: gone, key: 'p', value: 'v' }), 400, 'INVALID_PARAMETER_VALUE');
    await expectRejected(srv, post('runs/set-tag', { run_id: gone, key: 't', value: 'v' }), 400, 'INVALID_PARAMETER_VALUE');
  });
});
