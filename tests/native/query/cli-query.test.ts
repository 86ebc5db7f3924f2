// The language from the command line and over HTTP: `runledger query explain`, `runledger runs ls
// --filter` with plain words, and the `query.explain` / `query.run` RPCs through a running server.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../native/cli/main';
import type { CliIo } from '../../../native/cli/io';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { seedStore } from './seed-store';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(args, io);
  return { code, out, err };
}

let dataDir: string;

beforeAll(async () => {
  const store = await seedStore();
  dataDir = store.dataDir;
  await store.closeCore();
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('runledger query explain (store opened in-process)', () => {
  it('prints the formal query, the meaning and each understood piece', async () => {
    const r = await cli(['query', 'explain', 'highest auc with latency under 50 ms', '--data', dataDir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('formal   metrics.latency_ms < 50 order by metrics.val_auc desc limit 1');
    expect(r.out).toContain('meaning  The run with the highest val_auc among runs where latency_ms is below 50.');
    expect(r.out).toMatch(/condition\s+latency_ms is below 50\s+metrics\.latency_ms < 50/);
  });

  it('--json has the formal query, explanation, groups and problems', async () => {
    const r = await cli(['query', 'explain', 'compare lr=1e-3 and lr=3e-4 on v2.1', '--json', '--data', dataDir]);
    expect(r.code).toBe(0);
    const x = JSON.parse(r.out);
    expect(x).toMatchObject({
      ok: true,
      formal: "compare (params.lr = 0.001) vs (params.lr = 0.0003) where datasets.name = 'credit_risk_v2.1'",
      groups: [{ formal: 'params.lr = 0.001' }, { formal: 'params.lr = 0.0003' }],
      problems: [],
    });
    expect(x.explanation).toMatch(/^Compare 2 groups/);
    expect(x.sql).toHaveLength(2);
  });

  it('exits 1 and points at each word it cannot place', async () => {
    const r = await cli(['query', 'explain', 'loss < 0.3 and val_acu > 0.8', '--data', dataDir]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("^^^^ 'loss' could be 2 keys: metrics.train_loss, metrics.val_loss");
    expect(r.out).toContain("               ^^^^^^^ 'val_acu' is not a key in this store (did you mean metrics.val_auc?)");
    const json = JSON.parse((await cli(['query', 'explain', 'banana', '--json', '--data', dataDir])).out);
    expect(json).toMatchObject({ ok: false, formal: '', problems: [{ code: 'unknown-word', start: 0, end: 6 }] });
  });

  it('explains its usage', async () => {
    expect((await cli(['query'])).code).toBe(2);
    expect((await cli(['query', 'explain', '--data', dataDir])).err).toContain('give the query as one argument');
    expect((await cli(['query', 'frob', 'x'])).code).toBe(2);
  });
});

describe('runledger runs ls --filter with plain words', () => {
  it('returns the matching runs in the query order, with params, metrics and tags', async () => {
    const r = await cli(['runs', 'ls', '--filter', 'top 3 runs by val_auc', '--json', '--data', dataDir]);
    expect(r.code).toBe(0);
    const runs = JSON.parse(r.out);
    expect(runs.map((x: { run_name: string }) => x.run_name)).toEqual(['fraud-gbm', 'fraud-mlp', 'xgb-deep']);
    expect(runs[2]).toMatchObject({ experiment: 'credit-risk', status: 'FINISHED', params: { model: 'xgb', lr: '0.03' }, metrics: { val_auc: 0.87 }, tags: { priority: 'p0' } });
  });

  it('shows the metrics the filter is about first in the table', async () => {
    const r = await cli(['runs', 'ls', '--filter', 'highest auc with latency under 50 ms', '--data', dataDir]);
    expect(r.out).toMatch(/STARTED \(UTC\)\s+val_auc\s+latency_ms/);
    expect(r.out).toContain('fraud-gbm');
    expect(r.out).toContain('1 run');
  });

  it('shows deleted runs when the filter asks for them, unless --view says otherwise', async () => {
    const deleted = JSON.parse((await cli(['runs', 'ls', '--filter', 'deleted runs', '--json', '--data', dataDir])).out);
    expect(deleted.map((x: { run_name: string }) => x.run_name)).toEqual(['xgb-leaky', 'churn-xgb-old']);
    expect(JSON.parse((await cli(['runs', 'ls', '--filter', 'deleted runs', '--view', 'active', '--json', '--data', dataDir])).out)).toEqual([]);
  });

  it('still takes MLflow syntax, and refuses with carets what it cannot read', async () => {
    const r = await cli(['runs', 'ls', '--filter', "metrics.val_auc > 0.85 and params.model = 'xgb'", '--json', '--data', dataDir]);
    expect(JSON.parse(r.out).map((x: { run_name: string }) => x.run_name)).toEqual(['xgb-deep']);
    const bad = await cli(['runs', 'ls', '--filter', 'interupted or faild and val_acu > 1', '--data', dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("'val_acu' is not a key in this store (did you mean metrics.val_auc?)");
  });
});

describe('through a running server', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ dataDir });
  });
  afterAll(() => srv.stop());

  it('serves query.explain and query.run as RPCs', async () => {
    const x = await srv.call('POST', '/api/rpc/query.explain', { text: 'dropout 0.2' });
    expect(x.status).toBe(200);
    expect(x.json).toMatchObject({ ok: true, formal: 'params.dropout_p = 0.2', chips: [{ kind: 'condition', label: 'dropout_p is 0.2' }] });
    const run = await srv.call('POST', '/api/rpc/query.run', { text: 'compare xgb vs mlp', limit: 2 });
    expect(run.status).toBe(200);
    expect(run.json.groups.map((g: { run_ids: string[] }) => g.run_ids.length)).toEqual([2, 2]);
    expect(run.json.runs).toHaveLength(4);
    const refused = await srv.call('POST', '/api/rpc/query.run', { text: 'val > 1' });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining("'val' could be 3 keys") });
  });

  it('the CLI goes through the server when one owns the store', async () => {
    const r = await cli(['query', 'explain', 'gpu H100', '--json', '--data', dataDir]);
    expect(JSON.parse(r.out).formal).toBe("env.gpu contains 'H100'");
    const runs = JSON.parse((await cli(['runs', 'ls', '--filter', 'gpu H100 and dirty', '--json', '--data', dataDir])).out);
    expect(runs.map((x: { run_name: string }) => x.run_name)).toEqual(['xgb-deep']);
  });
});
