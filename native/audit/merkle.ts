// RFC 6962 / RFC 9162 Merkle tree over SHA-256: leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right).
// Sizes are plain numbers: arithmetic instead of bit operators keeps them exact up to 2^53 (bitwise
// operators would wrap at 2^31).
import crypto from 'node:crypto';

export const HASH_BYTES = 32;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export const hashLeaf = (data: Uint8Array): Buffer => sha256(LEAF, data);
export const hashChildren = (left: Uint8Array, right: Uint8Array): Buffer => sha256(NODE, left, right);
/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = sha256();

const odd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** The largest power of two strictly below n (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * A tree over known leaf hashes that answers roots and proofs for any size up to its length. Complete,
 * aligned subtrees are hashed once into levels, so a proof costs O(log n) hashes after an O(n) build:
 * a bundle of a run with fifty events in a log of 100k needs fifty proofs, not fifty passes.
 */
export class MerkleTree {
  private readonly levels: Buffer[][];

  constructor(leafHashes: readonly Buffer[]) {
    this.levels = [leafHashes.slice()];
    for (let lv = this.levels[0]; lv.length > 1; ) {
      const up: Buffer[] = [];
      for (let i = 0; i + 1 < lv.length; i += 2) up.push(hashChildren(lv[i], lv[i + 1]));
      this.levels.push(up);
      lv = up;
    }
  }

  get size(): number {
    return this.levels[0].length;
  }

  /** MTH(D[0:size]). */
  root(size = this.size): Buffer {
    this.checkSize(size);
    return size === 0 ? EMPTY_ROOT : this.range(0, size);
  }

  /** PATH(index, D[0:size]) (RFC 6962 §2.1.1): sibling hashes from the leaf up. */
  inclusionProof(index: number, size = this.size): Buffer[] {
    this.checkSize(size);
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
    const out: Buffer[] = [];
    this.path(index, 0, size, out);
    return out;
  }

  /** PROOF(m, D[0:n]) (RFC 6962 §2.1.2). Empty when m is 0 or m = n. */
  consistencyProof(m: number, n = this.size): Buffer[] {
    this.checkSize(n);
    if (!Number.isInteger(m) || m < 0 || m > n) throw new RangeError(`cannot prove size ${m} against size ${n}`);
    const out: Buffer[] = [];
    if (m > 0 && m < n) this.subproof(m, 0, n, true, out);
    return out;
  }

  private checkSize(size: number): void {
    if (!Number.isInteger(size) || size < 0 || size > this.size) throw new RangeError(`tree size ${size} is outside 0..${this.size}`);
  }

  /** MTH of leaves [start, end); `start` is always aligned to the subtree RFC 6962's recursion asks for. */
  private range(start: number, end: number): Buffer {
    const n = end - start;
    if (n === 1) return this.levels[0][start];
    // A complete, aligned subtree is a stored node.
    const level = Math.log2(n);
    if (Number.isInteger(level) && start % n === 0) return this.levels[level][start / n];
    const k = splitPoint(n);
    return hashChildren(this.range(start, start + k), this.range(start + k, end));
  }

  private path(m: number, start: number, end: number, out: Buffer[]): void {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.path(m, start, start + k, out);
      out.push(this.range(start + k, end));
    } else {
      this.path(m - k, start + k, end, out);
      out.push(this.range(start, start + k));
    }
  }

  private subproof(m: number, start: number, end: number, whole: boolean, out: Buffer[]): void {
    const n = end - start;
    if (m === n) {
      if (!whole) out.push(this.range(start, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.subproof(m, start, start + k, whole, out);
      out.push(this.range(start + k, end));
    } else {
      this.subproof(m - k, start + k, end, false, out);
      out.push(this.range(start, start + k));
    }
  }
}

const isHash = (b: Uint8Array): boolean => b.length === HASH_BYTES;
const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;

/**
 * The walk both RFC 9162 verifiers share: up from node `fn` of a tree whose last node is `sn`, each
 * proof hash sits left of the running hash (`left`) or right of it (`right`). False when the proof
 * does not end exactly at the root.
 */
function walkPath(fn: number, sn: number, proof: readonly Uint8Array[], left: (p: Uint8Array) => void, right: (p: Uint8Array) => void): boolean {
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      left(p);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      right(p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0;
}

/** RFC 9162 §2.1.3.2: does `proof` place `leafHash` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(index: number, size: number, leafHash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  if (!isHash(leafHash) || !isHash(root) || !proof.every(isHash)) return false;
  let r: Uint8Array = leafHash;
  const ends = walkPath(index, size - 1, proof, (p) => (r = hashChildren(p, r)), (p) => (r = hashChildren(r, p)));
  return ends && same(r, root);
}

/** RFC 9162 §2.1.4.2: is the tree of size2 with root2 an append-only extension of size1 with root1? */
export function verifyConsistency(size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): boolean {
  if (!Number.isInteger(size1) || !Number.isInteger(size2) || size1 < 0 || size2 < size1) return false;
  if (!proof.every(isHash)) return false;
  if (size1 === size2) return proof.length === 0 && same(root1, root2);
  // Every tree extends the empty one; there is nothing to prove.
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0 || !isHash(root1) || !isHash(root2)) return false;
  // When size1 is a power of two, its root is a node of the new tree and the proof leaves it out.
  const path: Uint8Array[] = Number.isInteger(Math.log2(size1)) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // fr rebuilds the old root, sr the new one, from the same path.
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  const ends = walkPath(fn, sn, path.slice(1), (c) => ((fr = hashChildren(c, fr)), (sr = hashChildren(c, sr))), (c) => (sr = hashChildren(sr, c)));
  return ends && same(fr, root1) && same(sr, root2);
}

/**
 * The right edge of a growing tree (one hash per set bit of its size): appending is O(log n) and
 * gives the root at every size without keeping the leaves, which is what the append path needs.
 */
export class MerkleFrontier {
  private nodes: { hash: Buffer; leaves: number }[] = [];
  size = 0;

  static of(leafHashes: Iterable<Buffer>): MerkleFrontier {
    const f = new MerkleFrontier();
    for (const h of leafHashes) f.append(h);
    return f;
  }

  append(leafHash: Buffer): void {
    let node = { hash: leafHash, leaves: 1 };
    while (this.nodes.length > 0 && this.nodes[this.nodes.length - 1].leaves === node.leaves) {
      const left = this.nodes.pop()!;
      node = { hash: hashChildren(left.hash, node.hash), leaves: left.leaves * 2 };
    }
    this.nodes.push(node);
    this.size++;
  }

  root(): Buffer {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let r = this.nodes[this.nodes.length - 1].hash;
    for (let i = this.nodes.length - 2; i >= 0; i--) r = hashChildren(this.nodes[i].hash, r);
    return r;
  }

  clone(): MerkleFrontier {
    const f = new MerkleFrontier();
    f.nodes = this.nodes.slice();
    f.size = this.size;
    return f;
  }
}
