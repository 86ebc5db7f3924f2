// The connection token: parsing from Authorization and Cookie headers, constant-time comparison,
// and the token file (created 0600, tightened again if loosened).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bearerToken, ensureToken, readToken, TOKEN_COOKIE, tokenFile, tokenFromCookie, tokenMatches } from '../../../native/server/connection-token';

const T = 'A'.repeat(43);

describe('bearerToken', () => {
  const table: [header: string | undefined, token: string | null][] = [
    [`Bearer ${T}`, T],
    [`bearer ${T}`, T], // the scheme is case-insensitive (RFC 9110 §11.1)
    [`BEARER ${T}`, T],
    [`Bearer   ${T}  `, T],
    [`Bearer\t${T}`, T],
    [`Basic ${T}`, null],
    [`Token ${T}`, null],
    [`xBearer ${T}`, null],
    [` Bearer ${T}`, null],
    [`Bearer${T}`, null],
    ['Bearer', null],
    ['Bearer ', null],
    [`Bearer ${T} extra`, null],
    [`Bearer ${T}, Bearer other`, null],
    ['', null],
    [undefined, null],
  ];
  it.each(table)('%j → %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe('tokenFromCookie', () => {
  const table: [header: string | undefined, token: string | null][] = [
    [`${TOKEN_COOKIE}=${T}`, T],
    [`a=1; ${TOKEN_COOKIE}=${T}; b=2`, T],
    [`a=1;${TOKEN_COOKIE}=${T}`, T],
    [`theme=dark; session=x=y; ${TOKEN_COOKIE}=${T}`, T],
    [`${TOKEN_COOKIE}=ab=c`, 'ab=c'], // base64 padding survives
    [`${TOKEN_COOKIE}=${T}; ${TOKEN_COOKIE}=second`, T], // first wins, as browsers send the most specific first
    [`x${TOKEN_COOKIE}=${T}`, null],
    [`${TOKEN_COOKIE}x=${T}`, null],
    [`other=${TOKEN_COOKIE}`, null],
    [`a=1; b=2`, null],
    ['', null],
    [undefined, null],
  ];
  it.each(table)('%j → %j', (header, token) => {
    expect(tokenFromCookie(header)).toBe(token);
  });

  it('an empty cookie value is never a match', () => {
    expect(tokenFromCookie(`${TOKEN_COOKIE}=`)).toBe('');
    expect(tokenMatches(tokenFromCookie(`${TOKEN_COOKIE}=`), T)).toBe(false);
  });
});

describe('tokenMatches', () => {
  it('true only for the exact token', () => {
    expect(tokenMatches(T, T)).toBe(true);
    expect(tokenMatches(`${T.slice(0, -1)}B`, T)).toBe(false);
    expect(tokenMatches(T.toLowerCase(), T)).toBe(false);
  });

  it('false, without throwing, on different lengths (timingSafeEqual itself would throw)', () => {
    expect(() => tokenMatches(T.slice(0, -1), T)).not.toThrow();
    expect(tokenMatches(T.slice(0, -1), T)).toBe(false);
    expect(tokenMatches(`${T}A`, T)).toBe(false);
    expect(tokenMatches('A', T)).toBe(false);
  });

  it('compares bytes, so a multi-byte candidate of equal string length is a mismatch, not a crash', () => {
    const candidate = `é${T.slice(1)}`;
    expect(candidate.length).toBe(T.length);
    expect(() => tokenMatches(candidate, T)).not.toThrow();
    expect(tokenMatches(candidate, T)).toBe(false);
  });

  it('missing or empty candidates never match', () => {
    expect(tokenMatches(null, T)).toBe(false);
    expect(tokenMatches(undefined, T)).toBe(false);
    expect(tokenMatches('', T)).toBe(false);
  });
});

describe('token file', () => {
  const dirs: string[] = [];
  const fresh = (): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-token-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it.skipIf(process.platform === 'win32')('is created with mode 0600 and holds a 256-bit token', () => {
    const dir = path.join(fresh(), 'nested', 'data');
    const token = ensureToken(dir);
    expect(fs.statSync(tokenFile(dir)).mode & 0o777).toBe(0o600);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fs.readFileSync(tokenFile(dir), 'utf8').trim()).toBe(token);
  });

  it.skipIf(process.platform === 'win32')('is 0600 even under a permissive umask', () => {
    const old = process.umask(0);
    try {
      const dir = fresh();
      ensureToken(dir);
      expect(fs.statSync(tokenFile(dir)).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it.skipIf(process.platform === 'win32')('is reused, and tightened back to 0600 if someone loosened it', () => {
    const dir = fresh();
    const first = ensureToken(dir);
    fs.chmodSync(tokenFile(dir), 0o644);
    expect(ensureToken(dir)).toBe(first);
    expect(fs.statSync(tokenFile(dir)).mode & 0o777).toBe(0o600);
  });

  it('a short or empty token file is not trusted: a new token replaces it', () => {
    const dir = fresh();
    fs.writeFileSync(tokenFile(dir), 'short\n');
    expect(readToken(dir)).toBeNull();
    const token = ensureToken(dir);
    expect(token).not.toBe('short');
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(readToken(dir)).toBe(token);
  });
});
