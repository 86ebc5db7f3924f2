// Fail-closed import (BUNDLE.md §4.8 C–E): verify while staging the payload into a fresh folder under
// `<data>/bundle-staging/`, decide on trust, then commit: runs as read-only imported records with
// origin, signer and trust state, artifacts renamed from staging into the content-addressed store,
// metrics from the staged Parquet, the tag files and signatures kept verbatim under
// `<data>/bundles/<digest>/`, and a `bundle_imports` row that makes re-importing a no-op. Staging is
// always removed; a failed commit removes what it wrote.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '../core';
import type { BundleImportResult } from '../api/contract';
import { exec, inTransaction, queryRows } from '../store/open-database';
import { SSH_NAMESPACE } from './bundle-constants';
import { allowedSignersLine, principalProblem, type TrustStore } from '../keys';
import { verifyBundle, type VerifiedBundle } from './verify-bundle';
import { insertRow, type JsonRow } from './run-rows';
import { isObject, parseStrictJson } from './strict-json';
import { appendMetricsFromParquet } from './import-metrics';
import { witnessCheckpoint } from '../audit/bundle-audit';
import { insertModelVersions, modelConflict, modelImportsOf, removeModelVersions, storeModelFiles, storeStagedBlob } from './import-models';
import type { ImportedVersion } from '../registry/version-import';

export interface ImportOptions {
  trust: TrustStore;
  /** verified: only trusted signers; trust: add an untrusted signer's key first; unverified: quarantine. */
  mode?: 'verified' | 'trust' | 'unverified';
  /** With mode 'trust': the principal to record for the key (default: what the bundle claims). */
  principal?: string;
  maxBytes?: number;
}

const EMPTY: Omit<BundleImportResult, 'report' | 'outcome' | 'message'> = { run_ids: [], trust_state: null };

function publicReport(v: VerifiedBundle): BundleImportResult['report'] {
  const { small: _s, staged: _st, signerBlob: _b, tagFiles: _t, runPrefixes: _p, audit: _a, ...report } = v;
  return report;
}

export async function importBundle(core: Core, file: string, o: ImportOptions): Promise<BundleImportResult> {
  const stagingRoot = path.join(core.dataDir, 'bundle-staging');
  fs.mkdirSync(stagingRoot, { recursive: true, mode: 0o700 });
  const stageDir = path.join(stagingRoot, crypto.randomBytes(8).toString('hex'));
  try {
    const v = await verifyBundle(file, { trust: o.trust, stageDir, maxBytes: o.maxBytes });
    const report = publicReport(v);
    if (!v.valid) return { ...EMPTY, report, outcome: 'refused', message: `invalid bundle: ${v.message}` };
    const digest = v.digest!;
    const [done] = await queryRows<{ run_ids: string; trust_state: string }>(core.db.reader, 'SELECT run_ids, trust_state FROM bundle_imports WHERE bundle_digest = ?', [digest]);
    if (done) {
      return { report, outcome: 'already-imported', run_ids: JSON.parse(done.run_ids) as string[], trust_state: done.trust_state as 'trusted' | 'unverified', message: `${digest} was imported before; nothing changed` };
    }
    const signer = v.signer!;
    let trustState: 'trusted' | 'unverified' = 'trusted';
    let principal = signer.principal;
    if (signer.trust_state !== 'trusted') {
      if (o.mode === 'trust') {
        principal = o.principal ?? signer.claimed_principal;
        const problem = principal ? principalProblem(principal) : 'is missing';
        if (problem) return { ...EMPTY, report, outcome: 'refused', message: `cannot trust key ${signer.fingerprint}: the principal ${problem}; give one with --principal` };
        o.trust.add(allowedSignersLine([principal!], [SSH_NAMESPACE], v.signerBlob!), 'import --trust');
        await core.audit.record({ action: 'trust.add', target: { kind: 'trust', id: signer.fingerprint }, details: { principal: principal!, via: 'bundle import', bundle: digest } });
        report.signer = { ...signer, principal, trust_state: 'trusted' };
      } else if (o.mode === 'unverified') {
        trustState = 'unverified';
        principal = null;
      } else {
        return {
          ...EMPTY, report, outcome: 'refused',
          message: `valid signature, UNTRUSTED signer: key ${signer.fingerprint} (claims to be ${signer.claimed_principal ?? 'nobody'}) is not in your trust store. Compare the fingerprint with its owner out of band, then import with --trust, or with --unverified to quarantine it.`,
        };
      }
    }
    const conflicts = await queryRows<{ run_id: string; origin: string }>(
      core.db.reader,
      `SELECT run_id, origin FROM runs WHERE run_id IN (${v.runs.map(() => '?').join(',')})`,
      v.runs.map((r) => r.run_id),
    );
    if (conflicts.length) {
      const c = conflicts[0];
      return { ...EMPTY, report, outcome: 'refused', message: `conflict: run ${c.run_id} is already in this store (${c.origin === 'local' ? 'logged here' : `from bundle ${c.origin}`}); a bundle never overwrites a run` };
    }
    const models = modelImportsOf(v);
    const modelClash = await modelConflict(core.db, models);
    if (modelClash) return { ...EMPTY, report, outcome: 'refused', message: modelClash };
    const { runIds, versions } = await commit(core, v, file, digest, principal, trustState, models);
    report.warnings = v.warnings;
    const fork = v.warnings.find((w) => w.startsWith('W_FORK'));
    const modelsText = versions.map((x) => `; model ${x.name} version ${x.version} (version ${x.origin_version} where it was exported)`).join('');
    return { report, outcome: 'imported', run_ids: runIds, trust_state: trustState, message: `imported ${runIds.length} run${runIds.length === 1 ? '' : 's'} from ${digest} (${trustState})${modelsText}${fork ? `; ${fork}` : ''}` };
  } finally {
    fs.rmSync(stageDir, { recursive: true, force: true });
  }
}

