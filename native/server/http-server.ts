// The one HTTP server: MLflow REST API, artifact proxy, UI RPC, server-sent events and UI files.
// Order of checks for every request: Host (DNS rebinding) → Origin (cross-site) → token → route.
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Core } from '../core';
import { MlflowError } from '../mlflow/errors';
import { toMlflowJson } from '../mlflow/json-out';
import { findRoute, mlflowRoutes } from '../mlflow/routes';
import { provenanceRoutes, RUNLEDGER_PREFIX } from '../provenance/routes';
import { logDecodedBatch } from '../mlflow/routes-runs';
import { IngestPool } from './ingest-pool';
import { deleteArtifact, downloadArtifact, listArtifacts, uploadArtifact } from '../mlflow/artifact-proxy';
import { checkJsonContentType, decodeUtf8, MAX_JSON_BYTES, parseJsonObject, parseQuery, readBody, tooLarge } from './request-body';
import { isAllowedHost, isAllowedOrigin } from './request-guard';
import { bearerToken, TOKEN_COOKIE, tokenFromCookie, tokenMatches } from './connection-token';
import { securityHeaders, serveUi } from './static-ui';
import { SseEndpoint } from '../events/sse-endpoint';
import { RAW_ARTIFACT_PATH, serveArtifactRaw } from './artifact-raw';
import { createHandlers } from '../api/handlers';
import type { ApiHandlers } from '../api/contract';
import { VERSION } from '../version';
import type { Fields } from '../mlflow/request-fields';

export interface ServerOptions {
  core: Core;
  token: string;
  host?: string;
  port?: number;
  uiDir: string;
  log?: (line: string) => void;
  /** Threads that decode large log-batch bodies (default: cores - 1, 1 to 4; 0 = inline). */
  ingestWorkers?: number;
}

