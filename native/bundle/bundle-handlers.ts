// RPC handlers for bundles, keys and trust (issue #6), spread into native/api/handlers.ts. The
// passphrase for an export travels in the request body: the server is local, token-protected, and
// the key never leaves this process (unlocked, it stays in memory for 10 minutes, BUNDLE.md §4.6).
import fs from 'node:fs';
import path from 'node:path';
import type { ApiHandlers, BundleReport, RunDetail, TrustedKeyInfo } from '../api/contract';
import type { Core } from '../core';
import { invalidParam, notFound } from '../mlflow/errors';
import { KeyError, TrustError, TrustStore, fingerprintOfBlob, hasKey, keyFilePath, loadSigner, parseOpenSshLine, readKeyFile, type Signer } from '../keys';
import { exportStatus, startExport } from './export-jobs';
import { importBundle } from './import-bundle';
import { resolveModelRefs } from './model-refs';
import { verifyBundle } from './verify-bundle';

type BundleHandlerNames = 'keys.show' | 'trust.list' | 'trust.add' | 'trust.revoke' | 'bundle.verify' | 'bundle.import' | 'bundle.exportStart' | 'bundle.exportStatus';

export function absolute(p: string, what: string): string {
  if (typeof p !== 'string' || p === '') throw invalidParam(`${what} is required`);
  if (!path.isAbsolute(p)) throw invalidParam(`${what} must be an absolute path on the server's machine`);
  return p;
}

/** User mistakes about keys and trust are 400s with the message as is, never 500s. */
async function userErrors<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof KeyError || err instanceof TrustError) throw invalidParam(err.message);
    throw err;
  }
}

export function trustList(dataDir: string): TrustedKeyInfo[] {
  const store = new TrustStore(dataDir);
  const revoked = store.revoked();
  const own = hasKey(dataDir) ? readKeyFile(dataDir).fingerprint : null;
  return store.entries().map((e) => ({
    fingerprint: e.fingerprint, principals: e.principals, namespaces: e.namespaces, valid_after: e.validAfter, valid_before: e.validBefore,
    revoked: revoked.has(e.fingerprint), own: e.fingerprint === own, line: e.line,
  }));
}

/** Where an imported run came from, for `runs.get` (null for runs logged here). */
export function bundleOrigin(row: { origin: string }): RunDetail['bundle'] {
  if (row.origin === 'local') return null;
  const r = row as { origin: string; signer?: string | null; trust_state?: string | null };
  return { digest: r.origin, signer: r.signer ?? null, trust_state: r.trust_state === 'trusted' || r.trust_state === 'unverified' ? r.trust_state : null };
}

export function publicReport(r: BundleReport & Record<string, unknown>): BundleReport {
  const { small: _a, staged: _b, signerBlob: _c, tagFiles: _d, runPrefixes: _e, audit: _f, ...rest } = r;
  return rest as unknown as BundleReport;
}

/** BUNDLE.md §4.6 step 4: an unlocked key stays in this process's memory for a while, so back-to-back exports ask once. */
const UNLOCKED_FOR_MS = 10 * 60_000;
const unlocked = new WeakMap<Core, { signer: Signer; until: number; keyMtime: number }>();

function unlockedSigner(core: Core, passphrase: string | undefined): Signer {
  const keyMtime = fs.statSync(keyFilePath(core.dataDir), { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const cached = unlocked.get(core);
  // A passphrase given explicitly is always checked; a replaced key file is never served from the cache.
  if (passphrase === undefined && cached && cached.until > Date.now() && cached.keyMtime === keyMtime) return cached.signer;
  const signer = loadSigner(core.dataDir, passphrase ?? process.env.RUNLEDGER_KEY_PASSPHRASE ?? null);
  unlocked.set(core, { signer, until: Date.now() + UNLOCKED_FOR_MS, keyMtime });
  return signer;
}

export function createBundleHandlers(core: Core): Pick<ApiHandlers, BundleHandlerNames> {
  const trust = (): TrustStore => new TrustStore(core.dataDir);
  return {
    async 'keys.show'() {
      return userErrors(() => {
        if (!hasKey(core.dataDir)) return null;
        const k = readKeyFile(core.dataDir);
        return { fingerprint: k.fingerprint, principal: k.principal, public_key: k.public_key, protection: k.protection, created_at: k.created_at };
      });
    },
    async 'trust.list'() {
      return userErrors(() => trustList(core.dataDir));
    },
    async 'trust.add'({ text, principal }) {
      return userErrors(async () => {
        const added = trust().add(text ?? '', 'api', principal);
        for (const e of added) await core.audit.record({ action: 'trust.add', target: { kind: 'trust', id: e.fingerprint }, details: { principals: e.principals, line: e.line } });
        const fprs = new Set(added.map((e) => e.fingerprint));
        return trustList(core.dataDir).filter((e) => fprs.has(e.fingerprint));
      });
    },
    async 'trust.revoke'({ fingerprint }) {
      return userErrors(async () => {
        const key = parseOpenSshLine(fingerprint ?? '');
        const fpr = key ? fingerprintOfBlob(key.blob) : fingerprint;
        trust().revoke(fpr, 'api');
        await core.audit.record({ action: 'trust.revoke', target: { kind: 'trust', id: fpr }, details: {} });
        return trustList(core.dataDir).filter((e) => e.fingerprint === fpr);
      });
    },
    async 'bundle.verify'({ path: p }) {
      return publicReport(await verifyBundle(absolute(p, 'path'), { trust: trust() }) as never);
    },
    async 'bundle.import'({ path: p, mode, principal }) {
      if (mode !== undefined && !['verified', 'trust', 'unverified'].includes(mode)) throw invalidParam(`mode must be verified, trust or unverified`);
      return userErrors(() => importBundle(core, absolute(p, 'path'), { trust: trust(), mode, principal }));
    },
    async 'bundle.exportStart'({ runs, output, folder, passphrase, fixed_clock, models }) {
      const refs = await resolveModelRefs(core, models);
      // Runs may be left out when models are given: each version brings its source run.
      if (!Array.isArray(runs) || (runs.length === 0 && refs.length === 0) || runs.some((r) => typeof r !== 'string')) throw invalidParam('runs must be a list of run ids, non-empty unless models are given');
      const out = absolute(output, 'output');
      if (fixed_clock !== undefined && !Number.isFinite(fixed_clock)) throw invalidParam('fixed_clock must be epoch milliseconds');
      const signer = await userErrors(() => unlockedSigner(core, passphrase));
      const ids: string[] = [];
      for (const ref of runs) {
        const row = (await core.runs.get(ref)) ?? null;
        if (!row) throw notFound(`No run with id '${ref}'`);
        ids.push(row.run_id);
      }
      return startExport(core, { runIds: ids, output: out, folder, signer, now: fixed_clock === undefined ? undefined : new Date(fixed_clock), models: refs });
    },
    async 'bundle.exportStatus'({ job_id }) {
      const job = exportStatus(core, job_id);
      if (!job) throw notFound(`No export job ${job_id}`);
      return job;
    },
  };
}
