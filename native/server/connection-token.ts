// The connection token, as VS Code's server does it: created once per data dir, written 0600,
// accepted from `Authorization: Bearer`, a `?token=` query (which then sets a cookie), or the cookie.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

export const TOKEN_COOKIE = 'runledger_token';

export function tokenFile(dataDir: string): string {
  return path.join(dataDir, 'token');
}

export function readToken(dataDir: string): string | null {
  try {
    const t = fs.readFileSync(tokenFile(dataDir), 'utf8').trim();
    return t.length >= 32 ? t : null;
  } catch {
    return null;
  }
}

export function ensureToken(dataDir: string): string {
  const existing = readToken(dataDir);
  const file = tokenFile(dataDir);
  if (existing) {
    // Someone may have loosened it; the token is a password.
    fs.chmodSync(file, 0o600);
    return existing;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const token = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return token;
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function tokenFromCookie(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return null;
}

export function bearerToken(authorization: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m ? m[1] : null;
}
