// `runledger audit verify`: recompute every leaf and the tree from the stored events, and check each
// checkpoint's size, root and signature against them. Stops at nothing: it reports the first event
// that does not match (the one an auditor asks about) and the count of everything else wrong.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AuditProblem, AuditVerifyReport } from '../api/contract';
import { allEvents, checkpoints, forks, type CheckpointRow } from './audit-store';
import { columnMismatch, type AuditEvent } from './audit-event';
import { canonicalize } from './canonical-json';
import { hashLeaf, MerkleTree } from './merkle';
import { parseCheckpoint, verifyCheckpointSignature } from './checkpoint-note';

/** The report is the RPC's (native/api/contract.ts), produced here and handed out as is. */
export type VerifyProblem = AuditProblem;
export type AuditVerifyResult = AuditVerifyReport;

export interface VerifyOptions {
  /** Fingerprints whose signatures count (the workstation's own key; trusted keys). Others fail. */
  trustedFingerprints?: readonly string[];
}

export async function verifyAuditLog(con: DuckDBConnection, options: VerifyOptions = {}): Promise<AuditVerifyResult> {
  const rows = await allEvents(con);
  const cps = await checkpoints(con);
  const problems: VerifyProblem[] = [];
  const leaves: Buffer[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    // Every event is re-hashed from its JSON; the stored leaf_hash is only compared, never trusted.
    const fault = eventFault(row.seq, i, row.event_json, row.leaf_hash, () => columnMismatch(row, JSON.parse(row.event_json) as AuditEvent));
    if (fault) problems.push({ seq: i, checkpoint_size: null, reason: fault });
    leaves.push(hashLeaf(Buffer.from(row.event_json, 'utf8')));
  }
  const tree = new MerkleTree(leaves);
  const signers = new Set<string>();
  let signed = 0;
  for (const cp of cps) {
    const problem = checkpointFault(cp, tree, options, signers);
    if (problem === 'signed') signed++;
    else if (problem !== 'unsigned') problems.push({ seq: firstSeqAfterGood(cp, cps, problems), checkpoint_size: cp.tree_size, reason: problem });
  }
  const latest = cps[cps.length - 1] ?? null;
  // An event that fails its own checks is named exactly; a checkpoint mismatch only bounds where
  // the change is. So the exact one is the first failure whenever there is one.
  const bySeq = (a: VerifyProblem, b: VerifyProblem): number => (a.seq ?? Infinity) - (b.seq ?? Infinity);
  const first = problems.filter((p) => p.checkpoint_size === null).sort(bySeq)[0] ?? problems.slice().sort(bySeq)[0] ?? null;
  const ok = problems.length === 0;
  return {
    ok,
    state: !ok ? 'failed' : rows.length === 0 ? 'empty' : cps.length > 0 && signed === cps.length ? 'verified' : 'unsigned',
    event_count: rows.length,
    checkpoint_count: cps.length,
    signed_checkpoint_count: signed,
    latest_checkpoint: latest && {
      tree_size: latest.tree_size,
      root_hash: Buffer.from(latest.root_hash).toString('base64'),
      origin: latest.origin,
      signed: latest.signer_fpr !== null,
      signer_fpr: latest.signer_fpr,
      created_at: latest.created_at,
    },
    uncovered_events: Math.max(0, rows.length - (latest?.tree_size ?? 0)),
    first_failure: first,
    problems: problems.slice(0, 100),
    signers: [...signers],
    forks: (await forks(con)).map((f) => ({ origin: f.origin, seen_at: f.seen_at, bundle_digest: f.bundle_digest })),
    checked_at: Date.now(),
  };
}

/** What is wrong with the event stored at position `index`, or null. */
function eventFault(seq: number, index: number, json: string, leafHash: Uint8Array, columns: () => string | null): string | null {
  if (seq !== index) {
    return seq > index ? `event ${index} is missing (the next stored event is ${seq}): deleted` : `event ${seq} is stored twice`;
  }
  let parsed: AuditEvent;
  try {
    parsed = JSON.parse(json) as AuditEvent;
  } catch {
    return `event ${seq} is not valid JSON: edited`;
  }
  let canonical: string | null = null;
  try {
    canonical = canonicalize(parsed);
  } catch {
    /* reported below */
  }
  if (canonical !== json) return `event ${seq} is not in canonical form: edited outside Runledger`;
  if (parsed.seq !== seq) return `event ${seq} carries sequence number ${parsed.seq}: events were reordered or inserted`;
  if (!hashLeaf(Buffer.from(json, 'utf8')).equals(Buffer.from(leafHash))) return `event ${seq} does not match its leaf hash: edited`;
  const col = columns();
  if (col) return `event ${seq}: column ${col} differs from the hashed event: edited`;
  return null;
}

/** 'signed' | 'unsigned' when the checkpoint matches the recomputed tree, else what is wrong. */
function checkpointFault(cp: CheckpointRow, tree: MerkleTree, options: VerifyOptions, signers: Set<string>): string {
  const at = `checkpoint at size ${cp.tree_size}`;
  if (cp.tree_size > tree.size) return `${at}: only ${tree.size} events are stored, so events after ${tree.size - 1} were deleted`;
  if (!tree.root(cp.tree_size).equals(Buffer.from(cp.root_hash))) {
    return `${at}: the root recomputed from the stored events differs: an event at or before ${cp.tree_size - 1} was changed, inserted or removed`;
  }
  let parsed;
  try {
    parsed = parseCheckpoint(cp.note);
  } catch (err) {
    return `${at}: malformed note (${(err as Error).message})`;
  }
  if (parsed.treeSize !== cp.tree_size || !parsed.rootHash.equals(Buffer.from(cp.root_hash)) || parsed.origin !== cp.origin) {
    return `${at}: the note says size ${parsed.treeSize}, a different root or origin than its row`;
  }
  const sig = verifyCheckpointSignature(parsed, cp.public_key ? Buffer.from(cp.public_key, 'base64') : null);
  if (sig.state === 'unsigned') return cp.signer_fpr ? `${at}: claims signer ${cp.signer_fpr} but carries no signature` : 'unsigned';
  if (sig.state === 'invalid') return `${at}: ${sig.reason}`;
  if (cp.signer_fpr !== sig.fingerprint) return `${at}: signed by ${sig.fingerprint}, not ${cp.signer_fpr}`;
  if (options.trustedFingerprints && !options.trustedFingerprints.includes(sig.fingerprint)) return `${at}: signed by ${sig.fingerprint}, which is not this workstation's key`;
  signers.add(sig.fingerprint);
  return 'signed';
}

/** For a bad root, the best event to name: the first one after the last checkpoint that still matched. */
function firstSeqAfterGood(cp: CheckpointRow, all: CheckpointRow[], problems: VerifyProblem[]): number | null {
  const bad = new Set(problems.filter((p) => p.checkpoint_size !== null).map((p) => p.checkpoint_size));
  let from = 0;
  for (const c of all) if (c.tree_size < cp.tree_size && !bad.has(c.tree_size)) from = Math.max(from, c.tree_size);
  return cp.tree_size > from ? from : null;
}
