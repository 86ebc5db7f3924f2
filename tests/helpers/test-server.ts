// A real Runledger server for tests: real DuckDB file in a temp dir, real HTTP on an ephemeral port.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServeOptions } from '../../native/entry/serve';
import type { Core } from '../../native/core';

export interface TestServer {
  url: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  core: Core;
  /** JSON call with the token; `body` is sent as JSON for non-GET methods, as a query string for GET. */
  call(method: string, apiPath: string, body?: Record<string, unknown>, headers?: Record<string, string>): Promise<ApiResponse>;
  /** MLflow call: `mlflow('POST', 'runs/create', {...})` → /api/2.0/mlflow/runs/create. */
  mlflow(method: string, endpoint: string, body?: Record<string, unknown>): Promise<ApiResponse>;
  stop(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests assert on arbitrary response shapes
  headers: Headers;
}

export function tempDir(prefix = 'runledger-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function toQuery(body: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    for (const item of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(item))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export async function startTestServer(options: Partial<ServeOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const quiet = (): void => undefined;
  const running = await serve({ dataDir, port: 0, out: quiet, err: quiet, ...options });
  const origin = `http://127.0.0.1:${running.server.port}`;
  const call = async (method: string, apiPath: string, body?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ApiResponse> => {
    const isGet = method === 'GET' || method === 'HEAD';
    const url = origin + apiPath + (isGet && body ? toQuery(body) : '');
    const res = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${running.token}`, ...(isGet ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: isGet ? undefined : JSON.stringify(body ?? {}),
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, text, json, headers: res.headers };
  };
  return {
    url: running.server.url,
    origin,
    port: running.server.port,
    token: running.token,
    dataDir,
    core: running.core,
    call,
    mlflow: (method, endpoint, body) => call(method, `/api/2.0/mlflow/${endpoint}`, body),
    stop: () => running.stop(),
  };
}
