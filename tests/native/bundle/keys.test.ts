// The signing key and the trust store (BUNDLE.md §4.5, §7.1 item 9): file mode 0600, scrypt
// parameters recorded in the file, a wrong passphrase fails cleanly, the fingerprint is what
// `ssh-keygen -lf` prints, and the CLI's keys/trust commands.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../importers/support';
import { KeyError, TrustError, TrustStore, initKey, keyFilePath, loadSigner, readKeyFile, sshsigSign, parseSshsig, sshsigVerify } from '../../../native/keys';
import { tempDir } from '../../helpers/test-server';
import { TEST_SCRYPT, seedRun } from './bundle-fixtures';
import { createCore } from '../../../native/core';
import { createHandlers } from '../../../native/api/handlers';
import { requireTools, run } from './tools';


afterEach(() => {
  delete process.env.RUNLEDGER_KEY_PASSPHRASE;
});

describe('key file', () => {
  it('is mode 0600, records the scrypt parameters, and opens only with the right passphrase', () => {
    const dir = tempDir();
    const k = initKey(dir, { principal: 'alice@lab.example', passphrase: 'correct horse' });
    expect(fs.statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
    const onDisk = JSON.parse(fs.readFileSync(keyFilePath(dir), 'utf8'));
    expect(onDisk.kdf).toMatchObject({ name: 'scrypt', N: 131072, r: 8, p: 1, dklen: 32 });
    expect(onDisk.cipher.name).toBe('aes-256-gcm');
    expect(onDisk.protection).toBe('scrypt-aes-256-gcm');
    expect(JSON.stringify(onDisk)).not.toContain('PRIVATE');
    const signer = loadSigner(dir, 'correct horse');
    expect(signer.fingerprint).toBe(k.fingerprint);
    expect(() => loadSigner(dir, 'wrong')).toThrow(KeyError);
    expect(() => loadSigner(dir, 'wrong')).toThrow(/wrong passphrase/);
    expect(() => loadSigner(dir, null)).toThrow(/protected by a passphrase/);
    expect(() => initKey(dir, { passphrase: null })).toThrow(/already exists/);
  });

  it('refuses a key file whose public key was swapped (it is the AES-GCM associated data)', () => {
    const dir = tempDir();
    initKey(dir, { principal: 'alice@lab.example', passphrase: 'pw', scrypt: TEST_SCRYPT });
    const other = tempDir();
    initKey(other, { principal: 'mallory@lab.example', passphrase: null });
    const k = JSON.parse(fs.readFileSync(keyFilePath(dir), 'utf8'));
    k.public_key = readKeyFile(other).public_key;
    fs.writeFileSync(keyFilePath(dir), JSON.stringify(k));
    expect(() => loadSigner(dir, 'pw')).toThrow(/wrong passphrase/);
  });

  it('--no-passphrase stores the seed in clear, still 0600', async () => {
    const dir = tempDir();
    const r = await cli(['keys', 'init', '--no-passphrase', '--principal', 'bob@lab.example', '--data', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('WITHOUT a passphrase');
    expect(fs.statSync(keyFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(readKeyFile(dir).protection).toBe('none');
    expect(loadSigner(dir, null).principal).toBe('bob@lab.example');
  });

  it('a wrong passphrase fails export cleanly, with exit 1 and one line', async () => {
    const dir = tempDir();
    process.env.RUNLEDGER_KEY_PASSPHRASE = 'right';
    expect((await cli(['keys', 'init', '--principal', 'a@b', '--scrypt-n', '1024', '--data', dir])).code).toBe(0);
    process.env.RUNLEDGER_KEY_PASSPHRASE = 'wrong';
    const r = await cli(['export', 'no-such-run', '-o', path.join(dir, 'x.runbundle'), '--data', dir]);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe('runledger: wrong passphrase for the signing key');
  });
});

describe('fingerprint and identity card against ssh-keygen', () => {
  const ok = requireTools('ssh-keygen');
  it.skipIf(!ok)('keys show prints exactly what ssh-keygen -lf prints for the exported .pub', async () => {
    const dir = tempDir();
    await cli(['keys', 'init', '--no-passphrase', '--principal', 'alice@lab.example', '--data', dir]);
    const out = tempDir();
    const exp = await cli(['keys', 'export-identity', '-o', out, '--data', dir]);
    expect(exp.code).toBe(0);
    const show = await cli(['keys', 'show', '--data', dir]);
    const ssh = run('ssh-keygen', ['-lf', path.join(out, 'alice@lab.example.pub')]);
    expect(ssh.status).toBe(0);
    expect(show.out.trim()).toBe(ssh.stdout.trim());
    expect(fs.readFileSync(path.join(out, 'alice@lab.example.pub.pem'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    // The allowed_signers line is accepted by ssh-keygen: it finds the principal for a signature.
    const signer = loadSigner(dir, null);
    const msg = Buffer.from('0'.repeat(64) + '  bagit.txt\n');
    const sig = path.join(out, 'msg.sshsig');
    fs.writeFileSync(sig, sshsigSign(signer, 'runledger-bundle-v1', msg));
    const found = run('ssh-keygen', ['-Y', 'find-principals', '-f', path.join(out, 'alice@lab.example.allowed_signers'), '-s', sig]);
    expect(found.stdout.trim()).toBe('alice@lab.example');
    // And ssh-keygen's own signature verifies with our SSHSIG parser.
    const own = run('ssh-keygen', ['-Y', 'verify', '-f', path.join(out, 'alice@lab.example.allowed_signers'), '-I', 'alice@lab.example', '-n', 'runledger-bundle-v1', '-s', sig], { input: msg });
    expect(own.stdout).toContain('Good "runledger-bundle-v1" signature');
    expect(sshsigVerify(parseSshsig(fs.readFileSync(sig, 'latin1')), 'runledger-bundle-v1', msg)).toBe(true);
    expect(sshsigVerify(parseSshsig(fs.readFileSync(sig, 'latin1')), 'other', msg)).toBe(false);
  });
});

describe('trust store', () => {
  it('keys init trusts the own key; trust add/list/revoke through the CLI', async () => {
    const a = tempDir();
    const b = tempDir();
    await cli(['keys', 'init', '--no-passphrase', '--principal', 'alice@lab.example', '--data', a]);
    await cli(['keys', 'init', '--no-passphrase', '--principal', 'bob@lab.example', '--data', b]);
    const own = await cli(['trust', 'list', '--json', '--data', a]);
    expect(JSON.parse(own.out)).toMatchObject([{ principals: ['alice@lab.example'], own: true, revoked: false, namespaces: ['runledger-bundle-v1'] }]);
    const card = tempDir();
    await cli(['keys', 'export-identity', '-o', card, '--data', b]);
    const add = await cli(['trust', 'add', path.join(card, 'bob@lab.example.allowed_signers'), '--data', a]);
    expect(add.code).toBe(0);
    expect(add.out).toContain(readKeyFile(b).fingerprint);
    expect((await cli(['trust', 'add', path.join(card, 'bob@lab.example.allowed_signers'), '--data', a])).out).toContain('Nothing new');
    const bobFpr = readKeyFile(b).fingerprint;
    const rev = await cli(['trust', 'revoke', bobFpr, '--data', a]);
    expect(rev.code).toBe(0);
    const list = JSON.parse((await cli(['trust', 'list', '--json', '--data', a])).out);
    expect(list.find((k: { fingerprint: string }) => k.fingerprint === bobFpr).revoked).toBe(true);
    expect(new TrustStore(a).decide(readKeyFile(b) && parseBlob(readKeyFile(b).public_key), 'runledger-bundle-v1').state).toBe('revoked');
    // A .pub line needs a principal; --principal gives it.
    const c = tempDir();
    const pub = fs.readFileSync(path.join(card, 'bob@lab.example.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    expect((await cli(['trust', 'add', pub, '--data', c])).code).toBe(1);
    expect((await cli(['trust', 'add', pub, '--principal', 'bob@lab.example', '--data', c])).code).toBe(0);
    // Every change is logged (the audit log takes these over).
    expect(fs.readFileSync(path.join(a, 'trust', 'trust-log.jsonl'), 'utf8')).toMatch(/trust\.revoke/);
  });

  it('refuses lines it does not understand instead of half-reading them', () => {
    const t = new TrustStore(tempDir());
    expect(() => t.add('alice@lab cert-authority ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHLRUMvIzvQg8QX6inRg9VE15MkI9lB+rTSS5BcDqM0A')).toThrow(TrustError);
    expect(() => t.add('*@lab ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHLRUMvIzvQg8QX6inRg9VE15MkI9lB+rTSS5BcDqM0A')).toThrow(/wildcards/);
    expect(() => t.add('alice@lab ssh-rsa AAAAB3NzaC1yc2E')).toThrow(/no ssh-ed25519/);
    expect(() => t.revoke('SHA256:nope')).toThrow(/no trusted key/);
  });

  it('valid-before in the past leaves the key untrusted, with a warning', () => {
    const dir = tempDir();
    initKey(dir, { principal: 'old@lab', passphrase: null });
    const line = readKeyFile(dir).public_key.split(' ').slice(0, 2).join(' ');
    const t = new TrustStore(tempDir());
    t.add(`old@lab namespaces="runledger-bundle-v1",valid-before="20200101" ${line}`);
    const d = t.decide(parseBlob(line), 'runledger-bundle-v1');
    expect(d.state).toBe('untrusted');
    expect(d.warnings.join()).toMatch(/expired/);
  });
});

function parseBlob(line: string): Buffer {
  return Buffer.from(line.split(' ')[1], 'base64');
}

describe('unlocking for export', () => {
  it('the server keeps the unlocked key for a while: a second export needs no passphrase; a wrong one is still refused', async () => {
    const dir = tempDir();
    initKey(dir, { principal: 'alice@lab.example', passphrase: 'pw', scrypt: TEST_SCRYPT });
    const core = await createCore({ dataDir: dir });
    try {
      const runId = await seedRun(core);
      const h = createHandlers(core);
      const wait = async (job: { job_id: string }): Promise<string> => {
        for (;;) {
          const j = await h['bundle.exportStatus']({ job_id: job.job_id });
          if (j.state !== 'running') return j.state;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await expect(h['bundle.exportStart']({ runs: [runId], output: path.join(dir, 'a.runbundle') })).rejects.toThrow(/protected by a passphrase/);
      expect(await wait(await h['bundle.exportStart']({ runs: [runId], output: path.join(dir, 'a.runbundle'), passphrase: 'pw' }))).toBe('done');
      expect(await wait(await h['bundle.exportStart']({ runs: [runId], output: path.join(dir, 'b.runbundle') }))).toBe('done');
      await expect(h['bundle.exportStart']({ runs: [runId], output: path.join(dir, 'c.runbundle'), passphrase: 'nope' })).rejects.toThrow(/wrong passphrase/);
    } finally {
      await core.close();
    }
  });
});
