// MLflow's key and value rules (`mlflow/utils/validation.py`), except where MLflow loses data:
// it truncates params over 6000 and tags over 8000 characters; we store values whole up to 1 MiB
// and refuse larger ones.
import { invalidParam } from './errors';

export const MAX_KEY_LENGTH = 250;
export const MAX_VALUE_BYTES = 1024 * 1024;
export const MAX_EXPERIMENT_NAME_LENGTH = 500;
export const BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;

// Python's `\w` in MLflow's pattern is Unicode-aware: letters and digits of any script are allowed.
const KEY_PATTERN = /^[/\p{L}\p{N}_.\- :]*$/u;

/** posixpath.normpath, enough to tell whether a key is already in normal form. */
export function normPosixPath(p: string): string {
  if (p === '') return '.';
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (seg === '..' && abs) continue;
    else out.push(seg);
  }
  const body = out.join('/');
  return abs ? `/${body}` : body || '.';
}

/** Returns why `key` is not a valid metric/param/tag name, or null. */
export function keyProblem(key: string): string | null {
  if (key.length > MAX_KEY_LENGTH) return `exceeds the maximum length of ${MAX_KEY_LENGTH} characters`;
  if (!KEY_PATTERN.test(key)) {
    return 'may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/)';
  }
  const norm = normPosixPath(key);
  if (norm !== key || norm === '.' || norm.startsWith('..') || norm.startsWith('/')) {
    return 'is invalid: it must be a normalized relative path (no "..", leading "/", "./", "//" or trailing "/")';
  }
  return null;
}

// Keys repeat on every point of a series: remember the ones already checked (bounded, so a client
// inventing keys cannot grow it without limit).
const validKeys = new Set<string>();
const MAX_REMEMBERED_KEYS = 50_000;

export function validateKey(kind: 'Metric' | 'Param' | 'Tag', key: unknown): string {
  if (typeof key === 'string' && validKeys.has(key)) return key;
  if (typeof key !== 'string' || key === '') {
    throw invalidParam(`Missing value for required parameter 'key'. See the API docs for more information about request parameters.`);
  }
  const problem = keyProblem(key);
  if (problem) throw invalidParam(`Invalid ${kind.toLowerCase()} name: '${key}'. '${kind} key' ${problem}.`);
  if (validKeys.size >= MAX_REMEMBERED_KEYS) validKeys.clear();
  validKeys.add(key);
  return key;
}

export function validateValue(kind: 'Param' | 'Tag', key: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') {
    throw invalidParam(`Invalid value ${JSON.stringify(value)} for ${kind.toLowerCase()} '${key}': expected a string.`);
  }
  // Cheap upper bound first: a UTF-16 length under a quarter of the limit cannot exceed it in UTF-8.
  if (value.length * 3 > MAX_VALUE_BYTES && Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
    throw invalidParam(
      `${kind} value for key '${key}' is ${Buffer.byteLength(value, 'utf8')} bytes; Runledger stores values up to ${MAX_VALUE_BYTES} bytes (1 MiB) whole and refuses larger ones rather than truncating them.`,
    );
  }
  return value;
}

export function validateExperimentName(name: string): void {
  if (name.length > MAX_EXPERIMENT_NAME_LENGTH) {
    throw invalidParam(`Experiment name exceeds the maximum length of ${MAX_EXPERIMENT_NAME_LENGTH} characters.`);
  }
}
