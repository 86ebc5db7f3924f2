// Browsing a bundle without importing it (issue #6: `bundle.browse`, `bundle.series`,
// `bundle.artifact`, `runledger open`): a real export of a seeded run, browsed from a colleague's
// data dir. Runs, params, metrics and artifacts come back; a series is downsampled from the bundle's
// Parquet and matches the stored points; a tampered bundle is refused with its code; artifact and
// run arguments cannot reach other files; the store is never touched.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../../native/api/contract';
import { createHandlers } from '../../../native/api/handlers';
import { createCore, type Core } from '../../../native/core';
import { queryRows } from '../../../native/store/open-database';
import { tempDir } from '../../helpers/test-server';
import { cli } from '../importers/support';
import { exportGood, get, put, readTree, snapshot, workstation, writeTree, type Workstation } from './bundle-fixtures';

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const f64 = (b64: string): number[] => [...new Float64Array(Uint8Array.from(Buffer.from(b64, 'base64')).buffer)];

let alice: Workstation;
let bob: Core;
let api: ApiHandlers;
let bundle: string;
let tampered: string;

async function storeCounts(core: Core): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['runs', 'params', 'tags', 'metrics', 'artifacts', 'bundle_imports', 'experiments']) {
    const [r] = await queryRows<{ n: number }>(core.db.reader, `SELECT count(*)::DOUBLE AS n FROM ${t}`);
    out[t] = Number(r.n);
  }
  return out;
}

beforeAll(async () => {
  alice = await workstation();
  await alice.core.artifacts.put(alice.runId, 'plots/curve.png', Readable.from([PNG]), 'image/png', 1e9);
  const out = tempDir('runledger-browse-');
  bundle = await exportGood(alice, path.join(out, 'alice.runbundle'));
  const t = readTree(fs.readFileSync(bundle));
  put(t, 'data/run/params.json', get(t, 'data/run/params.json').toString().replace('0.03', '0.04'));
  tampered = path.join(out, 'tampered.runbundle');
  fs.writeFileSync(tampered, writeTree(t));
  bob = await createCore({ dataDir: tempDir() });
  api = createHandlers(bob);
});
afterAll(async () => {
  await alice.core.close();
  await bob.close();
});

