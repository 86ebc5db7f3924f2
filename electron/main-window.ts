// The one BrowserWindow, locked down: sandboxed renderer, isolated preload, no Node, and a guard
// that keeps it on the core's origin. It loads the core's URL once with the token; the core swaps
// the token for an HttpOnly cookie and the page strips it from the address bar.
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { installNavigationGuard, isAllowedNavigation } from './navigation-guard';

/** Same policy the core sends; enforced here too so a core bug cannot loosen the window's. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export interface MainWindowOptions {
  /** The core's base URL from its ready line, e.g. `http://127.0.0.1:5917/`. */
  url: string;
  token: string;
  preloadPath: string;
  /** Chromium DevTools only in development builds. */
  devTools: boolean;
}

export function windowWebPreferences(preloadPath: string, devTools: boolean): Electron.WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools,
  };
}

/** `http://host:port/?token=…`, whatever form the base URL came in. */
export function initialUrl(baseUrl: string, token: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('token', token);
  return url.href;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const origin = new URL(options.url).origin;
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Runledger',
    show: false, // shown on ready-to-show, so the user never sees a white flash
    webPreferences: windowWebPreferences(options.preloadPath, options.devTools),
  });
  installNavigationGuard(window.webContents, origin, { openExternal: (url) => shell.openExternal(url) });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(initialUrl(options.url, options.token));
  return window;
}

/**
 * Adds our policy beside whatever CSP the response carries. Browsers enforce every policy present,
 * so this can only tighten the core's own (never loosen it, even if the core's were missing).
 */
export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = { ...headers };
  const key = Object.keys(result).find((name) => name.toLowerCase() === 'content-security-policy');
  if (key) result[key] = [...result[key], CONTENT_SECURITY_POLICY];
  else result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}

/** Session-wide rules: our CSP on every response, and no permission prompts except clipboard writes. */
export function installSessionSecurity(session: Session, coreOrigin: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
  const allowed = (contents: WebContents | null, permission: string) =>
    permission === 'clipboard-sanitized-write' &&
    contents !== null &&
    isAllowedNavigation(contents.getURL(), coreOrigin);
  session.setPermissionRequestHandler((contents, permission, callback) => callback(allowed(contents, permission)));
  session.setPermissionCheckHandler((contents, permission) => allowed(contents, permission));
}
