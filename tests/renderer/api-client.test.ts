import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../native/api/contract';
import { ApiError, createApiClient, type ApiTransport } from '../../renderer/api/api-client';
import { httpTransport } from '../../renderer/api/http-transport';
import { inProcessTransport } from '../../renderer/api/in-process-transport';

describe('createApiClient', () => {
  it('passes name and arguments to the transport and returns its result as the contract type', async () => {
    const transport = vi.fn<ApiTransport>(async () => [{ run_id: 'r1' }]);
    const client = createApiClient(transport);
    const controller = new AbortController();
    const runs: RunSummary[] = await client.call('runs.list', { limit: 5 }, { signal: controller.signal });
    expect(runs).toEqual([{ run_id: 'r1' }]);
    expect(transport).toHaveBeenCalledWith('runs.list', { limit: 5 }, { signal: controller.signal });
  });

  it('lets transport errors through untouched', async () => {
    const error = new ApiError('RESOURCE_DOES_NOT_EXIST', 'no run x', 404);
    const client = createApiClient(async () => {
      throw error;
    });
    await expect(client.call('runs.get', { run: 'x' })).rejects.toBe(error);
  });
});

describe('inProcessTransport', () => {
  it('round-trips through JSON and maps thrown error bodies to ApiError', async () => {
    const client = createApiClient(
      inProcessTransport({
        'server.info': async () => ({ version: '1', data_dir: '/d', pid: 1, url: 'http://x/' }),
        'runs.get': async () => {
          throw { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'nope' };
        },
      }),
    );
    await expect(client.call('server.info', {})).resolves.toEqual({ version: '1', data_dir: '/d', pid: 1, url: 'http://x/' });
    await expect(client.call('runs.get', { run: 'x' })).rejects.toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    await expect(client.call('runs.list', {})).rejects.toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND', status: 404 });
  });
});

describe('httpTransport against a real HTTP server', () => {
  let server: Server;
  let base = '';
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        const send = (status: number, text: string, type = 'application/json') => {
          res.writeHead(status, { 'Content-Type': type });
          res.end(text);
        };
        switch (req.url) {
          case '/api/rpc/server.info':
            return send(200, JSON.stringify({ version: '0.1.0', data_dir: '/d', pid: 9, url: base }));
          case '/api/rpc/runs.get':
            return send(404, JSON.stringify({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run nope not found' }));
          case '/api/rpc/runs.delete':
            return send(502, '<html>bad gateway</html>', 'text/html');
          case '/api/rpc/runs.restore':
            return send(200, 'not json', 'text/plain');
          case '/api/rpc/runs.list':
            return setTimeout(() => send(200, '[]'), 500); // slow, for the abort test
          default:
            return send(401, JSON.stringify({ error_code: 'UNAUTHENTICATED', message: 'token required' }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs the JSON argument to /api/rpc/<name> and parses the JSON result', async () => {
    const client = createApiClient(httpTransport(base, { token: 'tkn' }));
    await expect(client.call('server.info', {})).resolves.toEqual({ version: '0.1.0', data_dir: '/d', pid: 9, url: base });
    const request = seen.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/api/rpc/server.info');
    expect(request.body).toBe('{}');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toBe('Bearer tkn');
  });

  it('sends no Authorization header without a token (the browser cookie carries auth)', async () => {
    const client = createApiClient(httpTransport(`${base}/`));
    await client.call('server.info', {});
    expect(seen.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('throws ApiError with the server error_code, message and status', async () => {
    const client = createApiClient(httpTransport(base));
    const error = await client.call('runs.get', { run: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run nope not found', status: 404 });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ run: 'nope' });
  });

  it('maps auth failures, non-JSON errors and non-JSON successes', async () => {
    const client = createApiClient(httpTransport(base));
    await expect(client.call('experiments.list', {})).rejects.toMatchObject({
      error_code: 'UNAUTHENTICATED',
      status: 401,
      isAuthError: true,
    });
    await expect(client.call('runs.delete', { run: 'x' })).rejects.toMatchObject({ error_code: 'HTTP_502', status: 502 });
    await expect(client.call('runs.restore', { run: 'x' })).rejects.toMatchObject({ error_code: 'BAD_RESPONSE' });
  });

  it('reports an unreachable server as NETWORK_ERROR', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = createApiClient(httpTransport(`http://127.0.0.1:${port}/`));
    await expect(client.call('server.info', {})).rejects.toMatchObject({ error_code: 'NETWORK_ERROR', status: 0 });
  });

  it('rethrows an abort as an abort, not as a server error', async () => {
    const client = createApiClient(httpTransport(base));
    const controller = new AbortController();
    const call = client.call('runs.list', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await call.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as Error).name).toBe('AbortError');
  });

  it("uses credentials: 'same-origin' so the HttpOnly cookie goes along", async () => {
    const fetchSpy = vi.fn<typeof fetch>(async () => new Response('{"ok":true}', { status: 200 }));
    await httpTransport('http://127.0.0.1:1/', { fetch: fetchSpy })('server.info', {});
    const [url, init] = fetchSpy.mock.calls[0];
    expect(String(url)).toBe('http://127.0.0.1:1/api/rpc/server.info');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin' });
  });
});
