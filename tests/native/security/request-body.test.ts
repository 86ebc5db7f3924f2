// Table tests of the request readers: strict UTF-8, JSON objects only, Content-Type, and query strings
// (parsed before the token check, so they must be safe for anyone's input).
import { describe, expect, it } from 'vitest';
import { MlflowError } from '../../../native/mlflow/errors';
import { checkJsonContentType, decodeUtf8, parseJsonObject, parseQuery } from '../../../native/server/request-body';

function errorOf(fn: () => unknown): MlflowError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MlflowError);
    return err as MlflowError;
  }
  throw new Error('expected an MlflowError, nothing was thrown');
}

describe('decodeUtf8', () => {
  const invalid: [string, number[]][] = [
    ['0xFF', [0xff]],
    ['0xFE', [0xfe]],
    ['lone continuation', [0x80]],
    ['overlong NUL', [0xc0, 0x80]],
    ['overlong "/"', [0xc0, 0xaf]],
    ['overlong 3-byte', [0xe0, 0x80, 0xaf]],
    ['encoded surrogate', [0xed, 0xa0, 0x80]],
    ['truncated at the end', [0x61, 0xe2, 0x82]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['5-byte form', [0xf8, 0x88, 0x80, 0x80, 0x80]],
  ];
  it.each(invalid)('%s → 400 INVALID_PARAMETER_VALUE', (_name, bytes) => {
    const err = errorOf(() => decodeUtf8(Buffer.from([0x7b, ...bytes, 0x7d])));
    expect(err.status).toBe(400);
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('valid text is returned unchanged, never with U+FFFD added', () => {
    const text = '{"v":"é 数据 🙂 \u0000 \uFFFD"}';
    expect(decodeUtf8(Buffer.from(text))).toBe(text);
  });
});

describe('parseJsonObject', () => {
  it.each(['[]', '[1]', '5', '"s"', 'true', 'null', '{', '{"a":}', "{'a':1}", '{"a":1}x', 'NaN', '\u0000'])('%j → 400 BAD_REQUEST', (text) => {
    const err = errorOf(() => parseJsonObject(text));
    expect(err.status).toBe(400);
    expect(err.code).toBe('BAD_REQUEST');
  });

  it('an empty body is an empty request, as MLflow reads it', () => {
    expect(parseJsonObject('')).toEqual({});
    expect(parseJsonObject(' \n')).toEqual({});
  });

  it.each(['{"v":"\\ud800"}', '{"v":"\\uDC00"}', '{"v":["ok","\\udc00\\ud800"]}', '{"\\ud800":1}', '{"a":{"b":[{"c":"x\\ud83d"}]}}'])(
    'an unpaired surrogate escape %s → 400 (it would be stored as U+FFFD)',
    (text) => {
      const err = errorOf(() => parseJsonObject(text));
      expect(err.status).toBe(400);
      expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    },
  );

  it('a surrogate pair escape, and an escaped backslash before "ud800", are fine', () => {
    expect(parseJsonObject('{"v":"\\ud83d\\ude42"}')).toEqual({ v: '🙂' });
    expect(parseJsonObject('{"v":"\\\\ud800"}')).toEqual({ v: '\\ud800' });
  });

  it('deeply nested input with a surrogate escape neither crashes nor overflows the stack', () => {
    const depth = 200_000;
    const text = `{"v":${'['.repeat(depth)}"\\ud800"${']'.repeat(depth)}}`;
    let status = 0;
    try {
      parseJsonObject(text);
    } catch (err) {
      status = err instanceof MlflowError ? err.status : 500;
    }
    expect(status).toBe(400);
  });

  it('"__proto__" in JSON is an ordinary key, not a prototype', () => {
    const v = parseJsonObject('{"__proto__":{"polluted":true},"run_id":"r"}');
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect((v as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('checkJsonContentType', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', ' application/json ;x=y'])('%j passes', (ct) => {
    expect(() => checkJsonContentType(ct)).not.toThrow();
  });
  it.each([undefined, '', 'text/plain', 'text/json', 'application/jsonx', 'application/x-www-form-urlencoded', 'multipart/form-data'])('%j → 400', (ct) => {
    expect(errorOf(() => checkJsonContentType(ct)).status).toBe(400);
  });
});

describe('parseQuery', () => {
  it('decodes, repeats keys into arrays, reads + as a space', () => {
    expect(parseQuery('?a=1&b=x+y&b=%2B&c&=v&&d=%E6%95%B0')).toEqual({ a: '1', b: ['x y', '+'], c: '', '': 'v', d: '数' });
    expect(parseQuery('')).toEqual({});
    expect(parseQuery('?')).toEqual({});
  });

  it.each(['%FF', '%C0%AE', '%ED%A0%80', '%E2%82', '%', '%zz', '%E0%A4%A'])('%j in a value or a key → 400', (bad) => {
    expect(errorOf(() => parseQuery(`?a=${bad}`)).status).toBe(400);
    expect(errorOf(() => parseQuery(`?${bad}=1`)).status).toBe(400);
  });

  it('keys named like Object.prototype members are plain fields and leave the prototype alone', () => {
    const q = parseQuery('?__proto__=x&constructor=y&toString=z&token=t');
    expect(q.__proto__).toBe('x');
    expect(q.constructor).toBe('y');
    expect(q.toString).toBe('z');
    expect(q.token).toBe('t');
    expect(Object.keys(q).sort()).toEqual(['__proto__', 'constructor', 'toString', 'token'].sort());
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a repeated __proto__ key cannot smuggle in an inherited token', () => {
    const q = parseQuery('?__proto__=a&__proto__=b');
    expect(q.token).toBeUndefined();
    expect(q.__proto__).toEqual(['a', 'b']);
  });
});
