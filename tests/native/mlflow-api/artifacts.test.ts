// The MLflow artifact proxy (/api/2.0/mlflow-artifacts/artifacts) and the run-scoped
// /api/2.0/mlflow/artifacts/list, over real HTTP with the real content-addressed store.
import { contentDisposition } from '../../../native/mlflow/artifact-proxy';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { ARTIFACTS, createExperiment, createRun, expectEmpty, expectError, expectSnakeCase, missingMessage, rawRequest } from './wire';

let srv: TestServer;
let exp: string;
let run: string;
let root: string;
const HELLO = 'hello world';
const BINARY = crypto.randomBytes(100_000);

const put = (rel: string, body: Uint8Array | string, type = 'text/plain') => rawRequest(srv, 'PUT', `${ARTIFACTS}/${rel}`, body, { 'Content-Type': type });
const list = (p: string) => srv.call('GET', ARTIFACTS, { path: p });

beforeAll(async () => {
  srv = await startTestServer();
  exp = await createExperiment(srv);
  run = await createRun(srv, exp);
  root = `${exp}/${run}/artifacts`;
  // What log_artifact / log_dict / model logging send: raw bytes, a guessed Content-Type.
  expectEmpty(await put(`${root}/hello.txt`, HELLO));
  expectEmpty(await put(`${root}/sub/dir/hello.txt`, 'nested'));
  expectEmpty(await put(`${root}/cfg/config.json`, '{"a": 1}'));
  expectEmpty(await put(`${root}/model/weights.bin`, BINARY, 'application/octet-stream'));
});
afterAll(async () => {
  await srv.stop();
});

