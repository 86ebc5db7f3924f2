// Tiny pure security predicates, each with a table test of nasty inputs.

/**
 * DNS rebinding: a page on evil.example that resolves to 127.0.0.1 still sends `Host: evil.example`.
 * Accept only the exact host we are bound to (and its loopback spellings when bound to loopback).
 */
export function isAllowedHost(hostHeader: string | undefined, boundHost: string, port: number): boolean {
  if (!hostHeader) return false;
  const h = hostHeader.trim().toLowerCase();
  const allowed = new Set<string>();
  const add = (host: string): void => {
    allowed.add(`${host}:${port}`);
    if (port === 80) allowed.add(host);
  };
  const b = boundHost.toLowerCase();
  add(b.includes(':') && !b.startsWith('[') ? `[${b}]` : b);
  if (isLoopback(b)) ['127.0.0.1', 'localhost', '[::1]'].forEach(add);
  return allowed.has(h);
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * A browser sends `Origin` on cross-origin requests (and on same-origin POSTs). Requests without one
 * (curl, the MLflow client, our CLI) pass; a browser request must come from our own origin.
 */
export function isAllowedOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!hostHeader) return false;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  return u.protocol === 'http:' && u.host === hostHeader.trim().toLowerCase() && origin === `${u.protocol}//${u.host}`;
}
