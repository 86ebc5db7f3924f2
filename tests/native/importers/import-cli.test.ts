// `runledger import` as a user runs it: exit codes 0 / 4 / 1, the summary and --json, progress on
// stderr, idempotency, formats recognised but not supported yet, and the same command going
// through a running server that owns the data dir.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { exec, inTransaction } from '../../../native/store/open-database';
import { FIXTURES, cli, count, importInto, openStore, tempDir } from './support';

const TB = path.join(FIXTURES, 'tensorboard');

describe('runledger import (the CLI opens the store itself)', () => {
  it('imports, prints a summary, and exits 0; a second import finds everything already there', async () => {
    const data = tempDir();
    const first = await cli(['import', TB, '--data', data]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Imported 2 runs from .*tensorboard \(TensorBoard\)/);
    expect(first.out).toMatch(/points\s+1,922/);
    expect(first.out).toMatch(/lr1e-3_bs64\s+Default\s+imported\s+961/);
    expect(first.err).toMatch(/importing run \d\/2/); // progress, plain lines when stderr is not a terminal
    const second = await cli(['import', TB, '--data', data, '--json']);
    expect(second.code).toBe(0);
    const s = JSON.parse(second.out);
    expect(s).toMatchObject({ outcome: 'complete', format: 'tensorboard', counts: { runs_imported: 0, runs_already_there: 2, points: 0 } });
    const ls = JSON.parse((await cli(['runs', 'ls', '--json', '--data', data])).out);
    expect(ls).toHaveLength(2);
  });

  it('--json gives the whole summary; --help explains formats and exit codes', async () => {
    const r = await cli(['import', path.join(FIXTURES, 'lightning-csv'), '--json', '--experiment', 'digits', '--data', tempDir()]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.runs).toEqual([expect.objectContaining({ name: 'lightning-csv', experiment: 'digits', outcome: 'imported', points: 100 })]);
    expect(s.counts).toMatchObject({ runs_imported: 1, experiments_created: 1, params: 2 });
    const help = await cli(['import', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Exit codes: 0');
    expect((await cli(['--help'])).out).toContain('import PATH');
  });

  it.each([
    // Bundles are verified before anything is imported (issue #6; tests/native/bundle has the rest).
    ['a damaged .runbundle file', (d: string) => (fs.writeFileSync(path.join(d, 'x.runbundle'), 'PK'), path.join(d, 'x.runbundle')), /not imported: invalid bundle: E_ZIP_STRUCTURE/],
    ['a damaged ZIP holding a BagIt bag', (d: string) => (fs.writeFileSync(path.join(d, 'b.zip'), Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.from('....run-1/bagit.txt....')])), path.join(d, 'b.zip')), /E_ZIP_STRUCTURE/],
    ['an empty folder', (d: string) => d, /holds nothing Runledger can import/],
    ['a path that does not exist', (d: string) => path.join(d, 'nope'), /does not exist/],
  ])('%s: nothing imported, exit 1', async (_name, make, message) => {
    const r = await cli(['import', make(tempDir()), '--data', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it('a client spool is handed to sync: imported, and a second import creates nothing', async () => {
    const root = tempDir();
    const run = path.join(root, '20261126T000000Z-spooled-0001');
    fs.mkdirSync(run);
    // The Python client's record format: {"sha256": hex of the payload, "record": payload}.
    const line = (payload: Record<string, unknown>): string => {
      const body = JSON.stringify(payload);
      return `{"sha256":"${crypto.createHash('sha256').update(body).digest('hex')}","record":${body}}\n`;
    };
    fs.writeFileSync(
      path.join(run, 'records.jsonl'),
      [
        line({ seq: 0, type: 'run', format: 1, spool_uuid: crypto.randomUUID(), run_name: 'spooled', experiment: 'offline', start_time: 1_764_000_000_000, user: 'u', tags: {} }),
        line({ seq: 1, type: 'metrics', metrics: [['loss', 0.5, 1_764_000_000_001, 1], ['loss', 0.25, 1_764_000_000_002, 2]] }),
        line({ seq: 2, type: 'end', status: 'FINISHED', end_time: 1_764_000_000_003 }),
      ].join(''),
    );
    const data = tempDir();
    const first = await cli(['import', root, '--json', '--data', data]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out).runs).toEqual([expect.objectContaining({ outcome: 'imported', points_new: 2 })]);
    const again = await cli(['import', root, '--json', '--data', data]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out).runs).toEqual([expect.objectContaining({ points_new: 0 })]);
  });

  it('without a PATH: usage error, exit 2', async () => {
    const r = await cli(['import', '--data', tempDir()]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('give exactly one PATH');
  });
});

describe('idempotency', () => {
  it('an import that was cut short is redone, the partial run hidden', async () => {
    const store = await openStore();
    try {
      const first = await importInto(store.core, path.join(FIXTURES, 'tensorboard-tf2'));
      const oldId = first.runs[0].run_id!;
      // As a crash mid-import leaves it: the run exists, its import row says "importing".
      await inTransaction(store.core.db, (con) => exec(con, `UPDATE import_sources SET state = 'importing'`));
      const again = await importInto(store.core, path.join(FIXTURES, 'tensorboard-tf2'));
      expect(again.counts).toMatchObject({ runs_imported: 1, runs_already_there: 0 });
      const newId = again.runs[0].run_id!;
      expect(newId).not.toBe(oldId);
      const old = await store.core.runs.get(oldId);
      expect(old).toMatchObject({ lifecycle_stage: 'deleted', delete_reason: expect.stringMatching(/unfinished import/) });
      const third = await importInto(store.core, path.join(FIXTURES, 'tensorboard-tf2'));
      expect(third.counts).toMatchObject({ runs_imported: 0, runs_already_there: 1 });
      expect(await count(store.core, `SELECT count(*) AS n FROM runs WHERE lifecycle_stage = 'active'`)).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('two imports of the same files at once import each run once', async () => {
    const store = await openStore();
    try {
      const [a, b] = await Promise.all([importInto(store.core, TB), importInto(store.core, TB)]);
      expect(a.counts.runs_imported + b.counts.runs_imported).toBe(2);
      expect(a.counts.runs_already_there + b.counts.runs_already_there).toBe(2);
      expect(await count(store.core, 'SELECT count(*) AS n FROM runs')).toBe(2);
      expect(await count(store.core, 'SELECT count(*) AS n FROM metric_points')).toBe(1922);
    } finally {
      await store.close();
    }
  });

  it('the same run ids in every store: ids derive from the source', async () => {
    const [x, y] = [await openStore(), await openStore()];
    try {
      const a = await importInto(x.core, TB);
      const b = await importInto(y.core, TB);
      expect(a.runs.map((r) => r.run_id)).toEqual(b.runs.map((r) => r.run_id));
      expect(a.runs[0].run_id).toMatch(/^run-\d{8}-\d{4}-[0-9a-f]{8}$/);
    } finally {
      await x.close();
      await y.close();
    }
  });
});

describe('runledger import through a running server', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(() => srv.stop());

  it('goes through the server that owns the data dir, and the runs are there for MLflow clients', async () => {
    const r = await cli(['import', TB, '--data', srv.dataDir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('through the running server');
    const found = await srv.mlflow('POST', 'runs/search', { experiment_ids: ['0'], filter: "params.lr = '0.001'" });
    expect(found.json.runs).toHaveLength(1);
    expect(found.json.runs[0].info.run_name).toBe('lr1e-3_bs64');
    const hist = await srv.mlflow('GET', 'metrics/get-history', { run_id: found.json.runs[0].info.run_id, metric_key: 'val/acc' });
    expect(hist.json.metrics).toHaveLength(20);
  });

  it('import.start / import.status over HTTP report progress and the summary', async () => {
    const start = await srv.call('POST', '/api/rpc/import.start', { path: path.join(FIXTURES, 'tensorboard-tf2') });
    expect(start.status).toBe(200);
    let p = start.json;
    while (p.state === 'running') p = (await srv.call('POST', '/api/rpc/import.status', { import_id: p.import_id })).json;
    expect(p).toMatchObject({ state: 'done', format: 'tensorboard', runs_total: 1, runs_done: 1, points: 510, summary: { outcome: 'complete' } });
    expect(p.bytes_done).toBe(p.bytes_total);
    const rel = await srv.call('POST', '/api/rpc/import.start', { path: 'relative/path' });
    expect(rel.status).toBe(400);
    expect(rel.json.message).toContain('must be absolute');
    const detect = await srv.call('POST', '/api/rpc/import.detect', { path: path.join(FIXTURES, 'lightning-csv') });
    expect(detect.json).toEqual({ format: 'lightning-csv', description: '1 Lightning CSVLogger run (metrics.csv)', supported: true });
  });
});
