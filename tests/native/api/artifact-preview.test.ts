// artifacts.preview, the raw image route and datasets.history against a real server: each kind of
// preview, the caps on text and rows, DuckDB reading Parquet and CSV, and the raw route serving only
// images, typed by extension, under a sandboxing CSP (an SVG opened directly cannot run script).
import { Readable } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../native/api/handlers';
import type { ApiHandlers } from '../../../native/api/contract';
import { RAW_ARTIFACT_CSP } from '../../../native/server/artifact-raw';
import { withoutCutCharacter } from '../../../native/api/artifact-preview';
import { startTestServer, tempDir, type TestServer } from '../../helpers/test-server';

describe('artifact previews', () => {
  let srv: TestServer;
  let h: ApiHandlers;
  let run: string;
  const work = tempDir('runledger-preview-');
  const put = (p: string, body: string | Buffer, type: string | null = null) => srv.core.artifacts.put(run, p, Readable.from([Buffer.from(body)]), type, 1 << 30);

  beforeAll(async () => {
    srv = await startTestServer();
    h = createHandlers(srv.core);
    run = await srv.core.runs.create({ experimentId: '0', userId: 'me', runName: 'r', startTime: 1, tags: [] });
    const parquet = path.join(work, 'p.parquet');
    const con = await (await DuckDBInstance.create(':memory:')).connect();
    await con.run(`COPY (SELECT i AS id, i::BIGINT * 10000000000 AS big, DATE '2026-01-01' + i::INTEGER AS day, CASE WHEN i % 2 = 0 THEN NULL ELSE 'x' END AS s FROM range(1500) t(i)) TO '${parquet}' (FORMAT parquet)`);
    con.closeSync();
    await put('data/p.parquet', fs.readFileSync(parquet));
    await put('data/t.csv', 'a,b\n1,x\n2,\n');
    await put('plots/a.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), 'application/octet-stream');
    await put('plots/evil.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'text/html');
    await put('m.json', '{"a":{"b":[1,2]}}');
    await put('bad.json', '{"a":');
    await put('README.md', '# Hi <b>there</b>');
    await put('notes.txt', 'x'.repeat(300_000));
    await put('model.bin', Buffer.from([0, 1, 2, 0, 255]));
    await put('page.html', '<script>alert(1)</script>', 'text/html');
  });
  afterAll(async () => {
    await srv.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('reads Parquet through DuckDB: typed columns, values as text, capped rows, the total', async () => {
    const p = await h['artifacts.preview']({ run, path: 'data/p.parquet', maxRows: 20 });
    expect(p).toMatchObject({ kind: 'table', total_rows: 1500, truncated: true });
    if (p.kind !== 'table') throw new Error('not a table');
    expect(p.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:BIGINT', 'big:BIGINT', 'day:DATE', 's:VARCHAR']);
    expect(p.rows).toHaveLength(20);
    expect(p.rows[1]).toEqual(['1', '10000000000', '2026-01-02', 'x']);
    expect(p.rows[0][3]).toBeNull();
    expect((await h['artifacts.preview']({ run, path: 'data/p.parquet', maxRows: 1e9 })).kind === 'table' && (await h['artifacts.preview']({ run, path: 'data/p.parquet', maxRows: 1e9 }) as { rows: unknown[] }).rows.length).toBe(1000);
  });

  it('reads CSV through DuckDB', async () => {
    expect(await h['artifacts.preview']({ run, path: 'data/t.csv' })).toMatchObject({ kind: 'table', total_rows: 2, rows: [['1', 'x'], ['2', null]], truncated: false });
  });

  it('points images at the raw route; never reads them', async () => {
    expect(await h['artifacts.preview']({ run, path: 'plots/a.png' })).toMatchObject({ kind: 'image', media_type: 'image/png', url: `/api/artifacts/raw?run=${run}&path=plots%2Fa.png` });
    expect(await h['artifacts.preview']({ run, path: 'plots/evil.svg' })).toMatchObject({ kind: 'image', media_type: 'image/svg+xml' });
  });

  it.each([
    ['m.json', { kind: 'json', text: '{\n  "a": {\n    "b": [\n      1,\n      2\n    ]\n  }\n}' }],
    ['bad.json', { kind: 'text', text: '{"a":' }],
    ['README.md', { kind: 'markdown', text: '# Hi <b>there</b>' }],
    ['model.bin', { kind: 'binary' }],
    ['page.html', { kind: 'text', text: '<script>alert(1)</script>' }],
  ])('%s', async (p, want) => {
    expect(await h['artifacts.preview']({ run, path: p })).toMatchObject(want);
  });

  it('caps text at maxBytes and says so', async () => {
    const p = await h['artifacts.preview']({ run, path: 'notes.txt' });
    expect(p).toMatchObject({ kind: 'text', truncated: true, size: 300_000 });
    expect((p as { text: string }).text.length).toBe(256 * 1024);
  });

  it('answers 404 for an unknown run or path', async () => {
    await expect(h['artifacts.preview']({ run: 'run-nope', path: 'm.json' })).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    await expect(h['artifacts.preview']({ run, path: '../m.json' })).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('serves raw images typed by extension, sandboxed, and nothing else', async () => {
    const png = await srv.call('GET', '/api/artifacts/raw', { run, path: 'plots/a.png' });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const svg = await srv.call('GET', '/api/artifacts/raw', { run, path: 'plots/evil.svg' });
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml'); // not the text/html it was uploaded as
    expect(svg.headers.get('content-security-policy')).toBe(RAW_ARTIFACT_CSP);
    expect(RAW_ARTIFACT_CSP).toContain('sandbox');
    expect(RAW_ARTIFACT_CSP).toContain("default-src 'none'");
    expect(svg.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await srv.call('GET', '/api/artifacts/raw', { run, path: 'page.html' })).status).toBe(400);
    expect((await srv.call('GET', '/api/artifacts/raw', { run, path: 'nope.png' })).status).toBe(404);
    expect((await srv.call('GET', '/api/artifacts/raw', { run })).status).toBe(400);
    const noToken = await fetch(`${srv.origin}/api/artifacts/raw?run=${run}&path=plots%2Fa.png`);
    expect(noToken.status).toBe(401);
  });
});

describe('datasets.history', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => srv.stop());

  it('lists every digest of a name, oldest first, with first and last runs', async () => {
    const ids: string[] = [];
    for (const [i, digest] of ['d1', 'd1', 'd2'].entries()) {
      const id = await srv.core.runs.create({ experimentId: '0', userId: 'me', runName: `r${i}`, startTime: 1000 * (i + 1), tags: [] });
      await srv.call('POST', '/api/2.0/runledger/runs/log-dataset', { run_id: id, name: 'credit', uri: '/nonexistent/credit.csv', digest });
      ids.push(id);
    }
    const history = await createHandlers(srv.core)['datasets.history']({ name: 'credit' });
    expect(history).toEqual([
      { name: 'credit', digest: 'd1', runs: 2, first_run_id: ids[0], first_seen: 1000, last_run_id: ids[1], last_seen: 2000 },
      { name: 'credit', digest: 'd2', runs: 1, first_run_id: ids[2], first_seen: 3000, last_run_id: ids[2], last_seen: 3000 },
    ]);
    const detail = await createHandlers(srv.core)['runs.get']({ run: ids[2] });
    expect(detail.provenance.datasets[0]).toMatchObject({ digest_changed: true, previous_digest: 'd1', previous_run_id: ids[1] });
  });
});

describe('withoutCutCharacter', () => {
  it.each([
    ['ascii', Buffer.from('abc'), 'abc'],
    ['a whole 2-byte char', Buffer.from('aé'), 'aé'],
    ['a 2-byte char cut after its lead', Buffer.from('aé').subarray(0, 2), 'a'],
    ['a 4-byte char cut after 3 bytes', Buffer.from('a😀').subarray(0, 4), 'a'],
    ['a whole 4-byte char', Buffer.from('a😀'), 'a😀'],
    ['a 3-byte char cut after 2 bytes', Buffer.from('x€').subarray(0, 3), 'x'],
  ])('%s', (_name, bytes, want) => {
    expect(withoutCutCharacter(bytes).toString('utf8')).toBe(want);
  });
});
