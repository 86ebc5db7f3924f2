// Starts a server as a child process (so the load generator never shares its event loop) and waits
// for its ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ChildServer {
  child: ChildProcess;
  port: number;
  token: string;
  stop(): Promise<void>;
}

export function waitForLine(child: ChildProcess, prefix: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let errBuf = '';
    const timer = setTimeout(() => reject(new Error(`no '${prefix}' line within ${timeoutMs} ms; stderr: ${errBuf}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => (errBuf += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.startsWith(prefix));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice(prefix.length).trim());
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited with ${code} before '${prefix}'; stderr: ${errBuf}`));
    });
  });
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export async function spawnRunledger(dataDir: string, extra: string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/runledger.mjs'), 'serve', '--data', dataDir, '--port', '0', '--ready-json', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = JSON.parse(await waitForLine(child, 'RUNLEDGER_READY')) as { port: number; token: string };
  return { child, port: ready.port, token: ready.token, stop: () => stopChild(child) };
}
