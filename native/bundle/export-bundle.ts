// Export (BUNDLE.md §4.6): snapshot the runs' payload (hashing as it goes), build the RO-Crate,
// manifests, bag-info and Statements, sign, write the ZIP (or folder) under a `.partial` name,
// self-verify it with the import verifier, and only then rename it into place. A crash leaves no
// half-written bundle under the final name. With a fixed clock the output is byte-identical.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core';
import type { Signer } from '../keys';
import { VERSION } from '../version';
import { bundleRootName, runSegment } from './bag-paths';
import { BAGIT_TXT, BUNDLE_FORMAT, digestLabel } from './bundle-constants';
import { collectRun, removeTemp, type CollectedRun } from './collect-run';
import { collectModels, loadModelRecords, type ModelRef } from './collect-models';
import { formatManifest } from './manifest';
import { type BagFile, bufferFile } from './payload-file';
import { buildCrate, CRATE_FILE } from './ro-crate';
import { signTagFiles } from './sign-bag';
import { buildStatement } from './statement';
import { summaryMarkdown } from './summary-md';
import { verifyBundle } from './verify-bundle';
import { verifyText } from './verify-txt';
import { writeZip } from './zip-writer';
import { prepareBundleAudit } from '../audit/bundle-audit';
import { auditFilesFor } from '../audit/bundle-proofs';

export interface ExportProgress {
  phase: 'collect' | 'write' | 'verify' | 'done';
  bytes_done: number;
  bytes_total: number;
}

export interface ExportOptions {
  runIds: readonly string[];
  /** The `.runbundle` file, or with `folder` the folder that receives `run-…/`. */
  output: string;
  folder?: boolean;
  signer: Signer;
  /** The clock for Bagging-Date and the bag's identifier (tests fix it for byte-identical output). */
  now?: Date;
  onProgress?: (p: ExportProgress) => void;
  /**
   * Carry the runs' audit events, their inclusion proofs and a fresh signed checkpoint in
   * data/audit/ (default). The section records this export itself, so byte-identical re-exports
   * (a fixed clock) leave it out.
   */
  audit?: boolean;
  /** Model versions to carry (issue #9); their source runs are exported too, added if not in runIds. */
  models?: readonly ModelRef[];
}

export interface ExportResult {
  path: string;
  digest: string;
  bytes: number;
  files: number;
  run_ids: string[];
  models: ModelRef[];
}

export class ExportError extends Error {}

