// Path traversal over real HTTP: artifact PUT/GET/list/DELETE and the static UI. Every unsafe path is
// a 400 (the UI: no file served), the store is unchanged, and the filesystem is checked for the probe.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { ARTIFACTS, authed, expectRejected, MLFLOW, seedRun } from './support';

let srv: TestServer;
let exp: string;
let run: string;
const PROBE = `rl-probe-${crypto.randomBytes(6).toString('hex')}`;
const CONTENT = `traversal probe ${PROBE}`;

beforeAll(async () => {
  srv = await startTestServer();
  ({ experimentId: exp, runId: run } = await seedRun(srv, 'traversal'));
});
afterAll(() => srv?.stop());

// Unsafe artifact locations as sent on the wire, after the `/artifacts` prefix: {E} and {R} are the
// run's ids, {P} the probe's name. Raw `..` and `\` go out byte for byte (node:http, not fetch).
const UNSAFE: [string, string][] = [
  ['raw .. segments', '{E}/{R}/artifacts/../../../../../../{P}'],
  ['raw .. into another run', '{E}/{R}/../other/artifacts/{P}'],
  ['raw .. before the run', '../{E}/{R}/artifacts/{P}'],
  ['a single raw ..', '{E}/{R}/artifacts/sub/../{P}'],
  ['%2e%2e segments', '{E}/{R}/artifacts/%2e%2e/%2e%2e/%2e%2e/%2e%2e/{P}'],
  ['%2E%2E upper case', '{E}/{R}/artifacts/%2E%2E/%2E%2E/{P}'],
  ['.%2e mixed', '{E}/{R}/artifacts/.%2e/.%2e/{P}'],
  ['..%2F encoded slash', '{E}/{R}/artifacts/..%2F..%2F..%2F{P}'],
  ['%2F.. encoded slash first', '{E}/{R}/artifacts/x%2F..%2F..%2F..%2F{P}'],
  ['%5C backslashes', '{E}/{R}/artifacts/..%5C..%5C..%5C{P}'],
  ['raw backslashes', '{E}/{R}/artifacts/..\\..\\..\\{P}'],
  ['one %5C', '{E}/{R}/artifacts/dir%5C{P}'],
  ['NUL %00', '{E}/{R}/artifacts/{P}%00.txt'],
  ['NUL at the end', '{E}/{R}/artifacts/{P}%00'],
  ['absolute (empty first segment)', '/tmp/{P}'],
  ['absolute %2F', '%2Ftmp%2F{P}'],
  ['absolute with run parts', '/{E}/{R}/artifacts/{P}'],
  ['drive letter', 'C:/{E}/{R}/artifacts/{P}'],
  ['drive letter %3A%5C', 'c%3A%5C{P}'],
  ['drive letter inside the run', '{E}/{R}/artifacts/C:/{P}'],
  ['drive letter + backslash inside the run', '{E}/{R}/artifacts/c:%5C{P}'],
  ['control character', '{E}/{R}/artifacts/a%0A{P}'],
  ['DEL character', '{E}/{R}/artifacts/a%7F{P}'],
  ['./ segment', '{E}/{R}/artifacts/./{P}'],
  ['overlong-UTF-8 dots', '{E}/{R}/artifacts/%C0%AE%C0%AE/{P}'],
];
const fill = (p: string): string => p.replaceAll('{E}', exp).replaceAll('{R}', run).replaceAll('{P}', PROBE);
const wire = (p: string): string => `${ARTIFACTS}/${fill(p)}`;

/** Every file and folder name under `dir` (recursively, skipping nothing), to look for the probe. */
function namesUnder(dir: string, depth = 6): string[] {
  if (depth === 0 || !fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    out.push(e.name);
    if (e.isDirectory()) out.push(...namesUnder(path.join(dir, e.name), depth - 1));
  }
  return out;
}

function expectProbeNowhere(): void {
  const parent = path.dirname(srv.dataDir);
  // The data dir in full, and the top of the temp dir that holds it (where `..` would land).
  expect(namesUnder(srv.dataDir).filter((n) => n.includes(PROBE))).toEqual([]);
  expect(fs.readdirSync(parent).filter((n) => n.includes(PROBE))).toEqual([]);
  for (const dir of ['/tmp', path.join(parent, 'tmp'), process.cwd()]) {
    expect(fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.includes(PROBE)) : []).toEqual([]);
  }
  // Content-addressed blobs: the probe's bytes must not have been stored at all.
  const sha = crypto.createHash('sha256').update(CONTENT).digest('hex');
  expect(fs.existsSync(path.join(srv.dataDir, 'artifacts', 'sha256', sha.slice(0, 2), sha))).toBe(false);
}

