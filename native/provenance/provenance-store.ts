// A run's environment snapshot (`environments`) and code state (`run_code`, plus the commit and dirty
// flag on `runs` itself, where run filters read them). One row per run: logging again replaces it,
// so a client that retries, or a spool synced after a partial online run, leaves one snapshot.
import { type Database, exec, inTransaction, queryRows } from '../store/open-database';
import type { RunCode, RunEnvironment } from '../api/contract';
import type { CodeRecord, EnvironmentRecord } from './env-snapshot';
import { parsePipFreeze } from './pip-freeze';

const ENV_COLUMNS = [
  'run_id', 'python', 'python_implementation', 'platform', 'hostname', 'cpu', 'cpu_count', 'cuda', 'cudnn', 'driver', 'gpus', 'torch',
  'packages', 'packages_sha256', 'package_count', 'workers', 'mixed_precision', 'env_vars', 'command', 'nvidia_smi', 'extra', 'captured_at',
] as const;

const CODE_COLUMNS = ['run_id', 'git_commit', 'branch', 'remote', 'dirty', 'diff_artifact', 'diff_sha256', 'diff_bytes', 'diff_truncated', 'untracked', 'captured_at'] as const;

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

export async function saveProvenance(db: Database, runId: string, env: EnvironmentRecord | null, code: CodeRecord | null): Promise<void> {
  const now = Date.now();
  await inTransaction(db, async (con) => {
    if (env) {
      await exec(con, `INSERT OR REPLACE INTO environments (${ENV_COLUMNS.join(', ')}) VALUES (${placeholders(ENV_COLUMNS.length)})`, [
        runId, env.python, env.python_implementation, env.platform, env.hostname, env.cpu, env.cpu_count, env.cuda, env.cudnn, env.driver,
        JSON.stringify(env.gpus), env.torch, env.packages, env.packages_sha256, env.package_count, env.workers, env.mixed_precision,
        JSON.stringify(env.env_vars), env.command ? JSON.stringify(env.command) : null, env.nvidia_smi, JSON.stringify(env.extra), now,
      ]);
    }
    if (code) {
      await exec(con, `INSERT OR REPLACE INTO run_code (${CODE_COLUMNS.join(', ')}) VALUES (${placeholders(CODE_COLUMNS.length)})`, [
        runId, code.commit, code.branch, code.remote, code.dirty, code.diff_artifact, code.diff_sha256, code.diff_bytes, code.diff_truncated,
        JSON.stringify(code.untracked), now,
      ]);
      await exec(con, 'UPDATE runs SET git_commit = ?, git_dirty = ?, last_activity = ?, interrupted_at = NULL WHERE run_id = ?', [code.commit, code.dirty, now, runId]);
    }
  });
}

/** A JSON column as the DuckDB client returns it (text), parsed; `fallback` when empty or unreadable. */
export function json<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined || v === '') return fallback;
  if (typeof v !== 'string') return v as T;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function loadEnvironment(db: Database, runId: string): Promise<RunEnvironment | null> {
  const [r] = await queryRows<Row>(db.reader, 'SELECT * FROM environments WHERE run_id = ?', [runId]);
  if (!r) return null;
  const packages = typeof r.packages === 'string' ? parsePipFreeze(r.packages).packages.map((p) => ({ name: p.name, version: p.version })) : [];
  return {
    python: str(r.python),
    python_implementation: str(r.python_implementation),
    platform: str(r.platform),
    hostname: str(r.hostname),
    cpu: str(r.cpu),
    cpu_count: num(r.cpu_count),
    cuda: str(r.cuda),
    cudnn: str(r.cudnn),
    driver: str(r.driver),
    gpus: json(r.gpus, []),
    torch: str(r.torch),
    packages_sha256: str(r.packages_sha256),
    package_count: num(r.package_count),
    packages,
    workers: num(r.workers),
    mixed_precision: str(r.mixed_precision),
    env_vars: json(r.env_vars, {}),
    command: json(r.command, null),
    captured_at: num(r.captured_at),
  };
}

export async function loadCode(db: Database, runId: string): Promise<RunCode | null> {
  const [r] = await queryRows<Row>(db.reader, 'SELECT * FROM run_code WHERE run_id = ?', [runId]);
  if (!r) return null;
  return {
    commit: str(r.git_commit),
    branch: str(r.branch),
    remote: str(r.remote),
    dirty: r.dirty === null || r.dirty === undefined ? null : Boolean(r.dirty),
    diff_artifact: str(r.diff_artifact),
    diff_sha256: str(r.diff_sha256),
    diff_bytes: num(r.diff_bytes),
    diff_truncated: Boolean(r.diff_truncated),
    untracked: json(r.untracked, []),
  };
}
