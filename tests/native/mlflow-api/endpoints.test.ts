// Transport-level MLflow conformance: /health, /version, the /ajax-api alias, logged-models/search,
// request Content-Type rules, unknown endpoints and methods, and a replay of the request sequence the
// unmodified 3.x Python client sends (MLFLOW.md section 3) end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { VERSION } from '../../../native/version';
import { ARTIFACTS, createExperiment, createRun, expectEmpty, expectError, kv, rawRequest, uniq } from './wire';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.stop();
});

describe('/health and /version', () => {
  it('GET /health → 200 "OK", even without a token', async () => {
    const res = await fetch(`${srv.origin}/health`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');
  });

  it('GET /version → 200 with the version string', async () => {
    const res = await rawRequest(srv, 'GET', '/version');
    expect(res.status).toBe(200);
    expect(res.text).toBe(VERSION);
    expect(res.text).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('/ajax-api/2.0/mlflow alias', () => {
  it('serves the same endpoints as /api/2.0/mlflow', async () => {
    const name = uniq('ajax');
    const created = await srv.call('POST', '/ajax-api/2.0/mlflow/experiments/create', { name });
    expect(created.status).toBe(200);
    const id = created.json.experiment_id;
    const byName = await srv.call('GET', '/ajax-api/2.0/mlflow/experiments/get-by-name', { experiment_name: name });
    expect(byName.status).toBe(200);
    expect(byName.json.experiment.experiment_id).toBe(id);
    const run = await createRun(srv, id);
    const searched = await srv.call('POST', '/ajax-api/2.0/mlflow/runs/search', { experiment_ids: [id] });
    expect(searched.json.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([run]);
    expectError(await srv.call('GET', '/ajax-api/2.0/mlflow/experiments/get-by-name', { experiment_name: uniq('none') }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('logged-models/search (3.x clients call it from list_artifacts)', () => {
  it('answers {} (no logged models)', async () => {
    expectEmpty(await srv.mlflow('POST', 'logged-models/search', { experiment_ids: ['0'], filter: "name = 'sub'" }));
    expectEmpty(await srv.call('POST', '/ajax-api/2.0/mlflow/logged-models/search', { experiment_ids: ['0'] }));
  });
});

describe('request encoding', () => {
  const path = '/api/2.0/mlflow/experiments/create';

  it('a JSON body without Content-Type → 400 "Content-Type header is missing", nothing written', async () => {
    const name = uniq('noct');
    const res = await rawRequest(srv, 'POST', path, JSON.stringify({ name }));
    expectError(res, 400, 'INVALID_PARAMETER_VALUE', 'Bad Request. Content-Type header is missing.');
    expectError(await srv.mlflow('GET', 'experiments/get-by-name', { experiment_name: name }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('another Content-Type → 400 "Content-Type must be one of [\'application/json\']", nothing written', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const name = uniq('badct');
      const res = await rawRequest(srv, 'POST', path, JSON.stringify({ name }), { 'Content-Type': type });
      expectError(res, 400, 'INVALID_PARAMETER_VALUE', "Bad Request. Content-Type must be one of ['application/json'].");
      expectError(await srv.mlflow('GET', 'experiments/get-by-name', { experiment_name: name }), 404, 'RESOURCE_DOES_NOT_EXIST');
    }
  });

  it('application/json with a charset parameter is accepted', async () => {
    const res = await rawRequest(srv, 'POST', path, JSON.stringify({ name: uniq('charset') }), { 'Content-Type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(res.json.experiment_id).toMatch(/^\d+$/);
  });

  it('malformed JSON or a non-object body → 400 (never 500)', async () => {
    for (const body of ['{"name": ', '[1, 2]', '"just a string"', 'null']) {
      const res = await rawRequest(srv, 'POST', path, body, { 'Content-Type': 'application/json' });
      expect(res.status, body).toBe(400);
      expect(['BAD_REQUEST', 'INVALID_PARAMETER_VALUE']).toContain(res.json.error_code);
    }
  });

  it('a wrongly typed field → 400 INVALID_PARAMETER_VALUE', async () => {
    expectError(await srv.mlflow('POST', 'experiments/create', { name: 42 }), 400, 'INVALID_PARAMETER_VALUE');
    const exp = await createExperiment(srv);
    expectError(await srv.mlflow('POST', 'runs/create', { experiment_id: exp, start_time: 'soon' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await srv.mlflow('POST', 'runs/create', { experiment_id: exp, tags: 'not-a-list' }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('GET endpoints read repeated fields from repeated query keys', async () => {
    const prefix = uniq('rep');
    await createExperiment(srv, `${prefix}-b`);
    await createExperiment(srv, `${prefix}-a`);
    const res = await srv.mlflow('GET', 'experiments/search', { filter: `name LIKE '${prefix}-%'`, order_by: ['name DESC'] });
    expect(res.json.experiments.map((e: { name: string }) => e.name)).toEqual([`${prefix}-b`, `${prefix}-a`]);
  });

  it('an unknown endpoint → 404 ENDPOINT_NOT_FOUND; a known one with the wrong method → 405', async () => {
    expectError(await srv.mlflow('POST', 'runs/no-such-thing', {}), 404, 'ENDPOINT_NOT_FOUND');
    expectError(await srv.mlflow('POST', 'runs/log-param', { run_id: 'x', key: 'k', value: 'v' }), 404, 'ENDPOINT_NOT_FOUND'); // it is log-parameter
    const wrong = await srv.mlflow('GET', 'runs/create', { experiment_id: '0' });
    expect(wrong.status).toBe(405);
    expect(wrong.json.error_code).toBe('ENDPOINT_NOT_FOUND');
  });
});

describe('the 3.x Python client sequence (MLFLOW.md section 3), replayed', () => {
  it('set_experiment → start_run → log → artifacts → end_run → read back → search → delete/restore', async () => {
    const name = uniq('smoke');
    expectError(await srv.mlflow('GET', 'experiments/get-by-name', { experiment_name: name }), 404, 'RESOURCE_DOES_NOT_EXIST');
    const exp = (await srv.mlflow('POST', 'experiments/create', { name })).json.experiment_id;
    expect((await srv.mlflow('GET', 'experiments/get', { experiment_id: exp })).json.experiment.artifact_location).toBe(`mlflow-artifacts:/${exp}`);

    const start = Date.now();
    const created = await srv.mlflow('POST', 'runs/create', {
      experiment_id: exp,
      user_id: 'root',
      run_name: 'smoke-run',
      start_time: start,
      tags: [
        { key: 'mlflow.user', value: 'root' },
        { key: 'mlflow.source.name', value: 'client_smoke.py' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
        { key: 'mlflow.runName', value: 'smoke-run' },
      ],
    });
    const run = created.json.run.info.run_id;
    const artifactUri = created.json.run.info.artifact_uri;
    expect(artifactUri).toBe(`mlflow-artifacts:/${exp}/${run}/artifacts`);

    expectEmpty(await srv.mlflow('POST', 'runs/log-batch', { run_id: run, params: [{ key: 'lr', value: '0.01' }, { key: 'epochs', value: '5' }] }));
    for (let step = 0; step < 5; step++) {
      const ts = start + step;
      const metrics = [{ key: 'loss', value: 1 / (step + 1), timestamp: ts, step, run_id: run }];
      expectEmpty(await srv.mlflow('POST', 'runs/log-batch', { run_id: run, metrics }));
    }
    expectEmpty(await srv.mlflow('POST', 'runs/log-metric', { run_uuid: run, key: 'acc', value: 0.9, timestamp: start, step: 0, run_id: run }));
    expectEmpty(await srv.mlflow('POST', 'runs/set-tag', { run_uuid: run, key: 'team', value: 'anchor', run_id: run }));
    expect((await srv.mlflow('GET', 'runs/get', { run_uuid: run, run_id: run })).status).toBe(200);

    // The client maps mlflow-artifacts:/X to <tracking_uri>/api/2.0/mlflow-artifacts/artifacts/X.
    const base = artifactUri.replace(/^mlflow-artifacts:\//, '');
    for (const rel of ['hello.txt', 'sub/dir/hello.txt', 'cfg/config.json']) {
      expectEmpty(await rawRequest(srv, 'PUT', `${ARTIFACTS}/${base}/${rel}`, `content of ${rel}`, { 'Content-Type': 'text/plain' }));
    }
    const ended = await srv.mlflow('POST', 'runs/update', { run_uuid: run, status: 'FINISHED', end_time: start + 100, run_id: run });
    expect(ended.json.run_info).toMatchObject({ status: 'FINISHED', end_time: start + 100 });

    const got = (await srv.mlflow('GET', 'runs/get', { run_uuid: run, run_id: run })).json.run;
    expect(kv(got.data.params)).toEqual({ lr: '0.01', epochs: '5' });
    expect(kv(got.data.tags)).toMatchObject({ team: 'anchor', 'mlflow.runName': 'smoke-run', 'mlflow.source.type': 'LOCAL' });
    expect(got.data.metrics.find((m: { key: string }) => m.key === 'loss')).toEqual({ key: 'loss', value: 0.2, timestamp: start + 4, step: 4 });

    const hist = await srv.mlflow('GET', 'metrics/get-history', { run_uuid: run, metric_key: 'loss', run_id: run, max_results: 25000 });
    expect(hist.json.metrics).toHaveLength(5);
    expect(hist.json).not.toHaveProperty('next_page_token');

    const rootList = await srv.call('GET', ARTIFACTS, { path: base });
    expect(rootList.json.files.map((f: { path: string }) => f.path).sort()).toEqual(['cfg', 'hello.txt', 'sub']);
    const subList = await srv.call('GET', ARTIFACTS, { path: `${base}/sub/dir` });
    expect(subList.json.files).toEqual([{ path: 'hello.txt', is_dir: false, file_size: 'content of sub/dir/hello.txt'.length }]);
    expectEmpty(await srv.mlflow('POST', 'logged-models/search', { experiment_ids: [exp], filter: "name = 'sub'" }));
    expectEmpty(await srv.call('GET', ARTIFACTS, { path: `${base}/hello.txt` }));
    expect((await rawRequest(srv, 'GET', `${ARTIFACTS}/${base}/hello.txt`)).text).toBe('content of hello.txt');

    const pandas = await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], run_view_type: 'ACTIVE_ONLY', filter: '', max_results: 10000 });
    expect(pandas.json.runs).toHaveLength(1);
    const ordered = await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], run_view_type: 'ACTIVE_ONLY', filter: 'metrics.loss < 1', max_results: 10, order_by: ['metrics.loss ASC'] });
    expect(ordered.json.runs[0].info.run_id).toBe(run);

    expectEmpty(await srv.mlflow('POST', 'runs/delete', { run_id: run }));
    expectEmpty(await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp] }));
    expectEmpty(await srv.mlflow('POST', 'runs/restore', { run_id: run }));
    expect((await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp] })).json.runs).toHaveLength(1);
  });
});

describe('durability', () => {
  it('everything acknowledged is still there after the server restarts on the same data dir', async () => {
    const first = await startTestServer();
    const dataDir = first.dataDir;
    let exp = '';
    let run = '';
    try {
      exp = await createExperiment(first, 'durable');
      run = await createRun(first, exp, { run_name: 'kept', start_time: 42 });
      expectEmpty(await first.mlflow('POST', 'runs/log-batch', {
        run_id: run,
        metrics: Array.from({ length: 50 }, (_, i) => ({ key: 'loss', value: i, timestamp: i, step: i })),
        params: [{ key: 'lr', value: '0.1' }],
        tags: [{ key: 'team', value: 'x' }],
      }));
      expectEmpty(await rawRequest(first, 'PUT', `${ARTIFACTS}/${exp}/${run}/artifacts/a.txt`, 'bytes', { 'Content-Type': 'text/plain' }));
    } finally {
      await first.stop();
    }
    const second = await startTestServer({ dataDir });
    try {
      const got = (await second.mlflow('GET', 'runs/get', { run_id: run })).json.run;
      expect(got.info).toMatchObject({ run_name: 'kept', start_time: 42, status: 'RUNNING', experiment_id: exp });
      expect(kv(got.data.params)).toEqual({ lr: '0.1' });
      expect(kv(got.data.tags).team).toBe('x');
      expect(got.data.metrics).toEqual([{ key: 'loss', value: 49, timestamp: 49, step: 49 }]);
      expect((await second.mlflow('GET', 'metrics/get-history', { run_id: run, metric_key: 'loss' })).json.metrics).toHaveLength(50);
      expect((await rawRequest(second, 'GET', `${ARTIFACTS}/${exp}/${run}/artifacts/a.txt`)).text).toBe('bytes');
      expect((await second.mlflow('GET', 'experiments/get-by-name', { experiment_name: 'durable' })).json.experiment.experiment_id).toBe(exp);
    } finally {
      await second.stop();
    }
  });
});
