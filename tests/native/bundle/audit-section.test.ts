// The audit section of a bundle (BUNDLE.md §4.6 step 3, §4.8 step 15, issue #7's log): export
// carries the runs' events, their inclusion proofs and a checkpoint signed by the bundle's key;
// the verifier checks them (E_AUDIT_PROOF); import records the checkpoint as a witness.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../native/core';
import { TrustStore, identityOf } from '../../../native/keys';
import { exportBundle } from '../../../native/bundle/export-bundle';
import { importBundle } from '../../../native/bundle/import-bundle';
import { verifyBundle } from '../../../native/bundle/verify-bundle';
import { queryRows } from '../../../native/store/open-database';
import { tempDir } from '../../helpers/test-server';
import { exportGood, get, put, readTree, remanifest, resign, resubject, seedRun, strangerSigner, workstation, writeTree, type Workstation } from './bundle-fixtures';

let alice: Workstation;
let bob: { core: Core; trust: TrustStore };
let file: string;
const work = tempDir('runledger-audit-section-');

beforeAll(async () => {
  alice = await workstation();
  file = await exportGood(alice, path.join(work, 'with-audit.runbundle'), true);
  const dir = tempDir();
  const trust = new TrustStore(dir);
  trust.add(identityOf(alice.signer.publicKeyBlob, 'alice@lab.example', 'runledger-bundle-v1').allowedSigners);
  bob = { core: await createCore({ dataDir: dir }), trust };
});
afterAll(async () => {
  await alice.core.close();
  await bob.core.close();
});

describe('audit section', () => {
  it('carries the run\'s events with proofs and a checkpoint, and step 15 checks them', async () => {
    const names = [...readTree(fs.readFileSync(file)).keys()].map((n) => n.slice(n.indexOf('/') + 1));
    expect(names).toEqual(expect.arrayContaining(['data/audit/events.jsonl', 'data/audit/checkpoint.txt', 'data/audit/consistency.json']));
    expect(names.some((n) => /^data\/audit\/\d+\.tlog-proof$/.test(n))).toBe(true);
    const t = readTree(fs.readFileSync(file));
    expect(get(t, 'data/audit/events.jsonl').toString()).toMatch(/"action":"run.create"/);
    expect(get(t, 'data/audit/events.jsonl').toString()).toMatch(/"action":"bundle.export"/);
    const r = await verifyBundle(file, { trust: bob.trust });
    expect(r.message).toBeNull();
    expect(r.checks.find((c) => c.step === 15)?.detail).toMatch(/audit events included in the signer's log/);
  });

  it('an edited audit event (validly re-signed bag) → E_AUDIT_PROOF', async () => {
    const t = readTree(fs.readFileSync(file));
    put(t, 'data/audit/events.jsonl', get(t, 'data/audit/events.jsonl').toString().replace('"run.create"', '"run.created"'));
    remanifest(t);
    resubject(t);
    resign(t, alice.signer);
    const bad = path.join(work, 'edited-event.runbundle');
    fs.writeFileSync(bad, writeTree(t));
    expect((await verifyBundle(bad, { trust: bob.trust })).code).toBe('E_AUDIT_PROOF');
  });

  it("a bundle re-signed by another key no longer matches the checkpoint's signer → E_AUDIT_PROOF", async () => {
    const t = readTree(fs.readFileSync(file));
    resign(t, strangerSigner('alice@lab.example'));
    const bad = path.join(work, 'mallory.runbundle');
    fs.writeFileSync(bad, writeTree(t));
    expect((await verifyBundle(bad, { trust: bob.trust })).code).toBe('E_AUDIT_PROOF');
  });

  it('import witnesses the checkpoint; a later export of the same log is consistent with it', async () => {
    expect((await importBundle(bob.core, file, { trust: bob.trust })).outcome).toBe('imported');
    const second = await seedRun(alice.core, 'later');
    const later = path.join(work, 'later.runbundle');
    await exportBundle(alice.core, { runIds: [second], output: later, signer: alice.signer });
    const r = await importBundle(bob.core, later, { trust: bob.trust });
    expect(r.outcome).toBe('imported');
    expect(r.report.warnings.filter((w) => w.startsWith('W_FORK'))).toEqual([]);
    const rows = await queryRows<{ verdict: string }>(bob.core.db.reader, 'SELECT verdict FROM audit_witness ORDER BY witness_id');
    expect(rows.map((x) => x.verdict)).toEqual(['first', 'consistent']);
  });
});