export async function exportBundle(core: Core, o: ExportOptions): Promise<ExportResult> {
  const models = await loadModelRecords(core, o.models ?? []);
  const ids = [...new Set([...o.runIds, ...models.map((m) => m.source_run_id)])];
  if (ids.length === 0) throw new ExportError('no runs to export');
  const rows = [];
  for (const id of ids) {
    const row = await core.runs.get(id);
    if (!row) throw new ExportError(`no run with id ${id}`);
    rows.push(row);
  }
  const output = path.resolve(o.output);
  if (fs.existsSync(output)) throw new ExportError(`${output} already exists; choose another name`);
  const now = o.now ?? new Date();
  const root = bundleRootName(ids);
  const partial = `${output}.partial-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const tmp = `${partial}.tmp`;
  const progress = o.onProgress ?? (() => undefined);
  const modelBytes = models.flatMap((m) => m.model_files).reduce((n, f) => n + f.size, 0);
  const artifactBytes = (await Promise.all(ids.map((id) => core.artifacts.all(id)))).flat().reduce((n, a) => n + a.size, modelBytes);
  let done = 0;
  progress({ phase: 'collect', bytes_done: 0, bytes_total: artifactBytes });
  try {
    fs.mkdirSync(tmp, { recursive: true });
    const runs: CollectedRun[] = [];
    for (const row of rows) {
      const prefix = rows.length === 1 ? 'data/' : `data/runs/${runSegment(row.run_id)}/`;
      const onBytes = (n: number): void => progress({ phase: 'collect', bytes_done: (done += n), bytes_total: artifactBytes });
      const run = await collectRun(core, row, prefix, root, tmp, onBytes);
      const mine = await collectModels(models.filter((m) => m.source_run_id === row.run_id), prefix, root, onBytes);
      run.files.push(...mine.files);
      run.models = mine.models;
      runs.push(run);
    }
    if (o.audit ?? true) await addAuditFiles(core, runs, o.signer, root, now);
    const tree = buildTree(runs, root, o.signer, now);
    checkDiskSpace(path.dirname(output), tree.reduce((n, f) => n + f.size, 0));
    const total = tree.reduce((n, f) => n + f.size, 0);
    let written = 0;
    const onBytes = (n: number): void => progress({ phase: 'write', bytes_done: (written += n), bytes_total: total });
    if (o.folder) await writeFolder(path.join(partial, root), tree, onBytes);
    else {
      await writeZip(partial, tree.map((f) => ({ name: `${root}/${f.path}`, size: f.size, crc32: f.crc32, source: f.source })), onBytes);
    }
    // Self-check with the import verifier: what we hand out must pass what we would accept.
    const report = await verifyBundle(partial, {
      trustedKey: o.signer.publicKeyBlob,
      onProgress: (d, t) => progress({ phase: 'verify', bytes_done: d, bytes_total: t }),
    });
    if (!report.valid) throw new ExportError(`the written bundle failed its own verification: ${report.message}`);
    fs.renameSync(partial, output);
    progress({ phase: 'done', bytes_done: total, bytes_total: total });
    return { path: output, digest: report.digest!, bytes: o.folder ? total : fs.statSync(output).size, files: tree.length, run_ids: ids, models: models.map((m) => m.ref) };
  } finally {
    removeTemp(tmp);
    fs.rmSync(partial, { recursive: true, force: true });
  }
}

/** BUNDLE.md §4.6 step 3: a bundle.export event, a checkpoint signed now, proofs into each run's audit/ folder. */
async function addAuditFiles(core: Core, runs: CollectedRun[], signer: Signer, root: string, now: Date): Promise<void> {
  const files = await prepareBundleAudit(core, runs.map((r) => r.row.run_id), { signer, bundleId: bagUuid(root, runs, now) });
  for (const r of runs) {
    const mine = runs.length === 1 ? files : auditFilesFor(files, r.row.run_id);
    for (const [name, text] of Object.entries(mine).sort(([a], [b]) => (a < b ? -1 : 1))) r.files.push(bufferFile(`${r.prefix}audit/${name}`, text));
  }
}

/** The bag's External-Identifier: derived from its content and clock, so fixed-clock exports repeat it. */
function bagUuid(root: string, runs: CollectedRun[], now: Date): string {
  const h = crypto.createHash('sha256').update(`${root}\n${runs.map((r) => r.row.run_id).join('\n')}\n${now.toISOString()}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Every file of the bag, sorted by path, signatures included. */
function buildTree(runs: CollectedRun[], root: string, signer: Signer, now: Date): BagFile[] {
  const date = now.toISOString().slice(0, 10);
  const runFiles = runs.flatMap((r) => r.files);
  const summary = bufferFile('data/summary.md', summaryMarkdown(runs, signer.fingerprint, signer.principal), { mediaType: 'text/markdown' });
  const crate = bufferFile(CRATE_FILE, buildCrate(runs, [...runFiles, summary], signer, date), { mediaType: 'application/ld+json' });
  const payload = [...runFiles, summary, crate];
  const shared = [summary, crate];
  const manifest = formatManifest(payload.map((f) => ({ sha256: f.sha256, path: f.path })));
  const oxum = `${payload.reduce((n, f) => n + f.size, 0)}.${payload.length}`;
  const bagInfo = [
    `Bag-Software-Agent: runledger ${VERSION}`,
    `Bagging-Date: ${date}`,
    `Bundle-Format: ${BUNDLE_FORMAT}`,
    `External-Identifier: ${bagUuid(root, runs, now)}`,
    `Payload-Oxum: ${oxum}`,
    `Runledger-Run-Ids: ${runs.map((r) => r.row.run_id).join(',')}`,
    `Signer-Key-Fingerprint: ${signer.fingerprint}`,
    `Signer-Principal: ${signer.principal}`,
  ].join('\n');
  const statements = runs.map((r) => {
    const subjects = [...r.files, ...shared].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    const name = runs.length === 1 ? root : runSegment(r.row.run_id);
    return bufferFile(`provenance/${name}.statement.json`, buildStatement(r, subjects, signer.fingerprint));
  });
  const tagFiles = [
    bufferFile('bagit.txt', BAGIT_TXT),
    bufferFile('bag-info.txt', `${bagInfo}\n`),
    bufferFile('manifest-sha256.txt', manifest),
    bufferFile('VERIFY.txt', verifyText(root, 'rb1:sha256:<this hash>')),
    ...statements,
  ];
  const all = [...payload, ...tagFiles, ...signTagFiles(tagFiles, signer)];
  return all.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

async function writeFolder(dir: string, tree: readonly BagFile[], onBytes: (n: number) => void): Promise<void> {
  for (const f of tree) {
    const dest = path.join(dir, ...f.path.split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if ('data' in f.source) fs.writeFileSync(dest, f.source.data, { flag: 'wx' });
    else await fs.promises.copyFile(f.source.file, dest, fs.constants.COPYFILE_EXCL);
    onBytes(f.size);
  }
}

function checkDiskSpace(dir: string, bytes: number): void {
  try {
    const s = fs.statfsSync(dir);
    const free = s.bavail * s.bsize;
    if (free < bytes + 64 * 1024 * 1024) throw new ExportError(`not enough free disk space in ${dir}: the bundle needs about ${bytes} bytes, ${free} are free`);
  } catch (err) {
    if (err instanceof ExportError) throw err;
  }
}

export { digestLabel };
