// Builds run bundles for tests at test time (never committed binaries): a real store with a seeded
// run, a real key, a real export; then tree-level and byte-level mutations of the good bundle, and
// re-signing with a chosen key for the cases that need a validly signed but malformed bag.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { createCore, type Core } from '../../../native/core';
import { DEFAULT_SCRYPT, initKey, loadSigner, signerFromPrivateKey, sshsigSign, type Signer } from '../../../native/keys';
import { exportBundle } from '../../../native/bundle/export-bundle';
import { formatManifest } from '../../../native/bundle/manifest';
import { bufferFile } from '../../../native/bundle/payload-file';
import { signTagFiles } from '../../../native/bundle/sign-bag';
import { zipFromBuffers, type RawZipEntry } from '../../../native/bundle/zip-writer';
import { CENTRAL_HEADER_SIZE, EOCD_SIZE, LOCAL_HEADER_SIZE, SIG_CENTRAL } from '../../../native/bundle/zip-format';
import { tempDir } from '../../helpers/test-server';

export const FIXED_CLOCK = new Date('2026-03-01T12:00:00Z');
/** Fast scrypt for tests; the default parameters have their own test. */
export const TEST_SCRYPT = { ...DEFAULT_SCRYPT, N: 1024 };

/** A finished run with params, tags, metrics (NaN included), an artifact with a Unicode name, code, env and a dataset. */
export async function seedRun(core: Core, name = 'xgb-deep', artifactBytes = Buffer.from('model weights\n')): Promise<string> {
  const id = await core.runs.create({ experimentId: '0', userId: 'alice', runName: name, startTime: 1_764_000_000_000, tags: [{ key: 'priority', value: 'p0' }] });
  await core.runs.logParams(id, [{ key: 'lr', value: '0.03' }, { key: 'max_depth', value: '8' }]);
  const n = 50;
  await core.writer.appendColumns(id, {
    keys: ['val_auc', 'loss'],
    keyIndex: Int32Array.from({ length: 2 * n }, (_, i) => i % 2),
    step: Float64Array.from({ length: 2 * n }, (_, i) => Math.floor(i / 2)),
    ts: Float64Array.from({ length: 2 * n }, (_, i) => 1_764_000_000_000 + i),
    value: Float64Array.from({ length: 2 * n }, (_, i) => (i === 41 ? NaN : i % 2 ? 1 / (1 + i) : 0.5 + i / 400)),
  });
  await core.artifacts.put(id, 'model/weights ü.bin', Readable.from([artifactBytes]), 'application/octet-stream', 1e9);
  await core.artifacts.put(id, 'plots/roc.txt', Readable.from([Buffer.from('auc 0.87\n')]), 'text/plain', 1e9);
  await core.runs.logInputs(id, [{ name: 'credit_risk', digest: 'a'.repeat(64), source_type: 'local', source: '/data/credit.parquet', schema: '', profile: '', tags: [{ key: 'mlflow.data.context', value: 'train' }] }]);
  const row = await core.runs.update(id, { status: 'FINISHED', endTime: 1_764_000_100_000 });
  await core.finalizeRun(row);
  return id;
}

export interface Workstation {
  dir: string;
  core: Core;
  signer: Signer;
  runId: string;
}

/** A data dir with a store, a seeded run and a key without passphrase (trusted by itself). */
export async function workstation(principal = 'alice@lab.example'): Promise<Workstation> {
  const dir = tempDir('runledger-bundle-');
  initKey(dir, { principal, passphrase: null });
  const core = await createCore({ dataDir: dir });
  const runId = await seedRun(core);
  return { dir, core, signer: loadSigner(dir, null), runId };
}

/** A good bundle of the workstation's run; without the audit section unless asked (audit.test.ts covers it). */
export async function exportGood(ws: Workstation, file = path.join(tempDir('runledger-out-'), 'good.runbundle'), audit = false): Promise<string> {
  await exportBundle(ws.core, { runIds: [ws.runId], output: file, signer: ws.signer, now: FIXED_CLOCK, audit });
  return file;
}

/** A key that is not in anyone's trust store, claiming to be `principal`. */
export function strangerSigner(principal: string): Signer {
  return signerFromPrivateKey(crypto.generateKeyPairSync('ed25519').privateKey, principal);
}

// ── Tree-level: the bundle as an ordered map of full names to bytes ──

export type Tree = Map<string, Buffer>;

interface RawEntry {
  name: string;
  cdPos: number;
  lfhPos: number;
  size: number;
}

