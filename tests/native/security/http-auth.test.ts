// Over real HTTP: the token (header, query-once-then-cookie, cookie), /health without a token,
// foreign Host (DNS rebinding) and foreign Origin (cross-site) refused, in the order Host → Origin → token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { TOKEN_COOKIE } from '../../../native/server/connection-token';
import { ARTIFACTS, expectErrorJson, expectRejected, MLFLOW, rawRequest, seedRun, storeSnapshot } from './support';

let srv: TestServer;
let runId: string;
let experimentId: string;
let host: string;

beforeAll(async () => {
  srv = await startTestServer();
  ({ runId, experimentId } = await seedRun(srv, 'auth'));
  host = `127.0.0.1:${srv.port}`;
});
afterAll(() => srv?.stop());

/** Requests that each need the token, with a body where they would write. */
const PROTECTED = (): { method: string; path: string; body?: string }[] => [
  { method: 'GET', path: '/version' },
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/index.html' },
  { method: 'GET', path: '/api/events' },
  { method: 'GET', path: `${MLFLOW}/runs/get?run_id=${runId}` },
  { method: 'GET', path: `/ajax-api/2.0/mlflow/runs/get?run_id=${runId}` },
  { method: 'POST', path: `${MLFLOW}/runs/search`, body: '{}' },
  { method: 'POST', path: `${MLFLOW}/runs/create`, body: JSON.stringify({ experiment_id: experimentId }) },
  { method: 'POST', path: `${MLFLOW}/runs/log-metric`, body: JSON.stringify({ run_id: runId, key: 'm', value: 1, timestamp: 1 }) },
  { method: 'POST', path: `${MLFLOW}/runs/delete`, body: JSON.stringify({ run_id: runId }) },
  { method: 'POST', path: '/api/rpc/runs.list', body: '{}' },
  { method: 'GET', path: `${ARTIFACTS}?path=${experimentId}/${runId}/artifacts` },
  { method: 'PUT', path: `${ARTIFACTS}/${experimentId}/${runId}/artifacts/x.txt`, body: 'hello' },
  { method: 'DELETE', path: `${ARTIFACTS}/${experimentId}/${runId}/artifacts/x.txt` },
  { method: 'GET', path: '/no/such/page' },
];

