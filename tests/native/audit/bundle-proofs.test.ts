// The audit part of a bundle: produced at export, checked at import (inclusion of every event in
// the signed checkpoint, consistency with the previous export), and fork detection when two bundles
// of one log disagree about its history.
import fs from 'node:fs';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initKey, loadSigner, signerFromPrivateKey, type Signer } from '../../../native/keys';
import { createCore, type Core } from '../../../native/core';
import { inTransaction } from '../../../native/store/open-database';
import { prepareBundleAudit, witnessCheckpoint } from '../../../native/audit/bundle-audit';
import { auditFilesFor, buildBundleAudit, parseTlogProof, verifyBundleAudit, type BundleAuditFiles } from '../../../native/audit/bundle-proofs';
import { detectFork } from '../../../native/audit/fork-detection';
import { hashLeaf, MerkleTree } from '../../../native/audit/merkle';
import { logOrigin, signCheckpoint } from '../../../native/audit/checkpoint-note';
import { verifyAuditLog } from '../../../native/audit/verify-log';
import { tempDir } from '../../helpers/test-server';
import { makeHistory } from './support';

const dirs: string[] = [];
const dir = (): string => {
  const d = tempDir('runledger-bp-');
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The import side: check a bundle's audit files and witness its checkpoint, in one transaction. */
async function importAudit(importer: Core, files: BundleAuditFiles, signer: Signer, digest: string) {
  const check = verifyBundleAudit(files, signer.publicKey);
  if (!check.ok) throw new Error(check.message);
  return inTransaction(importer.db, (con) =>
    witnessCheckpoint(importer, con, { checkpoint: check.checkpoint, note: files['checkpoint.txt'], consistency: check.consistency, bundleDigest: digest }),
  );
}

describe('bundle audit files', () => {
  let exporter: Core;
  let importer: Core;
  let signer: Signer;
  let runIds: string[];
  let exporterDir: string;
  let first: BundleAuditFiles;

  beforeAll(async () => {
    exporterDir = dir();
    initKey(exporterDir, { principal: 'alice@lab.example', passphrase: null });
    signer = loadSigner(exporterDir, null);
    exporter = await createCore({ dataDir: exporterDir, auditCheckpointEvery: 1000 });
    importer = await createCore({ dataDir: dir() });
    ({ runIds } = await makeHistory(exporter));
  });
  afterAll(async () => {
    await exporter.close();
    await importer.close();
  });

  it("carry the run's events with inclusion proofs into a signed checkpoint, and verify", async () => {
    first = await prepareBundleAudit(exporter, [runIds[0]], { signer, bundleId: 'urn:uuid:1' });
    const check = verifyBundleAudit(first, signer.publicKey);
    expect(check.ok).toBe(true);
    // The bundle verifier holds the signer as an SSH wire blob or an OpenSSH line: both work.
    expect(verifyBundleAudit(first, signer.publicKeyBlob).ok).toBe(true);
    expect(verifyBundleAudit(first, `ssh-ed25519 ${signer.publicKeyBlob.toString('base64')} alice`).ok).toBe(true);
    if (!check.ok) return;
    expect(check.events.map((e) => e.action)).toEqual(['run.create', 'run.tag.set', 'run.finish', 'run.note.edit', 'run.soft_delete', 'bundle.export']);
    expect(check.events.every((e) => e.target.id === runIds[0] || e.action === 'bundle.export')).toBe(true);
    expect(check.consistency).toEqual({ from: null, proof: [] });
    const p = parseTlogProof(first[`${check.events[0].seq}.tlog-proof`]);
    expect(p.checkpoint).toBe(first['checkpoint.txt']);
    expect(first['checkpoint.txt'].startsWith(`${logOrigin(signer.fingerprint)}\n`)).toBe(true);
    expect(await importAudit(importer, first, signer, 'd1')).toMatchObject({ verdict: 'first' });
  });

  it('carry a consistency proof from the previous export, which a witness checks', async () => {
    await exporter.runs.setTags(runIds[1], [{ key: 'reviewed', value: 'yes' }]);
    const second = await prepareBundleAudit(exporter, [runIds[1]], { signer, bundleId: 'urn:uuid:2' });
    const consistency = JSON.parse(second['consistency.json']);
    expect(consistency.from.checkpoint).toBe(first['checkpoint.txt']);
    expect(consistency.proof.length).toBeGreaterThan(0);
    expect(await importAudit(importer, second, signer, 'd2')).toMatchObject({ verdict: 'consistent' });
    // The older bundle again: nothing to prove, kept as seen.
    expect(await importAudit(importer, first, signer, 'd1')).toMatchObject({ verdict: 'older' });
  });

  it('split per run for a bundle of several runs, each part verifying on its own', async () => {
    const both = await prepareBundleAudit(exporter, runIds, { signer, bundleId: 'urn:uuid:both' });
    for (const id of runIds) {
      const part = auditFilesFor(both, id);
      const check = verifyBundleAudit(part, signer.publicKey);
      expect(check.ok).toBe(true);
      if (check.ok) expect(check.events.every((e) => e.target.id === id || (e.details.run_ids as string[]).includes(id))).toBe(true);
    }
    expect(await importAudit(importer, both, signer, 'd-both')).toMatchObject({ verdict: 'consistent' });
  });

  it('are rejected with E_AUDIT_PROOF when an event, a proof or the key is wrong', () => {
    const seq = first['events.jsonl'].split('\n')[0].match(/"seq":(\d+)/)![1];
    const edited = { ...first, 'events.jsonl': first['events.jsonl'].replace('"run.create"', '"run.restore"') };
    expect(verifyBundleAudit(edited, signer.publicKey)).toMatchObject({ ok: false, code: 'E_AUDIT_PROOF' });
    const noProof = { ...first };
    delete noProof[`${seq}.tlog-proof`];
    expect(verifyBundleAudit(noProof, signer.publicKey)).toMatchObject({ ok: false, message: `${seq}.tlog-proof is missing` });
    const other = signerFromPrivateKey(crypto.generateKeyPairSync('ed25519').privateKey, 'mallory@lab.example');
    expect(verifyBundleAudit(first, other.publicKey)).toMatchObject({ ok: false, code: 'E_AUDIT_PROOF' });
    const dropped = { ...first, 'events.jsonl': first['events.jsonl'].split('\n').slice(1).join('\n') };
    expect(verifyBundleAudit(dropped, signer.publicKey).ok).toBe(true); // carrying fewer events is allowed; each still proves itself
  });

  it('expose a forked history: the same key signing two different trees of the same size', async () => {
    // A copy of the exporter's store after the second export, then both continue differently.
    await exporter.close();
    const forkDir = dir();
    fs.cpSync(exporterDir, forkDir, { recursive: true });
    exporter = await createCore({ dataDir: exporterDir });
    const forked = await createCore({ dataDir: forkDir });
    try {
      await exporter.runs.setTags(runIds[1], [{ key: 'verdict', value: 'approved' }]);
      await forked.runs.setTags(runIds[1], [{ key: 'verdict', value: 'rejected' }]);
      const honest = await prepareBundleAudit(exporter, [runIds[1]], { signer, bundleId: 'urn:uuid:3' });
      const rewritten = await prepareBundleAudit(forked, [runIds[1]], { signer, bundleId: 'urn:uuid:3' });
      expect(await importAudit(importer, honest, signer, 'd3')).toMatchObject({ verdict: 'consistent' });
      const verdict = await importAudit(importer, rewritten, signer, 'd3-forged');
      expect(verdict.verdict).toBe('fork');
      const report = await verifyAuditLog(importer.db.reader);
      expect(report.forks).toEqual([expect.objectContaining({ origin: logOrigin(signer.fingerprint), bundle_digest: 'd3-forged' })]);
      expect((await importer.db.reader.runAndReadAll(`SELECT count(*) AS n FROM audit_event WHERE action = 'audit.fork'`)).getRowObjects()[0].n).toBe(1n);
    } finally {
      await forked.close();
    }
  });
});

describe('detectFork', () => {
  const leaves = Array.from({ length: 12 }, (_, i) => hashLeaf(Buffer.from(`e${i}`)));
  const tree = new MerkleTree(leaves);
  const other = new MerkleTree([...leaves.slice(0, 5), ...Array.from({ length: 7 }, (_, i) => hashLeaf(Buffer.from(`x${i}`)))]);
  const cp = (t: MerkleTree, n: number) => ({ treeSize: n, rootHash: t.root(n) });

  it('accepts an extension proven from the checkpoint seen before', () => {
    expect(detectFork([cp(tree, 4)], cp(tree, 9), { from: cp(tree, 4), proof: tree.consistencyProof(4, 9) }).verdict).toBe('consistent');
    expect(detectFork([], cp(tree, 9), { from: null, proof: [] }).verdict).toBe('first');
    expect(detectFork([cp(tree, 9)], cp(tree, 9), { from: cp(tree, 4), proof: tree.consistencyProof(4, 9) }).verdict).toBe('consistent');
  });

  it('calls older and unprovable checkpoints what they are, not forks', () => {
    expect(detectFork([cp(tree, 9)], cp(tree, 6), { from: cp(tree, 4), proof: tree.consistencyProof(4, 6) }).verdict).toBe('older');
    expect(detectFork([cp(tree, 4)], cp(tree, 11), { from: cp(tree, 9), proof: tree.consistencyProof(9, 11) }).verdict).toBe('unproven');
  });

  it('proves forks: two roots for one size, a previous checkpoint that differs, a proof that fails', () => {
    expect(detectFork([cp(tree, 9)], cp(other, 9), { from: null, proof: [] }).verdict).toBe('fork');
    expect(detectFork([cp(tree, 9)], cp(other, 11), { from: cp(other, 9), proof: other.consistencyProof(9, 11) }).verdict).toBe('fork');
    // The bundle claims other(11) extends tree(4)... it shares the first 5 leaves, so it does; but not tree(6).
    expect(detectFork([cp(tree, 4)], cp(other, 11), { from: cp(tree, 4), proof: other.consistencyProof(4, 11) }).verdict).toBe('consistent');
    expect(detectFork([cp(tree, 6)], cp(other, 11), { from: cp(tree, 6), proof: other.consistencyProof(6, 11) }).verdict).toBe('fork');
  });
});

describe('buildBundleAudit', () => {
  it('refuses a checkpoint that does not match the leaves', async () => {
    const signer = signerFromPrivateKey(crypto.generateKeyPairSync('ed25519').privateKey, 'a@b');
    const leaves = [hashLeaf(Buffer.from('{}'))];
    const note = await signCheckpoint({ origin: logOrigin(signer.fingerprint), treeSize: 1, rootHash: hashLeaf(Buffer.from('other')) }, signer);
    expect(() => buildBundleAudit({ events: [], leaves, checkpoint: note, previous: null })).toThrow(/root does not match/);
  });
});
