// The trust store: `<data>/trust/allowed_signers` in OpenSSH's format (ssh-keygen(1) "ALLOWED
// SIGNERS"), so the same file works with `ssh-keygen -Y verify -f`, plus `<data>/trust/revoked_keys`
// (one OpenSSH public key per line, what `ssh-keygen -Y verify -r` reads). We parse a strict subset:
// principals, namespaces, valid-after, valid-before; cert-authority lines are refused (v2). Every
// change is appended to `trust/trust-log.jsonl` (the audit log of issue #7 takes these over).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fingerprintOfBlob, openSshLine, parseOpenSshLine } from './ssh-wire';
import { principalProblem } from './key-file';

export interface TrustEntry {
  principals: string[];
  /** null: every namespace (no namespaces= option). */
  namespaces: string[] | null;
  validAfter: number | null;
  validBefore: number | null;
  blob: Buffer;
  fingerprint: string;
  line: string;
}

export type TrustState = 'trusted' | 'untrusted' | 'revoked';

export interface TrustDecision {
  state: TrustState;
  /** The principal of the trust entry that matched (never what the bundle claims). */
  principal: string | null;
  warnings: string[];
}

export class TrustError extends Error {}

/** `YYYYMMDD[HHMM[SS]][Z]` → epoch ms (read as UTC). */
function parseTime(v: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?Z?$/.exec(v);
  if (!m) throw new TrustError(`bad time ${JSON.stringify(v)}: use YYYYMMDD or YYYYMMDDHHMM[SS]`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
}

/** Splits `opt1,opt2="a,b" rest` honouring double quotes. */
function splitOptions(s: string): { options: string[]; rest: string } {
  const options: string[] = [];
  let cur = '';
  let quoted = false;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    if (!quoted && c === ',') {
      options.push(cur);
      cur = '';
      continue;
    }
    if (!quoted && c === ' ') break;
    cur += c;
  }
  if (quoted) throw new TrustError('unbalanced quotes in options');
  options.push(cur);
  return { options, rest: s.slice(i).trim() };
}

export function parseAllowedSignersLine(raw: string): TrustEntry | null {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return null;
  const sp = line.indexOf(' ');
  if (sp < 0) throw new TrustError(`not an allowed_signers line: ${line.slice(0, 80)}`);
  const principals = line.slice(0, sp).replace(/^"|"$/g, '').split(',');
  for (const p of principals) {
    const problem = principalProblem(p);
    if (problem) throw new TrustError(`principal ${JSON.stringify(p)} ${problem} (wildcards are not supported)`);
  }
  let rest = line.slice(sp + 1).trim();
  let namespaces: string[] | null = null;
  let validAfter: number | null = null;
  let validBefore: number | null = null;
  if (!rest.startsWith('ssh-')) {
    const o = splitOptions(rest);
    rest = o.rest;
    for (const opt of o.options) {
      const m = /^([a-z-]+)(?:="([^"]*)")?$/i.exec(opt);
      const name = m?.[1].toLowerCase();
      if (name === 'namespaces' && m![2] !== undefined) namespaces = m![2].split(',');
      else if (name === 'valid-after' && m![2] !== undefined) validAfter = parseTime(m![2]);
      else if (name === 'valid-before' && m![2] !== undefined) validBefore = parseTime(m![2]);
      else if (name === 'cert-authority') throw new TrustError('cert-authority lines are not supported yet');
      else throw new TrustError(`unsupported allowed_signers option ${JSON.stringify(opt)}`);
    }
  }
  const key = parseOpenSshLine(rest);
  if (!key) throw new TrustError(`no ssh-ed25519 public key in: ${line.slice(0, 80)}`);
  return { principals, namespaces, validAfter, validBefore, blob: key.blob, fingerprint: fingerprintOfBlob(key.blob), line: allowedSignersLine(principals, namespaces, key.blob, validAfter, validBefore) };
}

const fmtTime = (ms: number): string => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';

export function allowedSignersLine(principals: string[], namespaces: string[] | null, blob: Buffer, validAfter: number | null = null, validBefore: number | null = null): string {
  const opts: string[] = [];
  if (namespaces) opts.push(`namespaces="${namespaces.join(',')}"`);
  if (validAfter !== null) opts.push(`valid-after="${fmtTime(validAfter)}"`);
  if (validBefore !== null) opts.push(`valid-before="${fmtTime(validBefore)}"`);
  return `${principals.join(',')}${opts.length ? ` ${opts.join(',')}` : ''} ${openSshLine(blob)}`;
}

