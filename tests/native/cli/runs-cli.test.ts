// `runledger runs …` and `runledger env`, run in-process with captured output: once with no server
// (the CLI opens the store itself) and once through a running server that owns the data dir.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../native/cli/main';
import type { CliIo } from '../../../native/cli/io';
import { startTestServer, tempDir, type TestServer } from '../../helpers/test-server';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(args, io);
  return { code, out, err };
}

async function seed(srv: TestServer): Promise<string[]> {
  const exp = (await srv.mlflow('POST', 'experiments/create', { name: 'credit-risk' })).json.experiment_id;
  const ids: string[] = [];
  for (const [name, auc, lr] of [['xgb-baseline', 0.81, '0.1'], ['xgb-deep', 0.87, '0.03']] as const) {
    const id = (await srv.mlflow('POST', 'runs/create', { experiment_id: exp, run_name: name, start_time: 1_764_000_000_000 })).json.run.info.run_id;
    await srv.mlflow('POST', 'runs/log-batch', {
      run_id: id,
      params: [{ key: 'lr', value: lr }],
      tags: [{ key: 'priority', value: 'p0' }],
      metrics: [0, 1, 2].map((s) => ({ key: 'val_auc', value: auc - (2 - s) * 0.01, timestamp: 1_764_000_000_000 + s, step: s })),
    });
    await srv.mlflow('POST', 'runs/update', { run_id: id, status: 'FINISHED', end_time: 1_764_000_100_000 });
    ids.push(id);
  }
  return ids;
}

describe('runledger CLI through a running server', () => {
  let srv: TestServer;
  let ids: string[];
  beforeAll(async () => {
    srv = await startTestServer();
    ids = await seed(srv);
  });
  afterAll(() => srv.stop());

  it('runs ls prints a table', async () => {
    const r = await cli(['runs', 'ls', '--data', srv.dataDir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/RUN ID\s+NAME\s+EXPERIMENT\s+STATUS/);
    expect(r.out).toContain('xgb-baseline');
    expect(r.out).toContain('xgb-deep');
    expect(r.out).toContain('2 runs');
  });

  it('runs ls --json with a filter and an experiment', async () => {
    const r = await cli(['runs', 'ls', '--data', srv.dataDir, '--experiment', 'credit-risk', '--filter', 'metrics.val_auc > 0.85', '--json']);
    expect(r.code).toBe(0);
    const runs = JSON.parse(r.out);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ run_id: ids[1], run_name: 'xgb-deep', experiment: 'credit-risk', status: 'FINISHED', params: { lr: '0.03' }, metrics: { val_auc: 0.87 }, tags: { priority: 'p0' } });
    expect(runs[0].start_time).toBe(1_764_000_000_000);
    expect(runs[0].end_time).toBe(1_764_000_100_000);
  });

  it('runs show by name and by id', async () => {
    const byName = await cli(['runs', 'show', 'xgb-baseline', '--data', srv.dataDir]);
    expect(byName.code).toBe(0);
    expect(byName.out).toContain(ids[0]);
    expect(byName.out).toMatch(/lr\s+0\.1/);
    const byId = JSON.parse((await cli(['runs', 'show', ids[0], '--json', '--data', srv.dataDir])).out);
    expect(byId.metric_summaries[0]).toMatchObject({ key: 'val_auc', step: 2, count: 3 });
  });

  it('runs delete hides a run, --view deleted shows who and why, restore brings it back', async () => {
    const del = await cli(['runs', 'delete', ids[0], '--reason', 'leaked test labels', '--data', srv.dataDir]);
    expect(del.code).toBe(0);
    expect((await cli(['runs', 'ls', '--json', '--data', srv.dataDir])).out).not.toContain(ids[0]);
    const deleted = JSON.parse((await cli(['runs', 'ls', '--view', 'deleted', '--json', '--data', srv.dataDir])).out);
    expect(deleted.map((r: { run_id: string }) => r.run_id)).toEqual([ids[0]]);
    const shown = JSON.parse((await cli(['runs', 'show', ids[0], '--json', '--data', srv.dataDir])).out);
    expect(shown).toMatchObject({ lifecycle_stage: 'deleted', delete_reason: 'leaked test labels' });
    expect(typeof shown.deleted_by).toBe('string');
    // The MLflow API agrees.
    expect((await srv.mlflow('GET', 'runs/get', { run_id: ids[0] })).json.run.info.lifecycle_stage).toBe('deleted');
    expect((await cli(['runs', 'restore', ids[0], '--data', srv.dataDir])).code).toBe(0);
    expect(JSON.parse((await cli(['runs', 'ls', '--json', '--data', srv.dataDir])).out)).toHaveLength(2);
  });

  it('env prints the two export lines for the running server', async () => {
    const r = await cli(['env', '--data', srv.dataDir]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`export MLFLOW_TRACKING_URI=${srv.origin}\nexport MLFLOW_TRACKING_TOKEN=${srv.token}\n`);
  });

  it('reports clear errors with exit codes', async () => {
    const missing = await cli(['runs', 'show', 'no-such-run', '--data', srv.dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("No run with id or name 'no-such-run'");
    const badView = await cli(['runs', 'ls', '--view', 'weird', '--data', srv.dataDir]);
    expect(badView.code).toBe(2);
    expect(badView.err).toContain('--view must be one of');
    const badFilter = await cli(['runs', 'ls', '--filter', 'metrics.x > 1 or metrics.y < 2', '--data', srv.dataDir]);
    expect(badFilter.code).toBe(1);
    expect(badFilter.err).toMatch(/Invalid clause/);
    expect((await cli(['bogus'])).code).toBe(2);
    expect((await cli(['runs', 'ls', '--frobnicate', '--data', srv.dataDir])).err).toContain('unknown option --frobnicate');
  });
});

describe('runledger CLI without a server', () => {
  const dir = tempDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('opens the store itself and closes it again', async () => {
    const srv = await startTestServer({ dataDir: dir });
    await seed(srv);
    await srv.stop();
    const r = await cli(['runs', 'ls', '--json', '--data', dir]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).map((x: { run_name: string }) => x.run_name).sort()).toEqual(['xgb-baseline', 'xgb-deep']);
    // Closed again: a server can open the store right after.
    const again = await startTestServer({ dataDir: dir });
    await again.stop();
  });

  it('env says how to start a server when none has run', async () => {
    const empty = tempDir();
    const r = await cli(['env', '--data', empty]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('runledger serve');
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
