// MLflow run lifecycle over real HTTP and DuckDB: runs/create, get, update (end of run → Parquet
// export), delete, restore; the run_uuid alias; lenient int64/enum parsing; writes to deleted runs.
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { createExperiment, createRun, expectEmpty, expectError, expectInt64, expectSnakeCase, getRun, kv, missingMessage } from './wire';

const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
const ACTIVE_STATE = (id: string): string => `The run ${id} must be in the 'active' state. Current state is deleted.`;

let srv: TestServer;
let exp: string;
beforeAll(async () => {
  srv = await startTestServer();
  exp = await createExperiment(srv);
});
afterAll(async () => {
  await srv.stop();
});

describe('runs/create', () => {
  it('returns {run: {info, data, inputs}} field by field', async () => {
    const res = await srv.mlflow('POST', 'runs/create', {
      experiment_id: exp,
      user_id: 'root',
      run_name: 'smoke-run',
      start_time: 1_700_000_000_123,
      tags: [
        { key: 'mlflow.user', value: 'root' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
        { key: 'mlflow.runName', value: 'smoke-run' },
      ],
    });
    expect(res.status).toBe(200);
    expectSnakeCase(res.json);
    expect(Object.keys(res.json)).toEqual(['run']);
    const { info, data, inputs } = res.json.run;
    expect(info.run_id).toMatch(RUN_ID);
    expect(info.run_uuid).toBe(info.run_id);
    expect(info.run_name).toBe('smoke-run');
    expect(info.experiment_id).toBe(exp);
    expect(info.user_id).toBe('root');
    expect(info.status).toBe('RUNNING');
    expectInt64(res, info, 'start_time', 1_700_000_000_123);
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/${exp}/${info.run_id}/artifacts`);
    expect(info.lifecycle_stage).toBe('active');
    expect(info).not.toHaveProperty('end_time'); // unset int64 is omitted
    expect(kv(data.tags)).toEqual({ 'mlflow.user': 'root', 'mlflow.source.type': 'LOCAL', 'mlflow.runName': 'smoke-run' });
    expect(data).not.toHaveProperty('metrics');
    expect(data).not.toHaveProperty('params');
    expect(inputs).toEqual({});
  });

  it('start_time as a numeric string, unknown fields ignored; user_id "" when not sent', async () => {
    const res = await srv.mlflow('POST', 'runs/create', { experiment_id: exp, start_time: '1700000000999', future_field: [1, 2], run_name: 'x' });
    expect(res.status).toBe(200);
    expectInt64(res, res.json.run.info, 'start_time', 1_700_000_000_999);
    expect(res.json.run.info.user_id).toBe('');
  });

  it('run name from the mlflow.runName tag, or a generated one mirrored into the tag', async () => {
    const fromTag = await srv.mlflow('POST', 'runs/create', { experiment_id: exp, tags: [{ key: 'mlflow.runName', value: 'tagged-name' }] });
    expect(fromTag.json.run.info.run_name).toBe('tagged-name');
    const generated = await srv.mlflow('POST', 'runs/create', { experiment_id: exp });
    const name = generated.json.run.info.run_name;
    expect(name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(kv(generated.json.run.data.tags)['mlflow.runName']).toBe(name);
  });

  it('run_name contradicting the mlflow.runName tag → 400, as MLflow\'s create_run; nothing created', async () => {
    const before = (await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], max_results: 50000 })).json.runs.length;
    expectError(
      await srv.mlflow('POST', 'runs/create', { experiment_id: exp, run_name: 'test', tags: [{ key: 'mlflow.runName', value: 'test_2' }] }),
      400,
      'INVALID_PARAMETER_VALUE',
      "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='test', mlflow.runName='test_2').",
    );
    expect((await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], max_results: 50000 })).json.runs).toHaveLength(before);
  });

  it('missing experiment_id → 400; unknown experiment → 404 RESOURCE_DOES_NOT_EXIST', async () => {
    const missing = await srv.mlflow('POST', 'runs/create', { run_name: 'orphan' });
    expect(missing.status).toBe(400);
    expect(['INVALID_PARAMETER_VALUE', 'BAD_REQUEST']).toContain(missing.json.error_code);
    expectError(await srv.mlflow('POST', 'runs/create', { experiment_id: '31337' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('runs/get', () => {
  it('by run_id, by run_uuid alone, and by both (what the client sends)', async () => {
    const id = await createRun(srv, exp, { run_name: 'getme' });
    for (const q of [{ run_id: id }, { run_uuid: id }, { run_uuid: id, run_id: id }]) {
      const res = await srv.mlflow('GET', 'runs/get', q);
      expect(res.status).toBe(200);
      expect(res.json.run.info.run_id).toBe(id);
      expect(res.json.run.info.run_name).toBe('getme');
    }
  });

  it('unknown run → 404 RESOURCE_DOES_NOT_EXIST; missing run_id → 400 with MLflow\'s message', async () => {
    expectError(await srv.mlflow('GET', 'runs/get', { run_id: '0123456789abcdef0123456789abcdef' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await srv.mlflow('GET', 'runs/get', {}), 400, 'INVALID_PARAMETER_VALUE', missingMessage('run_id'));
  });
});

describe('runs/update', () => {
  it('FINISHED + end_time → {run_info} with both set; int64 as a string is accepted', async () => {
    const id = await createRun(srv, exp, { start_time: 1000 });
    const res = await srv.mlflow('POST', 'runs/update', { run_uuid: id, run_id: id, status: 'FINISHED', end_time: '5000' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(['run_info']);
    const info = res.json.run_info;
    expect(info).toMatchObject({ run_id: id, run_uuid: id, status: 'FINISHED', lifecycle_stage: 'active', experiment_id: exp });
    expectInt64(res, info, 'end_time', 5000);
    expectInt64(res, info, 'start_time', 1000);
    expect((await getRun(srv, id)).json.run.info.status).toBe('FINISHED');
  });

  it('status by enum number (3, "4") and an unknown enum name is ignored (200, status unchanged)', async () => {
    const id = await createRun(srv, exp);
    expect((await srv.mlflow('POST', 'runs/update', { run_id: id, status: 5 })).json.run_info.status).toBe('KILLED');
    expect((await srv.mlflow('POST', 'runs/update', { run_id: id, status: '4' })).json.run_info.status).toBe('FAILED');
    const bogus = await srv.mlflow('POST', 'runs/update', { run_id: id, status: 'BOGUS' });
    expect(bogus.status).toBe(200);
    expect(bogus.json.run_info.status).toBe('FAILED');
    expect((await srv.mlflow('POST', 'runs/update', { run_id: id, status: 1 })).json.run_info.status).toBe('RUNNING');
  });

  it('run_name renames the run and its mlflow.runName tag', async () => {
    const id = await createRun(srv, exp, { run_name: 'before' });
    const res = await srv.mlflow('POST', 'runs/update', { run_id: id, run_name: 'after' });
    expect(res.json.run_info.run_name).toBe('after');
    const run = (await getRun(srv, id)).json.run;
    expect(run.info.run_name).toBe('after');
    expect(kv(run.data.tags)['mlflow.runName']).toBe('after');
  });

  it('missing run_id → 400; unknown run → 404', async () => {
    expectError(await srv.mlflow('POST', 'runs/update', { status: 'FINISHED' }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('run_id'));
    expectError(await srv.mlflow('POST', 'runs/update', { run_id: 'nosuchrun0000', status: 'FINISHED' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('the end of a run writes <dataDir>/artifacts/runs/<run_id>/metrics.parquet with every distinct point', async () => {
    const id = await createRun(srv, exp);
    const metrics = [
      ...Array.from({ length: 10 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), timestamp: 1000 + i, step: i })),
      ...Array.from({ length: 5 }, (_, i) => ({ key: 'acc', value: i / 5, timestamp: 2000 + i, step: i })),
      { key: 'loss', value: 1, timestamp: 1000, step: 0 }, // exact duplicate of a point above (a client retry)
    ];
    expectEmpty(await srv.mlflow('POST', 'runs/log-batch', { run_id: id, metrics }));
    const file = path.join(srv.dataDir, 'artifacts', 'runs', id, 'metrics.parquet');
    expect(fs.existsSync(file)).toBe(false);
    expect((await srv.mlflow('POST', 'runs/update', { run_id: id, status: 'FINISHED', end_time: Date.now() })).status).toBe(200);
    expect(fs.existsSync(file)).toBe(true);

    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    try {
      const lit = `'${file.replaceAll("'", "''")}'`;
      const rows = (await con.runAndReadAll(`SELECT key, count(*)::INTEGER AS n FROM read_parquet(${lit}) GROUP BY key ORDER BY key`)).getRowObjects();
      expect(rows).toEqual([{ key: 'acc', n: 5 }, { key: 'loss', n: 10 }]);
      const cols = (await con.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(${lit}))`)).getRowObjects().map((r) => r.column_name);
      expect(cols).toEqual(expect.arrayContaining(['key', 'step', 'value']));
      const last = (await con.runAndReadAll(`SELECT value FROM read_parquet(${lit}) WHERE key = 'loss' AND step = 9`)).getRowObjects();
      expect(last).toEqual([{ value: 0.1 }]);

      // Points logged after the end (allowed: the run is still active) are in the file once the run ends again.
      expectEmpty(await srv.mlflow('POST', 'runs/log-metric', { run_id: id, key: 'acc', value: 1, timestamp: 3000, step: 5 }));
      expect((await srv.mlflow('POST', 'runs/update', { run_id: id, status: 'FAILED' })).status).toBe(200);
      const again = (await con.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet(${lit})`)).getRowObjects();
      expect(again).toEqual([{ n: 16 }]);
    } finally {
      con.closeSync();
      db.closeSync();
    }
  });
});

