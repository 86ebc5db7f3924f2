// Shared pieces of the security suite: raw HTTP (node:http, because fetch forbids setting Host and
// cannot send invalid bytes in a URL), a snapshot of everything the store holds, and the one
// assertion every rejected request must pass: 4xx, MLflow error JSON, store unchanged.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect } from 'vitest';
import { queryRows } from '../../../native/store/open-database';
import type { TestServer } from '../../helpers/test-server';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests assert on arbitrary shapes
}

export interface RawRequest {
  method?: string;
  /** Sent byte for byte as the request target: `..` segments, `%00`, `\` stay as written. */
  path: string;
  headers?: Record<string, string | undefined>;
  body?: Buffer | string;
  /** Send the body with `Transfer-Encoding: chunked` (no Content-Length), in pieces of this size. */
  chunkSize?: number;
  /** Omit the Host header node would otherwise add. */
  noHost?: boolean;
}

/** One request on a fresh connection. Write errors after the server answered are ignored (it may stop reading). */
export function rawRequest(port: number, r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) if (v !== undefined) headers[k] = v;
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
    if (body && !r.chunkSize) headers['Content-Length'] = String(body.length);
    const req = http.request({ host: '127.0.0.1', port, method: r.method ?? 'GET', path: r.path, headers, agent: false, setHost: !r.noHost });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (!body) return void req.end();
    if (!r.chunkSize) return void req.end(body);
    const size = r.chunkSize;
    let offset = 0;
    const pump = (): void => {
      while (offset < body.length && !answered) {
        const piece = body.subarray(offset, offset + size);
        offset += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/** Raw request with the token and the right Host; JSON body by default for non-GET. */
export function authed(srv: TestServer, r: RawRequest): Promise<RawResponse> {
  const isGet = (r.method ?? 'GET') === 'GET';
  return rawRequest(srv.port, {
    ...r,
    headers: { Authorization: `Bearer ${srv.token}`, ...(isGet || r.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...r.headers },
  });
}

function listFiles(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(`${path.relative(base, full)}/`, ...listFiles(full, base));
    else out.push(`${path.relative(base, full)} ${fs.statSync(full).size}`);
  }
  return out.sort();
}

/** JSON.stringify turns NaN and ±Infinity into null and -0 into 0; a snapshot must tell them apart. */
function exactNumbers(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `bigint:${v}`;
  if (typeof v === 'number' && (Object.is(v, -0) || !Number.isFinite(v))) return `number:${Object.is(v, -0) ? '-0' : v}`;
  return v;
}

/** Every row of every table (buffered metric points committed first) and every file under artifacts/. */
export async function storeSnapshot(srv: TestServer): Promise<Record<string, string[]>> {
  await srv.core.writer.flush();
  const con = srv.core.db.reader;
  const tables = await queryRows<{ table_name: string }>(con, `SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name`);
  const snap: Record<string, string[]> = {};
  for (const { table_name } of tables) {
    // runs.last_activity is a liveness clock: the interrupted-run watch folds earlier writes' activity
    // into it on a timer, which may fire between two snapshots. It is not data a request can lose.
    const exclude = table_name === 'runs' ? ' EXCLUDE (last_activity)' : '';
    const rows = await queryRows(con, `SELECT *${exclude} FROM "${table_name}" ORDER BY ALL`);
    snap[table_name] = rows.map((row) => JSON.stringify(row, exactNumbers));
  }
  snap['files:artifacts'] = listFiles(path.join(srv.dataDir, 'artifacts'));
  return snap;
}

/** The MLflow error shape, with a 4xx status (never 5xx: the client retries those for minutes). */
export function expectErrorJson(res: RawResponse, status: number, code?: string): void {
  expect({ status: res.status, text: res.text.slice(0, 300) }).toMatchObject({ status });
  expect(res.status).toBeLessThan(500);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  expect(typeof res.json?.error_code).toBe('string');
  expect(typeof res.json?.message).toBe('string');
  if (code) expect(res.json.error_code).toBe(code);
}

/**
 * Sends a request that must be refused with `status` and leave the store exactly as it was.
 * `ignoreFiles` leaves matching paths under artifacts/ out of the comparison (for a known store bug).
 */
export async function expectRejected(srv: TestServer, send: () => Promise<RawResponse>, status: number, code?: string, ignoreFiles?: RegExp): Promise<RawResponse> {
  const snap = async (): Promise<Record<string, string[]>> => {
    const s = await storeSnapshot(srv);
    if (ignoreFiles) s['files:artifacts'] = s['files:artifacts'].filter((f) => !ignoreFiles.test(f));
    return s;
  };
  const before = await snap();
  const res = await send();
  expectErrorJson(res, status, code);
  expect(await snap()).toEqual(before);
  return res;
}

/** An experiment and a RUNNING run with one param, one tag and a few metric points. */
export async function seedRun(srv: TestServer, name = 'security'): Promise<{ experimentId: string; runId: string }> {
  const exp = await srv.mlflow('POST', 'experiments/create', { name });
  expect(exp.status).toBe(200);
  const experimentId = String(exp.json.experiment_id);
  const run = await srv.mlflow('POST', 'runs/create', { experiment_id: experimentId, run_name: 'seed', start_time: 1000 });
  expect(run.status).toBe(200);
  const runId = String(run.json.run.info.run_id);
  const batch = await srv.mlflow('POST', 'runs/log-batch', {
    run_id: runId,
    params: [{ key: 'lr', value: '0.01' }],
    tags: [{ key: 'team', value: 'core' }],
    metrics: [0, 1, 2].map((step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 2000 + step, step })),
  });
  expect(batch.status).toBe(200);
  return { experimentId, runId };
}

export const MLFLOW = '/api/2.0/mlflow';
export const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';
