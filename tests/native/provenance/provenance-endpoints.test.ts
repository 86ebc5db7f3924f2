// The provenance extension endpoints (/api/2.0/runledger/…) on a real server: environment snapshot
// and code state, dataset fingerprints profiled with DuckDB (Parquet and CSV written here), the
// changed-digest flag, and MLflow-style errors for client mistakes (never a 5xx).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDir, type TestServer } from '../../helpers/test-server';
import { expectError } from '../mlflow-api/wire';
import { main } from '../../../native/cli/main';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/gpu-workstation');
const RL = '/api/2.0/runledger/';

let srv: TestServer;
let dir: string;

async function newRun(name: string, startTime = Date.now()): Promise<string> {
  const res = await srv.mlflow('POST', 'runs/create', { experiment_id: '0', run_name: name, start_time: startTime });
  return res.json.run.info.run_id as string;
}

async function writeTable(file: string, rows: number, format: 'parquet' | 'csv'): Promise<void> {
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  await con.run(`COPY (SELECT i AS id, CASE WHEN i % 3 = 0 THEN NULL ELSE i / 2 END AS half, CASE WHEN i % 5 = 0 THEN NULL ELSE 'n' || i END AS name
                       FROM range(${rows}) t(i)) TO '${file}' (FORMAT ${format}${format === 'csv' ? ', HEADER' : ''})`);
  con.closeSync();
}

