// The store side of a bundle's audit section: what export writes (prepareBundleAudit) and what
// import records as a witness of the signer's log (witnessCheckpoint). The file formats and checks
// themselves are pure, in bundle-proofs.ts and fork-detection.ts.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Core } from '../core';
import type { AuditSigner } from './audit-signer';
import { buildBundleAudit, type BundleAuditFiles } from './bundle-proofs';
import { insertWitness, latestCheckpoint, leafHashes, witnessed } from './audit-store';
import { eventsForRuns } from './run-history';
import { detectFork, type ConsistencyClaim, type ForkVerdict } from './fork-detection';
import type { ParsedCheckpoint } from './checkpoint-note';

/**
 * Export, step 3 of BUNDLE.md §4.6: appends `bundle.export` for the runs, makes a checkpoint signed
 * by the export's (unlocked) signer, and returns the data/audit/ files: the runs' events up to and
 * including that `bundle.export`, their inclusion proofs, the checkpoint and the consistency proof
 * from the previous export's checkpoint. The bundle's digest is not known yet (the manifests come
 * after); record it afterwards with recordAuditEvent(core, { action: 'bundle.exported', … }).
 */
export async function prepareBundleAudit(core: Core, runIds: readonly string[], o: { signer: AuditSigner; bundleId: string; details?: Record<string, string | number | boolean | null> }): Promise<BundleAuditFiles> {
  await core.audit.record({ action: 'bundle.export', target: { kind: 'bundle', id: o.bundleId }, details: { ...o.details, run_ids: [...runIds] } });
  const cp = await core.audit.checkpoint('export', o.signer);
  if (cp.signer_fpr !== o.signer.fingerprint) throw new Error(`the export's audit checkpoint could not be signed by ${o.signer.fingerprint}`);
  const con = core.db.reader;
  // The previous export by the same key: its checkpoint is what recipients of that bundle hold.
  const previous = await latestCheckpoint(con, `reason = 'export' AND signer_fpr = ? AND checkpoint_id < ?`, [o.signer.fingerprint, cp.checkpoint_id]);
  const events = await eventsForRuns(con, runIds, { before: cp.tree_size });
  return buildBundleAudit({
    events: events.map((e) => ({ seq: e.seq, json: e.event_json })),
    leaves: await leafHashes(con, cp.tree_size),
    checkpoint: cp.note,
    previous: previous && { treeSize: previous.tree_size, rootHash: Buffer.from(previous.root_hash), note: previous.note },
  });
}

/**
 * Import, step 15/16: judge the bundle's checkpoint against what this store has seen of that log,
 * store it, and on a fork append an `audit.fork` event. Pass the import's commit transaction.
 * A fork does not stop the import: it is evidence, recorded loudly (W_FORK).
 */
export async function witnessCheckpoint(
  core: Core,
  con: DuckDBConnection,
  a: { checkpoint: ParsedCheckpoint; note: string; consistency: ConsistencyClaim; bundleDigest: string | null },
): Promise<ForkVerdict> {
  const seen = await witnessed(con, a.checkpoint.origin);
  const verdict = detectFork(
    seen.map((s) => ({ treeSize: s.tree_size, rootHash: s.root_hash })),
    { treeSize: a.checkpoint.treeSize, rootHash: a.checkpoint.rootHash },
    a.consistency,
  );
  const evidence =
    verdict.verdict === 'fork'
      ? JSON.stringify({
          reason: verdict.reason,
          incoming: { tree_size: a.checkpoint.treeSize, root_hash: a.checkpoint.rootHash.toString('base64'), note: a.note },
          conflicting: { tree_size: verdict.conflicting.treeSize, root_hash: Buffer.from(verdict.conflicting.rootHash).toString('base64') },
          proof: a.consistency.proof.map((p) => Buffer.from(p).toString('base64')),
        })
      : null;
  await insertWitness(con, {
    origin: a.checkpoint.origin,
    tree_size: a.checkpoint.treeSize,
    root_hash: a.checkpoint.rootHash,
    note: a.note,
    bundle_digest: a.bundleDigest,
    seen_at: Date.now(),
    verdict: verdict.verdict,
    evidence,
  });
  if (verdict.verdict === 'fork') {
    await core.audit.append(con, {
      action: 'audit.fork',
      target: { kind: 'log', id: a.checkpoint.origin },
      details: { reason: verdict.reason, bundle_digest: a.bundleDigest, tree_size: a.checkpoint.treeSize },
    });
  }
  return verdict;
}
