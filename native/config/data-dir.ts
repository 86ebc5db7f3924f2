import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `--data DIR`, else `RUNLEDGER_HOME`, else `~/.runledger`. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = flag || env.RUNLEDGER_HOME || path.join(os.homedir(), '.runledger');
  return path.resolve(dir);
}

/** Creates the data dir private to the user (it holds the token and everyone's runs). */
export function ensureDataDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