describe('bundle.browse', () => {
  it('lists the runs with params, final metrics, metric series and artifacts, and leaves the store alone', async () => {
    const before = await storeCounts(bob);
    const artifactsBefore = snapshot([path.join(bob.dataDir, 'artifacts')].filter((d) => fs.existsSync(d)));
    const b = await api['bundle.browse']({ path: bundle });
    expect(b.report.valid).toBe(true);
    expect(b.report.signer?.trust_state).toBe('untrusted'); // browsing needs no trust: the bytes are intact
    const [run] = b.report.runs;
    expect(run.run_id).toBe(alice.runId);
    expect(run.params).toEqual({ lr: '0.03', max_depth: '8' });
    expect(run.metrics.map((m) => m.key).sort()).toEqual(['loss', 'val_auc']);
    expect(run.artifacts.map((a) => a.path).sort()).toEqual(['model/weights ü.bin', 'plots/curve.png', 'plots/roc.txt']);
    expect(b.series[alice.runId]).toEqual([{ key: 'loss', points: 50 }, { key: 'val_auc', points: 50 }]);

    await api['bundle.series']({ path: bundle, run: alice.runId, key: 'loss', width: 800 });
    await api['bundle.artifact']({ path: bundle, run: alice.runId, artifact: 'plots/roc.txt' });
    expect(await storeCounts(bob)).toEqual(before);
    expect(snapshot([path.join(bob.dataDir, 'artifacts')].filter((d) => fs.existsSync(d)))).toEqual(artifactsBefore);
  });

  it('serves a series downsampled from the bundle, equal to the stored points at full resolution', async () => {
    const full = await api['bundle.series']({ path: bundle, run: alice.runId, key: 'loss', width: 800 });
    expect(full.bucket_size).toBe(1);
    expect(full.points).toBe(50);
    expect(full.nan).toBe(1); // the NaN is a marker, never a line point
    const stored = await alice.core.metrics.series(alice.runId, 'loss');
    const finite = [...stored.value.keys()].filter((i) => Number.isFinite(stored.value[i]));
    expect(f64(full.step)).toEqual(finite.map((i) => stored.step[i]));
    expect(f64(full.value)).toEqual(finite.map((i) => stored.value[i]));

    const small = await api['bundle.series']({ path: bundle, run: alice.runId, key: 'val_auc', width: 4 });
    expect(small.bucket_size).toBeGreaterThan(1);
    expect(small.points).toBe(50);
    const values = f64(small.value);
    expect(values.length).toBeLessThan(50);
    // Min/max kept per bucket: the extremes and the last point survive downsampling.
    const auc = await alice.core.metrics.series(alice.runId, 'val_auc');
    expect(Math.max(...values)).toBe(Math.max(...auc.value));
    expect(Math.min(...values)).toBe(Math.min(...auc.value));
    expect(values.at(-1)).toBe(auc.value.at(-1));
  });

  it('previews artifacts from the bundle by the path the run lists', async () => {
    const p = await api['bundle.artifact']({ path: bundle, run: alice.runId, artifact: 'plots/roc.txt' });
    expect(p).toMatchObject({ kind: 'text', path: 'plots/roc.txt', text: 'auc 0.87\n', truncated: false });
    const w = await api['bundle.artifact']({ path: bundle, run: alice.runId, artifact: 'model/weights ü.bin' });
    expect(w).toMatchObject({ kind: 'text', text: 'model weights\n' });
    // Images travel inline: the raw route serves the store only, and nothing of a bundle is stored.
    const img = await api['bundle.artifact']({ path: bundle, run: alice.runId, artifact: 'plots/curve.png' });
    expect(img).toMatchObject({ kind: 'image', media_type: 'image/png', url: `data:image/png;base64,${PNG.toString('base64')}` });
  });

  it('refuses artifact and run arguments that name anything else', async () => {
    for (const artifact of ['../../../../etc/passwd', '/etc/passwd', 'data/run/params.json', '../run/params.json', 'artifacts/plots/roc.txt', 'plots/../plots/roc.txt']) {
      await expect(api['bundle.artifact']({ path: bundle, run: alice.runId, artifact }), artifact).rejects.toThrow(/has no artifact/);
    }
    await expect(api['bundle.artifact']({ path: bundle, run: '../data', artifact: 'plots/roc.txt' })).rejects.toThrow(/has no run/);
    await expect(api['bundle.series']({ path: bundle, run: alice.runId, key: 'nope', width: 100 })).rejects.toThrow(/no metric 'nope'/);
    await expect(api['bundle.browse']({ path: 'relative.runbundle' })).rejects.toThrow(/absolute path/);
  });

  it('refuses a tampered bundle with its error code on every call', async () => {
    await expect(api['bundle.browse']({ path: tampered })).rejects.toThrow(/^E_PAYLOAD_DIGEST: /);
    await expect(api['bundle.series']({ path: tampered, run: alice.runId, key: 'loss', width: 100 })).rejects.toThrow(/E_PAYLOAD_DIGEST/);
    await expect(api['bundle.artifact']({ path: tampered, run: alice.runId, artifact: 'plots/roc.txt' })).rejects.toThrow(/E_PAYLOAD_DIGEST/);
  });

  it('stages once per path and mtime under the data dir, and cleans up on close', async () => {
    const core = await createCore({ dataDir: tempDir() });
    const h = createHandlers(core);
    const root = path.join(core.dataDir, 'bundle-browse');
    const staged = (): string[] => fs.readdirSync(root).flatMap((p) => fs.readdirSync(path.join(root, p)));
    await h['bundle.browse']({ path: bundle });
    await h['bundle.series']({ path: bundle, run: alice.runId, key: 'loss', width: 100 });
    expect(staged()).toHaveLength(1);
    const copy = path.join(tempDir(), 'copy.runbundle');
    fs.copyFileSync(bundle, copy);
    await h['bundle.browse']({ path: copy });
    expect(staged()).toHaveLength(2);
    fs.utimesSync(copy, new Date(), new Date(Date.now() + 5000)); // a newer file: verified again
    await h['bundle.browse']({ path: copy });
    await new Promise((r) => setTimeout(r, 50));
    expect(staged()).toHaveLength(2);
    await core.close();
    expect(fs.readdirSync(root)).toEqual([]);
  });
});

describe('runledger open', () => {
  it('prints each run with its params and final metrics, importing nothing', async () => {
    const before = await storeCounts(bob);
    const r = await cli(['open', bundle, '--data', bob.dataDir]);
    expect(r.code).toBe(3); // valid, untrusted signer
    expect(r.out).toContain(`xgb-deep (${alice.runId})`);
    expect(r.out).toMatch(/params: {2}lr=0\.03, max_depth=8/);
    expect(r.out).toMatch(/metrics: .*loss=[\d.e-]+ \(step 49\)/);
    expect(r.out).toMatch(/metrics: .*val_auc=0\.7\d* \(step 49\)/);
    expect(await storeCounts(bob)).toEqual(before);
  });
});