beforeAll(async () => {
  srv = await startTestServer();
  dir = tempDir();
});
afterAll(async () => {
  await srv.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('runs/log-provenance', () => {
  it('stores the environment and code state; runs.get and runs show return them', async () => {
    const id = await newRun('prov');
    const res = await srv.call('POST', `${RL}runs/log-provenance`, {
      run_id: id,
      environment: {
        python: '3.12.3',
        python_implementation: 'CPython',
        platform: 'Linux-6.18.44-x86_64-with-glibc2.39',
        hostname: 'gpu-box',
        cpu: 'Intel(R) Xeon(R) Processor',
        cpu_count: 16,
        torch: '2.11.0+cu130',
        cuda: '13.0',
        cudnn: 91900,
        nvidia_smi: { text: fs.readFileSync(path.join(FIXTURES, 'nvidia-smi-query.csv'), 'utf8'), fields: ['name', 'memory.total', 'driver_version', 'uuid', 'pci.bus_id'] },
        packages: fs.readFileSync(path.join(FIXTURES, 'pip-freeze.txt'), 'utf8'),
        env_vars: { CUDA_VISIBLE_DEVICES: '0', HF_TOKEN: 'hf_leak' },
        workers: 8,
        mixed_precision: 'bf16',
        command: ['python', 'train.py', '--lr', '3e-4'],
      },
      code: { commit: 'a'.repeat(40), branch: 'main', remote: 'https://u:p@example.com/r.git', dirty: true, diff_artifact: 'provenance/git.diff', diff_bytes: 12, untracked: ['out.log'] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.text).not.toContain('hf_leak');
    const env = res.json.provenance.environment;
    expect(env).toMatchObject({ driver: '580.159.04', cudnn: '9.19.0', package_count: 197, workers: 8, env_vars: { CUDA_VISIBLE_DEVICES: '0' } });
    expect(env.gpus).toEqual([{ index: 0, name: 'NVIDIA H200', memory_total_mib: 143771, uuid: 'GPU-22f345b9-c65c-5b4d-c328-3bf6e86631fa', bus_id: '00000000:00:06.0', compute_capability: null }]);
    expect(env.packages).toHaveLength(197);

    const detail = (await srv.call('POST', '/api/rpc/runs.get', { run: id })).json;
    expect(detail.provenance.code).toMatchObject({ commit: 'a'.repeat(40), branch: 'main', remote: 'https://example.com/r.git', dirty: true, untracked: ['out.log'] });
    expect((await srv.call('GET', `${RL}runs/get-provenance`, { run_id: id })).json.provenance.environment.hostname).toBe('gpu-box');

    let out = '';
    const code = await main(['runs', 'show', id, '--data', srv.dataDir], { out: (t) => (out += `${t}\n`), err: () => undefined });
    expect(code).toBe(0);
    expect(out).toMatch(/commit\s+a{40} on main \(dirty/);
    expect(out).toMatch(/gpu 0\s+NVIDIA H200, 143,771 MiB/);
    expect(out).toMatch(/packages\s+197 \(sha256:bd95d1e8e147\)/);
  });

  it('logging again replaces the snapshot, and a code-only call keeps the environment', async () => {
    const id = await newRun('prov-twice');
    await srv.call('POST', `${RL}runs/log-provenance`, { run_id: id, environment: { python: '3.11' } });
    await srv.call('POST', `${RL}runs/log-provenance`, { run_id: id, environment: { python: '3.12' } });
    await srv.call('POST', `${RL}runs/log-provenance`, { run_id: id, code: { commit: 'b'.repeat(40), dirty: false } });
    const p = (await srv.call('GET', `${RL}runs/get-provenance`, { run_id: id })).json.provenance;
    expect(p.environment.python).toBe('3.12');
    expect(p.code.dirty).toBe(false);
  });

  it('answers client mistakes with MLflow errors', async () => {
    const id = await newRun('prov-errors');
    const post = (body: Record<string, unknown>): ReturnType<TestServer['call']> => srv.call('POST', `${RL}runs/log-provenance`, body);
    expectError(await post({ environment: {} }), 400, 'INVALID_PARAMETER_VALUE', /run_id/);
    expectError(await post({ run_id: '../etc', environment: {} }), 400, 'INVALID_PARAMETER_VALUE', /Invalid run ID/);
    expectError(await post({ run_id: 'run-nope', environment: {} }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await post({ run_id: id }), 400, 'INVALID_PARAMETER_VALUE', /environment' or 'code/);
    expectError(await post({ run_id: id, environment: 'linux' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await post({ run_id: id, environment: { cpu_count: 'many' } }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await post({ run_id: id, code: { commit: 'not-hex' } }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await post({ run_id: id, code: { diff_artifact: '../../x' } }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await srv.call('GET', `${RL}runs/log-provenance`, { run_id: id }), 405, 'ENDPOINT_NOT_FOUND');
    expectError(await srv.call('POST', `${RL}runs/nope`, {}), 404, 'ENDPOINT_NOT_FOUND');
    const noToken = await fetch(`${srv.origin}${RL}runs/get-provenance?run_id=${id}`);
    expect(noToken.status).toBe(401);
    await srv.mlflow('POST', 'runs/delete', { run_id: id });
    expectError(await post({ run_id: id, environment: { python: '3' } }), 400, 'INVALID_PARAMETER_VALUE', /must be in the 'active' state/);
  });
});

describe('runs/log-dataset', () => {
  it('profiles a readable Parquet file with DuckDB: columns, schema checksum, rows, nulls', async () => {
    const file = path.join(dir, 'train.parquet');
    await writeTable(file, 300, 'parquet');
    const id = await newRun('ds-parquet', 1_000);
    const res = await srv.call('POST', `${RL}runs/log-dataset`, { run_id: id, name: 'train', uri: file, digest: 'd1', size_bytes: fs.statSync(file).size, context: 'training' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.dataset).toMatchObject({
      name: 'train', digest: 'd1', format: 'parquet', rows: 300, profiled_by: 'server', profile_note: null, context: 'training', digest_changed: false,
      columns: [{ name: 'id', type: 'BIGINT' }, { name: 'half', type: 'DOUBLE' }, { name: 'name', type: 'VARCHAR' }],
      null_counts: { id: 0, half: 100, name: 60 },
    });
    expect(res.json.dataset.schema_sha256).toMatch(/^[0-9a-f]{64}$/);
    // MLflow clients see it as a dataset input with a profile.
    const mlflowRun = (await srv.mlflow('GET', 'runs/get', { run_id: id })).json.run;
    expect(JSON.parse(mlflowRun.inputs.dataset_inputs[0].dataset.profile)).toMatchObject({ num_rows: 300, profiled_by: 'server' });
  });

  it('profiles CSV too, and flags a later run that used the name with another digest', async () => {
    const file = path.join(dir, 'train.csv');
    await writeTable(file, 50, 'csv');
    const earlier = await newRun('ds-csv-1', 2_000);
    await srv.call('POST', `${RL}runs/log-dataset`, { run_id: earlier, name: 'shared-name', uri: file, digest: 'aaa' });
    const later = await newRun('ds-csv-2', 3_000);
    const res = await srv.call('POST', `${RL}runs/log-dataset`, { run_id: later, name: 'shared-name', uri: file, digest: 'bbb' });
    expect(res.json.dataset).toMatchObject({ format: 'csv', rows: 50, digest_changed: true, previous_digest: 'aaa', previous_run_id: earlier });
    const first = (await srv.call('POST', '/api/rpc/runs.get', { run: earlier })).json.provenance.datasets[0];
    expect(first.digest_changed).toBe(false);
  });

  it("uses the client's profile when the server cannot read the file, and says why", async () => {
    const id = await newRun('ds-remote');
    const profile = { format: 'csv', columns: [{ name: 'x', type: 'BIGINT' }], rows: 9, null_counts: { x: 2 } };
    const gone = await srv.call('POST', `${RL}runs/log-dataset`, { run_id: id, name: 'gone', uri: path.join(dir, 'missing.csv'), digest: 'c1', profile });
    expect(gone.json.dataset).toMatchObject({ profiled_by: 'client', profile_note: 'not readable from the server', rows: 9, null_counts: { x: 2 } });
    const s3 = await srv.call('POST', `${RL}runs/log-dataset`, { run_id: id, name: 's3', uri: 's3://bucket/key.parquet', digest: 'c2' });
    expect(s3.json.dataset).toMatchObject({ profiled_by: null, profile_note: 'not a local path', rows: null });
    const glob = await srv.call('POST', `${RL}runs/log-dataset`, { run_id: id, name: 'glob', uri: `${dir}/*.parquet`, digest: 'c3' });
    expect(glob.json.dataset.profile_note).toBe('the path contains glob characters');
    const notData = path.join(dir, 'notes.txt');
    fs.writeFileSync(notData, 'hello');
    const txt = await srv.call('POST', `${RL}runs/log-dataset`, { run_id: id, name: 'txt', uri: notData, digest: 'c4' });
    expect(txt.json.dataset.profile_note).toMatch(/not a Parquet or CSV file/);
    const broken = path.join(dir, 'broken.parquet');
    fs.writeFileSync(broken, 'PAR1 not really');
    const bad = await srv.call('POST', `${RL}runs/log-dataset`, { run_id: id, name: 'broken', uri: broken, digest: 'c5' });
    expect(bad.status).toBe(200);
    expect(bad.json.dataset.profile_note).toMatch(/^DuckDB could not read it/);
  });

  it('does not profile a file that changed since the client hashed it', async () => {
    const file = path.join(dir, 'moving.parquet');
    await writeTable(file, 10, 'parquet');
    const id = await newRun('ds-moving');
    const res = await srv.call('POST', `${RL}runs/log-dataset`, { run_id: id, name: 'moving', uri: file, digest: 'm1', size_bytes: 1 });
    expect(res.json.dataset.profiled_by).toBe(null);
    expect(res.json.dataset.profile_note).toMatch(/not the 1 the client hashed/);
  });

  it('answers client mistakes with MLflow errors', async () => {
    const id = await newRun('ds-errors');
    const post = (body: Record<string, unknown>): ReturnType<TestServer['call']> => srv.call('POST', `${RL}runs/log-dataset`, body);
    expectError(await post({ run_id: id, uri: '/x', digest: 'd' }), 400, 'INVALID_PARAMETER_VALUE', /'name'/);
    expectError(await post({ run_id: id, name: 'n', digest: 'd' }), 400, 'INVALID_PARAMETER_VALUE', /'uri'/);
    expectError(await post({ run_id: id, name: 'n', uri: '/x' }), 400, 'INVALID_PARAMETER_VALUE', /'digest'/);
    expectError(await post({ run_id: id, name: 'x'.repeat(501), uri: '/x', digest: 'd' }), 400, 'INVALID_PARAMETER_VALUE', /500/);
    expectError(await post({ run_id: id, name: 'n', uri: '/x', digest: 'd', profile: [1] }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await post({ run_id: id, name: 'n', uri: '/x', digest: 'd', size_bytes: 'big' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await post({ run_id: 'run-missing', name: 'n', uri: '/x', digest: 'd' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});