function json(v: VerifiedBundle, p: string): unknown {
  const b = v.small.get(p);
  if (!b) return null;
  return parseStrictJson(b.toString('utf8'));
}

const obj = (x: unknown): Record<string, unknown> => (isObject(x) ? x : {});
const str = (x: unknown): string => (typeof x === 'string' ? x : '');
const numOrNull = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

async function commit(
  core: Core, v: VerifiedBundle, file: string, digest: string, principal: string | null, trustState: 'trusted' | 'unverified', models: ReturnType<typeof modelImportsOf>,
): Promise<{ runIds: string[]; versions: ImportedVersion[] }> {
  const fpr = v.signer!.fingerprint;
  const runIds = v.runs.map((r) => r.run_id);
  const plans: { prefix: string; run: Record<string, unknown>; experimentId: string }[] = [];
  for (const info of v.runs) {
    const prefix = v.runPrefixes.get(info.run_id)!;
    const run = obj(json(v, `${prefix}run/run.json`));
    const experimentName = str(run.experiment) || 'Default';
    const experimentId = (await core.experiments.getByName(experimentName))?.experiment_id ?? (await core.experiments.create(experimentName, undefined, []));
    plans.push({ prefix, run, experimentId });
  }
  // Artifacts into the content-addressed store first: renames within one file system, and a blob
  // nothing refers to (if the commit below fails) is harmless.
  const artifactRows: { runId: string; path: string; sha256: string; size: number; media: string | null }[] = [];
  for (const p of plans) {
    for (const a of Array.isArray(p.run.artifacts) ? p.run.artifacts.filter(isObject) : []) {
      const staged = v.staged.get(`${p.prefix}${str(a.bag_path)}`);
      if (!staged) throw new Error(`run.json lists artifact ${str(a.path)} but the bundle has no ${str(a.bag_path)}`);
      const blob = storeStagedBlob(core, staged, str(a.sha256), `artifact ${str(a.path)}`);
      artifactRows.push({ runId: str(p.run.run_id), path: str(a.path), ...blob, media: typeof a.media_type === 'string' ? a.media_type : null });
    }
  }
  storeModelFiles(core, v, models);
  let versions: ImportedVersion[] = [];
  const origin = digest;
  const now = Date.now();
  await inTransaction(core.db, async (con) => {
    for (const p of plans) {
      const r = p.run;
      const id = str(r.run_id);
      await exec(
        con,
        `INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, deleted_at, deleted_by, delete_reason,
                           origin, signer, trust_state, last_activity)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, p.experimentId, str(r.run_name), str(r.user_id), str(r.status) || 'FINISHED', numOrNull(r.start_time) ?? 0, numOrNull(r.end_time),
          r.lifecycle_stage === 'deleted' ? 'deleted' : 'active', numOrNull(r.deleted_at), typeof r.deleted_by === 'string' ? r.deleted_by : null,
          typeof r.delete_reason === 'string' ? r.delete_reason : null, origin, principal ? `${principal} ${fpr}` : fpr, trustState, now],
      );
      for (const [k, val] of Object.entries(obj(r.tags))) await exec(con, 'INSERT INTO tags VALUES (?, ?, ?)', [id, k, String(val)]);
      for (const [k, val] of Object.entries(obj(json(v, `${p.prefix}run/params.json`)))) await exec(con, 'INSERT INTO params VALUES (?, ?, ?)', [id, k, String(val)]);
      const env = obj(json(v, `${p.prefix}env/context.json`));
      if (Object.keys(env).length) await insertRow(con, 'environments', env as JsonRow, { run_id: id }, 'replace');
      const code = obj(json(v, `${p.prefix}code/commit.json`));
      if (Object.keys(code).length) await insertRow(con, 'run_code', code as JsonRow, { run_id: id }, 'replace');
      const datasets = json(v, `${p.prefix}data-provenance/datasets.json`);
      for (const d of Array.isArray(datasets) ? datasets.filter(isObject) : []) {
        if (isObject(d.dataset)) await insertRow(con, 'datasets', d.dataset as JsonRow, {}, 'nothing');
        if (isObject(d.input)) await insertRow(con, 'run_inputs', d.input as JsonRow, { run_id: id }, 'nothing');
      }
    }
    for (const a of artifactRows) await exec(con, 'INSERT INTO artifacts VALUES (?, ?, ?, ?, ?, ?)', [a.runId, a.path, a.sha256, a.size, a.media, now]);
    // Model versions (issue #9) after their runs, in the same transaction: both or neither.
    const experimentOf = (runId: string): string => plans.find((p) => str(p.run.run_id) === runId)!.experimentId;
    versions = await insertModelVersions(core, con, models, experimentOf, digest, now);
    await core.audit.append(con, { action: 'bundle.import', target: { kind: 'bundle', id: digest }, details: { run_ids: runIds, signer: fpr, principal, trust_state: trustState, models: versions.map((x) => `${x.name}/${x.version}`) } });
    // This store now witnesses the signer's log: a checkpoint inconsistent with one seen before is a
    // fork, recorded loudly as evidence (it does not stop the import).
    if (v.audit) {
      const verdict = await witnessCheckpoint(core, con, { checkpoint: v.audit.checkpoint, note: v.audit.note, consistency: v.audit.consistency, bundleDigest: digest });
      if (verdict.verdict === 'fork') v.warnings.push(`W_FORK: the signer's audit log forked: ${verdict.reason}`);
    }
  });
  try {
    for (const p of plans) {
      const id = str(p.run.run_id);
      const staged = v.staged.get(`${p.prefix}run/metrics.parquet`);
      if (staged) await appendMetricsFromParquet(core, id, staged);
      core.runs.invalidate(id);
      await core.finalizeRun((await core.runs.get(id))!);
    }
    keepEvidence(core.dataDir, digest, v);
    await inTransaction(core.db, (con) =>
      exec(con, 'INSERT INTO bundle_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [digest, JSON.stringify(runIds), fpr, principal, trustState, path.resolve(file), now, safeUser()]),
    );
  } catch (err) {
    await removeModelVersions(core.db, models, versions);
    await removeRuns(core, runIds);
    throw err;
  }
  core.events.emit('runs.changed', runIds);
  return { runIds, versions };
}

/** The tag files and signatures exactly as they came, so the import can be re-proved later. */
function keepEvidence(dataDir: string, digest: string, v: VerifiedBundle): void {
  const dir = path.join(dataDir, 'bundles', digest.replace(/^rb1:sha256:/, ''));
  for (const [p, bytes] of v.tagFiles) {
    const dest = path.join(dir, ...p.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, bytes);
  }
}

async function removeRuns(core: Core, runIds: string[]): Promise<void> {
  await inTransaction(core.db, async (con) => {
    for (const id of runIds) {
      for (const t of ['params', 'tags', 'artifacts', 'environments', 'run_code', 'run_inputs', 'runs']) await exec(con, `DELETE FROM ${t} WHERE run_id = ?`, [id]);
    }
  }).catch(() => undefined);
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return '';
  }
}
