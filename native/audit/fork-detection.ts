// Witnessing another workstation's log: is an incoming checkpoint an append-only extension of the
// checkpoints of that log seen before? Pure: the caller loads what it saw and stores the verdict.
//
// A fork is proven, not suspected: two different roots for the same size, or a consistency proof
// that fails between a checkpoint we hold and the new one. When the bundle's proof starts at a size
// we never saw, nothing can be proven either way ('unproven'); an older checkpoint than the newest
// we hold is 'older'.
import { verifyConsistency } from './merkle';

export interface SeenCheckpoint {
  treeSize: number;
  rootHash: Uint8Array;
}

export interface ConsistencyClaim {
  /** The signer's previous exported checkpoint, as its bundle states it (null on a first export). */
  from: SeenCheckpoint | null;
  proof: readonly Uint8Array[];
}

export type ForkVerdict =
  | { verdict: 'first' | 'consistent' | 'older' | 'unproven'; reason: string }
  | { verdict: 'fork'; reason: string; conflicting: SeenCheckpoint };

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

export function detectFork(seen: readonly SeenCheckpoint[], incoming: SeenCheckpoint, claim: ConsistencyClaim): ForkVerdict {
  // The bundle's own claim: its previous checkpoint must extend to this one.
  if (claim.from && !verifyConsistency(claim.from.treeSize, incoming.treeSize, claim.proof, claim.from.rootHash, incoming.rootHash)) {
    return { verdict: 'fork', reason: `the log's checkpoint at size ${incoming.treeSize} is not an extension of its own previous checkpoint at size ${claim.from.treeSize}`, conflicting: claim.from };
  }
  for (const s of seen) {
    if (s.treeSize === incoming.treeSize && !same(s.rootHash, incoming.rootHash)) {
      return { verdict: 'fork', reason: `two different roots for tree size ${s.treeSize}: the history was rewritten`, conflicting: s };
    }
    if (claim.from && s.treeSize === claim.from.treeSize && !same(s.rootHash, claim.from.rootHash)) {
      return { verdict: 'fork', reason: `the bundle's previous checkpoint (size ${s.treeSize}) differs from the one seen earlier`, conflicting: s };
    }
  }
  if (seen.length === 0) return { verdict: 'first', reason: 'first checkpoint seen from this log' };
  const latest = seen.reduce((a, b) => (b.treeSize > a.treeSize ? b : a));
  if (latest.treeSize === incoming.treeSize) return { verdict: 'consistent', reason: 'the same checkpoint as seen before' };
  if (latest.treeSize > incoming.treeSize) return { verdict: 'older', reason: `older than the checkpoint at size ${latest.treeSize} seen before` };
  if (claim.from && claim.from.treeSize === latest.treeSize) {
    // from's root equals latest's (checked above), and the proof verified from it to the new root.
    return { verdict: 'consistent', reason: `extends the checkpoint at size ${latest.treeSize} seen before` };
  }
  return { verdict: 'unproven', reason: `no proof links the checkpoint at size ${latest.treeSize} seen before to size ${incoming.treeSize} (a bundle in between was not imported here)` };
}
