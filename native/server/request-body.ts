// Reading request bodies and query strings strictly: capped size (413), strictly decoded UTF-8
// (invalid bytes are a 400, never silently replaced), JSON objects only.
import type http from 'node:http';
import { isUtf8 } from 'node:buffer';
import { MlflowError, invalidParam } from '../mlflow/errors';
import type { Fields } from '../mlflow/request-fields';

export const MAX_JSON_BYTES = 16 * 1024 * 1024;

export function tooLarge(limit: number): MlflowError {
  return new MlflowError('INVALID_PARAMETER_VALUE', `Request body exceeds the limit of ${limit} bytes.`, 413);
}

export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) {
    req.resume(); // drain, so the 413 reaches the client instead of a reset
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => failed || resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', (e) => failed || reject(e));
  });
}

/** Strict: invalid UTF-8 is a 400. isUtf8 is a vectorised check, several times faster than a fatal TextDecoder. */
export function decodeUtf8(buf: Buffer): string {
  if (!isUtf8(buf)) throw invalidParam('Request body is not valid UTF-8.');
  return buf.toString('utf8');
}

export function parseJsonObject(text: string): Fields {
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new MlflowError('BAD_REQUEST', `Malformed JSON request body: ${(err as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new MlflowError('BAD_REQUEST', 'The request body must be a JSON object.');
  }
  // `"\ud800"` is valid JSON but not Unicode: stored, it silently became U+FFFD. Only a body that
  // spells a surrogate escape is walked, so the ingest hot path pays one regex scan.
  if (text.includes('\\u') && SURROGATE_ESCAPE.test(text) && hasLoneSurrogate(v)) {
    throw invalidParam('Request body is not valid Unicode: it contains an unpaired surrogate (\\uD800-\\uDFFF) escape.');
  }
  return v as Fields;
}

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Any key or string value holding an unpaired surrogate; iterative, so deep nesting cannot overflow the stack. */
function hasLoneSurrogate(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return true;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return true;
        stack.push(x);
      }
    }
  }
  return false;
}

/** MLflow requires `Content-Type: application/json` on bodies it parses. */
export function checkJsonContentType(contentType: string | undefined): void {
  if (contentType === undefined || contentType === '') throw invalidParam('Bad Request. Content-Type header is missing.');
  const mime = contentType.split(';')[0].trim().toLowerCase();
  if (mime !== 'application/json') throw invalidParam(`Bad Request. Content-Type must be one of ['application/json'].`);
}

/** Query string → fields; repeated keys become arrays. Invalid percent-encoded UTF-8 is a 400. */
export function parseQuery(search: string): Fields {
  const out: Fields = {};
  const q = search.startsWith('?') ? search.slice(1) : search;
  if (q === '') return out;
  for (const pair of q.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawK = eq < 0 ? pair : pair.slice(0, eq);
    const rawV = eq < 0 ? '' : pair.slice(eq + 1);
    let k: string;
    let v: string;
    try {
      k = decodeURIComponent(rawK.replaceAll('+', ' '));
      v = decodeURIComponent(rawV.replaceAll('+', ' '));
    } catch {
      throw invalidParam('The query string is not valid percent-encoded UTF-8.');
    }
    // Anyone's query is parsed before the token check: own properties only, so `constructor=` is not
    // merged with Object.prototype.constructor and `__proto__=` is a field, not a new prototype.
    const prev = Object.hasOwn(out, k) ? out[k] : undefined;
    const value = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
