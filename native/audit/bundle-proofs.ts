// The audit section of a run bundle (BUNDLE.md §4.2, §4.9, step 15 of §4.8), as files under
// data/audit/:
//   events.jsonl         the canonical events about the bundle's runs, one per line, in log order
//   <seq>.tlog-proof     per event: C2SP tlog-proof (index, inclusion proof, the checkpoint)
//   checkpoint.txt       the signed checkpoint the proofs lead to
//   consistency.json     proof that this checkpoint extends the previous export's
// Producing and checking are pure functions over text, so the writer, the import verifier and tests
// share them; prepareBundleAudit() gathers the inputs from a store.
import { canonicalize } from './canonical-json';
import { hashLeaf, MerkleTree, verifyInclusion } from './merkle';
import { parseCheckpoint, verifyCheckpointSignature, type ParsedCheckpoint } from './checkpoint-note';
import { rawEd25519, type PublicKeyLike } from './audit-signer';
import type { AuditEvent } from './audit-event';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface BundleAuditInput {
  /** The events to carry: seq and exact canonical JSON. */
  events: { seq: number; json: string }[];
  /** Leaf hashes of the whole log up to the checkpoint's size. */
  leaves: Buffer[];
  /** The signed checkpoint (note text + signature) over `leaves`. */
  checkpoint: string;
  /** The previous export's checkpoint (null on the first export). */
  previous: { treeSize: number; rootHash: Buffer; note: string } | null;
}

/** data/audit/ file name → content. */
export type BundleAuditFiles = Record<string, string>;

export function formatTlogProof(index: number, proof: readonly Uint8Array[], checkpoint: string): string {
  return `${TLOG_PROOF_HEADER}\nindex ${index}\n${proof.map((p) => `${Buffer.from(p).toString('base64')}\n`).join('')}\n${checkpoint}`;
}

export function parseTlogProof(text: string): { index: number; proof: Buffer[]; checkpoint: string } {
  const lines = text.split('\n');
  if (lines[0] !== TLOG_PROOF_HEADER) throw new Error(`not a ${TLOG_PROOF_HEADER} proof`);
  let i = 1;
  if (lines[i]?.startsWith('extra ')) i++;
  const m = /^index (0|[1-9][0-9]*)$/.exec(lines[i] ?? '');
  if (!m) throw new Error('tlog-proof: missing index line');
  const proof: Buffer[] = [];
  for (i++; i < lines.length && lines[i] !== ''; i++) {
    const h = Buffer.from(lines[i], 'base64');
    if (h.length !== 32 || h.toString('base64') !== lines[i]) throw new Error(`tlog-proof: bad hash line ${JSON.stringify(lines[i])}`);
    proof.push(h);
  }
  if (i >= lines.length) throw new Error('tlog-proof: no checkpoint after the proof');
  return { index: Number(m[1]), proof, checkpoint: lines.slice(i + 1).join('\n') };
}

export function buildBundleAudit(input: BundleAuditInput): BundleAuditFiles {
  const cp = parseCheckpoint(input.checkpoint);
  if (cp.treeSize !== input.leaves.length) throw new Error(`checkpoint size ${cp.treeSize} does not match ${input.leaves.length} leaves`);
  const tree = new MerkleTree(input.leaves);
  if (!tree.root().equals(cp.rootHash)) throw new Error('the checkpoint root does not match the leaves');
  const files: BundleAuditFiles = {};
  files['events.jsonl'] = input.events.map((e) => `${e.json}\n`).join('');
  for (const e of input.events) files[`${e.seq}.tlog-proof`] = formatTlogProof(e.seq, tree.inclusionProof(e.seq), input.checkpoint);
  files['checkpoint.txt'] = input.checkpoint;
  const prev = input.previous && input.previous.treeSize <= cp.treeSize ? input.previous : null;
  files['consistency.json'] = `${canonicalize({
    from: prev ? { tree_size: prev.treeSize, root_hash: prev.rootHash.toString('base64'), checkpoint: prev.note } : null,
    to: { tree_size: cp.treeSize, root_hash: cp.rootHash.toString('base64') },
    proof: prev ? tree.consistencyProof(prev.treeSize).map((p) => p.toString('base64')) : [],
  })}\n`;
  return files;
}

/**
 * The part of a multi-run bundle's audit files that concerns one run (for `data/runs/<id>/audit/`):
 * its events and their proofs, with the same checkpoint and consistency proof.
 */