describe('token', () => {
  it('missing token → 401 UNAUTHENTICATED on every endpoint but /health, and nothing changes', async () => {
    for (const r of PROTECTED()) {
      const res = await expectRejected(srv, () => rawRequest(srv.port, { ...r, headers: { 'Content-Type': 'application/json' } }), 401, 'UNAUTHENTICATED');
      expect(res.text).not.toContain(srv.token);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('a wrong token, however it is sent, → 401', async () => {
    const near = `${srv.token.slice(0, -1)}${srv.token.endsWith('A') ? 'B' : 'A'}`;
    const attempts: Record<string, string>[] = [
      { Authorization: `Bearer ${near}` },
      { Authorization: `Bearer ${srv.token.slice(0, -1)}` },
      { Authorization: `Bearer ${srv.token}x` },
      { Authorization: `Basic ${Buffer.from(`user:${srv.token}`).toString('base64')}` },
      { Authorization: srv.token },
      { Cookie: `${TOKEN_COOKIE}=${near}` },
      { Cookie: `x${TOKEN_COOKIE}=${srv.token}` },
      { 'X-Token': srv.token },
    ];
    for (const headers of attempts) {
      const body = JSON.stringify({ experiment_id: experimentId });
      await expectRejected(srv, () => rawRequest(srv.port, { method: 'POST', path: `${MLFLOW}/runs/create`, headers: { ...headers, 'Content-Type': 'application/json' }, body }), 401, 'UNAUTHENTICATED');
    }
    await expectRejected(srv, () => rawRequest(srv.port, { path: `/version?token=${encodeURIComponent(near)}` }), 401, 'UNAUTHENTICATED');
    await expectRejected(srv, () => rawRequest(srv.port, { path: '/version?token=' }), 401, 'UNAUTHENTICATED');
  });

  it('the Bearer scheme is accepted in any case', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const res = await rawRequest(srv.port, { path: '/version', headers: { Authorization: `${scheme} ${srv.token}` } });
      expect(res.status).toBe(200);
    }
  });

  it('?token= once sets an HttpOnly SameSite=Strict cookie; then the cookie alone works', async () => {
    const first = await rawRequest(srv.port, { path: `/version?token=${encodeURIComponent(srv.token)}` });
    expect(first.status).toBe(200);
    const setCookie = first.headers['set-cookie'] ?? [];
    expect(setCookie).toHaveLength(1);
    const cookie = setCookie[0];
    expect(cookie.startsWith(`${TOKEN_COOKIE}=${srv.token};`)).toBe(true);
    expect(cookie).toMatch(/;\s*HttpOnly(;|$)/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict(;|$)/i);
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/i);

    const pair = cookie.split(';')[0];
    const withCookie = await rawRequest(srv.port, { path: `${MLFLOW}/runs/get?run_id=${runId}`, headers: { Cookie: `theme=dark; ${pair}; other=1` } });
    expect(withCookie.status).toBe(200);
    expect(withCookie.json.run.info.run_id).toBe(runId);
    // The cookie is only set when the query carried the token, not on every authorised request.
    expect(withCookie.headers['set-cookie']).toBeUndefined();
  });

  it('a UI page opened with ?token= redirects to the same address without it', async () => {
    const res = await rawRequest(srv.port, { path: `/runs?x=1&token=${encodeURIComponent(srv.token)}` });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/runs?x=1');
    expect(String(res.headers['set-cookie'])).toContain('HttpOnly');
  });

  it('that redirect never leaves this server (no protocol-relative Location)', async () => {
    for (const p of ['//evil.example/', '/\\evil.example/', '/\\/evil.example/x', '///evil.example/']) {
      const res = await rawRequest(srv.port, { path: `${p}?token=${encodeURIComponent(srv.token)}` });
      expect(res.status).toBe(302);
      const location = String(res.headers.location);
      expect(location).toMatch(/^\/[^/\\]/);
      expect(new URL(location, `http://${host}`).host).toBe(host);
    }
  });

  it('a request with a bad query string and no token is still a 401, not a 400', async () => {
    await expectRejected(srv, () => rawRequest(srv.port, { path: `${MLFLOW}/runs/get?run_id=%FF` }), 401, 'UNAUTHENTICATED');
  });
});