export class TrustStore {
  readonly dir: string;
  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'trust');
  }
  get allowedSignersFile(): string {
    return path.join(this.dir, 'allowed_signers');
  }
  get revokedKeysFile(): string {
    return path.join(this.dir, 'revoked_keys');
  }

  private read(file: string): string {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  }

  /** Every entry of allowed_signers (a malformed line throws: a trust file is never half-read). */
  entries(): TrustEntry[] {
    return this.read(this.allowedSignersFile)
      .split('\n')
      .map((l, i) => {
        try {
          return parseAllowedSignersLine(l);
        } catch (err) {
          throw new TrustError(`${this.allowedSignersFile} line ${i + 1}: ${(err as Error).message}`);
        }
      })
      .filter((e): e is TrustEntry => e !== null);
  }

  /** Fingerprints in revoked_keys. */
  revoked(): Set<string> {
    const out = new Set<string>();
    for (const l of this.read(this.revokedKeysFile).split('\n')) {
      const k = parseOpenSshLine(l);
      if (k) out.add(fingerprintOfBlob(k.blob));
    }
    return out;
  }

  /** What the store says about a key for `namespace` at `now` (BUNDLE.md §4.5). */
  decide(blob: Buffer, namespace: string, now = Date.now()): TrustDecision {
    const fpr = fingerprintOfBlob(blob);
    if (this.revoked().has(fpr)) return { state: 'revoked', principal: null, warnings: [`key ${fpr} is revoked`] };
    const warnings: string[] = [];
    for (const e of this.entries()) {
      if (!e.blob.equals(blob)) continue;
      if (e.namespaces && !e.namespaces.includes(namespace)) {
        warnings.push(`the trust entry for ${fpr} does not allow namespace ${namespace}`);
        continue;
      }
      if (e.validBefore !== null && now >= e.validBefore) {
        warnings.push(`the trust entry for ${fpr} expired on ${new Date(e.validBefore).toISOString()}`);
        continue;
      }
      if (e.validAfter !== null && now < e.validAfter) {
        warnings.push(`the trust entry for ${fpr} is valid only after ${new Date(e.validAfter).toISOString()}`);
        continue;
      }
      return { state: 'trusted', principal: e.principals[0], warnings };
    }
    return { state: 'untrusted', principal: null, warnings };
  }

  /** Appends entries (a key already present with the same line is skipped); returns those added. */
  add(text: string, actor = 'cli', defaultPrincipal?: string, namespaces: string[] | null = null): TrustEntry[] {
    const have = new Set(this.entries().map((e) => e.line));
    const added: TrustEntry[] = [];
    for (const raw of text.split('\n')) {
      const bare = parseOpenSshLine(raw);
      let entry: TrustEntry | null;
      if (bare) {
        // A bare .pub line: the principal comes from the caller, else the key's comment.
        const principal = defaultPrincipal ?? bare.comment.trim();
        if (!principal) throw new TrustError('a bare public key needs a principal (--principal NAME)');
        entry = parseAllowedSignersLine(allowedSignersLine([principal], namespaces, bare.blob));
      } else entry = parseAllowedSignersLine(raw);
      if (!entry || have.has(entry.line)) continue;
      if (this.revoked().has(entry.fingerprint)) throw new TrustError(`key ${entry.fingerprint} is revoked; it cannot be trusted again`);
      have.add(entry.line);
      added.push(entry);
    }
    if (added.length === 0) return added;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.appendFileSync(this.allowedSignersFile, added.map((e) => `${e.line}\n`).join(''), { mode: 0o600 });
    for (const e of added) this.log('trust.add', e.fingerprint, e.principals.join(','), actor);
    return added;
  }

  /** Revokes every key whose fingerprint matches; returns the fingerprints revoked. */
  revoke(fingerprint: string, actor = 'cli'): string[] {
    const targets = this.entries().filter((e) => e.fingerprint === fingerprint);
    if (targets.length === 0) throw new TrustError(`no trusted key has fingerprint ${fingerprint}`);
    const already = this.revoked();
    if (already.has(fingerprint)) return [];
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.appendFileSync(this.revokedKeysFile, `${openSshLine(targets[0].blob, targets[0].principals[0])}\n`, { mode: 0o600 });
    this.log('trust.revoke', fingerprint, targets[0].principals.join(','), actor);
    return [fingerprint];
  }

  private log(action: string, fingerprint: string, principal: string, actor: string): void {
    const event = { at: new Date().toISOString(), action, fingerprint, principal, actor, os_user: safeUser() };
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.appendFileSync(path.join(this.dir, 'trust-log.jsonl'), `${JSON.stringify(event)}\n`, { mode: 0o600 });
  }
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}
