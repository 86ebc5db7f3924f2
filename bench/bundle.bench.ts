// `npm run bench:bundle`: export and verify a run bundle holding 1 GB of artifacts (BENCH_BUNDLE_MB
// changes the size). Prints MB/s for each; the target for verify is 300 MB/s, bounded by SHA-256.
// The SHA-256 line is the ceiling: node:crypto hashing the same bytes from memory, one core.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../native/core';
import { initKey, loadSigner } from '../native/keys';
import { exportBundle } from '../native/bundle/export-bundle';
import { verifyBundle } from '../native/bundle/verify-bundle';

const MB = Number(process.env.BENCH_BUNDLE_MB ?? 1024);
const FILES = 8;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-bench-bundle-'));
try {
  initKey(dir, { principal: 'bench@lab', passphrase: null });
  const signer = loadSigner(dir, null);
  const core = await createCore({ dataDir: dir });
  const runId = await core.runs.create({ experimentId: '0', userId: 'bench', runName: 'bench', startTime: Date.now(), tags: [] });
  // Artifacts from a random block, varied per file so every file has its own digest.
  const block = crypto.randomBytes(8 << 20);
  const perFile = Math.floor((MB << 20) / FILES);
  for (let f = 0; f < FILES; f++) {
    const src = path.join(dir, `src-${f}.bin`);
    const fd = fs.openSync(src, 'w');
    for (let left = perFile; left > 0; left -= block.length) {
      block.writeUInt32LE(f, 0);
      fs.writeSync(fd, block, 0, Math.min(left, block.length));
    }
    fs.closeSync(fd);
    await core.artifacts.put(runId, `checkpoints/epoch-${f}.pt`, fs.createReadStream(src), 'application/octet-stream', 1e12);
    fs.rmSync(src);
  }
  await core.finalizeRun(await core.runs.update(runId, { status: 'FINISHED', endTime: Date.now() }));
  const bytes = FILES * perFile;

  const out = path.join(dir, 'bench.runbundle');
  let t = performance.now();
  const res = await exportBundle(core, { runIds: [runId], output: out, signer });
  const exportS = (performance.now() - t) / 1000;

  t = performance.now();
  const report = await verifyBundle(out, {});
  const verifyS = (performance.now() - t) / 1000;
  if (!report.valid) throw new Error(`the bench bundle did not verify: ${report.message}`);

  t = performance.now();
  const staged = await verifyBundle(out, { stageDir: path.join(dir, 'staging') });
  const stageS = (performance.now() - t) / 1000;
  if (!staged.valid) throw new Error(`staging failed: ${staged.message}`);

  t = performance.now();
  const h = crypto.createHash('sha256');
  for (let done = 0; done < bytes; done += block.length) h.update(block);
  h.digest();
  const shaS = (performance.now() - t) / 1000;
  await core.close();

  const mbs = (s: number): string => ((bytes / 1e6) / s).toFixed(0).padStart(7);
  const row = (what: string, s: number, note = ''): string => `${what.padEnd(44)} ${s.toFixed(2).padStart(7)} s ${mbs(s)} MB/s  ${note}`;
  console.log(`\nRun bundle: ${(bytes / 1e6).toFixed(0)} MB of artifacts in ${FILES} files, bundle ${(res.bytes / 1e6).toFixed(0)} MB (${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores)`);
  console.log(`${'step'.padEnd(44)} ${'time'.padStart(9)} ${'speed'.padStart(12)}`);
  console.log(row('export (hash, write zip, self-verify)', exportS, '3 passes over the bytes'));
  console.log(row('verify (all 15 checks, payload streamed)', verifyS, verifyS > 0 && bytes / 1e6 / verifyS >= 300 ? 'target ≥ 300 MB/s: met' : 'target ≥ 300 MB/s: MISSED'));
  console.log(row('verify + stage payload (import path)', stageS));
  console.log(row('SHA-256 alone, from memory (ceiling)', shaS));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