/** Entries of a well-formed STORE zip (our own writer's), with header positions for byte edits. */
export function zipEntries(buf: Buffer): RawEntry[] {
  const cdSize = buf.readUInt32LE(buf.length - EOCD_SIZE + 12);
  const cdOffset = buf.readUInt32LE(buf.length - EOCD_SIZE + 16);
  const out: RawEntry[] = [];
  for (let p = cdOffset; p < cdOffset + cdSize; ) {
    if (buf.readUInt32LE(p) !== SIG_CENTRAL) throw new Error('not a central record');
    const nameLen = buf.readUInt16LE(p + 28);
    const name = buf.subarray(p + CENTRAL_HEADER_SIZE, p + CENTRAL_HEADER_SIZE + nameLen).toString('utf8');
    out.push({ name, cdPos: p, lfhPos: buf.readUInt32LE(p + 42), size: buf.readUInt32LE(p + 24) });
    p += CENTRAL_HEADER_SIZE + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return out;
}

export function readTree(buf: Buffer): Tree {
  const t: Tree = new Map();
  for (const e of zipEntries(buf)) {
    const start = e.lfhPos + LOCAL_HEADER_SIZE + buf.readUInt16LE(e.lfhPos + 26) + buf.readUInt16LE(e.lfhPos + 28);
    t.set(e.name, Buffer.from(buf.subarray(start, start + e.size)));
  }
  return t;
}

export const rootOf = (t: Tree): string => [...t.keys()][0].split('/')[0];

export function writeTree(t: Tree, extra: RawZipEntry[] = []): Buffer {
  const entries = [...t].map(([name, data]) => ({ name, data }));
  return zipFromBuffers([...entries, ...extra].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))));
}

export const get = (t: Tree, rel: string): Buffer => {
  const b = t.get(`${rootOf(t)}/${rel}`);
  if (!b) throw new Error(`no ${rel} in the tree`);
  return b;
};
export const put = (t: Tree, rel: string, data: Buffer | string): void => void t.set(`${rootOf(t)}/${rel}`, Buffer.from(data));
export const del = (t: Tree, rel: string): void => void t.delete(`${rootOf(t)}/${rel}`);

/** Recomputes manifest-sha256.txt and Payload-Oxum from the data/ files as they are now. */
export function remanifest(t: Tree): void {
  const root = rootOf(t);
  const lines = [...t].filter(([n]) => n.startsWith(`${root}/data/`)).map(([n, b]) => ({ path: n.slice(root.length + 1), sha256: sha256(b) }));
  put(t, 'manifest-sha256.txt', formatManifest(lines));
  const bytes = [...t].filter(([n]) => n.startsWith(`${root}/data/`)).reduce((s, [, b]) => s + b.length, 0);
  put(t, 'bag-info.txt', get(t, 'bag-info.txt').toString().replace(/Payload-Oxum: .*/, `Payload-Oxum: ${bytes}.${lines.length}`));
}

/** Rewrites every Statement's subjects from the manifest as it is now (after payload edits). */
export function resubject(t: Tree): void {
  const digests = new Map(get(t, 'manifest-sha256.txt').toString().split('\n').filter(Boolean).map((l) => [l.slice(66), l.slice(0, 64)]));
  for (const name of [...t.keys()].filter((n) => /\/provenance\/[^/]+\.statement\.json$/.test(n))) {
    const st = JSON.parse(t.get(name)!.toString()) as { subject: { name: string; digest: { sha256: string } }[] };
    st.subject = st.subject.filter((x) => digests.has(x.name)).map((x) => ({ ...x, digest: { sha256: digests.get(x.name)! } }));
    for (const [p, d] of digests) if (!st.subject.some((x) => x.name === p)) st.subject.push({ name: p, digest: { sha256: d } });
    t.set(name, Buffer.from(JSON.stringify(st)));
  }
}

/** Recomputes the tag manifest and every signature with `signer` (a validly signed, possibly malformed bag). */
export function resign(t: Tree, signer: Signer): void {
  const root = rootOf(t);
  for (const n of [...t.keys()]) if (n.startsWith(`${root}/signatures/`) || n === `${root}/tagmanifest-sha256.txt`) t.delete(n);
  const tagFiles = [...t].filter(([n]) => !n.startsWith(`${root}/data/`)).map(([n, b]) => bufferFile(n.slice(root.length + 1), b));
  for (const f of signTagFiles(tagFiles, signer)) put(t, f.path, 'data' in f.source ? f.source.data : Buffer.alloc(0));
}

/** Replaces the tag manifest with `text` (malformed on purpose) and signs exactly those bytes. */
export function resignTagmanifestAs(t: Tree, signer: Signer, text: string): void {
  const tm = Buffer.from(text);
  put(t, 'tagmanifest-sha256.txt', tm);
  put(t, 'signatures/tagmanifest-sha256.txt.sig', signer.sign(tm));
  put(t, 'signatures/tagmanifest-sha256.txt.sshsig', sshsigSign(signer, 'runledger-bundle-v1', tm));
}

export const sha256 = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

// ── Byte-level edits of a zip ──

export function patchEntry(buf: Buffer, name: string, f: (b: Buffer, e: RawEntry) => void): Buffer {
  const out = Buffer.from(buf);
  const e = zipEntries(out).find((x) => x.name === name);
  if (!e) throw new Error(`no entry ${name}`);
  f(out, e);
  return out;
}

export const crc = (b: Buffer): number => zlib.crc32(b);

/** Snapshot of every file under the dirs (path → size:sha256) to prove nothing was written. */
export function snapshot(dirs: string[], ignore: RegExp = /runledger\.duckdb/): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (ignore.test(p)) continue;
      if (e.isDirectory()) {
        out.push(`${p}/`);
        walk(p);
      } else out.push(`${p} ${fs.statSync(p).size}`);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

