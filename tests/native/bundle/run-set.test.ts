// A bundle of several runs (BUNDLE.md §4.2): data/runs/<run-id>/… and one Statement per run; it
// verifies, imports every run, and the Python reference verifier agrees.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../native/core';
import { TrustStore, identityOf } from '../../../native/keys';
import { exportBundle } from '../../../native/bundle/export-bundle';
import { importBundle } from '../../../native/bundle/import-bundle';
import { verifyBundle } from '../../../native/bundle/verify-bundle';
import { tempDir } from '../../helpers/test-server';
import { FIXED_CLOCK, readTree, seedRun, workstation, type Workstation } from './bundle-fixtures';
import { requireTools, run } from './tools';

let alice: Workstation;
let second: string;
let file: string;
let bob: Core;

beforeAll(async () => {
  alice = await workstation();
  second = await seedRun(alice.core, 'lgbm', Buffer.from('other weights'));
  file = path.join(tempDir(), 'set.runbundle');
  await exportBundle(alice.core, { runIds: [alice.runId, second], output: file, signer: alice.signer, now: FIXED_CLOCK });
  bob = await createCore({ dataDir: tempDir() });
});
afterAll(async () => {
  await alice.core.close();
  await bob.close();
});

describe('a bundle of two runs', () => {
  it('lays each run out under data/runs/<id>/ with its own Statement', () => {
    const names = [...readTree(fs.readFileSync(file)).keys()].map((n) => n.slice(n.indexOf('/') + 1));
    expect(names).toContain(`data/runs/${alice.runId}/run/params.json`);
    expect(names).toContain(`data/runs/${second}/run/metrics.parquet`);
    expect(names.filter((n) => n.startsWith('provenance/'))).toEqual([`provenance/${alice.runId}.statement.json`, `provenance/${second}.statement.json`].sort());
    expect(names).toContain('data/summary.md');
  });

  it('verifies and imports both runs', async () => {
    const trust = new TrustStore(bob.dataDir);
    trust.add(identityOf(alice.signer.publicKeyBlob, 'alice@lab.example', 'runledger-bundle-v1').allowedSigners);
    const report = await verifyBundle(file, { trust });
    expect(report.message).toBeNull();
    expect(report.runs.map((r) => r.run_name).sort()).toEqual(['lgbm', 'xgb-deep']);
    const r = await importBundle(bob, file, { trust });
    expect(r.outcome).toBe('imported');
    expect(r.run_ids.sort()).toEqual([alice.runId, second].sort());
    expect((await bob.artifacts.all(second)).map((a) => a.path)).toEqual(['model/weights ü.bin', 'plots/roc.txt']);
  });

  it.skipIf(!requireTools('python3'))('the Python reference verifier accepts it', () => {
    const allowed = path.join(tempDir(), 'allowed_signers');
    fs.writeFileSync(allowed, `${identityOf(alice.signer.publicKeyBlob, 'alice@lab.example', 'runledger-bundle-v1').allowedSigners}\n`);
    const r = run('python3', [path.resolve(__dirname, '../../../docs/verify_runbundle.py'), file, '--allowed-signers', allowed]);
    expect(r.stdout).toContain('VALID by alice@lab.example');
    expect(r.status).toBe(0);
  });
});
