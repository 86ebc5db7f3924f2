// RFC 6962 Merkle tree: the reference vectors, corrupted proofs that must fail (the probes of
// transparency-dev/merkle's verify_test.go), and every proof of every tree of 1..64 leaves.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, hashLeaf, MerkleFrontier, MerkleTree, verifyConsistency, verifyInclusion } from '../../../native/audit/merkle';
import { CONSISTENCY, INCLUSION, LEAF_HASHES, LEAF_INPUTS, ROOTS } from './rfc6962-vectors';

const hex = (b: Buffer): string => b.toString('hex');
const h = (s: string): Buffer => Buffer.from(s, 'hex');
const leaves = LEAF_INPUTS.map((x) => hashLeaf(h(x)));

describe('RFC 6962 reference vectors', () => {
  it('hashes leaves with the 0x00 prefix', () => {
    expect(leaves.map(hex)).toEqual(LEAF_HASHES);
  });

  it('gives the reference root at every size 0..8', () => {
    const tree = new MerkleTree(leaves);
    for (let n = 0; n <= 8; n++) expect(hex(tree.root(n)), `size ${n}`).toBe(ROOTS[n]);
    expect(hex(EMPTY_ROOT)).toBe(ROOTS[0]);
  });

  it('produces and verifies the reference inclusion proofs', () => {
    const tree = new MerkleTree(leaves);
    for (const v of INCLUSION) {
      const proof = tree.inclusionProof(v.index, v.size);
      expect(proof.map(hex), `leaf ${v.index} of ${v.size}`).toEqual(v.proof);
      expect(verifyInclusion(v.index, v.size, leaves[v.index], proof, h(ROOTS[v.size]))).toBe(true);
    }
  });

  it('produces and verifies the reference consistency proofs', () => {
    const tree = new MerkleTree(leaves);
    for (const v of CONSISTENCY) {
      const proof = tree.consistencyProof(v.size1, v.size2);
      expect(proof.map(hex), `${v.size1} → ${v.size2}`).toEqual(v.proof);
      expect(verifyConsistency(v.size1, v.size2, proof, h(ROOTS[v.size1]), h(ROOTS[v.size2]))).toBe(true);
    }
  });

  it('rejects corrupted inclusion proofs', () => {
    const some = h('abacaba000000000000000000000000000000000000000000060061e00123456');
    for (const v of INCLUSION.filter((x) => x.proof.length > 0)) {
      const root = h(ROOTS[v.size]);
      const proof = v.proof.map(h);
      const leaf = leaves[v.index];
      const probes: [string, number, number, Buffer, Buffer[], Buffer][] = [
        ['index - 1', v.index - 1, v.size, leaf, proof, root],
        ['index + 1', v.index + 1, v.size, leaf, proof, root],
        ['index ^ 2', v.index ^ 2, v.size, leaf, proof, root],
        ['size * 2', v.index, v.size * 2, leaf, proof, root],
        ['size / 2', v.index, Math.floor(v.size / 2), leaf, proof, root],
        ['wrong leaf', v.index, v.size, Buffer.from('WrongLeaf'), proof, root],
        ['empty root', v.index, v.size, leaf, proof, EMPTY_ROOT],
        ['random root', v.index, v.size, leaf, proof, some],
        ['trailing garbage', v.index, v.size, leaf, [...proof, Buffer.alloc(0)], root],
        ['trailing root', v.index, v.size, leaf, [...proof, root], root],
        ['preceding root', v.index, v.size, leaf, [root, ...proof], root],
        ['removed component', v.index, v.size, leaf, proof.slice(0, -1), root],
        ...proof.map((_, i): [string, number, number, Buffer, Buffer[], Buffer] => {
          const bad = proof.map((p) => Buffer.from(p));
          bad[i][0] ^= 8;
          return [`flipped bit in proof[${i}]`, v.index, v.size, leaf, bad, root];
        }),
      ];
      for (const [desc, i, n, l, p, r] of probes) expect(verifyInclusion(i, n, l, p, r), `${desc} (leaf ${v.index} of ${v.size})`).toBe(false);
    }
  });

  it('rejects corrupted consistency proofs', () => {
    for (const v of CONSISTENCY.filter((x) => x.proof.length > 0)) {
      const [r1, r2] = [h(ROOTS[v.size1]), h(ROOTS[v.size2])];
      const proof = v.proof.map(h);
      const probes: [string, number, number, Buffer[], Buffer, Buffer][] = [
        ['size1 - 1', v.size1 - 1, v.size2, proof, r1, r2],
        ['size1 + 1', v.size1 + 1, v.size2, proof, r1, r2],
        ['size1 ^ 2', v.size1 ^ 2, v.size2, proof, r1, r2],
        ['size2 * 2', v.size1, v.size2 * 2, proof, r1, r2],
        ['size2 / 2', v.size1, Math.floor(v.size2 / 2), proof, r1, r2],
        ['wrong root1', v.size1, v.size2, proof, Buffer.from('WrongRoot'), r2],
        ['wrong root2', v.size1, v.size2, proof, r1, Buffer.from('WrongRoot')],
        ['swapped roots', v.size1, v.size2, proof, r2, r1],
        ['empty proof', v.size1, v.size2, [], r1, r2],
        ['trailing root1', v.size1, v.size2, [...proof, r1], r1, r2],
        ['trailing root2', v.size1, v.size2, [...proof, r2], r1, r2],
        ['preceding root1', v.size1, v.size2, [r1, ...proof], r1, r2],
        ['preceding root2', v.size1, v.size2, [r2, ...proof], r1, r2],
        ['preceding proof[0]', v.size1, v.size2, [proof[0], ...proof], r1, r2],
        ['truncated', v.size1, v.size2, proof.slice(0, -1), r1, r2],
        ...proof.map((_, i): [string, number, number, Buffer[], Buffer, Buffer] => {
          const bad = proof.map((p) => Buffer.from(p));
          bad[i][0] ^= 16;
          return [`flipped bit in proof[${i}]`, v.size1, v.size2, bad, r1, r2];
        }),
      ];
      for (const [desc, s1, s2, p, a, b] of probes) expect(verifyConsistency(s1, s2, p, a, b), `${desc} (${v.size1} → ${v.size2})`).toBe(false);
    }
  });

  it('treats the edge sizes as the reference verifier does', () => {
    const [r1, r2] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    expect(verifyConsistency(0, 0, [], r1, r1)).toBe(true);
    expect(verifyConsistency(0, 1, [], r1, r2)).toBe(true);
    expect(verifyConsistency(1, 1, [], r2, r2)).toBe(true);
    expect(verifyConsistency(1, 1, [], r1, r2)).toBe(false);
    expect(verifyConsistency(1, 0, [], r1, r2)).toBe(false);
    expect(verifyConsistency(1, 2, [], r1, r2)).toBe(false);
    expect(verifyConsistency(0, 1, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)).toBe(false);
    const one = hashLeaf(Buffer.from('data'));
    expect(verifyInclusion(0, 1, one, [], one)).toBe(true);
    expect(verifyInclusion(0, 1, one, [], Buffer.alloc(0))).toBe(false);
    expect(verifyInclusion(0, 0, one, [], EMPTY_ROOT)).toBe(false);
    expect(verifyInclusion(2, 1, one, [], one)).toBe(false);
  });
});

