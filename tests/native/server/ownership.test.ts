// One owner process per data dir: a second `serve` names the owner and exits non-zero; a
// running-instance.json left by a dead process (or one whose port no longer answers) is taken over.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, spawnRunledger, stopChild, type ChildServer } from '../../../bench/spawn-server';
import { tempDir } from '../../helpers/test-server';

const cli = path.join(REPO, 'bin/runledger.mjs');

function runCli(args: string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('data dir ownership', () => {
  const dirs: string[] = [];
  const children: ChildServer[] = [];
  afterAll(async () => {
    for (const c of children) await stopChild(c.child);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('refuses a second server on the same data dir, naming the owner', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const owner = await spawnRunledger(dir);
    children.push(owner);
    const second = await runCli(['serve', '--data', dir, '--port', '0']);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`process ${owner.child.pid}`);
    expect(second.stderr).toContain(`port ${owner.port}`);
    // The owner is unharmed.
    const health = await fetch(`http://127.0.0.1:${owner.port}/health`);
    expect(health.status).toBe(200);
  });

  it('takes over a running-instance.json whose process is gone', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(gone.stdout.toString());
    fs.writeFileSync(path.join(dir, 'running-instance.json'), JSON.stringify({ pid: deadPid, port: 1, host: '127.0.0.1', url: 'http://127.0.0.1:1/', started_at: '', version: '0' }));
    const srv = await spawnRunledger(dir);
    children.push(srv);
    const inst = JSON.parse(fs.readFileSync(path.join(dir, 'running-instance.json'), 'utf8'));
    expect(inst.pid).toBe(srv.child.pid);
    expect(inst.port).toBe(srv.port);
  });

  it('takes over when the recorded pid is alive but its port does not answer (a reused pid)', async () => {
    const dir = tempDir();
    dirs.push(dir);
    // pid 1 always exists; nothing of ours listens on port 9 (discard).
    fs.writeFileSync(path.join(dir, 'running-instance.json'), JSON.stringify({ pid: 1, port: 9, host: '127.0.0.1', url: 'http://127.0.0.1:9/', started_at: '', version: '0' }));
    const srv = await spawnRunledger(dir);
    children.push(srv);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'running-instance.json'), 'utf8')).pid).toBe(srv.child.pid);
  });

  it('removes running-instance.json on a clean shutdown and keeps the token private', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const srv = await spawnRunledger(dir);
    expect((fs.statSync(path.join(dir, 'token')).mode & 0o777).toString(8)).toBe('600');
    await stopChild(srv.child, 'SIGTERM');
    expect(srv.child.exitCode).toBe(0);
    expect(fs.existsSync(path.join(dir, 'running-instance.json'))).toBe(false);
  });
});