export interface RunningServer {
  server: http.Server;
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

const MLFLOW_PREFIXES = ['/api/2.0/mlflow/', '/ajax-api/2.0/mlflow/'];
const ARTIFACTS_PREFIX = '/api/2.0/mlflow-artifacts/artifacts';

function sendJson(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = toMlflowJson(body);
  // The reason phrase is explicit: a writeHead that threw earlier may have left "OK" behind.
  res.writeHead(status, http.STATUS_CODES[status] ?? '', { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

function sendError(res: http.ServerResponse, err: MlflowError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.status, err.toJSON());
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const actor = os.userInfo().username;
  let port = 0;
  let url = '';
  let handlers: ApiHandlers = createHandlers(opts.core);
  const events = new SseEndpoint(opts.core.bus);
  const pool = new IngestPool(opts.ingestWorkers);

  const authorized = (req: http.IncomingMessage, query: Fields): { ok: boolean; viaQuery: boolean } => {
    if (tokenMatches(bearerToken(req.headers.authorization), opts.token)) return { ok: true, viaQuery: false };
    if (tokenMatches(tokenFromCookie(req.headers.cookie), opts.token)) return { ok: true, viaQuery: false };
    const q = typeof query.token === 'string' ? query.token : null;
    if (tokenMatches(q, opts.token)) return { ok: true, viaQuery: true };
    return { ok: false, viaQuery: false };
  };

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const qIndex = rawUrl.indexOf('?');
    const pathname = qIndex < 0 ? rawUrl : rawUrl.slice(0, qIndex);
    const search = qIndex < 0 ? '' : rawUrl.slice(qIndex);

    // Like MLflow's, /health answers without a token and says nothing else.
    if (pathname === '/health' && (method === 'GET' || method === 'HEAD')) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('OK');
      return;
    }
    if (!isAllowedHost(req.headers.host, host, port)) {
      throw new MlflowError('PERMISSION_DENIED', `Host header ${JSON.stringify(req.headers.host ?? '')} is not this server.`);
    }
    if (!isAllowedOrigin(req.headers.origin, req.headers.host)) {
      throw new MlflowError('PERMISSION_DENIED', 'Cross-origin requests are not allowed.');
    }
    // The token comes before anything else answers: a caller without it gets 401 whatever its query
    // string holds, not the parser's 400 (so the check order stays Host → Origin → token → route).
    let query: Fields = {};
    let badQuery: unknown = null;
    try {
      query = parseQuery(search);
    } catch (err) {
      badQuery = err;
    }
    const auth = authorized(req, query);
    if (!auth.ok) {
      throw new MlflowError('UNAUTHENTICATED', 'A valid token is required: send "Authorization: Bearer <token>" (runledger env prints it).');
    }
    if (badQuery) throw badQuery;
    if (auth.viaQuery) {
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${opts.token}; HttpOnly; SameSite=Strict; Path=/`);
    }

    if (pathname === '/version' && method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(VERSION);
      return;
    }

    // Runledger's own extensions (/api/2.0/runledger/…) share the MLflow routes' request handling.
    const prefix = MLFLOW_PREFIXES.find((p) => pathname.startsWith(p)) ?? (pathname.startsWith(RUNLEDGER_PREFIX) ? RUNLEDGER_PREFIX : undefined);
    if (prefix) {
      const sub = pathname.slice(prefix.length);
      const routes = prefix === RUNLEDGER_PREFIX ? provenanceRoutes : mlflowRoutes;
      if (routes === mlflowRoutes && method === 'POST' && sub === 'runs/log-batch') {
        // The ingest hot path: decode on a worker thread (see ingest-pool.ts), store on this one.
        const batch = await pool.decode(await readBody(req, MAX_JSON_BYTES), req.headers['content-type']);
        sendJson(res, 200, await logDecodedBatch({ core: opts.core, actor }, batch));
        return;
      }
      // Exact paths first, then the ones with path parameters (MLflow 3's logged-models/{model_id}/…).
      const found = findRoute(routes, method, sub);
      if (typeof found === 'string') {
        throw found === 'wrong-method'
          ? new MlflowError('ENDPOINT_NOT_FOUND', `Method ${method} is not allowed for /${sub}`, 405)
          : new MlflowError('ENDPOINT_NOT_FOUND', `No MLflow endpoint ${method} ${pathname}`);
      }
      let input: Fields;
      if (method === 'GET') input = query;
      else {
        const body = await readBody(req, MAX_JSON_BYTES);
        checkJsonContentType(req.headers['content-type']);
        input = parseJsonObject(decodeUtf8(body));
      }
      sendJson(res, 200, await found.handler({ ...input, ...found.params }, { core: opts.core, actor }));
      return;
    }

    if (pathname === ARTIFACTS_PREFIX || pathname.startsWith(`${ARTIFACTS_PREFIX}/`)) {
      let sub: string;
      try {
        sub = decodeURIComponent(pathname.slice(ARTIFACTS_PREFIX.length + 1));
      } catch {
        throw new MlflowError('INVALID_PARAMETER_VALUE', 'Invalid path: not valid percent-encoded UTF-8.');
      }
      if (method === 'GET' && sub === '') return sendJson(res, 200, await listArtifacts(opts.core, query));
      if (method === 'GET') return downloadArtifact(opts.core, sub, res);
      if (method === 'PUT') {
        // A declared size over the cap is a 413 before the store opens a temp file: the client hears at
        // once instead of after uploading gigabytes, and a refused upload cannot leave a file behind.
        const declared = Number(req.headers['content-length'] ?? NaN);
        if (declared > opts.core.maxArtifactBytes) {
          req.resume();
          throw tooLarge(opts.core.maxArtifactBytes);
        }
        return sendJson(res, 200, await uploadArtifact(opts.core, sub, req));
      }
      if (method === 'DELETE') return sendJson(res, 200, await deleteArtifact(opts.core, sub));
      throw new MlflowError('ENDPOINT_NOT_FOUND', `Method ${method} is not allowed here`, 405);
    }

    if (pathname.startsWith('/api/rpc/')) {
      if (method !== 'POST') throw new MlflowError('ENDPOINT_NOT_FOUND', 'RPC calls are POST', 405);
      const name = pathname.slice('/api/rpc/'.length) as keyof ApiHandlers;
      if (!Object.hasOwn(handlers, name)) throw new MlflowError('ENDPOINT_NOT_FOUND', `No RPC named '${name}'`);
      const body = await readBody(req, MAX_JSON_BYTES);
      checkJsonContentType(req.headers['content-type']);
      const args = parseJsonObject(decodeUtf8(body));
      const fn = handlers[name] as (a: unknown) => Promise<unknown>;
      sendJson(res, 200, await fn(args));
      return;
    }

    if (pathname === RAW_ARTIFACT_PATH && method === 'GET') return serveArtifactRaw(opts.core, query, res);

    if (pathname === '/api/events' && method === 'GET') {
      events.serve(req, res, typeof query.topics === 'string' ? query.topics : undefined);
      return;
    }

    if (pathname.startsWith('/api/')) throw new MlflowError('ENDPOINT_NOT_FOUND', `No endpoint ${method} ${pathname}`);
    if (method !== 'GET' && method !== 'HEAD') throw new MlflowError('ENDPOINT_NOT_FOUND', `Method ${method} is not allowed here`, 405);
    if (auth.viaQuery && !/\.\w+$/.test(pathname)) {
      // Drop the token from the address bar (and history) once the cookie carries it.
      const rest = search.replace(/([?&])token=[^&]*&?/, '$1').replace(/[?&]$/, '');
      // One leading slash only: `//evil.example/` (or `/\evil.example/`) would be a protocol-relative
      // Location that sends the browser to another host.
      res.writeHead(302, { ...securityHeaders(), Location: `/${pathname.replace(/^[/\\]+/, '')}${rest}` });
      res.end();
      return;
    }
    serveUi(opts.uiDir, pathname, res);
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (err instanceof MlflowError) {
        sendError(res, err);
        return;
      }
      log(`runledger: internal error on ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`);
      sendError(res, new MlflowError('INTERNAL_ERROR', `Internal error: ${(err as Error)?.message ?? String(err)}`));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;


  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 5917, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  handlers = createHandlers(opts.core, url);

  return {
    server,
    host,
    port,
    url,
    async close() {
      events.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await pool.close();
    },
  };
}
