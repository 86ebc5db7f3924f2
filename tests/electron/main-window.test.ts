// Electron's binary cannot run here, so the main-process modules run under Node with a stand-in
// 'electron' module that records what they ask of it.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const windows: FakeWindow[] = [];
  class FakeWindow {
    readonly listeners = new Map<string, unknown>();
    readonly webContents = {
      on: vi.fn(),
      setWindowOpenHandler: vi.fn(),
    };
    readonly loadURL = vi.fn(async () => {});
    readonly show = vi.fn();
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this);
    }
    once(name: string, listener: unknown) {
      this.listeners.set(name, listener);
    }
  }
  return { windows, BrowserWindow: FakeWindow, shell: { openExternal: vi.fn() } };
});
vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow, shell: electron.shell }));

import {
  CONTENT_SECURITY_POLICY,
  createMainWindow,
  initialUrl,
  installSessionSecurity,
  withCsp,
} from '../../electron/main-window';

describe('createMainWindow', () => {
  beforeEach(() => {
    electron.windows.length = 0;
  });

  it('locks the renderer down and loads the core with the token', () => {
    createMainWindow({ url: 'http://127.0.0.1:5917/', token: 'tok en/+', preloadPath: '/app/preload.js', devTools: false });
    const [window] = electron.windows;
    expect(window.options).toMatchObject({
      show: false,
      webPreferences: {
        preload: '/app/preload.js',
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        devTools: false,
      },
    });
    expect(window.loadURL).toHaveBeenCalledWith('http://127.0.0.1:5917/?token=tok+en%2F%2B');
  });

  it('guards navigation before the first load and shows the window when ready', () => {
    createMainWindow({ url: 'http://127.0.0.1:5917/', token: 't', preloadPath: '/p.js', devTools: true });
    const [window] = electron.windows;
    const events = window.webContents.on.mock.calls.map(([name]) => name);
    expect(events).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']));
    expect(window.webContents.setWindowOpenHandler).toHaveBeenCalledOnce();
    expect(window.webContents.on.mock.invocationCallOrder[0]).toBeLessThan(
      window.loadURL.mock.invocationCallOrder[0],
    );
    (window.listeners.get('ready-to-show') as () => void)();
    expect(window.show).toHaveBeenCalled();
  });
});

describe('initialUrl', () => {
  it.each([
    ['http://127.0.0.1:5917/', 'abc', 'http://127.0.0.1:5917/?token=abc'],
    ['http://127.0.0.1:5917', 'abc', 'http://127.0.0.1:5917/?token=abc'],
    ['http://127.0.0.1:5917/?token=old', 'new', 'http://127.0.0.1:5917/?token=new'],
  ])('%s + %s → %s', (base, token, expected) => {
    expect(initialUrl(base, token)).toBe(expected);
  });
});

describe('session security', () => {
  it('adds our CSP beside the server one (both are enforced), whatever the header case', () => {
    const headers = withCsp({
      'content-security-policy': ["default-src *; script-src 'unsafe-eval'"],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'content-security-policy': ["default-src *; script-src 'unsafe-eval'", CONTENT_SECURITY_POLICY],
    });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    );
  });

  it('applies the CSP to every response and denies permissions except clipboard writes from the core', () => {
    let onHeaders: ((details: unknown, callback: (r: unknown) => void) => void) | undefined;
    let onRequest: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let onCheck: ((c: unknown, p: string) => boolean) | undefined;
    const session = {
      webRequest: { onHeadersReceived: (f: typeof onHeaders) => (onHeaders = f) },
      setPermissionRequestHandler: (f: typeof onRequest) => (onRequest = f),
      setPermissionCheckHandler: (f: typeof onCheck) => (onCheck = f),
    };
    installSessionSecurity(session as never, 'http://127.0.0.1:5917');

    const callback = vi.fn();
    onHeaders?.({ responseHeaders: { 'X-Test': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'X-Test': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });

    const core = { getURL: () => 'http://127.0.0.1:5917/' };
    const other = { getURL: () => 'http://evil.example/' };
    const answers: boolean[] = [];
    for (const [contents, permission] of [
      [core, 'clipboard-sanitized-write'],
      [other, 'clipboard-sanitized-write'],
      [core, 'media'],
      [core, 'geolocation'],
      [null, 'clipboard-sanitized-write'],
    ] as const) {
      onRequest?.(contents, permission, (ok) => answers.push(ok));
      answers.push(onCheck?.(contents, permission) ?? true);
    }
    expect(answers).toEqual([true, true, false, false, false, false, false, false, false, false]);
  });
});
