// The core accepts `?token=` once and answers with an HttpOnly cookie; after that the token in the
// address bar is only a liability (history, screenshots, copy-pasted links), so the page drops it.

/** The same address without the `token` query parameter, or null when there is none. */
export function withoutToken(href: string): string | null {
  const url = new URL(href);
  if (!url.searchParams.has('token')) return null;
  url.searchParams.delete('token');
  return `${url.pathname}${url.search}${url.hash}`;
}

export function stripTokenFromAddressBar(): void {
  const cleaned = withoutToken(window.location.href);
  if (cleaned !== null) window.history.replaceState(window.history.state, '', cleaned);
}
