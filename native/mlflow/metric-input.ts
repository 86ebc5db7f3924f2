// Decoding and validating metrics, params and tags from MLflow requests. Everything in a request is
// checked before anything is written, so a rejected request changes nothing.
import { invalidParam } from './errors';
import { type Fields, optDouble, optInt64 } from './request-fields';
import { BATCH_LIMITS, validateKey, validateValue } from './validation';
import type { MetricPoint } from '../store/metric-writer';
import type { KeyValue } from '../store/run-repository';

export function decodeMetric(m: Fields): MetricPoint {
  const key = validateKey('Metric', m.key);
  const value = optDouble(m, 'value');
  if (value === undefined) {
    throw invalidParam(`Missing value for required parameter 'value' of metric '${key}'. See the API docs for more information about request parameters.`);
  }
  const timestamp = optInt64(m, 'timestamp');
  if (timestamp === undefined) {
    throw invalidParam(`Missing value for required parameter 'timestamp' of metric '${key}'. See the API docs for more information about request parameters.`);
  }
  // MLflow's _validate_metric refuses negative timestamps (400); negative steps are allowed.
  if (timestamp < 0) {
    throw invalidParam(
      `Invalid value ${timestamp} for parameter 'timestamp' supplied: metric '${key}' (value=${value}). Timestamp must be a nonnegative long (64-bit integer).`,
    );
  }
  return { key, value, timestamp, step: optInt64(m, 'step') ?? 0 };
}

export function decodeParam(p: Fields): KeyValue {
  const key = validateKey('Param', p.key);
  return { key, value: validateValue('Param', key, p.value) };
}

export function decodeTag(t: Fields): KeyValue {
  const key = validateKey('Tag', t.key);
  return { key, value: validateValue('Tag', key, t.value) };
}

export function checkBatchLimits(metrics: number, params: number, tags: number): void {
  const fail = (what: string, max: number, got: number): never => {
    throw invalidParam(
      `A batch logging request can contain at most ${max} ${what}. Got ${got} ${what}. Please split up ${what} across multiple requests and try again.`,
    );
  };
  if (metrics > BATCH_LIMITS.metrics) fail('metrics', BATCH_LIMITS.metrics, metrics);
  if (params > BATCH_LIMITS.params) fail('params', BATCH_LIMITS.params, params);
  if (tags > BATCH_LIMITS.tags) fail('tags', BATCH_LIMITS.tags, tags);
  const total = metrics + params + tags;
  if (total > BATCH_LIMITS.total) {
    throw invalidParam(
      `A batch logging request can contain at most ${BATCH_LIMITS.total} total metrics, params, and tags. Got ${total} total. Please split up across multiple requests and try again.`,
    );
  }
}

export function checkUniqueParamKeys(params: readonly KeyValue[]): void {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const p of params) (seen.has(p.key) ? dups.add(p.key) : seen.add(p.key));
  if (dups.size > 0) {
    throw invalidParam(`Duplicate parameter keys have been submitted: ${JSON.stringify([...dups])}. Please ensure the request contains only one param value per param key.`);
  }
}

/** Last write wins within one request, as it would across requests. */
export function lastTagWins(tags: readonly KeyValue[]): KeyValue[] {
  return [...new Map(tags.map((t) => [t.key, t])).values()];
}
