// One fixture per row of BUNDLE.md §6 and per case listed in §7.1 item 2, each built by mutating a
// good bundle at tree or byte level, with the exact error code the verifier must give.
import type { Signer } from '../../../native/keys';
import { S_IFLNK } from '../../../native/bundle/zip-format';
import { LOCAL_HEADER_SIZE } from '../../../native/bundle/zip-format';
import { crc, del, get, patchEntry, put, readTree, remanifest, resign, resignTagmanifestAs, resubject, rootOf, sha256, strangerSigner, writeTree, zipEntries, type Tree } from './bundle-fixtures';

export interface TamperCase {
  name: string;
  code: string;
  /** The auditor's §5.1 script must fail on it too (cases signed validly on purpose are excluded). */
  auditorFails: boolean;
  make(good: Buffer, alice: Signer, other: Buffer): Buffer;
}

const tree = (good: Buffer, f: (t: Tree) => void): Buffer => {
  const t = readTree(good);
  f(t);
  return writeTree(t);
};
/** Adds a raw entry (any name, any mode) beside the good ones. */
const withEntry = (good: Buffer, name: (root: string) => string, data = Buffer.from('x'), mode?: number): Buffer => {
  const t = readTree(good);
  return writeTree(t, [{ name: name(rootOf(t)), data, mode }]);
};
const firstPayload = (good: Buffer): string => zipEntries(good).find((e) => e.name.includes('/data/run/params.json'))!.name;

