// The MLflow log-* family over real HTTP and DuckDB: log-batch, log-metric, log-parameter, set-tag,
// delete-tag, log-inputs. Success shapes, lenient protobuf-JSON input, limits, immutability.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { createExperiment, createRun, expectEmpty, expectError, getRun, kv, missingMessage, rawRequest } from './wire';

let srv: TestServer;
let exp: string;
beforeAll(async () => {
  srv = await startTestServer();
  exp = await createExperiment(srv);
});
afterAll(async () => {
  await srv.stop();
});

const metric = (i: number) => ({ key: `m${i % 7}`, value: i, timestamp: 1000 + i, step: i });
const param = (i: number) => ({ key: `p${i}`, value: String(i) });
const tag = (i: number) => ({ key: `t${i}`, value: String(i) });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('runs/log-batch', () => {
  it('writes metrics, params and tags; {} back; runs/get shows them', async () => {
    const id = await createRun(srv, exp);
    const res = await srv.mlflow('POST', 'runs/log-batch', {
      run_id: id,
      // 3.x clients put run_id (and maybe model/dataset ids) inside each metric: accepted.
      metrics: [
        { key: 'loss', value: 1.5, timestamp: 100, step: 0, run_id: id },
        { key: 'loss', value: 0.5, timestamp: 200, step: 1, run_id: id, dataset_name: 'd', dataset_digest: 'x', model_id: 'm-1' },
      ],
      params: [{ key: 'lr', value: '0.01' }, { key: 'batch size', value: '32' }],
      tags: [{ key: 'team', value: 'a' }, { key: 'team', value: 'b' }], // last write wins inside a request too
    });
    expectEmpty(res);
    const run = (await getRun(srv, id)).json.run;
    expect(run.data.metrics).toEqual([{ key: 'loss', value: 0.5, timestamp: 200, step: 1 }]);
    expect(kv(run.data.params)).toEqual({ lr: '0.01', 'batch size': '32' });
    expect(kv(run.data.tags).team).toBe('b');
  });

  it('int64 as strings, doubles as "NaN"/"Infinity"/"-Infinity"; NaN etc. come back as strings, -0 as -0.0', async () => {
    const id = await createRun(srv, exp);
    // Raw text: JSON.stringify(-0) would send 0.
    const body = `{"run_id": "${id}", "metrics": [
      {"key": "nan", "value": "NaN", "timestamp": "123", "step": "7"},
      {"key": "pinf", "value": "Infinity", "timestamp": 1, "step": 0},
      {"key": "ninf", "value": "-Infinity", "timestamp": 1, "step": 0},
      {"key": "negzero", "value": -0.0, "timestamp": 1, "step": 0},
      {"key": "str", "value": "2.5", "timestamp": 1}
    ]}`;
    expectEmpty(await rawRequest(srv, 'POST', '/api/2.0/mlflow/runs/log-batch', body, { 'Content-Type': 'application/json' }));
    const res = await getRun(srv, id);
    const byKey = Object.fromEntries(res.json.run.data.metrics.map((m: { key: string }) => [m.key, m]));
    expect(byKey.nan).toEqual({ key: 'nan', value: 'NaN', timestamp: 123, step: 7 });
    expect(byKey.pinf.value).toBe('Infinity');
    expect(byKey.ninf.value).toBe('-Infinity');
    expect(byKey.str).toEqual({ key: 'str', value: 2.5, timestamp: 1, step: 0 });
    expect(Object.is(byKey.negzero.value, -0)).toBe(true); // JSON.parse('-0.0') is -0
    expect(res.text).toMatch(/"key"\s*:\s*"negzero"\s*,\s*"value"\s*:\s*-0\.0\b/);
    expect(res.text).toMatch(/"value"\s*:\s*"NaN"/);
    expect(res.text).toMatch(/"timestamp"\s*:\s*123\b/);
  });

  it('limits: 1000 metrics / 100 params / 100 tags / 1000 in total; over → 400 and nothing written', async () => {
    const id = await createRun(srv, exp);
    const cases: [Record<string, unknown>, string][] = [
      [{ metrics: range(1001).map(metric) }, 'A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics across multiple requests and try again.'],
      [{ params: range(101).map(param) }, 'A batch logging request can contain at most 100 params. Got 101 params. Please split up params across multiple requests and try again.'],
      [{ tags: range(101).map(tag) }, 'A batch logging request can contain at most 100 tags. Got 101 tags. Please split up tags across multiple requests and try again.'],
      [{ metrics: range(900).map(metric), params: range(50).map(param), tags: range(51).map(tag) }, ''],
    ];
    for (const [body, message] of cases) {
      const res = await srv.mlflow('POST', 'runs/log-batch', { run_id: id, ...body });
      expectError(res, 400, 'INVALID_PARAMETER_VALUE', message || /at most 1000 total/);
    }
    const run = (await getRun(srv, id)).json.run;
    expect(run.data).not.toHaveProperty('metrics');
    expect(run.data).not.toHaveProperty('params');
    expect(Object.keys(kv(run.data.tags))).toEqual(['mlflow.runName']);
    // Exactly at every limit at once: accepted.
    expectEmpty(await srv.mlflow('POST', 'runs/log-batch', { run_id: id, metrics: range(900).map(metric), params: range(50).map(param), tags: range(50).map(tag) }));
    const full = (await getRun(srv, id)).json.run;
    expect(full.data.metrics).toHaveLength(7);
    expect(full.data.params).toHaveLength(50);
    expect(full.data.tags).toHaveLength(51);
  });

  it('duplicate param keys in one request → 400; a bad metric anywhere → 400 and nothing written', async () => {
    const id = await createRun(srv, exp);
    expectError(await srv.mlflow('POST', 'runs/log-batch', { run_id: id, params: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] }), 400, 'INVALID_PARAMETER_VALUE');
    const bad = [
      { key: 'ok', value: 1, step: 0 }, // timestamp missing
      { key: 'ok', value: 'abc', timestamp: 1 },
      { key: '../escape', value: 1, timestamp: 1 },
      { key: 'a//b', value: 1, timestamp: 1 },
      { key: 'x'.repeat(251), value: 1, timestamp: 1 },
      { key: '', value: 1, timestamp: 1 },
    ];
    for (const m of bad) {
      const res = await srv.mlflow('POST', 'runs/log-batch', { run_id: id, metrics: [{ key: 'good', value: 1, timestamp: 1 }, m], params: [{ key: 'p', value: 'v' }] });
      expectError(res, 400, 'INVALID_PARAMETER_VALUE');
    }
    const run = (await getRun(srv, id)).json.run;
    expect(run.data).not.toHaveProperty('metrics');
    expect(run.data).not.toHaveProperty('params');
  });

  it('missing run_id → 400 with MLflow\'s message; unknown run → 404', async () => {
    expectError(await srv.mlflow('POST', 'runs/log-batch', { metrics: [] }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('run_id'));
    expectError(await srv.mlflow('POST', 'runs/log-batch', { run_id: 'nosuchrun42', params: [param(1)] }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('params are immutable', () => {
  it('log-parameter: same value again → 200; a different value → 400 with MLflow\'s message, value unchanged', async () => {
    const id = await createRun(srv, exp);
    expectEmpty(await srv.mlflow('POST', 'runs/log-parameter', { run_id: id, key: 'p', value: 'a' }));
    expectEmpty(await srv.mlflow('POST', 'runs/log-parameter', { run_uuid: id, key: 'p', value: 'a' }));
    expectError(
      await srv.mlflow('POST', 'runs/log-parameter', { run_id: id, key: 'p', value: 'b' }),
      400,
      'INVALID_PARAMETER_VALUE',
      `Changing param values is not allowed. Param with key='p' was already logged with value='a' for run ID='${id}'. Attempted logging new value 'b'.`,
    );
    expect(kv((await getRun(srv, id)).json.run.data.params)).toEqual({ p: 'a' });
  });

  it('log-batch: one changed param fails the whole batch, new params in it are not written', async () => {
    const id = await createRun(srv, exp);
    expectEmpty(await srv.mlflow('POST', 'runs/log-batch', { run_id: id, params: [{ key: 'p', value: 'a' }] }));
    expectEmpty(await srv.mlflow('POST', 'runs/log-batch', { run_id: id, params: [{ key: 'p', value: 'a' }, { key: 'q', value: '1' }] }));
    const res = await srv.mlflow('POST', 'runs/log-batch', { run_id: id, params: [{ key: 'r', value: 'new' }, { key: 'p', value: 'changed' }] });
    expectError(res, 400, 'INVALID_PARAMETER_VALUE', /^Changing param values is not allowed\./);
    expect(kv((await getRun(srv, id)).json.run.data.params)).toEqual({ p: 'a', q: '1' });
  });

  it('concurrent different values for one key: exactly one wins, the rest are 400', async () => {
    const id = await createRun(srv, exp);
    const results = await Promise.all(range(8).map((i) => srv.mlflow('POST', 'runs/log-parameter', { run_id: id, key: 'race', value: `v${i}` })));
    const winners = results.map((r, i) => (r.status === 200 ? `v${i}` : null)).filter((v) => v !== null);
    expect(winners).toHaveLength(1);
    for (const r of results) if (r.status !== 200) expectError(r, 400, 'INVALID_PARAMETER_VALUE', /^Changing param values is not allowed/);
    expect(kv((await getRun(srv, id)).json.run.data.params)).toEqual({ race: winners[0] });
  });

  it('a 10 KB value is stored whole (no truncation); a 2 MiB value → 400 and nothing stored', async () => {
    const id = await createRun(srv, exp);
    const tenKb = 'v'.repeat(10 * 1024);
    expectEmpty(await srv.mlflow('POST', 'runs/log-parameter', { run_id: id, key: 'big', value: tenKb }));
    expect(kv((await getRun(srv, id)).json.run.data.params).big).toBe(tenKb);
    const twoMib = 'w'.repeat(2 * 1024 * 1024);
    expectError(await srv.mlflow('POST', 'runs/log-parameter', { run_id: id, key: 'huge', value: twoMib }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await srv.mlflow('POST', 'runs/log-batch', { run_id: id, params: [{ key: 'huge2', value: twoMib }] }), 400, 'INVALID_PARAMETER_VALUE');
    expect(Object.keys(kv((await getRun(srv, id)).json.run.data.params))).toEqual(['big']);
  });
});

describe('runs/log-metric', () => {
  it('{} back; run_uuid + run_id as the client sends them; step defaults to 0; int64 as strings', async () => {
    const id = await createRun(srv, exp);
    expectEmpty(await srv.mlflow('POST', 'runs/log-metric', { run_uuid: id, run_id: id, key: 'acc', value: 0.9, timestamp: 1700000000000 }));
    expectEmpty(await srv.mlflow('POST', 'runs/log-metric', { run_id: id, key: 'acc', value: '0.95', timestamp: '1700000000500', step: '3', unknown_field: 'ignored' }));
    const run = (await getRun(srv, id)).json.run;
    expect(run.data.metrics).toEqual([{ key: 'acc', value: 0.95, timestamp: 1700000000500, step: 3 }]);
  });

  it('missing key / value / timestamp → 400 with MLflow\'s required-parameter messages', async () => {
    const id = await createRun(srv, exp);
    expectError(await srv.mlflow('POST', 'runs/log-metric', { run_id: id, value: 1, timestamp: 1 }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('key'));
    expectError(await srv.mlflow('POST', 'runs/log-metric', { run_id: id, key: 'k', timestamp: 1 }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('value'));
    expectError(await srv.mlflow('POST', 'runs/log-metric', { run_id: id, key: 'k', value: 1 }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('timestamp'));
    expectError(await srv.mlflow('POST', 'runs/log-metric', { key: 'k', value: 1, timestamp: 1 }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('run_id'));
    expectError(await srv.mlflow('POST', 'runs/log-metric', { run_id: id, key: 'k', value: 'abc', timestamp: 1 }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await srv.mlflow('POST', 'runs/log-metric', { run_id: 'nosuchrun43', key: 'k', value: 1, timestamp: 1 }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expect((await getRun(srv, id)).json.run.data).not.toHaveProperty('metrics');
  });

  it('a negative timestamp → 400 (MLflow: "Timestamp must be a nonnegative long"); a negative step is fine', async () => {
    const id = await createRun(srv, exp);
    expectError(await srv.mlflow('POST', 'runs/log-metric', { run_id: id, key: 'k', value: 1, timestamp: -5 }), 400, 'INVALID_PARAMETER_VALUE', /nonnegative/);
    expectError(await srv.mlflow('POST', 'runs/log-batch', { run_id: id, metrics: [{ key: 'k', value: 1, timestamp: '-1' }] }), 400, 'INVALID_PARAMETER_VALUE', /nonnegative/);
    expect((await getRun(srv, id)).json.run.data).not.toHaveProperty('metrics');
    expectEmpty(await srv.mlflow('POST', 'runs/log-metric', { run_id: id, key: 'k', value: 1, timestamp: 0, step: -3 }));
    expect((await getRun(srv, id)).json.run.data.metrics).toEqual([{ key: 'k', value: 1, timestamp: 0, step: -3 }]);
  });

  it('concurrent requests: every point of 20 parallel batches is stored', async () => {
    const id = await createRun(srv, exp);
    const batches = range(20).map((b) => range(100).map((i) => ({ key: 'par', value: b * 100 + i, timestamp: 1, step: b * 100 + i })));
    const results = await Promise.all(batches.map((metrics) => srv.mlflow('POST', 'runs/log-batch', { run_id: id, metrics })));
    for (const r of results) expectEmpty(r);
    const hist = await srv.mlflow('GET', 'metrics/get-history', { run_id: id, metric_key: 'par' });
    expect(hist.json.metrics).toHaveLength(2000);
    expect((await getRun(srv, id)).json.run.data.metrics).toEqual([{ key: 'par', value: 1999, timestamp: 1, step: 1999 }]);
  });
});

describe('runs/log-parameter, runs/set-tag, runs/delete-tag', () => {
  it('log-parameter: missing key → 400, invalid key → 400', async () => {
    const id = await createRun(srv, exp);
    expectError(await srv.mlflow('POST', 'runs/log-parameter', { run_id: id, value: 'v' }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('key'));
    expectError(await srv.mlflow('POST', 'runs/log-parameter', { run_id: id, key: '/abs', value: 'v' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await srv.mlflow('POST', 'runs/log-parameter', { run_id: id, key: 'semi;colon', value: 'v' }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('set-tag overwrites (last write wins); setting mlflow.runName renames the run', async () => {
    const id = await createRun(srv, exp, { run_name: 'first' });
    expectEmpty(await srv.mlflow('POST', 'runs/set-tag', { run_uuid: id, run_id: id, key: 'team', value: 'anchor' }));
    expectEmpty(await srv.mlflow('POST', 'runs/set-tag', { run_id: id, key: 'team', value: 'bridge' }));
    expectEmpty(await srv.mlflow('POST', 'runs/set-tag', { run_id: id, key: 'mlflow.runName', value: 'second' }));
    const run = (await getRun(srv, id)).json.run;
    expect(kv(run.data.tags)).toMatchObject({ team: 'bridge', 'mlflow.runName': 'second' });
    expect(run.info.run_name).toBe('second');
    expectError(await srv.mlflow('POST', 'runs/set-tag', { run_id: id, value: 'v' }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('key'));
  });

  it('delete-tag removes the tag; an unknown key → 404; missing key/run_id → 400', async () => {
    const id = await createRun(srv, exp, { tags: [{ key: 'gone', value: 'soon' }] });
    expectEmpty(await srv.mlflow('POST', 'runs/delete-tag', { run_id: id, key: 'gone' }));
    expect(kv((await getRun(srv, id)).json.run.data.tags)).not.toHaveProperty('gone');
    expectError(await srv.mlflow('POST', 'runs/delete-tag', { run_id: id, key: 'gone' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await srv.mlflow('POST', 'runs/delete-tag', { run_id: id }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('key'));
    expectError(await srv.mlflow('POST', 'runs/delete-tag', { key: 'gone' }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('run_id'));
  });
});

describe('runs/log-inputs', () => {
  it('datasets with input tags show up in run.inputs.dataset_inputs, field by field; re-logging does not duplicate', async () => {
    const id = await createRun(srv, exp);
    const body = {
      run_id: id,
      datasets: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: { name: 'mnist', digest: 'abc123', source_type: 'local', source: '{"uri": "/data/mnist"}', schema: '{"mlflow_colspec": []}', profile: '{"num_rows": 10}' },
        },
        { dataset: { name: 'holdout', digest: 'def456', source_type: 'local', source: 's' } },
      ],
      models: [{ model_id: 'm-123' }], // 3.x model inputs: accepted
    };
    expectEmpty(await srv.mlflow('POST', 'runs/log-inputs', body));
    expectEmpty(await srv.mlflow('POST', 'runs/log-inputs', body));
    const inputs = (await getRun(srv, id)).json.run.inputs.dataset_inputs;
    expect(inputs).toHaveLength(2);
    const byName = Object.fromEntries(inputs.map((d: { dataset: { name: string } }) => [d.dataset.name, d]));
    expect(byName.mnist).toEqual({
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
      dataset: { name: 'mnist', digest: 'abc123', source_type: 'local', source: '{"uri": "/data/mnist"}', schema: '{"mlflow_colspec": []}', profile: '{"num_rows": 10}' },
    });
    expect(byName.holdout).not.toHaveProperty('tags');
    expect(byName.holdout.dataset).not.toHaveProperty('schema');
    expect(byName.holdout.dataset).not.toHaveProperty('profile');
  });

  it('nested "required" digest/source_type/source are not enforced (MLflow accepts them missing)', async () => {
    const id = await createRun(srv, exp);
    expectEmpty(await srv.mlflow('POST', 'runs/log-inputs', { run_id: id, datasets: [{ dataset: { name: 'bare' } }] }));
    const d = (await getRun(srv, id)).json.run.inputs.dataset_inputs[0].dataset;
    expect(d.name).toBe('bare');
  });

  it('missing run_id → 400; unknown run → 404', async () => {
    expectError(await srv.mlflow('POST', 'runs/log-inputs', { datasets: [] }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('run_id'));
    expectError(await srv.mlflow('POST', 'runs/log-inputs', { run_id: 'nosuchrun44', datasets: [] }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});
