// Lenient protobuf-JSON field readers, as MLflow's server parses requests (ParseDict with
// ignore_unknown_fields): int64 as number or numeric string, doubles also as "NaN"/"Infinity"/
// "-Infinity", enums by name or number. A field of the wrong type is a 400, never a crash.
import { invalidParam, missingParam } from './errors';

export type Fields = Record<string, unknown>;

function wrongType(name: string, expected: string, v: unknown): never {
  throw invalidParam(`Invalid value ${JSON.stringify(v)} for parameter '${name}' supplied: expected ${expected}.`);
}

export function optString(f: Fields, name: string): string | undefined {
  const v = f[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') wrongType(name, 'a string', v);
  return v;
}

/** Required string; MLflow's `_assert_required` also refuses the empty string. */
export function reqString(f: Fields, name: string): string {
  const v = optString(f, name);
  if (v === undefined || v === '') throw missingParam(name);
  return v;
}

/** `run_id`, or its deprecated alias `run_uuid` that every client still sends. */
export function runIdOf(f: Fields): string {
  const id = optString(f, 'run_id') || optString(f, 'run_uuid');
  if (!id) throw missingParam('run_id');
  return id;
}

export function optInt64(f: Fields, name: string): number | undefined {
  const v = f[name];
  if (v === undefined || v === null) return undefined;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) n = Number(v.trim());
  else return wrongType(name, 'an integer', v);
  if (!Number.isInteger(n)) wrongType(name, 'an integer', v);
  // Steps and timestamps live in JS numbers above the store: beyond 2^53 they would silently become a
  // neighbouring integer (and 2^63 would not fit the BIGINT column at all). Refuse rather than round.
  if (!Number.isSafeInteger(n)) {
    throw invalidParam(`Invalid value ${JSON.stringify(v)} for parameter '${name}' supplied: Runledger stores integers up to ±${Number.MAX_SAFE_INTEGER} exactly and refuses larger ones rather than rounding them.`);
  }
  return n;
}

export function optDouble(f: Fields, name: string): number | undefined {
  const v = f[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const t = v.trim();
    if (t !== '' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  }
  return wrongType(name, 'a number', v);
}

export function optBool(f: Fields, name: string): boolean | undefined {
  const v = f[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return wrongType(name, 'a boolean', v);
}

/** Enum by name or number; an unknown name is ignored, as MLflow's parser silently does. */
export function optEnum<T extends string>(f: Fields, name: string, values: readonly T[], numbers: Readonly<Record<number, T>>): T | undefined {
  const v = f[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return numbers[v];
  if (typeof v === 'string') {
    if ((values as readonly string[]).includes(v)) return v as T;
    if (/^\d+$/.test(v)) return numbers[Number(v)];
    return undefined;
  }
  return wrongType(name, 'an enum name', v);
}

export function optArray(f: Fields, name: string): unknown[] {
  const v = f[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    // GET query strings give a single value where a repeated field was meant.
    if (typeof v === 'string') return [v];
    return wrongType(name, 'a list', v);
  }
  return v;
}

export function objectItems(f: Fields, name: string): Fields[] {
  return optArray(f, name).map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) wrongType(`${name}[${i}]`, 'an object', item);
    return item as Fields;
  });
}

export function stringItems(f: Fields, name: string): string[] {
  return optArray(f, name).map((item, i) => {
    if (typeof item !== 'string') wrongType(`${name}[${i}]`, 'a string', item);
    return item as string;
  });
}

export const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
export type ViewTypeName = (typeof VIEW_TYPES)[number];
export const VIEW_TYPE_NUMBERS: Record<number, ViewTypeName> = { 1: 'ACTIVE_ONLY', 2: 'DELETED_ONLY', 3: 'ALL' };
export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export const RUN_STATUS_NUMBERS: Record<number, (typeof RUN_STATUSES)[number]> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };
