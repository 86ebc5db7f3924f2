// Decoding a log-batch body into columns, the hot path of ingest. Pure and self-contained so it
// runs on a worker thread as well as inline: JSON.parse of a 1000-metric body costs about 1 ms, which
// alone would cap one event loop near 1M points/s, so large bodies are decoded off the main thread.
import { MlflowError, type MlflowErrorCode } from './errors';
import { objectItems } from './request-fields';
import { checkBatchLimits, checkUniqueParamKeys, decodeMetric, decodeParam, decodeTag, lastTagWins } from './metric-input';
import { runIdOf } from './request-fields';
import { checkJsonContentType, decodeUtf8, parseJsonObject } from '../server/request-body';
import type { KeyValue } from '../store/run-repository';
import type { MetricColumns } from '../store/metric-writer';
import type { Fields } from './request-fields';

export interface DecodedBatch {
  runId: string;
  metrics: MetricColumns;
  params: KeyValue[];
  tags: KeyValue[];
}

export interface DecodeFailure {
  code: MlflowErrorCode;
  message: string;
  status: number;
}

export function decodeLogBatch(body: Uint8Array, contentType: string | undefined): DecodedBatch {
  checkJsonContentType(contentType);
  return decodeLogBatchFields(parseJsonObject(decodeUtf8(Buffer.from(body.buffer, body.byteOffset, body.byteLength))));
}

/** Validates everything in the request before anything is written: a rejected batch stores nothing. */
export function decodeLogBatchFields(input: Fields): DecodedBatch {
  const runId = runIdOf(input);
  const rawMetrics = objectItems(input, 'metrics');
  const rawParams = objectItems(input, 'params');
  const rawTags = objectItems(input, 'tags');
  checkBatchLimits(rawMetrics.length, rawParams.length, rawTags.length);
  const n = rawMetrics.length;
  const cols: MetricColumns = { keys: [], keyIndex: new Int32Array(n), step: new Float64Array(n), ts: new Float64Array(n), value: new Float64Array(n) };
  const keyIds = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const m = decodeMetric(rawMetrics[i]);
    let k = keyIds.get(m.key);
    if (k === undefined) {
      k = cols.keys.length;
      keyIds.set(m.key, k);
      cols.keys.push(m.key);
    }
    cols.keyIndex[i] = k;
    cols.step[i] = m.step;
    cols.ts[i] = m.timestamp;
    cols.value[i] = m.value;
  }
  const params = rawParams.map(decodeParam);
  checkUniqueParamKeys(params);
  return { runId, metrics: cols, params, tags: lastTagWins(rawTags.map(decodeTag)) };
}

export function failureOf(err: unknown): DecodeFailure {
  if (err instanceof MlflowError) return { code: err.code, message: err.message, status: err.status };
  return { code: 'INTERNAL_ERROR', message: (err as Error)?.message ?? String(err), status: 500 };
}
