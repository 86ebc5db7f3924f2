// BUNDLE.md §6/§7.1: every tamper case is refused with its exact error code, and a refused import
// writes nothing: the sentinel folders (where the bundle lies, and the importing data dir) are
// identical before and after, and the store has no new rows.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../native/core';
import { TrustStore, identityOf } from '../../../native/keys';
import { importBundle } from '../../../native/bundle/import-bundle';
import { verifyBundle } from '../../../native/bundle/verify-bundle';
import { queryRows } from '../../../native/store/open-database';
import { tempDir } from '../../helpers/test-server';
import { exportGood, get, put, readTree, resign, seedRun, snapshot, strangerSigner, workstation, writeTree, type Workstation } from './bundle-fixtures';
import { TAMPER_CASES } from './tamper-cases';
import { exportBundle } from '../../../native/bundle/export-bundle';

let alice: Workstation;
let good: Buffer;
let other: Buffer;
let importer: { dir: string; core: Core; trust: TrustStore };
const work = tempDir('runledger-sentinel-');

async function counts(core: Core): Promise<string> {
  const [r] = await queryRows<{ runs: number; arts: number; imports: number }>(
    core.db.reader,
    'SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM artifacts) AS arts, (SELECT count(*) FROM bundle_imports) AS imports',
  );
  return JSON.stringify(r);
}

/** Imports `bytes` and asserts the refusal, its code, and that nothing outside staging was written. */
async function refuses(name: string, bytes: Buffer, code: string): Promise<void> {
  const file = path.join(work, `${name.replace(/[^a-z0-9]+/gi, '-')}.runbundle`);
  fs.writeFileSync(file, bytes);
  const before = snapshot([work, importer.dir]);
  const rows = await counts(importer.core);
  const r = await importBundle(importer.core, file, { trust: importer.trust });
  expect(r.outcome, name).toBe('refused');
  expect(r.report.code, `${name}: ${r.report.message}`).toBe(code);
  expect(r.report.valid).toBe(false);
  expect(snapshot([work, importer.dir]), name).toEqual(before);
  expect(await counts(importer.core)).toBe(rows);
  // Staging is removed: nothing of the bundle stays anywhere.
  expect(fs.readdirSync(path.join(importer.dir, 'bundle-staging'))).toEqual([]);
}

beforeAll(async () => {
  alice = await workstation();
  good = fs.readFileSync(await exportGood(alice));
  const otherRun = await seedRun(alice.core, 'other-run');
  const otherFile = path.join(tempDir('runledger-out-'), 'other.runbundle');
  await exportBundle(alice.core, { runIds: [otherRun], output: otherFile, signer: alice.signer });
  other = fs.readFileSync(otherFile);
  const dir = tempDir('runledger-importer-');
  const trust = new TrustStore(dir);
  trust.add(identityOf(alice.signer.publicKeyBlob, 'alice@lab.example', 'runledger-bundle-v1').allowedSigners);
  importer = { dir, core: await createCore({ dataDir: dir }), trust };
  fs.mkdirSync(path.join(dir, 'bundle-staging'), { recursive: true });
});

afterAll(async () => {
  await alice.core.close();
  await importer.core.close();
});

describe('every tamper case of BUNDLE.md §6 is refused with its code', () => {
  it('the pristine bundle verifies as valid and trusted', async () => {
    const file = path.join(work, 'pristine.runbundle');
    fs.writeFileSync(file, good);
    const r = await verifyBundle(file, { trust: importer.trust });
    expect(r.message).toBeNull();
    expect(r.valid).toBe(true);
    expect(r.signer).toMatchObject({ trust_state: 'trusted', principal: 'alice@lab.example', fingerprint: alice.signer.fingerprint });
    expect(r.checks.map((c) => c.step)).toEqual([1, 8, 9, 10, 11, 12, 13, 14, 15]);
    fs.rmSync(file);
  });

  for (const c of TAMPER_CASES) {
    it(`${c.name} → ${c.code}`, async () => {
      await refuses(c.name, c.make(good, alice.signer, other), c.code);
    });
  }

  it('oversize archive → E_TOO_LARGE (configured maximum)', async () => {
    const file = path.join(work, 'big.runbundle');
    fs.writeFileSync(file, good);
    const r = await importBundle(importer.core, file, { trust: importer.trust, maxBytes: good.length - 1 });
    expect(r.report.code).toBe('E_TOO_LARGE');
    fs.rmSync(file);
  });

  it('100,001 entries → E_TOO_LARGE', async () => {
    const t = readTree(good);
    const root = [...t.keys()][0].split('/')[0];
    const extra = Array.from({ length: 100_001 - t.size }, (_, i) => ({ name: `${root}/data/many/f${i}`, data: Buffer.alloc(0) }));
    await refuses('many entries', writeTree(t, extra), 'E_TOO_LARGE');
  });

  it('a tag file of 16 MiB + 1 → E_TOO_LARGE', async () => {
    const t = readTree(good);
    put(t, 'VERIFY.txt', Buffer.alloc(16 * 1024 * 1024 + 1, 0x61));
    resign(t, alice.signer);
    await refuses('huge tag file', writeTree(t), 'E_TOO_LARGE');
  });
});

describe('trust flows (BUNDLE.md §7.1 item 3)', () => {
  it('a bundle re-signed by another key claiming to be Alice is valid but UNTRUSTED, and is not imported', async () => {
    const t = readTree(good);
    resign(t, strangerSigner('alice@lab.example'));
    const file = path.join(work, 'mallory.runbundle');
    fs.writeFileSync(file, writeTree(t));
    const before = snapshot([work, importer.dir]);
    const r = await importBundle(importer.core, file, { trust: importer.trust });
    expect(r.outcome).toBe('refused');
    expect(r.report.valid).toBe(true);
    expect(r.report.signer).toMatchObject({ trust_state: 'untrusted', principal: null, claimed_principal: 'alice@lab.example' });
    expect(r.report.signer!.fingerprint).not.toBe(alice.signer.fingerprint);
    expect(r.message).toMatch(/UNTRUSTED/);
    expect(snapshot([work, importer.dir])).toEqual(before);
    fs.rmSync(file);
  });

  it('the principal shown is the verifying key\'s, not what the bundle claims', async () => {
    const t = readTree(good);
    put(t, 'signatures/signer.pub', get(t, 'signatures/signer.pub').toString().replace('alice@lab.example', 'bob@lab.example'));
    const file = path.join(work, 'claims-bob.runbundle');
    fs.writeFileSync(file, writeTree(t));
    const r = await verifyBundle(file, { trust: importer.trust });
    expect(r.valid).toBe(true);
    expect(r.signer).toMatchObject({ principal: 'alice@lab.example', claimed_principal: 'bob@lab.example', trust_state: 'trusted' });
    fs.rmSync(file);
  });

  it('a revoked key → E_REVOKED', async () => {
    const dir = tempDir('runledger-revoker-');
    const trust = new TrustStore(dir);
    trust.add(identityOf(alice.signer.publicKeyBlob, 'alice@lab.example', 'runledger-bundle-v1').allowedSigners);
    trust.revoke(alice.signer.fingerprint);
    const file = path.join(work, 'revoked.runbundle');
    fs.writeFileSync(file, good);
    const r = await verifyBundle(file, { trust });
    expect(r.code).toBe('E_REVOKED');
    expect(r.signer?.trust_state).toBe('revoked');
    fs.rmSync(file);
  });
});