describe('runs/delete and runs/restore', () => {
  it('soft delete: {} and lifecycle_stage deleted (still readable); restore: {} and active again', async () => {
    const id = await createRun(srv, exp);
    expectEmpty(await srv.mlflow('POST', 'runs/delete', { run_id: id }));
    const deleted = await getRun(srv, id);
    expect(deleted.json.run.info.lifecycle_stage).toBe('deleted');
    expect(deleted.json.run.info.status).toBe('RUNNING');
    expectEmpty(await srv.mlflow('POST', 'runs/restore', { run_id: id }));
    expect((await getRun(srv, id)).json.run.info.lifecycle_stage).toBe('active');
  });

  it('missing run_id → 400; unknown run → 404', async () => {
    expectError(await srv.mlflow('POST', 'runs/delete', {}), 400, 'INVALID_PARAMETER_VALUE', missingMessage('run_id'));
    expectError(await srv.mlflow('POST', 'runs/restore', {}), 400, 'INVALID_PARAMETER_VALUE', missingMessage('run_id'));
    expectError(await srv.mlflow('POST', 'runs/delete', { run_id: 'nosuchrun0001' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await srv.mlflow('POST', 'runs/restore', { run_id: 'nosuchrun0001' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('every write to a deleted run → 400 "must be in the \'active\' state", and nothing is written', async () => {
    const id = await createRun(srv, exp, { tags: [{ key: 'keep', value: 'me' }] });
    expectEmpty(await srv.mlflow('POST', 'runs/delete', { run_id: id }));
    const writes: [string, Record<string, unknown>][] = [
      ['runs/log-metric', { key: 'm', value: 1, timestamp: 1, step: 0 }],
      ['runs/log-batch', { metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }], params: [{ key: 'p', value: 'v' }] }],
      ['runs/log-parameter', { key: 'p', value: 'v' }],
      ['runs/set-tag', { key: 't', value: 'v' }],
      ['runs/delete-tag', { key: 'keep' }],
      ['runs/update', { status: 'FINISHED' }],
      ['runs/log-inputs', { datasets: [{ dataset: { name: 'd', digest: 'x', source_type: 'local', source: 's' } }] }],
    ];
    for (const [endpoint, body] of writes) {
      expectError(await srv.mlflow('POST', endpoint, { run_id: id, ...body }), 400, 'INVALID_PARAMETER_VALUE', ACTIVE_STATE(id));
    }
    const run = (await getRun(srv, id)).json.run;
    expect(run.info.status).toBe('RUNNING');
    expect(run.data).not.toHaveProperty('metrics');
    expect(run.data).not.toHaveProperty('params');
    expect(kv(run.data.tags)).toEqual({ keep: 'me', 'mlflow.runName': run.info.run_name });
    expect(run.inputs).toEqual({});
  });

  it('runs/outputs (3.x log-outputs) answers {} for an active run', async () => {
    const id = await createRun(srv, exp);
    expectEmpty(await srv.mlflow('POST', 'runs/outputs', { run_id: id, models: [{ model_id: 'm-1', step: '3' }] }));
  });

  it('writes to a FINISHED (still active) run are allowed, as in MLflow', async () => {
    const id = await createRun(srv, exp);
    await srv.mlflow('POST', 'runs/update', { run_id: id, status: 'FINISHED', end_time: Date.now() });
    expectEmpty(await srv.mlflow('POST', 'runs/log-metric', { run_id: id, key: 'late', value: 2, timestamp: 5 }));
    expectEmpty(await srv.mlflow('POST', 'runs/set-tag', { run_id: id, key: 'note', value: 'post-hoc' }));
    const run = (await getRun(srv, id)).json.run;
    expect(run.data.metrics).toEqual([{ key: 'late', value: 2, timestamp: 5, step: 0 }]);
    expect(kv(run.data.tags).note).toBe('post-hoc');
  });
});

describe('every run-scoped endpoint', () => {
  const endpoints: [method: string, endpoint: string, body: Record<string, unknown>][] = [
    ['GET', 'runs/get', {}],
    ['POST', 'runs/update', { status: 'FINISHED' }],
    ['POST', 'runs/delete', {}],
    ['POST', 'runs/restore', {}],
    ['POST', 'runs/log-metric', { key: 'k', value: 1, timestamp: 1 }],
    ['POST', 'runs/log-batch', { params: [{ key: 'p', value: 'v' }] }],
    ['POST', 'runs/log-parameter', { key: 'p', value: 'v' }],
    ['POST', 'runs/set-tag', { key: 't', value: 'v' }],
    ['POST', 'runs/delete-tag', { key: 't' }],
    ['POST', 'runs/log-inputs', { datasets: [] }],
    ['POST', 'runs/outputs', { models: [{ model_id: 'm-1', step: 0 }] }],
    ['GET', 'metrics/get-history', { metric_key: 'k' }],
    ['GET', 'artifacts/list', {}],
  ];

  it('an unknown run_id (or run_uuid) → 404 RESOURCE_DOES_NOT_EXIST', async () => {
    for (const [method, endpoint, body] of endpoints) {
      expectError(await srv.mlflow(method, endpoint, { ...body, run_id: 'abcdef0123456789abcdef0123456789' }), 404, 'RESOURCE_DOES_NOT_EXIST');
      expectError(await srv.mlflow(method, endpoint, { ...body, run_uuid: 'abcdef0123456789abcdef0123456789' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    }
  });

  it('no run_id and no run_uuid → 400 "Missing value for required parameter \'run_id\'"', async () => {
    for (const [method, endpoint, body] of endpoints) {
      expectError(await srv.mlflow(method, endpoint, body), 400, 'INVALID_PARAMETER_VALUE', missingMessage('run_id'));
    }
  });
});
