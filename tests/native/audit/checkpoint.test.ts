// C2SP signed-note checkpoints: the format, the key ID, our own verifier, and the auditor's check
// with nothing but openssl, exactly as BUNDLE.md §5.4 prints it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { signerFromPrivateKey, spkiPem } from '../../../native/keys';
import { checkpointText, logOrigin, noteKeyId, parseCheckpoint, signCheckpoint, verifyCheckpointSignature } from '../../../native/audit/checkpoint-note';
import { rawEd25519, sshFingerprint } from '../../../native/audit/audit-signer';
import { hashLeaf, MerkleTree } from '../../../native/audit/merkle';
import { tempDir } from '../../helpers/test-server';

const newSigner = () => signerFromPrivateKey(crypto.generateKeyPairSync('ed25519').privateKey, 'alice@lab.example');
const tree = new MerkleTree(['a', 'b', 'c'].map((s) => hashLeaf(Buffer.from(s))));

describe('checkpoint notes', () => {
  it('are three lines, a blank line and one signature line whose key ID is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]', async () => {
    const signer = newSigner();
    const origin = logOrigin(signer.fingerprint);
    const note = await signCheckpoint({ origin, treeSize: 3, rootHash: tree.root() }, signer);
    const lines = note.split('\n');
    expect(lines.slice(0, 3)).toEqual([origin, '3', tree.root().toString('base64')]);
    expect(lines[3]).toBe('');
    expect(lines[4].startsWith(`\u2014 ${origin} `)).toBe(true);
    expect(lines[5]).toBe('');
    const blob = Buffer.from(lines[4].split(' ').pop()!, 'base64');
    expect(blob).toHaveLength(68);
    const raw = rawEd25519(signer.publicKey);
    const expectedId = crypto.createHash('sha256').update(Buffer.concat([Buffer.from(origin), Buffer.from([0x0a, 0x01]), raw])).digest().subarray(0, 4);
    expect(blob.subarray(0, 4).equals(expectedId)).toBe(true);
    expect(noteKeyId(origin, raw).equals(expectedId)).toBe(true);
    expect(crypto.verify(null, Buffer.from(checkpointText({ origin, treeSize: 3, rootHash: tree.root() })), signer.publicKey, blob.subarray(4))).toBe(true);
  });

  it('name the log after the key fingerprint, spelt without the + that C2SP forbids', () => {
    const signer = newSigner();
    expect(sshFingerprint(rawEd25519(signer.publicKey))).toBe(signer.fingerprint);
    expect(logOrigin('SHA256:ab+c/d')).toBe('runledger/log/SHA256:ab-c_d');
    expect(() => checkpointText({ origin: 'has space', treeSize: 1, rootHash: tree.root() })).toThrow();
  });

  it('verify under the signing key, and not under another key, another origin or edited text', async () => {
    const signer = newSigner();
    const origin = logOrigin(signer.fingerprint);
    const note = await signCheckpoint({ origin, treeSize: 3, rootHash: tree.root() }, signer);
    const raw = rawEd25519(signer.publicKey);
    expect(verifyCheckpointSignature(parseCheckpoint(note), raw)).toEqual({ state: 'valid', fingerprint: signer.fingerprint });
    expect(verifyCheckpointSignature(parseCheckpoint(note), rawEd25519(newSigner().publicKey)).state).toBe('invalid');
    expect(verifyCheckpointSignature(parseCheckpoint(note.replace('\n3\n', '\n4\n')), raw).state).toBe('invalid');
    expect(verifyCheckpointSignature(parseCheckpoint(checkpointText({ origin, treeSize: 3, rootHash: tree.root() })), raw)).toEqual({ state: 'unsigned' });
    // Another log's signature (another key name) is ignored, as signed-note requires; ours must still be there.
    const other = newSigner();
    const foreign = await signCheckpoint({ origin: logOrigin(other.fingerprint), treeSize: 3, rootHash: tree.root() }, other);
    expect(verifyCheckpointSignature(parseCheckpoint(foreign), raw).state).toBe('invalid');
  });

  it('reject malformed notes', () => {
    const root = tree.root().toString('base64');
    for (const bad of ['origin\n03\n' + root + '\n', 'origin\n3\nnotbase64\n', 'origin\n3\n' + root, `origin\n3\n${root}\n\nnot a signature\n`, `o\u0001\n3\n${root}\n`]) {
      expect(() => parseCheckpoint(bad), JSON.stringify(bad)).toThrow();
    }
  });
});

describe('checkpoint verified with openssl alone (BUNDLE.md §5.4)', () => {
  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  const haveOpenssl = openssl.status === 0 && /^OpenSSL 3\./.test(openssl.stdout);
  if (!haveOpenssl) {
    if (process.env.CI) throw new Error('openssl 3 is required in CI for the checkpoint interop test');
    console.warn(`SKIPPED: openssl 3.x not found (${openssl.error?.message ?? openssl.stdout.trim()}); the §5.4 checkpoint check needs it`);
  }

  it.skipIf(!haveOpenssl)('the printed awk/base64/openssl commands accept a good checkpoint and reject a tampered one', async () => {
    const signer = newSigner();
    const dir = tempDir('runledger-ck-');
    const note = await signCheckpoint({ origin: logOrigin(signer.fingerprint), treeSize: 3, rootHash: tree.root() }, signer);
    fs.writeFileSync(path.join(dir, 'checkpoint.txt'), note);
    fs.writeFileSync(path.join(dir, 'alice.pem'), spkiPem(signer.publicKey));
    const script = [
      `awk 'BEGIN{RS="\\n\\n"} NR==1{printf "%s\\n",$0}' checkpoint.txt > ck.txt`,
      `tail -1 checkpoint.txt | awk '{print $NF}' | base64 -d | tail -c 64 > ck.sig`,
      `openssl pkeyutl -verify -pubin -inkey alice.pem -rawin -in ck.txt -sigfile ck.sig`,
    ].join('\n');
    const good = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(good.stdout + good.stderr).toContain('Signature Verified Successfully');
    expect(good.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'ck.txt'), 'utf8')).toBe(checkpointText({ origin: logOrigin(signer.fingerprint), treeSize: 3, rootHash: tree.root() }));

    fs.writeFileSync(path.join(dir, 'checkpoint.txt'), note.replace('\n3\n', '\n2\n'));
    const bad = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('Signature Verification Failure');
  });
});
