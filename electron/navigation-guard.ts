// The window may only ever show the core's own pages. Every navigation, redirect and window.open is
// checked here; anything else is denied, and plain http(s) links open in the user's browser instead.
import type { WebContents } from 'electron';

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** The serialized origin of an http(s) URL, or null for anything else (opaque origins included). */
function httpOrigin(url: URL): string | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin;
}

/**
 * True only for an http(s) URL on exactly the core's origin (scheme, host and port), without
 * credentials. Comparison is on WHATWG-canonical origins, the same parsing Chromium applies, so
 * `HTTP://127.0.0.1:5917` or `http://127.1:5917` count as the address they resolve to, while
 * `http://127.0.0.1:5917.evil.example` fails to parse and `http://localhost:5917` is another origin.
 */
export function isAllowedNavigation(target: string, coreOrigin: string): boolean {
  const core = parse(coreOrigin);
  const url = parse(target);
  if (!core || !url) return false;
  const expected = httpOrigin(core);
  if (!expected || httpOrigin(url) !== expected) return false;
  // `http://user@host` is a classic phishing shape; our pages never link with credentials.
  return url.username === '' && url.password === '';
}

/** True for an http(s) URL that is not the core: safe to hand to the user's browser. */
export function isExternalHttpUrl(target: string, coreOrigin: string): boolean {
  const url = parse(target);
  if (!url || httpOrigin(url) === null || url.hostname === '') return false;
  if (url.username !== '' || url.password !== '') return false;
  // The core itself is never "external": opening it in a browser would only meet a token prompt.
  return url.origin !== parse(coreOrigin)?.origin;
}

export interface GuardDeps {
  openExternal: (url: string) => Promise<void> | void;
}

/** Installs the guard on a window's contents; call once per WebContents, before loading. */
export function installNavigationGuard(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  coreOrigin: string,
  deps: GuardDeps,
): void {
  const openIfExternal = (url: string) => {
    if (isExternalHttpUrl(url, coreOrigin)) void deps.openExternal(url);
  };
  contents.on('will-navigate', (event) => {
    if (isAllowedNavigation(event.url, coreOrigin)) return;
    event.preventDefault();
    openIfExternal(event.url);
  });
  // Server-side redirects must not carry the window off the core either.
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url, coreOrigin)) event.preventDefault();
  });
  // The app is one window: new windows are never created, external links go to the browser.
  contents.setWindowOpenHandler(({ url }) => {
    openIfExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
