// The headless server: `runledger serve`, and what the desktop shell forks. Owns the data dir for
// as long as it runs (running-instance.json + DuckDB's file lock).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../core';
import { ensureDataDir } from '../config/data-dir';
import { ensureToken } from '../server/connection-token';
import { liveInstance, removeInstance, writeInstance } from '../server/running-instance';
import { startServer, type RunningServer } from '../server/http-server';
import { StoreLockedError } from '../store/open-database';
import { VERSION } from '../version';

export interface ServeOptions {
  dataDir: string;
  host?: string;
  port?: number;
  /** Print one `RUNLEDGER_READY {json}` line when listening (for the desktop shell). */
  readyJson?: boolean;
  interruptAfterMs?: number;
  maxArtifactBytes?: number;
  uiDir?: string;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

export class ServeError extends Error {}

export const DEFAULT_UI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer/dist');

export async function serve(o: ServeOptions): Promise<{ core: Core; server: RunningServer; token: string; stop(): Promise<void> }> {
  const out = o.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const dataDir = ensureDataDir(o.dataDir);
  const owner = await liveInstance(dataDir);
  if (owner) {
    throw new ServeError(`${dataDir} is already served by process ${owner.pid} on port ${owner.port} (${owner.url}). Stop it first, or use --data DIR for another store.`);
  }
  const token = ensureToken(dataDir);
  let core: Core;
  try {
    core = await createCore({ dataDir, interruptAfterMs: o.interruptAfterMs, maxArtifactBytes: o.maxArtifactBytes });
  } catch (err) {
    if (err instanceof StoreLockedError) throw new ServeError(`${err.message}\nAnother Runledger process owns ${dataDir}.`);
    throw err;
  }
  let server: RunningServer;
  try {
    server = await startServer({ core, token, host: o.host ?? '127.0.0.1', port: o.port ?? 5917, uiDir: o.uiDir ?? DEFAULT_UI_DIR, log: o.err });
  } catch (err) {
    await core.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new ServeError(`Port ${o.port ?? 5917} is in use by another program. Choose another with --port N (or --port 0 for any free port).`);
    throw err;
  }
  writeInstance(dataDir, { pid: process.pid, port: server.port, host: server.host, url: server.url, started_at: new Date().toISOString(), version: VERSION });
  if (o.readyJson) out(`RUNLEDGER_READY ${JSON.stringify({ url: server.url, port: server.port, token })}`);
  out(`Runledger ${VERSION} serving ${dataDir}`);
  out(`Open ${server.url}?token=${token}`);
  out(`Log from a training script:  export MLFLOW_TRACKING_URI=${server.url.replace(/\/$/, '')}  MLFLOW_TRACKING_TOKEN=${token}`);
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await server.close();
      await core.close();
      removeInstance(dataDir);
    })());
  return { core, server, token, stop };
}
