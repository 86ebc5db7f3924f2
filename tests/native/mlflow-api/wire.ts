// Shared helpers for the MLflow protocol conformance suite: small request builders over the real
// test server, and assertions on MLflow's wire encoding (error JSON, snake_case, int64 numbers).
import { expect } from 'vitest';
import type { ApiResponse, TestServer } from '../../helpers/test-server';

export const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';

/** MLflow's suffix on every required-field message (`_validate_param_against_schema`). */
export const SEE_DOCS = 'See the API docs for more information about request parameters.';
export const missingMessage = (field: string): string => `Missing value for required parameter '${field}'. ${SEE_DOCS}`;

/** Asserts an MLflow error response: status, exact error_code, JSON content type, optional message. */
export function expectError(res: ApiResponse, status: number, code: string, message?: string | RegExp): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  expect(res.json).toBeTypeOf('object');
  expect(res.json.error_code).toBe(code);
  expect(res.json.message).toBeTypeOf('string');
  if (typeof message === 'string') expect(res.json.message).toBe(message);
  else if (message) expect(res.json.message).toMatch(message);
}

/** Asserts a 200 whose body is literally `{}` (an empty protobuf Response). */
export function expectEmpty(res: ApiResponse): void {
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  expect(res.text.replace(/\s/g, '')).toBe('{}');
}

/** Every object key, at any depth, is snake_case (preserving_proto_field_name). */
export function expectSnakeCase(value: unknown, where = '$'): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => expectSnakeCase(v, `${where}[${i}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    expect(k, `key at ${where}`).toMatch(/^[a-z][a-z0-9_]*$/);
    expectSnakeCase(v, `${where}.${k}`);
  }
}

/** An int64 field: a JSON number (not protobuf's string form) in the raw text too. */
export function expectInt64(res: ApiResponse, obj: Record<string, unknown>, field: string, value?: number): void {
  expect(typeof obj[field], `${field} is a JSON number`).toBe('number');
  expect(Number.isInteger(obj[field])).toBe(true);
  if (value !== undefined) expect(obj[field]).toBe(value);
  expect(res.text).toMatch(new RegExp(`"${field}"\\s*:\\s*-?\\d`));
}

let seq = 0;
/** A unique name per call (servers are per file, but names must not clash inside a file). */
export const uniq = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${++seq}`;

export async function createExperiment(srv: TestServer, name = uniq('exp'), extra: Record<string, unknown> = {}): Promise<string> {
  const res = await srv.mlflow('POST', 'experiments/create', { name, ...extra });
  expect(res.status, res.text).toBe(200);
  return res.json.experiment_id as string;
}

export async function createRun(srv: TestServer, experimentId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await srv.mlflow('POST', 'runs/create', { experiment_id: experimentId, ...extra });
  expect(res.status, res.text).toBe(200);
  return res.json.run.info.run_id as string;
}

export async function getRun(srv: TestServer, runId: string): Promise<ApiResponse> {
  const res = await srv.mlflow('GET', 'runs/get', { run_id: runId });
  expect(res.status, res.text).toBe(200);
  return res;
}

/** `{key: value}` from a `[{key, value}]` list (params, tags). */
export function kv(list: { key: string; value: unknown }[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((e) => [e.key, e.value]));
}

/** A request with full control over body bytes and headers (still carries the token). */
export async function rawRequest(
  srv: TestServer,
  method: string,
  apiPath: string,
  body?: Uint8Array | string,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const res = await fetch(srv.origin + apiPath, {
    method,
    headers: { Authorization: `Bearer ${srv.token}`, ...headers },
    // A Uint8Array body makes fetch send no Content-Type of its own.
    body: body === undefined ? undefined : typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}
