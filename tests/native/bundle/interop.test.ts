// BUNDLE.md §7.1 item 4: bundles checked with the real tools an auditor has. The pristine bundle
// passes ssh-keygen -Y verify/find-principals, openssl pkeyutl -rawin, sha256sum -c, the DSSE path
// with jq, docs/verify-runbundle.sh and docs/verify_runbundle.py; every tamper fixture an auditor is
// meant to catch fails them. Tools that are missing skip with a printed reason (fail under CI).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityOf } from '../../../native/keys';
import { tempDir } from '../../helpers/test-server';
import { exportGood, readTree, seedRun, workstation, type Workstation } from './bundle-fixtures';
import { exportBundle } from '../../../native/bundle/export-bundle';
import { TAMPER_CASES } from './tamper-cases';
import { requireTools, run } from './tools';

const DOCS = path.resolve(__dirname, '../../../docs');
let alice: Workstation;
let good: Buffer;
let other: Buffer;
let lab: string;
let goodFile: string;
let extracted: string;

beforeAll(async () => {
  alice = await workstation();
  goodFile = await exportGood(alice);
  good = fs.readFileSync(goodFile);
  const otherFile = path.join(tempDir(), 'other.runbundle');
  await exportBundle(alice.core, { runIds: [await seedRun(alice.core, 'other')], output: otherFile, signer: alice.signer });
  other = fs.readFileSync(otherFile);
  lab = tempDir('runledger-lab-');
  const id = identityOf(alice.signer.publicKeyBlob, 'alice@lab.example', 'runledger-bundle-v1');
  fs.writeFileSync(path.join(lab, 'allowed_signers'), `${id.allowedSigners}\n`);
  fs.writeFileSync(path.join(lab, 'alice.pem'), id.pem);
  fs.writeFileSync(path.join(lab, 'alice.pub'), `${id.openssh}\n`);
  extracted = tempDir('runledger-extract-');
  for (const [name, bytes] of readTree(good)) {
    fs.mkdirSync(path.dirname(path.join(extracted, name)), { recursive: true });
    fs.writeFileSync(path.join(extracted, name), bytes);
  }
  extracted = path.join(extracted, [...readTree(good).keys()][0].split('/')[0]);
});
afterAll(() => alice.core.close());

describe('the pristine bundle passes the stock tools', () => {
  const ok = requireTools('ssh-keygen', 'openssl', 'sha256sum', 'unzip');
  it.skipIf(!ok)('ssh-keygen -Y find-principals and verify, openssl -rawin, sha256sum -c', () => {
    const sig = 'signatures/tagmanifest-sha256.txt.sshsig';
    const tm = fs.readFileSync(path.join(extracted, 'tagmanifest-sha256.txt'));
    expect(run('ssh-keygen', ['-Y', 'find-principals', '-f', path.join(lab, 'allowed_signers'), '-s', sig], { cwd: extracted }).stdout.trim()).toBe('alice@lab.example');
    const v = run('ssh-keygen', ['-Y', 'verify', '-f', path.join(lab, 'allowed_signers'), '-I', 'alice@lab.example', '-n', 'runledger-bundle-v1', '-s', sig], { cwd: extracted, input: tm });
    expect(v.stdout).toContain(`Good "runledger-bundle-v1" signature for alice@lab.example with ED25519 key ${alice.signer.fingerprint}`);
    // Wrong namespace or wrong principal fail.
    expect(run('ssh-keygen', ['-Y', 'verify', '-f', path.join(lab, 'allowed_signers'), '-I', 'alice@lab.example', '-n', 'file', '-s', sig], { cwd: extracted, input: tm }).status).not.toBe(0);
    expect(run('ssh-keygen', ['-Y', 'verify', '-f', path.join(lab, 'allowed_signers'), '-I', 'bob@lab.example', '-n', 'runledger-bundle-v1', '-s', sig], { cwd: extracted, input: tm }).status).not.toBe(0);
    // Revoked: ssh-keygen -r with the key's .pub line.
    expect(run('ssh-keygen', ['-Y', 'verify', '-f', path.join(lab, 'allowed_signers'), '-I', 'alice@lab.example', '-n', 'runledger-bundle-v1', '-r', path.join(lab, 'alice.pub'), '-s', sig], { cwd: extracted, input: tm }).status).not.toBe(0);
    const o = run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', path.join(lab, 'alice.pem'), '-rawin', '-in', 'tagmanifest-sha256.txt', '-sigfile', 'signatures/tagmanifest-sha256.txt.sig'], { cwd: extracted });
    expect(o.stdout).toContain('Signature Verified Successfully');
    expect(run('sha256sum', ['--strict', '-c', 'tagmanifest-sha256.txt'], { cwd: extracted }).status).toBe(0);
    expect(run('sha256sum', ['--strict', '-c', 'manifest-sha256.txt'], { cwd: extracted }).status).toBe(0);
    expect(run('sha256sum', ['tagmanifest-sha256.txt'], { cwd: extracted }).stdout.slice(0, 64)).toBe(crypto.createHash('sha256').update(tm).digest('hex'));
    // unzip lists it as STORE-only ("Stored") entries.
    const list = run('unzip', ['-v', goodFile]);
    expect(list.status).toBe(0);
    expect(list.stdout).not.toMatch(/Defl/);
  });

  it.skipIf(!ok || !requireTools('jq'))('the DSSE path of BUNDLE.md §5.2 with jq and openssl', () => {
    const script = `set -e
E=signatures/provenance.intoto.jsonl; T=$(jq -r .payloadType "$E"); W=$(mktemp -d)
jq -r .payload "$E" | base64 -d > "$W/stmt.json"
{ printf 'DSSEv1 %d %s %d ' "\${#T}" "$T" "$(wc -c < "$W/stmt.json")"; cat "$W/stmt.json"; } > "$W/pae.bin"
jq -r '.signatures[0].sig' "$E" | base64 -d > "$W/dsse.sig"
openssl pkeyutl -verify -pubin -inkey "$1" -rawin -in "$W/pae.bin" -sigfile "$W/dsse.sig"
cmp "$W/stmt.json" provenance/*.statement.json
diff <(jq -r '.subject[]|"\\(.digest.sha256)  \\(.name)"' "$W/stmt.json"|LC_ALL=C sort) <(LC_ALL=C sort manifest-sha256.txt)
echo DSSE OK`;
    const r = run('bash', ['-c', script, 'dsse', path.join(lab, 'alice.pem')], { cwd: extracted });
    expect(r.stderr + r.stdout).toContain('DSSE OK');
  });
});