describe('/health', () => {
  it('answers OK without a token and reveals nothing else', async () => {
    for (const path of ['/health', '/health?verbose=1']) {
      const res = await rawRequest(srv.port, { path });
      expect(res.status).toBe(200);
      expect(res.text).toBe('OK');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers.server).toBeUndefined();
      expect(JSON.stringify(res.headers)).not.toMatch(/runledger|\d+\.\d+\.\d+/i);
    }
    const head = await rawRequest(srv.port, { method: 'HEAD', path: '/health' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
  });

  it('only the exact path is open: /health/ and /health/x need the token', async () => {
    for (const path of ['/health/', '/health/x', '/healthz', '/HEALTH']) {
      const res = await rawRequest(srv.port, { path });
      expectErrorJson(res, 401, 'UNAUTHENTICATED');
    }
  });

  it('POST /health is not the open health check', async () => {
    await expectRejected(srv, () => rawRequest(srv.port, { method: 'POST', path: '/health', body: '{}' }), 401, 'UNAUTHENTICATED');
  });
});

describe('Host header (DNS rebinding)', () => {
  const foreign = (port: number): string[] => [
    'evil.example',
    `evil.example:${port}`,
    `127.0.0.1.evil.example:${port}`,
    `localhost.evil.example:${port}`,
    `127.0.0.1:${port + 1}`,
    `localhost.:${port}`,
    `user@127.0.0.1:${port}`,
    `0.0.0.0:${port}`,
    '127.0.0.1',
  ];

  it('a foreign Host → 403 PERMISSION_DENIED even with the right token, and nothing changes', async () => {
    for (const h of foreign(srv.port)) {
      const body = JSON.stringify({ experiment_id: experimentId, run_name: 'rebound' });
      const headers = { Host: h, Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' };
      await expectRejected(srv, () => rawRequest(srv.port, { method: 'POST', path: `${MLFLOW}/runs/create`, headers, body }), 403, 'PERMISSION_DENIED');
      const get = await rawRequest(srv.port, { path: `${MLFLOW}/runs/get?run_id=${runId}`, headers });
      expectErrorJson(get, 403, 'PERMISSION_DENIED');
      expect(get.text).not.toContain('seed');
    }
  });

  it('Host is checked before the token: a rebinding page learns nothing from 401 vs 200', async () => {
    const res = await rawRequest(srv.port, { path: '/version', headers: { Host: `evil.example:${srv.port}` } });
    expectErrorJson(res, 403, 'PERMISSION_DENIED');
  });

  it('the loopback spellings of our own address pass', async () => {
    for (const h of [host, `localhost:${srv.port}`, `[::1]:${srv.port}`, `LOCALHOST:${srv.port}`]) {
      const res = await rawRequest(srv.port, { path: '/version', headers: { Host: h, Authorization: `Bearer ${srv.token}` } });
      expect(res.status).toBe(200);
    }
  });

  it('no Host header at all is refused', async () => {
    const before = await storeSnapshot(srv);
    const res = await rawRequest(srv.port, { noHost: true, method: 'POST', path: `${MLFLOW}/runs/create`, headers: { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ experiment_id: experimentId }) });
    // Node's HTTP/1.1 parser answers 400 itself before our handler runs; either way, never served.
    expect([400, 403]).toContain(res.status);
    expect(await storeSnapshot(srv)).toEqual(before);
  });
});

describe('Origin header (cross-site requests)', () => {
  it('a foreign Origin → 403 even with the right token, and nothing changes', async () => {
    const origins = ['null', `http://127.0.0.1:${srv.port + 1}`, `https://127.0.0.1:${srv.port}`, `http://localhost.evil.example:${srv.port}`, 'http://evil.example', `http://127.0.0.1:${srv.port}/x`, 'garbage'];
    for (const origin of origins) {
      const headers = { Origin: origin, Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' };
      const body = JSON.stringify({ run_id: runId });
      await expectRejected(srv, () => rawRequest(srv.port, { method: 'POST', path: `${MLFLOW}/runs/delete`, headers, body }), 403, 'PERMISSION_DENIED');
      // Even a cookie-carrying read is refused, so a foreign page cannot read the answer through CORS tricks.
      const read = await rawRequest(srv.port, { path: `${MLFLOW}/runs/get?run_id=${runId}`, headers: { Origin: origin, Cookie: `${TOKEN_COOKIE}=${srv.token}` } });
      expectErrorJson(read, 403, 'PERMISSION_DENIED');
      expect(read.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('our own Origin passes (the UI posting to its own server)', async () => {
    const res = await rawRequest(srv.port, {
      method: 'POST',
      path: `${MLFLOW}/runs/search`,
      headers: { Origin: `http://${host}`, Cookie: `${TOKEN_COOKIE}=${srv.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ experiment_ids: [experimentId] }),
    });
    expect(res.status).toBe(200);
    expect(res.json.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);
  });

  it('Origin is checked before the token', async () => {
    const res = await rawRequest(srv.port, { path: '/version', headers: { Origin: 'http://evil.example' } });
    expectErrorJson(res, 403, 'PERMISSION_DENIED');
  });
});

describe('routing names that look like object internals', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '__defineGetter__'])('/api/rpc/%s → 404 JSON, not a crash', async (name) => {
    const res = await expectRejected(srv, () => rawRequest(srv.port, { method: 'POST', path: `/api/rpc/${name}`, headers: { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' }, body: '{}' }), 404, 'ENDPOINT_NOT_FOUND');
    expect(res.json.message).toContain(name);
  });

  it.each(['__proto__', 'constructor', 'toString'])('/api/2.0/mlflow/%s → 404 JSON', async (name) => {
    await expectRejected(srv, () => rawRequest(srv.port, { path: `${MLFLOW}/${name}`, headers: { Authorization: `Bearer ${srv.token}` } }), 404, 'ENDPOINT_NOT_FOUND');
  });
});
