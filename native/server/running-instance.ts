// One owner process per data dir. `running-instance.json` says who (pid, port); DuckDB's own file
// lock backs it up. A file left by a dead process is taken over. A killed process can still answer
// kill(pid, 0) for a moment while it is reaped, so "alive" also requires its port to answer.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';

export interface RunningInstance {
  pid: number;
  port: number;
  host: string;
  url: string;
  started_at: string;
  version: string;
}

export function instanceFile(dataDir: string): string {
  return path.join(dataDir, 'running-instance.json');
}

export function readInstance(dataDir: string): RunningInstance | null {
  try {
    const v = JSON.parse(fs.readFileSync(instanceFile(dataDir), 'utf8')) as RunningInstance;
    return typeof v.pid === 'number' && typeof v.port === 'number' ? v : null;
  } catch {
    return null;
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Does the instance's /health answer? (No token needed there.) */
export function portAnswers(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: host === '0.0.0.0' ? '127.0.0.1' : host, port, path: '/health', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** The live owner of the data dir, or null (a stale file is not an owner). */
export async function liveInstance(dataDir: string): Promise<RunningInstance | null> {
  const inst = readInstance(dataDir);
  if (!inst) return null;
  if (!pidAlive(inst.pid)) return null;
  return (await portAnswers(inst.host, inst.port)) ? inst : null;
}

export function writeInstance(dataDir: string, inst: RunningInstance): void {
  const file = instanceFile(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(inst, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Removes the file only if it is still ours (a successor may have taken over). */
export function removeInstance(dataDir: string): void {
  const inst = readInstance(dataDir);
  if (inst && inst.pid === process.pid) fs.rmSync(instanceFile(dataDir), { force: true });
}