describe('the audit section with stock tools', () => {
  it.skipIf(!requireTools('openssl', 'unzip'))('the checkpoint signature verifies with openssl (BUNDLE.md §5.4), and the bundle passes the auditor script', async () => {
    const file = await exportGood(alice, path.join(tempDir(), 'audited.runbundle'), true);
    const dir = tempDir();
    expect(run('unzip', ['-q', file, '-d', dir]).status).toBe(0);
    const bag = path.join(dir, fs.readdirSync(dir)[0]);
    const script = `set -e
awk 'BEGIN{RS="\\n\\n"} NR==1{printf "%s\\n",$0}' data/audit/checkpoint.txt > "$2/ck.txt"
tail -1 data/audit/checkpoint.txt | awk '{print $NF}' | base64 -d | tail -c 64 > "$2/ck.sig"
openssl pkeyutl -verify -pubin -inkey "$1" -rawin -in "$2/ck.txt" -sigfile "$2/ck.sig"`;
    const r = run('bash', ['-c', script, 'ck', path.join(lab, 'alice.pem'), tempDir()], { cwd: bag });
    expect(r.stdout + r.stderr).toContain('Signature Verified Successfully');
    const a = run('bash', [path.join(DOCS, 'verify-runbundle.sh'), file, path.join(lab, 'allowed_signers'), 'alice@lab.example']);
    expect(a.stdout).toContain('ALL OK');
  });
});

describe('auditor script and reference verifier on every tamper fixture', () => {
  const ok = requireTools('ssh-keygen', 'sha256sum', 'unzip', 'python3');
  const work = tempDir('runledger-audit-');
  const audit = (file: string): { status: number | null; out: string } => {
    const r = run('bash', [path.join(DOCS, 'verify-runbundle.sh'), file, path.join(lab, 'allowed_signers'), 'alice@lab.example']);
    return { status: r.status, out: r.stdout + r.stderr };
  };
  const python = (file: string): { status: number | null; out: string } => {
    const r = run('python3', [path.join(DOCS, 'verify_runbundle.py'), file, '--allowed-signers', path.join(lab, 'allowed_signers')]);
    return { status: r.status, out: r.stdout + r.stderr };
  };

  it.skipIf(!ok)('the pristine bundle passes both', () => {
    const a = audit(goodFile);
    expect(a.out).toContain('ALL OK');
    expect(a.status).toBe(0);
    const p = python(goodFile);
    expect(p.out).toContain('VALID by alice@lab.example');
    expect(p.status).toBe(0);
    // The folder form verifies the same with the Python verifier.
    expect(python(path.dirname(extracted)).status).toBe(0);
  });

  for (const c of TAMPER_CASES) {
    it.skipIf(!ok)(`${c.name}: ${c.auditorFails ? 'the auditor script and ' : ''}the Python verifier refuse it`, () => {
      const file = path.join(work, `${c.name.replace(/[^a-z0-9]+/gi, '-')}.runbundle`);
      fs.writeFileSync(file, c.make(good, alice.signer, other));
      if (c.auditorFails) expect(audit(file).status, audit(file).out).not.toBe(0);
      const p = python(file);
      // The reference verifier does not parse RO-Crate metadata (an app-level check, step 14).
      if (c.code === 'E_METADATA') expect(p.status).toBe(0);
      else expect(p.status, p.out).not.toBe(0);
    });
  }
});