describe('artifact proxy: unsafe paths → 400, nothing written anywhere', () => {
  it.each(UNSAFE)('PUT %s', async (_name, p) => {
    await expectRejected(srv, () => authed(srv, { method: 'PUT', path: wire(p), body: CONTENT, headers: { 'Content-Type': 'text/plain' } }), 400, 'INVALID_PARAMETER_VALUE');
    expectProbeNowhere();
  });

  it.each(UNSAFE)('GET %s', async (_name, p) => {
    const res = await expectRejected(srv, () => authed(srv, { path: wire(p) }), 400, 'INVALID_PARAMETER_VALUE');
    expect(res.text).not.toContain('root:');
  });

  it.each(UNSAFE)('DELETE %s', async (_name, p) => {
    await expectRejected(srv, () => authed(srv, { method: 'DELETE', path: wire(p) }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it.each(UNSAFE)('list ?path= %s', async (_name, p) => {
    const q = fill(p);
    // The query value is the path itself; percent-escapes in it stay escapes, raw characters are escaped here.
    const encoded = q.replace(/[^%A-Za-z0-9._~\-/:]/g, (c) => encodeURIComponent(c));
    await expectRejected(srv, () => authed(srv, { path: `${ARTIFACTS}?path=${encoded}` }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it.each(['../x', '/etc', 'a/../../b', 'C:/x', 'a\\b', 'a\u0000b'])('run-scoped artifacts/list ?path=%j → 400', async (p) => {
    await expectRejected(srv, () => authed(srv, { path: `${MLFLOW}/artifacts/list?run_id=${run}&path=${encodeURIComponent(p)}` }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('a traversal attempt against a run that does not exist is still a 400', async () => {
    await expectRejected(srv, () => authed(srv, { method: 'PUT', path: `${ARTIFACTS}/${exp}/nosuchrun/artifacts/../../${PROBE}`, body: CONTENT }), 400);
    expectProbeNowhere();
  });

  it('after every attempt the probe is nowhere on disk', () => {
    expectProbeNowhere();
  });
});

describe('artifact proxy: odd but safe names stay logical names inside the store', () => {
  const safe = ['%252e%252e/x.txt', '..a/b..', '...', 'a//b.txt', 'résumé/数据.bin', 'emoji 🙂.txt', '.hidden'];
  it.each(safe)('%j round-trips', async (name) => {
    const target = `${ARTIFACTS}/${exp}/${run}/artifacts/${name.split('/').map((s) => (s.startsWith('%') ? s : encodeURIComponent(s))).join('/')}`;
    const body = `${CONTENT} ${name}`;
    const put = await authed(srv, { method: 'PUT', path: target, body, headers: { 'Content-Type': 'application/octet-stream' } });
    expect(put.status).toBe(200);
    // Bytes live only under sha256/, named by their hash: the logical name never reaches the filesystem.
    const sha = crypto.createHash('sha256').update(body).digest('hex');
    expect(fs.existsSync(path.join(srv.dataDir, 'artifacts', 'sha256', sha.slice(0, 2), sha))).toBe(true);
    const back = await authed(srv, { path: target });
    expect(back.status).toBe(200);
    expect(back.text).toBe(body);
  });

  it('%252e%252e is decoded once: a folder literally named %2e%2e', async () => {
    const res = await authed(srv, { path: `${ARTIFACTS}?path=${exp}/${run}/artifacts` });
    expect(res.json.files.map((f: { path: string }) => f.path)).toContain('%2e%2e');
  });

  // Node writes header strings as Latin-1: a raw '上' (U+4E0A) would become byte 0x0A, an invalid
  // header, and a 500. The name must travel percent-encoded (RFC 6266 filename*).
  it('a CJK name whose code units end in a control byte downloads, its name intact (上传.txt)', async () => {
    const name = '上传.txt';
    const target = `${ARTIFACTS}/${exp}/${run}/artifacts/${encodeURIComponent(name)}`;
    expect((await authed(srv, { method: 'PUT', path: target, body: 'upload' })).status).toBe(200);
    const back = await authed(srv, { path: target });
    expect(back.status).toBe(200);
    expect(back.text).toBe('upload');
    const disposition = String(back.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment;/);
    expect(disposition).toContain(encodeURIComponent(name));
    expect(disposition).not.toMatch(/[\r\n]/);
  });
});

describe('static UI: traversal serves no file from outside renderer/dist', () => {
  const attempts = [
    '/../vite.config.ts',
    '/../../package.json',
    '/%2e%2e/vite.config.ts',
    '/%2e%2e/%2e%2e/package.json',
    '/..%2fvite.config.ts',
    '/..%2F..%2Fpackage.json',
    '/assets/../../vite.config.ts',
    '/..%5cvite.config.ts',
    '/assets/..%5c..%5c..%5cpackage.json',
    '/%00/../vite.config.ts',
    '/index.html%00.ts',
  ];
  it.each(attempts)('%s', async (p) => {
    const res = await authed(srv, { path: p });
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toContain('defineConfig');
    expect(res.text).not.toContain('"devDependencies"');
    expect(res.status).toBe(404);
  });
});
