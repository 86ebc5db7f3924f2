// BUNDLE.md §7.1 item 7: random byte flips and truncations of a good bundle are never accepted with
// changed content (a bundle that still verifies has the original signed digest, so the same bytes),
// and never crash the verifier. Seeded, so a failure reproduces.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore, identityOf } from '../../../native/keys';
import { verifyBundle } from '../../../native/bundle/verify-bundle';
import { tempDir } from '../../helpers/test-server';
import { exportGood, workstation, type Workstation } from './bundle-fixtures';

let alice: Workstation;
let good: Buffer;
let trust: TrustStore;
let digest: string;
const work = tempDir('runledger-fuzz-');

/** mulberry32: a tiny seeded generator. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  alice = await workstation();
  good = fs.readFileSync(await exportGood(alice));
  trust = new TrustStore(tempDir());
  trust.add(identityOf(alice.signer.publicKeyBlob, 'alice@lab.example', 'runledger-bundle-v1').allowedSigners);
  const file = path.join(work, 'good.runbundle');
  fs.writeFileSync(file, good);
  digest = (await verifyBundle(file, { trust })).digest!;
});
afterAll(() => alice.core.close());

describe('random damage', () => {
  it('byte flips: either refused with a code, or the original signed content', async () => {
    const rand = rng(20261126);
    const file = path.join(work, 'flip.runbundle');
    let refused = 0;
    for (let i = 0; i < 150; i++) {
      const b = Buffer.from(good);
      for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) b[Math.floor(rand() * b.length)] ^= 1 + Math.floor(rand() * 255);
      fs.writeFileSync(file, b);
      const r = await verifyBundle(file, { trust });
      if (r.valid) expect(r.digest).toBe(digest);
      else {
        expect(r.code).toMatch(/^E_[A-Z_]+$/);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(100);
  });

  it('truncations are always refused', async () => {
    const rand = rng(7);
    const file = path.join(work, 'cut.runbundle');
    for (let i = 0; i < 40; i++) {
      fs.writeFileSync(file, good.subarray(0, Math.floor(rand() * good.length)));
      const r = await verifyBundle(file, { trust });
      expect(r.valid).toBe(false);
      expect(r.code).toBe('E_ZIP_STRUCTURE');
    }
  });
});
