// docs/verify_audit_proofs.py, the auditor's stdlib-only check of a bundle's audit proofs, agrees
// with our verifier: a good data/audit/ passes, an edited event or a wrong consistency proof fails.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { signerFromPrivateKey } from '../../../native/keys';
import { buildBundleAudit, type BundleAuditFiles } from '../../../native/audit/bundle-proofs';
import { checkpointText, logOrigin, signCheckpoint } from '../../../native/audit/checkpoint-note';
import { canonicalize } from '../../../native/audit/canonical-json';
import { hashLeaf, MerkleTree } from '../../../native/audit/merkle';
import { tempDir } from '../../helpers/test-server';

const SCRIPT = path.resolve(__dirname, '../../../docs/verify_audit_proofs.py');
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const havePython = python.status === 0;
if (!havePython) {
  if (process.env.CI) throw new Error('python3 is required in CI for the reference verifier test');
  console.warn(`SKIPPED: python3 not found (${python.error?.message}); docs/verify_audit_proofs.py is not exercised`);
}

async function files(size: number, carried: number[], previous: number): Promise<BundleAuditFiles> {
  const signer = signerFromPrivateKey(crypto.generateKeyPairSync('ed25519').privateKey, 'alice@lab.example');
  const events = Array.from({ length: size }, (_, seq) => ({ seq, json: canonicalize({ v: 1, seq, action: 'run.tag.set', details: { n: seq, s: 'ü' } }) }));
  const leaves = events.map((e) => hashLeaf(Buffer.from(e.json)));
  const tree = new MerkleTree(leaves);
  const origin = logOrigin(signer.fingerprint);
  return buildBundleAudit({
    events: carried.map((i) => events[i]),
    leaves,
    checkpoint: await signCheckpoint({ origin, treeSize: size, rootHash: tree.root() }, signer),
    previous: { treeSize: previous, rootHash: tree.root(previous), note: checkpointText({ origin, treeSize: previous, rootHash: tree.root(previous) }) },
  });
}

function run(f: BundleAuditFiles): { code: number | null; out: string } {
  const dir = tempDir('runledger-pyv-');
  for (const [name, text] of Object.entries(f)) fs.writeFileSync(path.join(dir, name), text);
  const r = spawnSync('python3', [SCRIPT, dir], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe.skipIf(!havePython)('docs/verify_audit_proofs.py', () => {
  it('accepts good proofs for many tree shapes', async () => {
    for (const [size, carried, previous] of [[1, [0], 1], [7, [0, 3, 6], 4], [13, [5, 12], 8], [33, [0, 31, 32], 17]] as const) {
      const r = run(await files(size, [...carried], previous));
      expect(r.code, r.out).toBe(0);
      expect(r.out.match(/^OK/gm)?.length).toBe(carried.length + 1); // each event, and the consistency proof
    }
  });

  it('rejects an edited event and a consistency proof that does not hold', async () => {
    const f = await files(13, [5, 12], 8);
    const edited = run({ ...f, 'events.jsonl': f['events.jsonl'].replace('"n":5', '"n":6') });
    expect(edited.code).toBe(1);
    expect(edited.out).toContain('FAIL event 5');
    const c = JSON.parse(f['consistency.json']);
    c.from.root_hash = Buffer.alloc(32, 7).toString('base64');
    const bad = run({ ...f, 'consistency.json': JSON.stringify(c) });
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('FAIL size 13 extends');
  });
});