export const TAMPER_CASES: TamperCase[] = [
  { name: 'payload byte changed', code: 'E_PAYLOAD_DIGEST', auditorFails: true, make: (g) => tree(g, (t) => put(t, 'data/run/params.json', get(t, 'data/run/params.json').toString().replace('0.03', '0.04'))) },
  { name: 'payload file missing', code: 'E_MISSING_FILE', auditorFails: true, make: (g) => tree(g, (t) => del(t, 'data/summary.md')) },
  { name: 'extra payload file', code: 'E_EXTRA_FILE', auditorFails: true, make: (g) => tree(g, (t) => put(t, 'data/artifacts/extra.bin', 'smuggled')) },
  { name: 'fetch.txt present', code: 'E_EXTRA_FILE', auditorFails: true, make: (g) => tree(g, (t) => put(t, 'fetch.txt', 'https://evil.example/x 1 data/x\n')) },
  { name: 'extra signature file', code: 'E_EXTRA_FILE', auditorFails: true, make: (g) => tree(g, (t) => put(t, 'signatures/extra.sig', 'x')) },
  {
    name: 'manifests regenerated, not re-signed', code: 'E_SIGNATURE', auditorFails: true,
    make: (g) => tree(g, (t) => {
      put(t, 'data/run/params.json', '{"lr":"0.5"}\n');
      remanifest(t);
      const root = rootOf(t);
      const lines = get(t, 'tagmanifest-sha256.txt').toString().split('\n').filter(Boolean).map((l) => {
        const p = l.slice(66);
        return `${sha256(t.get(`${root}/${p}`)!)}  ${p}`;
      });
      put(t, 'tagmanifest-sha256.txt', `${lines.join('\n')}\n`);
    }),
  },
  {
    name: "Alice's signature pasted onto other content", code: 'E_SIGNATURE', auditorFails: true,
    make: (g, _a, other) => {
      const t = readTree(other);
      const src = readTree(g);
      for (const f of ['tagmanifest-sha256.txt.sig', 'tagmanifest-sha256.txt.sshsig']) put(t, `signatures/${f}`, get(src, `signatures/${f}`));
      return writeTree(t);
    },
  },
  { name: 'wrong namespace', code: 'E_SIGNATURE', auditorFails: true, make: (g, alice) => tree(g, (t) => put(t, 'signatures/tagmanifest-sha256.txt.sshsig', sshsigOther(alice, get(t, 'tagmanifest-sha256.txt')))) },
  { name: 'raw signature from another key', code: 'E_SIGNATURE', auditorFails: false, make: (g) => tree(g, (t) => put(t, 'signatures/tagmanifest-sha256.txt.sig', strangerSigner('x@y').sign(get(t, 'tagmanifest-sha256.txt')))) },
  { name: 'DSSE payload differs from the statement', code: 'E_STATEMENT', auditorFails: false, make: (g) => tree(g, (t) => put(t, 'signatures/provenance.intoto.jsonl', editEnvelope(get(t, 'signatures/provenance.intoto.jsonl'), (e) => (e.payload = Buffer.from('{}').toString('base64'))))) },
  { name: 'unknown DSSE payloadType', code: 'E_STATEMENT', auditorFails: false, make: (g) => tree(g, (t) => put(t, 'signatures/provenance.intoto.jsonl', editEnvelope(get(t, 'signatures/provenance.intoto.jsonl'), (e) => (e.payloadType = 'application/json')))) },
  {
    name: 'statement subjects differ from the manifest (validly signed)', code: 'E_STATEMENT', auditorFails: false,
    make: (g, alice) => tree(g, (t) => {
      const p = [...t.keys()].find((n) => n.includes('/provenance/'))!.slice(rootOf(t).length + 1);
      const st = JSON.parse(get(t, p).toString());
      st.subject.pop();
      put(t, p, `${JSON.stringify(st, null, 2)}\n`);
      resign(t, alice);
    }),
  },
  ...['../x', '/abs', 'C:/x', '..\\x', '{root}/data/a:b', '{root}/data/CON.txt', '{root}/data/trailing.', '{root}/data/../../x', '{root}/data/-dash'].map(
    (bad): TamperCase => ({ name: `bad path ${bad}`, code: 'E_BAD_PATH', auditorFails: false, make: (g) => withEntry(g, (root) => bad.replace('{root}', root)) }),
  ),
  { name: 'symlink entry', code: 'E_LINK', auditorFails: true, make: (g) => withEntry(g, (root) => `${root}/data/link`, Buffer.from('/etc/passwd'), S_IFLNK | 0o777) },
  { name: 'duplicate name', code: 'E_DUPLICATE', auditorFails: false, make: (g) => withEntry(g, () => firstPayload(g), Buffer.from('{"lr":"9"}\n')) },
  { name: 'case-colliding names', code: 'E_DUPLICATE', auditorFails: false, make: (g) => withEntry(g, () => firstPayload(g).replace('params.json', 'PARAMS.json')) },
  {
    name: 'overlapping entries', code: 'E_OVERLAP', auditorFails: false,
    make: (g) => { const es = zipEntries(g); return patchEntry(g, es[1].name, (b, e) => b.writeUInt32LE(es[0].lfhPos, e.cdPos + 42)); },
  },
  {
    name: 'lying size (runs into the next entry)', code: 'E_OVERLAP', auditorFails: false,
    make: (g) => patchEntry(g, firstPayload(g), (b, e) => { for (const [pos, off] of [[e.cdPos, 20], [e.cdPos, 24], [e.lfhPos, 18], [e.lfhPos, 22]]) b.writeUInt32LE(e.size + 1000, pos + off); }),
  },
  {
    name: 'bomb: uncompressed size larger than stored', code: 'E_RATIO', auditorFails: false,
    make: (g) => patchEntry(g, firstPayload(g), (b, e) => { b.writeUInt32LE(1e9, e.cdPos + 24); b.writeUInt32LE(1e9, e.lfhPos + 22); }),
  },
  { name: 'truncated zip', code: 'E_ZIP_STRUCTURE', auditorFails: false, make: (g) => g.subarray(0, g.length - 100) },
  { name: 'garbage', code: 'E_ZIP_STRUCTURE', auditorFails: false, make: () => Buffer.from('this is not a zip file at all, just words '.repeat(10)) },
  { name: 'prepended junk (polyglot)', code: 'E_ZIP_STRUCTURE', auditorFails: false, make: (g) => Buffer.concat([Buffer.from('#!/bin/sh\necho hi\n'), g]) },
  { name: 'archive comment', code: 'E_ZIP_STRUCTURE', auditorFails: false, make: (g) => { const b = Buffer.concat([g, Buffer.from('hello')]); b.writeUInt16LE(5, g.length - 2); return b; } },
  { name: 'encrypted flag', code: 'E_ZIP_STRUCTURE', auditorFails: false, make: (g) => patchEntry(g, firstPayload(g), (b, e) => { b.writeUInt16LE(b.readUInt16LE(e.cdPos + 8) | 1, e.cdPos + 8); b.writeUInt16LE(b.readUInt16LE(e.lfhPos + 6) | 1, e.lfhPos + 6); }) },
  { name: 'DEFLATE entry', code: 'E_ZIP_STRUCTURE', auditorFails: false, make: (g) => patchEntry(g, firstPayload(g), (b, e) => { b.writeUInt16LE(8, e.cdPos + 10); b.writeUInt16LE(8, e.lfhPos + 8); }) },
  {
    name: 'local header name differs from the central directory', code: 'E_ZIP_STRUCTURE', auditorFails: false,
    make: (g) => patchEntry(g, firstPayload(g), (b, e) => { const at = e.lfhPos + LOCAL_HEADER_SIZE + b.readUInt16LE(e.lfhPos + 26) - 4; b.write('JSON', at, 'latin1'); }),
  },
  { name: 'tag file changed (VERIFY.txt)', code: 'E_TAG_DIGEST', auditorFails: true, make: (g) => tree(g, (t) => put(t, 'VERIFY.txt', 'run ./evil.sh to verify\n')) },
  { name: 'CRLF manifest (validly signed)', code: 'E_MANIFEST_FORMAT', auditorFails: false, make: (g, a) => tree(g, (t) => { put(t, 'manifest-sha256.txt', get(t, 'manifest-sha256.txt').toString().replace(/\n/g, '\r\n')); resign(t, a); }) },
  { name: 'uppercase hex (validly signed)', code: 'E_MANIFEST_FORMAT', auditorFails: false, make: (g, a) => tree(g, (t) => { put(t, 'manifest-sha256.txt', get(t, 'manifest-sha256.txt').toString().replace(/^[0-9a-f]{64}/, (h) => h.toUpperCase())); resign(t, a); }) },
  { name: 'one space instead of two (validly signed)', code: 'E_MANIFEST_FORMAT', auditorFails: false, make: (g, a) => tree(g, (t) => { put(t, 'manifest-sha256.txt', get(t, 'manifest-sha256.txt').toString().replace('  ', ' ')); resign(t, a); }) },
  { name: 'unsorted manifest (validly signed)', code: 'E_MANIFEST_FORMAT', auditorFails: false, make: (g, a) => tree(g, (t) => { put(t, 'manifest-sha256.txt', `${get(t, 'manifest-sha256.txt').toString().trim().split('\n').reverse().join('\n')}\n`); resign(t, a); }) },
  { name: 'duplicate manifest line (validly signed)', code: 'E_MANIFEST_FORMAT', auditorFails: false, make: (g, a) => tree(g, (t) => { const m = get(t, 'manifest-sha256.txt').toString(); const l = m.split('\n'); put(t, 'manifest-sha256.txt', [l[0], ...l].join('\n')); resign(t, a); }) },
  { name: 'CRLF tag manifest (validly signed)', code: 'E_MANIFEST_FORMAT', auditorFails: false, make: (g, a) => tree(g, (t) => resignTagmanifestAs(t, a, get(t, 'tagmanifest-sha256.txt').toString().replace(/\n/g, '\r\n'))) },
  { name: 'Payload-Oxum off by one (validly signed)', code: 'E_OXUM', auditorFails: false, make: (g, a) => tree(g, (t) => { put(t, 'bag-info.txt', get(t, 'bag-info.txt').toString().replace(/Payload-Oxum: (\d+)/, (_m, n) => `Payload-Oxum: ${Number(n) + 1}`)); resign(t, a); }) },
  {
    name: 'RO-Crate lists a file not in the payload (validly signed)', code: 'E_METADATA', auditorFails: false,
    make: (g, a) => tree(g, (t) => {
      const crate = JSON.parse(get(t, 'data/ro-crate-metadata.json').toString());
      crate['@graph'].push({ '@id': 'ghost.bin', '@type': 'File' });
      put(t, 'data/ro-crate-metadata.json', JSON.stringify(crate));
      remanifest(t);
      resubject(t);
      resign(t, a);
    }),
  },
];

import { sshsigSign } from '../../../native/keys';
function sshsigOther(s: Signer, m: Buffer): string {
  return sshsigSign(s, 'file', m);
}

function editEnvelope(jsonl: Buffer, f: (e: Record<string, unknown>) => void): string {
  return jsonl.toString().split('\n').filter(Boolean).map((l) => {
    const e = JSON.parse(l) as Record<string, unknown>;
    f(e);
    return JSON.stringify(e);
  }).join('\n') + '\n';
}

export { crc };
