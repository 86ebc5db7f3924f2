// Serves the built renderer (renderer/dist) with a strict CSP. Paths resolve inside the UI folder
// only; anything else is a 404.
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

/** Resolves a URL path inside `root`, or null when it would leave it. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = path.resolve(root, rel);
  return full.startsWith(path.resolve(root) + path.sep) ? full : null;
}

const FALLBACK = `<!doctype html><html><head><meta charset="utf-8"><title>Runledger</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto">
<h1>Runledger is running</h1>
<p>The UI has not been built in this checkout. Build it with <code>npm run build:renderer</code> (or start with
<code>npm start</code>, which builds it), then reload.</p>
<p>Training scripts can log now: <code>runledger env</code> prints the two lines to paste into a shell.</p>
</body></html>`;

export function serveUi(uiDir: string, urlPath: string, res: http.ServerResponse): void {
  const file = resolveInside(uiDir, urlPath);
  const stat = file ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
  if (file && stat?.isFile()) {
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { ...securityHeaders(), 'Content-Type': type, 'Content-Length': stat.size, 'Cache-Control': 'no-cache' });
    fs.createReadStream(file).pipe(res);
    return;
  }
  const isPage = !path.extname(urlPath);
  if (isPage) {
    // Client-side routes and a missing build both get a page.
    const index = path.join(uiDir, 'index.html');
    const html = fs.existsSync(index) ? fs.readFileSync(index) : Buffer.from(FALLBACK);
    res.writeHead(200, { ...securityHeaders(), 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(html);
    return;
  }
  res.writeHead(404, { ...securityHeaders(), 'Content-Type': 'text/plain' });
  res.end('Not found');
}
