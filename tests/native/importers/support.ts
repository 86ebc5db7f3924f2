// Shared by the importer tests: the real fixtures, a real store in a temp dir, and the CLI with
// captured output. Nothing of ours is mocked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../../../native/core';
import { importJobs } from '../../../native/importers/import-jobs';
import { main } from '../../../native/cli/main';
import type { CliIo } from '../../../native/cli/io';
import type { ImportSummary } from '../../../native/api/contract';
import { queryRows } from '../../../native/store/open-database';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `../shared/fixtures` beside the repository: files torch, TensorFlow and Lightning wrote on a GPU machine. */
export const FIXTURES = process.env.RUNLEDGER_SHARED_FIXTURES ?? path.resolve(REPO, '../shared/fixtures');
if (!fs.existsSync(path.join(FIXTURES, 'tensorboard'))) {
  throw new Error(`The shared fixtures are missing at ${FIXTURES} (set RUNLEDGER_SHARED_FIXTURES to their folder).`);
}

export const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

export function tempDir(prefix = 'runledger-import-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function openStore(dataDir = tempDir()): Promise<{ core: Core; dataDir: string; close(): Promise<void> }> {
  const core = await createCore({ dataDir });
  return { core, dataDir, close: () => core.close() };
}

export function importInto(core: Core, p: string, experiment?: string): Promise<ImportSummary> {
  return importJobs(core).run(path.resolve(p), experiment);
}

export interface StoredPoint {
  step: number;
  ts: number;
  value: number;
}

export async function storedPoints(core: Core, runId: string, key: string): Promise<StoredPoint[]> {
  return queryRows<StoredPoint>(core.db.reader, 'SELECT step, ts, value FROM metric_points WHERE run_id = ? AND key = ? ORDER BY segment, step, ts', [runId, key]);
}

export async function count(core: Core, sql: string, params: (string | number)[] = []): Promise<number> {
  const [row] = await queryRows<{ n: number }>(core.db.reader, sql, params);
  return Number(row.n);
}

export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
  const code = await main(args, io);
  return { code, out, err };
}

/** Copies a fixture folder somewhere writable (tests damage copies, never the fixtures). */
export function copyTree(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true });
  for (const f of walk(to)) fs.chmodSync(f, 0o644);
  return to;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (fs.chmodSync(path.join(dir, e.name), 0o755), walk(path.join(dir, e.name))) : [path.join(dir, e.name)]));
}
