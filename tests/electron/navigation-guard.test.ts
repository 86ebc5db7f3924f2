import { describe, expect, it, vi } from 'vitest';
import {
  installNavigationGuard,
  isAllowedNavigation,
  isExternalHttpUrl,
} from '../../electron/navigation-guard';

const CORE = 'http://127.0.0.1:5917';

describe('isAllowedNavigation', () => {
  // [target, allowed, why]
  const table: [string, boolean, string][] = [
    ['http://127.0.0.1:5917/', true, 'the core itself'],
    ['http://127.0.0.1:5917/runs?x=1#top', true, 'a page on the core'],
    ['http://127.0.0.1:5917', true, 'no trailing slash'],
    ['HTTP://127.0.0.1:5917/', true, 'scheme case is canonicalized'],
    ['http://127.0.0.1.:5917/', true, 'a trailing dot on an IPv4 address canonicalizes to the same address'],
    ['http://127.1:5917/', true, 'short IPv4 form is the same address to Chromium'],
    ['http://127.0.0.1:5917\\@evil.example/', true, 'backslash is a path separator: still the core'],
    ['http://127.0.0.1:5917.evil.example/', false, 'port followed by a domain does not parse'],
    ['http://127.0.0.1.evil.example:5917/', false, 'a domain that starts with the IP'],
    ['http://127.0.0.1:59170/', false, 'port prefix match is not a match'],
    ['http://127.0.0.1:591/', false, 'port prefix the other way'],
    ['http://127.0.0.1:80/', false, 'other port'],
    ['http://127.0.0.1/', false, 'default port'],
    ['https://127.0.0.1:5917/', false, 'https is another origin'],
    ['ws://127.0.0.1:5917/', false, 'websocket scheme'],
    ['http://user@127.0.0.1:5917/', false, 'credentials'],
    ['http://:pw@127.0.0.1:5917/', false, 'password only'],
    ['http://evil.example@127.0.0.1:5917/', false, 'userinfo that looks like a host'],
    ['http://127.0.0.1:5917@evil.example/', false, 'the core as userinfo of another host'],
    ['http://localhost:5917/', false, 'localhost is another origin than 127.0.0.1'],
    ['http://LOCALHOST:5917/', false, 'uppercase localhost'],
    ['http://127.0.0.2:5917/', false, 'another loopback address'],
    ['http://[::1]:5917/', false, 'IPv6 loopback'],
    ['http://[::ffff:127.0.0.1]:5917/', false, 'IPv4-mapped IPv6'],
    ['http://[::ffff:7f00:1]:5917/', false, 'IPv4-mapped IPv6, hex'],
    ['http://0.0.0.0:5917/', false, 'any-address'],
    ['file:///etc/passwd', false, 'file'],
    ['javascript:alert(1)', false, 'javascript'],
    ['data:text/html,<script>alert(1)</script>', false, 'data'],
    ['blob:http://127.0.0.1:5917/0b1c2d', false, 'blob on the core origin is still not a page of the core'],
    ['about:blank', false, 'about'],
    ['view-source:http://127.0.0.1:5917/', false, 'view-source'],
    ['chrome://settings', false, 'chrome'],
    ['devtools://devtools/bundled/inspector.html', false, 'devtools'],
    ['//127.0.0.1:5917/', false, 'scheme-relative, not absolute'],
    ['/runs', false, 'relative'],
    ['', false, 'empty string'],
    ['http://', false, 'no host'],
    ['\u0000garbage\u202e', false, 'garbage'],
    ['not a url at all', false, 'garbage words'],
  ];

  it.each(table)('%s → %s (%s)', (target, allowed) => {
    expect(isAllowedNavigation(target, CORE)).toBe(allowed);
  });

  it('accepts the core origin with or without a trailing slash or path', () => {
    expect(isAllowedNavigation('http://127.0.0.1:5917/x', 'http://127.0.0.1:5917/')).toBe(true);
    expect(isAllowedNavigation('http://127.0.0.1:5917/x', 'http://127.0.0.1:5917/?token=abc')).toBe(true);
  });

  it('denies everything when the core origin itself is unusable', () => {
    for (const core of ['', 'garbage', 'file:///tmp/', 'data:text/plain,x', 'javascript:1']) {
      expect(isAllowedNavigation('http://127.0.0.1:5917/', core)).toBe(false);
      expect(isAllowedNavigation(core, core)).toBe(false);
    }
  });

  it('compares IPv6 cores in canonical form', () => {
    expect(isAllowedNavigation('http://[0:0:0:0:0:0:0:1]:5917/', 'http://[::1]:5917')).toBe(true);
    expect(isAllowedNavigation('http://127.0.0.1:5917/', 'http://[::1]:5917')).toBe(false);
  });
});

describe('isExternalHttpUrl', () => {
  it.each([
    ['https://mlflow.org/docs/', true],
    ['http://example.com/', true],
    ['http://127.0.0.1:6006/', true], // e.g. a local TensorBoard: the browser may have it
    ['http://127.0.0.1:5917/', false], // the core is not external
    ['https://user:pw@example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['mailto:a@example.com', false],
    ['smb://server/share', false],
    ['', false],
  ])('%s → %s', (target, external) => {
    expect(isExternalHttpUrl(target, CORE)).toBe(external);
  });
});

describe('installNavigationGuard', () => {
  function fakeContents() {
    const listeners = new Map<string, (event: { url: string; preventDefault: () => void }) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    return {
      listeners,
      open: (url: string) => openHandler?.({ url }),
      contents: {
        on: vi.fn((name: string, listener: never) => listeners.set(name, listener)),
        setWindowOpenHandler: vi.fn((handler: never) => {
          openHandler = handler;
        }),
      },
    };
  }

  function navigate(fake: ReturnType<typeof fakeContents>, event: string, url: string) {
    const preventDefault = vi.fn();
    fake.listeners.get(event)?.({ url, preventDefault });
    return preventDefault;
  }

  it('lets core pages through, blocks the rest, and sends only http(s) links to the browser', () => {
    const fake = fakeContents();
    const openExternal = vi.fn();
    installNavigationGuard(fake.contents as never, CORE, { openExternal });

    expect(navigate(fake, 'will-navigate', 'http://127.0.0.1:5917/runs')).not.toHaveBeenCalled();
    expect(navigate(fake, 'will-navigate', 'https://example.com/')).toHaveBeenCalled();
    expect(navigate(fake, 'will-navigate', 'file:///etc/passwd')).toHaveBeenCalled();
    expect(navigate(fake, 'will-redirect', 'http://evil.example/')).toHaveBeenCalled();
    expect(navigate(fake, 'will-redirect', 'http://127.0.0.1:5917/ok')).not.toHaveBeenCalled();
    expect(navigate(fake, 'will-attach-webview', 'http://127.0.0.1:5917/')).toHaveBeenCalled();
    expect(openExternal.mock.calls).toEqual([['https://example.com/']]);

    expect(fake.open('https://mlflow.org/')).toEqual({ action: 'deny' });
    expect(fake.open('http://127.0.0.1:5917/other')).toEqual({ action: 'deny' });
    expect(fake.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.com/'], ['https://mlflow.org/']]);
  });
});
