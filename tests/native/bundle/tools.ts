// Real command-line tools for interop tests. Missing tools skip with a printed reason on a developer
// machine and fail under CI (process.env.CI), where .ci/run installs them.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

export function haveTool(cmd: string, args: string[] = ['-h']): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error;
}

/** Whether to run tests that need `tools`; prints why not, and throws under CI. */
export function requireTools(...tools: string[]): boolean {
  const missing = tools.filter((t) => !haveTool(t));
  if (missing.length === 0) return true;
  const why = `interop tests need ${missing.join(', ')} (not installed)`;
  if (process.env.CI) throw new Error(`${why}; .ci/run installs them`);
  console.warn(`skipping: ${why}`);
  return false;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; input?: Buffer | string } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input, encoding: 'utf8' });
}
