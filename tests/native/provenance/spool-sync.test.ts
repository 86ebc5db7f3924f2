// `runledger sync`: offline spools (the Python client's format, written here byte for byte) imported
// into a real store, in-process and through a running server. Idempotent (a second sync creates
// nothing), incremental (a spool that grew imports only the new records), torn last records imported
// up to the tear, damaged or replaced spools refused loudly.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../native/core';
import { createHandlers } from '../../../native/api/handlers';
import { syncSpool } from '../../../native/provenance/spool-sync';
import { main } from '../../../native/cli/main';
import { startTestServer, tempDir } from '../../helpers/test-server';

type Rec = Record<string, unknown>;

/** What clients/python/runledger/spool.py writes: `{"sha256":"<hex of payload>","record":<payload>}`. */
function line(payload: Rec): string {
  const body = JSON.stringify(payload);
  return `{"sha256":"${crypto.createHash('sha256').update(body).digest('hex')}","record":${body}}\n`;
}

function writeSpool(folder: string, records: Rec[], append = false, firstSeq = 0): void {
  fs.mkdirSync(path.join(folder, 'artifacts'), { recursive: true });
  const text = records.map((r, i) => line({ seq: firstSeq + i, ...r })).join('');
  if (append) fs.appendFileSync(path.join(folder, 'records.jsonl'), text);
  else fs.writeFileSync(path.join(folder, 'records.jsonl'), text);
}

const header = (name: string, extra: Rec = {}): Rec => ({ type: 'run', format: 1, spool_uuid: crypto.randomUUID(), run_name: name, experiment: 'spooled', start_time: 1_764_000_000_000, user: 'alice', tags: { priority: 'p1' }, ...extra });
const metrics = (key: string, from: number, n: number): Rec => ({ type: 'metrics', metrics: Array.from({ length: n }, (_, i) => [key, (from + i) * 0.5, 1_764_000_000_000 + from + i, from + i]) });