/** MTH by the RFC's recursive definition, independent of MerkleTree's level cache. */
function naiveRoot(l: Buffer[]): Buffer {
  if (l.length === 0) return EMPTY_ROOT;
  if (l.length === 1) return l[0];
  let k = 1;
  while (k * 2 < l.length) k *= 2;
  return crypto.createHash('sha256').update(Buffer.from([1])).update(naiveRoot(l.slice(0, k))).update(naiveRoot(l.slice(k))).digest();
}

describe('brute force over tree sizes 1..64', () => {
  const all = Array.from({ length: 64 }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));
  const tree = new MerkleTree(all);
  const frontier = new MerkleFrontier();

  it('every root, inclusion proof and consistency proof verifies, and no neighbour does', () => {
    for (let n = 1; n <= 64; n++) {
      frontier.append(all[n - 1]);
      const root = tree.root(n);
      expect(root.equals(naiveRoot(all.slice(0, n))), `root ${n}`).toBe(true);
      expect(frontier.root().equals(root), `frontier root ${n}`).toBe(true);
      expect(new MerkleTree(all.slice(0, n)).root().equals(root)).toBe(true);
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i, n);
        expect(verifyInclusion(i, n, all[i], proof, root), `leaf ${i} of ${n}`).toBe(true);
        if (n > 1) expect(verifyInclusion(i, n, all[(i + 1) % n], proof, root), `wrong leaf ${i} of ${n}`).toBe(false);
      }
      for (let m = 0; m <= n; m++) {
        const proof = tree.consistencyProof(m, n);
        const r1 = tree.root(m);
        expect(verifyConsistency(m, n, proof, r1, root), `${m} → ${n}`).toBe(true);
        if (m > 0 && m < n) {
          expect(verifyConsistency(m, n, proof, hashLeaf(Buffer.from('other')), root), `${m} → ${n} wrong old root`).toBe(false);
          expect(verifyConsistency(m, n, proof, r1, tree.root(n - 1)), `${m} → ${n} wrong new root`).toBe(false);
        }
      }
    }
  });
});
