// Table tests of the pure request predicates (DESIGN.md §7 item 4): Host (DNS rebinding), Origin
// (cross-site browser requests) and the loopback test behind both.
import { describe, expect, it } from 'vitest';
import { isAllowedHost, isAllowedOrigin, isLoopback } from '../../../native/server/request-guard';

const PORT = 5917;

describe('isAllowedHost (bound to 127.0.0.1)', () => {
  const table: [host: string | undefined, allowed: boolean, why: string][] = [
    [`127.0.0.1:${PORT}`, true, 'the bound address'],
    [`localhost:${PORT}`, true, 'loopback spelling'],
    [`[::1]:${PORT}`, true, 'IPv6 loopback in brackets'],
    [`LOCALHOST:${PORT}`, true, 'host names are case-insensitive'],
    [` 127.0.0.1:${PORT} `, true, 'surrounding whitespace is not part of the value'],
    [`127.0.0.1:${PORT + 1}`, false, 'another port is another origin'],
    [`localhost:${PORT + 1}`, false, 'another port, loopback name'],
    [`127.0.0.1:0${PORT}`, false, 'a port spelled with a leading zero'],
    ['127.0.0.1', false, 'no port (we are not on 80)'],
    ['localhost', false, 'no port'],
    [`127.0.0.1.evil.example:${PORT}`, false, 'rebinding name that starts like us'],
    [`localhost.evil.example:${PORT}`, false, 'rebinding name that starts like us'],
    [`evil.example:${PORT}`, false, 'a foreign name on our port'],
    ['evil.example', false, 'a foreign name'],
    [`localhost.:${PORT}`, false, 'trailing dot (another DNS name as far as a browser is concerned)'],
    [`127.0.0.1.:${PORT}`, false, 'trailing dot on the address'],
    [`user@127.0.0.1:${PORT}`, false, 'userinfo is not valid in Host'],
    [`evil.example@127.0.0.1:${PORT}`, false, 'userinfo trick'],
    [`127.0.0.1:${PORT}@evil.example`, false, 'userinfo trick, the other way round'],
    [`127.0.0.2:${PORT}`, false, 'another loopback address we are not bound to'],
    [`0.0.0.0:${PORT}`, false, 'the wildcard address'],
    [`[::ffff:127.0.0.1]:${PORT}`, false, 'IPv4-mapped IPv6 spelling'],
    [`127.1:${PORT}`, false, 'short IPv4 form'],
    [`2130706433:${PORT}`, false, 'decimal IPv4 form'],
    [`::1:${PORT}`, false, 'IPv6 without brackets'],
    [`127.0.0.1:${PORT}, evil.example`, false, 'two values'],
    [`127.0.0.1:${PORT}/`, false, 'path characters'],
    [`127.0.0.1:${PORT}\0`, false, 'NUL'],
    ['', false, 'empty'],
    [undefined, false, 'missing'],
  ];
  it.each(table)('%j → %s (%s)', (host, allowed) => {
    expect(isAllowedHost(host, '127.0.0.1', PORT)).toBe(allowed);
  });
});

describe('isAllowedHost (other bindings)', () => {
  it('bound to a LAN address accepts only that address, not loopback names', () => {
    expect(isAllowedHost(`192.168.1.5:${PORT}`, '192.168.1.5', PORT)).toBe(true);
    expect(isAllowedHost(`localhost:${PORT}`, '192.168.1.5', PORT)).toBe(false);
    expect(isAllowedHost(`127.0.0.1:${PORT}`, '192.168.1.5', PORT)).toBe(false);
  });

  it('bound to ::1 accepts the bracketed form and the other loopback spellings', () => {
    expect(isAllowedHost(`[::1]:${PORT}`, '::1', PORT)).toBe(true);
    expect(isAllowedHost(`127.0.0.1:${PORT}`, '::1', PORT)).toBe(true);
    expect(isAllowedHost(`::1:${PORT}`, '::1', PORT)).toBe(false);
  });

  it('on port 80 the port may be left out, as browsers do', () => {
    expect(isAllowedHost('127.0.0.1', '127.0.0.1', 80)).toBe(true);
    expect(isAllowedHost('127.0.0.1:80', '127.0.0.1', 80)).toBe(true);
    expect(isAllowedHost('evil.example', '127.0.0.1', 80)).toBe(false);
  });
});

describe('isLoopback', () => {
  const table: [host: string, loopback: boolean][] = [
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['127.0.0.1.evil.example', false],
    ['localhost.evil.example', false],
    ['evil-localhost', false],
    ['128.0.0.1', false],
    ['', false],
  ];
  it.each(table)('%j → %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });
});

describe('isAllowedOrigin (Host header 127.0.0.1:PORT)', () => {
  const HOST = `127.0.0.1:${PORT}`;
  const table: [origin: string | undefined, allowed: boolean, why: string][] = [
    [undefined, true, 'no Origin: not a cross-site browser request (curl, MLflow client, CLI)'],
    [`http://127.0.0.1:${PORT}`, true, 'same origin'],
    ['null', false, 'opaque origin (sandboxed iframe, file://)'],
    ['', false, 'empty'],
    [`http://127.0.0.1:${PORT + 1}`, false, 'another port'],
    [`https://127.0.0.1:${PORT}`, false, 'https is another origin'],
    [`http://localhost:${PORT}`, false, 'another spelling is another origin to a browser'],
    [`http://localhost.evil.example:${PORT}`, false, 'rebinding name'],
    [`http://127.0.0.1.evil.example:${PORT}`, false, 'rebinding name'],
    ['http://evil.example', false, 'foreign site'],
    [`http://127.0.0.1:${PORT}/`, false, 'path suffix: not an origin serialization'],
    [`http://127.0.0.1:${PORT}/x?y`, false, 'path and query'],
    [`http://user@127.0.0.1:${PORT}`, false, 'userinfo'],
    [`http://evil.example@127.0.0.1:${PORT}`, false, 'userinfo trick'],
    [`HTTP://127.0.0.1:${PORT}`, false, 'not how a browser serializes an origin'],
    [`ws://127.0.0.1:${PORT}`, false, 'another scheme'],
    [`file://127.0.0.1:${PORT}`, false, 'file scheme'],
    [`127.0.0.1:${PORT}`, false, 'no scheme'],
    ['garbage', false, 'garbage'],
    ['http://', false, 'scheme only'],
    [`http://127.0.0.1:${PORT} `, false, 'trailing space'],
  ];
  it.each(table)('%j → %s (%s)', (origin, allowed) => {
    expect(isAllowedOrigin(origin, HOST)).toBe(allowed);
  });

  it('follows the Host header it was given (localhost page, localhost Origin)', () => {
    expect(isAllowedOrigin(`http://localhost:${PORT}`, `localhost:${PORT}`)).toBe(true);
    expect(isAllowedOrigin(`http://127.0.0.1:${PORT}`, `localhost:${PORT}`)).toBe(false);
  });

  it('an Origin without a Host header to compare against is refused', () => {
    expect(isAllowedOrigin(`http://127.0.0.1:${PORT}`, undefined)).toBe(false);
    expect(isAllowedOrigin(`http://127.0.0.1:${PORT}`, '')).toBe(false);
  });
});
