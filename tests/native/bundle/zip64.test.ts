// ZIP64 (bundles past 4 GiB or 65,535 entries): forced on a small bundle, so the reader's ZIP64 path
// is exercised without writing gigabytes. The same content verifies with the same digest, and
// `unzip` and Python's zipfile (the reference verifier) read it too.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustStore, identityOf } from '../../../native/keys';
import { verifyBundle } from '../../../native/bundle/verify-bundle';
import { writeZip, zipFromBuffers } from '../../../native/bundle/zip-writer';
import { tempDir } from '../../helpers/test-server';
import { exportGood, readTree, workstation, type Workstation } from './bundle-fixtures';
import { requireTools, run } from './tools';

let alice: Workstation;
let good: Buffer;
let trust: TrustStore;
let allowed: string;
const work = tempDir('runledger-zip64-');

beforeAll(async () => {
  alice = await workstation();
  good = fs.readFileSync(await exportGood(alice));
  trust = new TrustStore(tempDir());
  const line = identityOf(alice.signer.publicKeyBlob, 'alice@lab.example', 'runledger-bundle-v1').allowedSigners;
  trust.add(line);
  allowed = path.join(work, 'allowed_signers');
  fs.writeFileSync(allowed, `${line}\n`);
});
afterAll(() => alice.core.close());

const entries = (): { name: string; data: Buffer }[] => [...readTree(good)].map(([name, data]) => ({ name, data }));

describe('ZIP64', () => {
  it('a ZIP64 bundle verifies with the digest of the plain one', async () => {
    const plain = path.join(work, 'plain.runbundle');
    fs.writeFileSync(plain, good);
    const z64 = path.join(work, 'z64.runbundle');
    fs.writeFileSync(z64, zipFromBuffers(entries(), { forceZip64: true }));
    const a = await verifyBundle(plain, { trust });
    const b = await verifyBundle(z64, { trust });
    expect(b.message).toBeNull();
    expect(b.digest).toBe(a.digest);
    // The streaming writer makes the same bytes as the in-memory one.
    const streamed = path.join(work, 'streamed.runbundle');
    await writeZip(streamed, entries().map((e) => ({ name: e.name, size: e.data.length, crc32: zlib.crc32(e.data), source: { data: e.data } })), undefined, { forceZip64: true });
    expect(fs.readFileSync(streamed).equals(fs.readFileSync(z64))).toBe(true);
  });

  it('a ZIP64 local header that disagrees with the central directory → E_ZIP_STRUCTURE', async () => {
    const b = zipFromBuffers(entries(), { forceZip64: true });
    // The first local header's ZIP64 field: after the 30-byte header and the name; +4 skips id and length.
    const at = 30 + b.readUInt16LE(26) + 4;
    b.writeBigUInt64LE(b.readBigUInt64LE(at) + 1n, at);
    const file = path.join(work, 'bad64.runbundle');
    fs.writeFileSync(file, b);
    expect((await verifyBundle(file, { trust })).code).toBe('E_ZIP_STRUCTURE');
  });

  it.skipIf(!requireTools('unzip', 'python3'))('unzip and the Python reference verifier read it', () => {
    const file = path.join(work, 'z64.runbundle');
    expect(run('unzip', ['-tq', file]).status).toBe(0);
    const r = run('python3', [path.resolve(__dirname, '../../../docs/verify_runbundle.py'), file, '--allowed-signers', allowed]);
    expect(r.stdout).toContain('VALID by alice@lab.example');
  });
});