let dir: string;
let core: Core;
const cli = async (args: string[]): Promise<{ code: number; out: string }> => {
  let out = '';
  const code = await main(args, { out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`) });
  return { code, out };
};

beforeAll(async () => {
  dir = tempDir();
  core = await createCore({ dataDir: path.join(dir, 'store') });
});
afterAll(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('syncSpool in-process', () => {
  it('imports every record kind once; a second sync creates nothing', async () => {
    const folder = path.join(dir, 'root1', '20261126T000000Z-full-0001');
    const csv = path.join(dir, 'data.csv');
    fs.writeFileSync(csv, 'a,b\n1,\n2,x\n');
    const blob = Buffer.from('model bytes');
    const sha = crypto.createHash('sha256').update(blob).digest('hex');
    writeSpool(folder, [
      header('full-run'),
      { type: 'params', params: { lr: '0.01', 'opt.name': 'adam' } },
      { type: 'tags', tags: { stage: 'dev' } },
      { type: 'provenance', environment: { python: '3.12.3', env_vars: { CUDA_VISIBLE_DEVICES: '1', API_TOKEN: 'x' } }, code: { commit: 'c'.repeat(40), dirty: false } },
      { type: 'dataset', name: 'train-csv', uri: csv, digest: 'd'.repeat(64), size_bytes: fs.statSync(csv).size, context: 'train' },
      metrics('loss', 0, 600),
      { type: 'metrics', metrics: [['odd', 'NaN', 5, 0], ['odd', 'Infinity', 6, 1], ['odd', '-Infinity', 7, 2]] },
      { type: 'artifact', path: 'models/model.pt', sha256: sha, size: blob.length, media_type: 'application/octet-stream' },
      { type: 'from-a-newer-client', x: 1 },
      { type: 'end', status: 'FINISHED', end_time: 1_764_000_100_000 },
    ]);
    fs.writeFileSync(path.join(folder, 'artifacts', sha), blob);

    const first = await syncSpool(core, path.join(dir, 'root1'));
    expect(first.runs).toHaveLength(1);
    const r = first.runs[0];
    expect(r).toMatchObject({ outcome: 'imported', records_total: 10, records_new: 10, points_new: 603, artifacts_new: 1, status: 'FINISHED', problem: null, error: null });
    const api = createHandlers(core);
    const run = await api['runs.get']({ run: r.run_id! });
    expect(run).toMatchObject({ run_name: 'full-run', experiment: 'spooled', user_id: 'alice', start_time: 1_764_000_000_000, end_time: 1_764_000_100_000, params: { lr: '0.01', 'opt.name': 'adam' } });
    expect(run.tags).toMatchObject({ priority: 'p1', stage: 'dev', 'runledger.spool_id': r.spool_id });
    expect(run.metrics).toMatchObject({ loss: 299.5, odd: '-Infinity' }); // latest = highest step
    expect(run.provenance.environment?.env_vars).toEqual({ CUDA_VISIBLE_DEVICES: '1' });
    expect(run.provenance.code?.commit).toBe('c'.repeat(40));
    expect(run.provenance.datasets[0]).toMatchObject({ name: 'train-csv', rows: 2, profiled_by: 'server', null_counts: { a: 0, b: 1 } });
    expect(run.artifacts.map((a) => [a.path, a.sha256])).toContainEqual(['models/model.pt', sha]);
    expect(fs.existsSync(path.join(core.artifacts.root, 'runs', r.run_id!, 'metrics.parquet'))).toBe(true);

    const second = await syncSpool(core, folder);
    expect(second.runs[0]).toMatchObject({ outcome: 'up-to-date', run_id: r.run_id, records_new: 0, points_new: 0 });
    expect((await api['runs.list']({ filter: "attributes.run_name = 'full-run'" })).length).toBe(1);
    const again = await api['runs.get']({ run: r.run_id! });
    expect(again.metric_summaries.find((m) => m.key === 'loss')?.count).toBe(600);
  });

  it('a spool that grew since the last sync imports only the new records', async () => {
    const folder = path.join(dir, 'growing');
    writeSpool(folder, [header('growing-run'), metrics('loss', 0, 100)]);
    const first = (await syncSpool(core, folder)).runs[0];
    expect(first).toMatchObject({ records_new: 2, points_new: 100, status: 'RUNNING' });
    writeSpool(folder, [metrics('loss', 100, 50), { type: 'end', status: 'KILLED', end_time: 1_764_000_000_500 }], true, 2);
    const second = (await syncSpool(core, folder)).runs[0];
    expect(second).toMatchObject({ outcome: 'imported', run_id: first.run_id, records_new: 2, points_new: 50, status: 'KILLED' });
    const history = await core.metrics.history(first.run_id!, 'loss', 0, null);
    expect(history.map((p) => p.step)).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });

  it('imports up to a torn last record and reports it; a damaged middle record is an error', async () => {
    const torn = path.join(dir, 'torn');
    writeSpool(torn, [header('torn-run'), metrics('loss', 0, 10), metrics('loss', 10, 10)]);
    const file = path.join(torn, 'records.jsonl');
    fs.truncateSync(file, fs.statSync(file).size - 20);
    const t = (await syncSpool(core, torn)).runs[0];
    expect(t).toMatchObject({ outcome: 'imported', records_total: 2, points_new: 10 });
    expect(t.problem).toMatchObject({ kind: 'torn', record: 2 });

    const damaged = path.join(dir, 'damaged');
    writeSpool(damaged, [header('damaged-run'), metrics('loss', 0, 10), metrics('loss', 10, 10), metrics('loss', 20, 10)]);
    const lines = fs.readFileSync(path.join(damaged, 'records.jsonl'), 'utf8').split('\n');
    expect(lines[2]).toContain('["loss",5,');
    lines[2] = lines[2].replace('["loss",5,', '["loss",6,'); // a flipped digit: the checksum no longer matches
    fs.writeFileSync(path.join(damaged, 'records.jsonl'), lines.join('\n'));
    const d = await cli(['sync', damaged, '--data', path.join(dir, 'cli-store')]);
    expect(d.code).toBe(1);
    expect(d.out).toMatch(/DAMAGED: record #2 at byte \d+ is damaged \(checksum mismatch\) and more records follow it; imported the 2 records before it/);
  });

  it('refuses a spool whose imported part was replaced', async () => {
    const folder = path.join(dir, 'replaced');
    const h = header('replaced-run');
    writeSpool(folder, [h, metrics('loss', 0, 5)]);
    await syncSpool(core, folder);
    writeSpool(folder, [h, metrics('loss', 0, 6)]);
    const r = (await syncSpool(core, folder)).runs[0];
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(/differ from what an earlier sync imported/);
  });

  it("continues the run named in the header, and skips a spill folder's acknowledged records", async () => {
    const api = createHandlers(core);
    const runId = await core.runs.create({ experimentId: '0', userId: '', runName: 'online-first', startTime: Date.now(), tags: [] });
    await core.writer.append(runId, [{ key: 'loss', value: 1, timestamp: 1, step: 0 }]);
    const spill = path.join(dir, 'spill');
    writeSpool(spill, [header('online-first', { run_id: runId, spill: true }), metrics('loss', 1, 5), metrics('loss', 6, 5)]);
    fs.writeFileSync(path.join(spill, 'acked'), '1');
    const r = (await syncSpool(core, spill)).runs[0];
    expect(r).toMatchObject({ run_id: runId, points_new: 5 });
    expect((await core.metrics.history(runId, 'loss', 0, null)).map((p) => p.step)).toEqual([0, 6, 7, 8, 9, 10]);
    expect((await api['runs.list']({ filter: "attributes.run_name = 'online-first'" })).length).toBe(1);
  });

  it('two syncs of one spool at once create one run', async () => {
    const folder = path.join(dir, 'race');
    writeSpool(folder, [header('race-run'), metrics('loss', 0, 20_000)]);
    const [a, b] = await Promise.all([syncSpool(core, folder), syncSpool(core, folder)]);
    const outcomes = [a.runs[0], b.runs[0]].map((r) => r.error ?? r.outcome).sort();
    expect(outcomes).toEqual(['imported', 'this spool is being synced by another request right now']);
  });

  it('finds run folders under a root and refuses paths that hold no spool', async () => {
    const root = path.join(dir, 'root-many');
    writeSpool(path.join(root, 'b-run'), [header('b-run')]);
    writeSpool(path.join(root, 'a-run'), [header('a-run')]);
    fs.mkdirSync(path.join(root, 'not-a-spool'));
    const report = await syncSpool(core, root);
    expect(report.runs.map((r) => r.run_name)).toEqual(['a-run', 'b-run']);
    await expect(syncSpool(core, path.join(root, 'not-a-spool'))).rejects.toThrow(/No spool found/);
    await expect(syncSpool(core, 'relative/path')).rejects.toThrow(/must be absolute/);
    const bad = path.join(dir, 'bad-header');
    writeSpool(bad, [metrics('loss', 0, 1)]);
    expect((await syncSpool(core, bad)).runs[0]).toMatchObject({ outcome: 'failed', error: "record #0 is a 'metrics' record, not the run header" });
  });
});

describe('runledger sync through a running server', () => {
  it('goes through the server that owns the data dir, and a second sync imports nothing', async () => {
    const srv = await startTestServer();
    try {
      const folder = path.join(dir, 'via-server');
      writeSpool(folder, [header('via-server-run'), metrics('acc', 0, 30), { type: 'end', status: 'FINISHED', end_time: 1_764_000_000_900 }]);
      const first = await cli(['sync', folder, '--data', srv.dataDir]);
      expect(first.code).toBe(0);
      expect(first.out).toMatch(/imported\s+via-server-run \(run-[\w-]+\): 3 new records, 30 points; status FINISHED/);
      expect(first.out).toContain('through the running server');
      const second = await cli(['sync', folder, '--data', srv.dataDir, '--json']);
      expect(JSON.parse(second.out).runs[0]).toMatchObject({ outcome: 'up-to-date', records_new: 0 });
      const runs = (await srv.call('POST', '/api/rpc/runs.list', {})).json;
      expect(runs.filter((r: { run_name: string }) => r.run_name === 'via-server-run')).toHaveLength(1);
      expect((await cli(['sync', '--data', srv.dataDir])).code).toBe(2);
    } finally {
      await srv.stop();
    }
  });
});