export function auditFilesFor(files: BundleAuditFiles, runId: string): BundleAuditFiles {
  const lines = (files['events.jsonl'] ?? '').split('\n').filter((l) => l !== '');
  const mine = lines.filter((l) => {
    const e = JSON.parse(l) as AuditEvent;
    const ids = (e.details as { run_ids?: unknown }).run_ids;
    return (e.target.kind === 'run' && e.target.id === runId) || (Array.isArray(ids) && ids.includes(runId));
  });
  const out: BundleAuditFiles = { 'events.jsonl': mine.map((l) => `${l}\n`).join(''), 'checkpoint.txt': files['checkpoint.txt'], 'consistency.json': files['consistency.json'] };
  for (const l of mine) {
    const name = `${(JSON.parse(l) as AuditEvent).seq}.tlog-proof`;
    out[name] = files[name];
  }
  return out;
}

export type BundleAuditCheck =
  | {
      ok: true;
      checkpoint: ParsedCheckpoint;
      events: AuditEvent[];
      consistency: { from: { treeSize: number; rootHash: Buffer } | null; proof: Buffer[] };
    }
  | { ok: false; code: 'E_AUDIT_PROOF'; message: string };

const fail = (message: string): BundleAuditCheck => ({ ok: false, code: 'E_AUDIT_PROOF', message });

/**
 * Step 15 of the import verifier, minus the witness part: every event line is canonical and its leaf
 * is included in checkpoint.txt through its own tlog-proof (whose checkpoint is the same text), and
 * the checkpoint is signed by `signerKey` (the key that signed the bundle). The consistency proof is
 * parsed here and judged by detectFork() against what this store has seen of the log.
 */
export function verifyBundleAudit(files: BundleAuditFiles, signerKey: PublicKeyLike): BundleAuditCheck {
  const cpText = files['checkpoint.txt'];
  if (cpText === undefined) return fail('data/audit/checkpoint.txt is missing');
  let cp: ParsedCheckpoint;
  try {
    cp = parseCheckpoint(cpText);
  } catch (err) {
    return fail(`checkpoint.txt: ${(err as Error).message}`);
  }
  const sig = verifyCheckpointSignature(cp, rawEd25519(signerKey));
  if (sig.state !== 'valid') return fail(`checkpoint.txt: ${sig.state === 'unsigned' ? 'not signed' : sig.reason}`);
  const lines = (files['events.jsonl'] ?? '').split('\n');
  if (lines.pop() !== '') return fail('events.jsonl must end with a newline');
  const events: AuditEvent[] = [];
  let lastSeq = -1;
  for (const line of lines) {
    let e: AuditEvent;
    try {
      e = JSON.parse(line) as AuditEvent;
    } catch {
      return fail('events.jsonl: a line is not JSON');
    }
    if (canonicalize(e) !== line) return fail(`events.jsonl: event ${e.seq} is not canonical`);
    if (!Number.isSafeInteger(e.seq) || e.seq <= lastSeq) return fail('events.jsonl: events are not in log order');
    lastSeq = e.seq;
    const proofText = files[`${e.seq}.tlog-proof`];
    if (proofText === undefined) return fail(`${e.seq}.tlog-proof is missing`);
    let p;
    try {
      p = parseTlogProof(proofText);
    } catch (err) {
      return fail(`${e.seq}.tlog-proof: ${(err as Error).message}`);
    }
    if (p.index !== e.seq || p.checkpoint !== cpText) return fail(`${e.seq}.tlog-proof: index or checkpoint differs from the bundle's`);
    if (!verifyInclusion(e.seq, cp.treeSize, hashLeaf(Buffer.from(line, 'utf8')), p.proof, cp.rootHash)) {
      return fail(`event ${e.seq} is not in the log at checkpoint size ${cp.treeSize}`);
    }
    events.push(e);
  }
  let consistency;
  try {
    const c = JSON.parse(files['consistency.json'] ?? 'null') as { from: { tree_size: number; root_hash: string } | null; to: { tree_size: number; root_hash: string }; proof: string[] };
    if (c.to.tree_size !== cp.treeSize || c.to.root_hash !== cp.rootHash.toString('base64')) return fail('consistency.json does not end at checkpoint.txt');
    consistency = {
      from: c.from ? { treeSize: c.from.tree_size, rootHash: Buffer.from(c.from.root_hash, 'base64') } : null,
      proof: c.proof.map((h) => Buffer.from(h, 'base64')),
    };
  } catch {
    return fail('consistency.json is missing or malformed');
  }
  return { ok: true, checkpoint: cp, events, consistency };
}