describe('list (GET /mlflow-artifacts/artifacts?path=)', () => {
  it('the run root: basenames, is_dir, file_size (int64 number) for files only', async () => {
    const res = await list(root);
    expect(res.status).toBe(200);
    expectSnakeCase(res.json);
    const files = [...res.json.files].sort((a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path));
    expect(files).toEqual([
      { path: 'cfg', is_dir: true },
      { path: 'hello.txt', is_dir: false, file_size: HELLO.length },
      { path: 'model', is_dir: true },
      { path: 'sub', is_dir: true },
    ]);
    expect(res.text).toMatch(/"file_size"\s*:\s*11\b/);
  });

  it('a subdirectory lists basenames too (the client re-joins them)', async () => {
    const res = await list(`${root}/sub/dir`);
    expect(res.json).toEqual({ files: [{ path: 'hello.txt', is_dir: false, file_size: 6 }] });
    expect((await list(`${root}/sub`)).json).toEqual({ files: [{ path: 'dir', is_dir: true }] });
    expect((await list(`${root}/model`)).json).toEqual({ files: [{ path: 'weights.bin', is_dir: false, file_size: BINARY.length }] });
  });

  it('a directory that does not exist, or a file path (listed before a download) → {}', async () => {
    expectEmpty(await list(`${root}/no/such/dir`));
    expectEmpty(await list(`${root}/hello.txt`));
    const fresh = await createRun(srv, exp);
    expectEmpty(await list(`${exp}/${fresh}/artifacts`));
    expectEmpty(await list(`${exp}/nosuchrun96/artifacts`));
  });

  it('a run listed under another experiment\'s prefix lists nothing (as its download is 404)', async () => {
    const elsewhere = await createExperiment(srv);
    expectEmpty(await list(`${elsewhere}/${run}/artifacts`));
    expectError(await rawRequest(srv, 'GET', `${ARTIFACTS}/${elsewhere}/${run}/artifacts/hello.txt`), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('path traversal → 400 INVALID_PARAMETER_VALUE', async () => {
    expectError(await list(`${root}/../../etc`), 400, 'INVALID_PARAMETER_VALUE', /Invalid path/);
    expectError(await list('../etc'), 400, 'INVALID_PARAMETER_VALUE', /Invalid path/);
  });
});

describe('download (GET /mlflow-artifacts/artifacts/<path>)', () => {
  it('returns the raw bytes with Content-Disposition: attachment', async () => {
    const res = await fetch(`${srv.origin}${ARTIFACTS}/${root}/hello.txt`, { headers: { Authorization: `Bearer ${srv.token}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(HELLO);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="hello.txt"; filename*=UTF-8''hello.txt`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('binary bytes round-trip exactly; nested paths work', async () => {
    const res = await fetch(`${srv.origin}${ARTIFACTS}/${root}/model/weights.bin`, { headers: { Authorization: `Bearer ${srv.token}` } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(BINARY)).toBe(true);
    expect(res.headers.get('content-length')).toBe(String(BINARY.length));
    const nested = await rawRequest(srv, 'GET', `${ARTIFACTS}/${root}/sub/dir/hello.txt`);
    expect(nested.text).toBe('nested');
  });

  it('a missing file, or an unknown run, is 404 RESOURCE_DOES_NOT_EXIST (MLflow\'s 500 would be retried for minutes)', async () => {
    expectError(await rawRequest(srv, 'GET', `${ARTIFACTS}/${root}/missing.txt`), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await rawRequest(srv, 'GET', `${ARTIFACTS}/${root}/sub`), 404, 'RESOURCE_DOES_NOT_EXIST'); // a directory is not a file
    expectError(await rawRequest(srv, 'GET', `${ARTIFACTS}/${exp}/nosuchrun99/artifacts/hello.txt`), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('upload (PUT) and delete (DELETE)', () => {
  it('a second PUT to the same path replaces the bytes', async () => {
    const r = await createRun(srv, exp);
    expectEmpty(await put(`${exp}/${r}/artifacts/notes.txt`, 'v1'));
    expectEmpty(await put(`${exp}/${r}/artifacts/notes.txt`, 'version two'));
    expect((await rawRequest(srv, 'GET', `${ARTIFACTS}/${exp}/${r}/artifacts/notes.txt`)).text).toBe('version two');
    expect((await list(`${exp}/${r}/artifacts`)).json.files).toEqual([{ path: 'notes.txt', is_dir: false, file_size: 11 }]);
  });

  it('upload errors: unknown run → 404, run in another experiment → 404, deleted run → 400, no file name → 400', async () => {
    expectError(await put(`${exp}/nosuchrun98/artifacts/a.txt`, 'x'), 404, 'RESOURCE_DOES_NOT_EXIST');
    const elsewhere = await createExperiment(srv);
    expectError(await put(`${elsewhere}/${run}/artifacts/a.txt`, 'x'), 404, 'RESOURCE_DOES_NOT_EXIST');
    const gone = await createRun(srv, exp);
    await srv.mlflow('POST', 'runs/delete', { run_id: gone });
    expectError(await put(`${exp}/${gone}/artifacts/a.txt`, 'x'), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await put(`${exp}/${run}/artifacts`, 'x'), 400, 'INVALID_PARAMETER_VALUE');
    expectEmpty(await list(`${exp}/${gone}/artifacts`));
  });

  it('DELETE a file → {}; then download is 404 and the listing no longer has it; a missing one → 404', async () => {
    const r = await createRun(srv, exp);
    const base = `${exp}/${r}/artifacts`;
    expectEmpty(await put(`${base}/keep.txt`, 'k'));
    expectEmpty(await put(`${base}/drop.txt`, 'd'));
    expectEmpty(await rawRequest(srv, 'DELETE', `${ARTIFACTS}/${base}/drop.txt`));
    expectError(await rawRequest(srv, 'GET', `${ARTIFACTS}/${base}/drop.txt`), 404, 'RESOURCE_DOES_NOT_EXIST');
    expect((await list(base)).json.files.map((f: { path: string }) => f.path)).toEqual(['keep.txt']);
    expectError(await rawRequest(srv, 'DELETE', `${ARTIFACTS}/${base}/drop.txt`), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('DELETE a directory removes everything under it', async () => {
    const r = await createRun(srv, exp);
    const base = `${exp}/${r}/artifacts`;
    expectEmpty(await put(`${base}/dir/a.txt`, 'a'));
    expectEmpty(await put(`${base}/dir/deeper/b.txt`, 'b'));
    expectEmpty(await put(`${base}/top.txt`, 't'));
    expectEmpty(await rawRequest(srv, 'DELETE', `${ARTIFACTS}/${base}/dir`));
    expect((await list(base)).json.files).toEqual([{ path: 'top.txt', is_dir: false, file_size: 1 }]);
    expectEmpty(await list(`${base}/dir`));
  });
});

describe('GET /api/2.0/mlflow/artifacts/list (run-scoped)', () => {
  it('root_uri plus run-relative paths', async () => {
    const res = await srv.mlflow('GET', 'artifacts/list', { run_id: run });
    expect(res.status).toBe(200);
    expectSnakeCase(res.json);
    expect(res.json.root_uri).toBe(`mlflow-artifacts:/${exp}/${run}/artifacts`);
    const byPath = Object.fromEntries(res.json.files.map((f: { path: string }) => [f.path, f]));
    expect(byPath['hello.txt']).toEqual({ path: 'hello.txt', is_dir: false, file_size: HELLO.length });
    expect(byPath.sub).toEqual({ path: 'sub', is_dir: true });
  });

  it('path= lists a subdirectory with full relative paths; run_uuid is accepted', async () => {
    const res = await srv.mlflow('GET', 'artifacts/list', { run_uuid: run, path: 'sub' });
    expect(res.json.files).toEqual([{ path: 'sub/dir', is_dir: true }]);
    const deeper = await srv.mlflow('GET', 'artifacts/list', { run_id: run, path: 'sub/dir' });
    expect(deeper.json.files).toEqual([{ path: 'sub/dir/hello.txt', is_dir: false, file_size: 6 }]);
  });

  it('an empty directory has only root_uri; unknown run → 404; missing run_id → 400; traversal → 400', async () => {
    const r = await createRun(srv, exp);
    const res = await srv.mlflow('GET', 'artifacts/list', { run_id: r });
    expect(res.json).toEqual({ root_uri: `mlflow-artifacts:/${exp}/${r}/artifacts` });
    expectError(await srv.mlflow('GET', 'artifacts/list', { run_id: 'nosuchrun97' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await srv.mlflow('GET', 'artifacts/list', {}), 400, 'INVALID_PARAMETER_VALUE', missingMessage('run_id'));
    expectError(await srv.mlflow('GET', 'artifacts/list', { run_id: run, path: '../x' }), 400, 'INVALID_PARAMETER_VALUE');
  });
});

describe('Content-Disposition for any file name (RFC 6266)', () => {
  it.each([
    ['plain.txt', `attachment; filename="plain.txt"; filename*=UTF-8''plain.txt`],
    ['unicode-éè.txt', `attachment; filename="unicode-ee.txt"; filename*=UTF-8''unicode-%C3%A9%C3%A8.txt`],
    ['上传.txt', `attachment; filename="__.txt"; filename*=UTF-8''%E4%B8%8A%E4%BC%A0.txt`],
    ['quote"back\\slash.txt', `attachment; filename="quote_back_slash.txt"; filename*=UTF-8''quote%22back%5Cslash.txt`],
    ["it's (1).txt", `attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`],
  ])('%s', (name, header) => {
    expect(contentDisposition(name)).toBe(header);
  });
});
