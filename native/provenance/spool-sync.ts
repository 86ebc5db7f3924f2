// `runledger sync PATH`: imports offline spools (spool-format.ts) into the store, idempotently. Each
// run folder's identity is the hash of its header record; `spool_imports` remembers how many records
// of it are in the store and a chained hash of them, so a second sync skips what it already has (and
// refuses a spool whose imported part changed), and a spool still being written can be synced again
// later for the rest. A torn last record stops the import there and is reported.
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core';
import type { RunStatus, SpoolSyncReport, SpoolSyncRun } from '../api/contract';
import { MlflowError, invalidParam } from '../mlflow/errors';
import type { Fields } from '../mlflow/request-fields';
import { exec, inTransaction, queryRows } from '../store/open-database';
import type { MetricPoint } from '../store/metric-writer';
import { validateKey } from '../mlflow/validation';
import { chainHash, readSpool, SPOOL_RECORDS, type SpoolProblem, type SpoolRecord } from './spool-format';
import { applyRecord, resolveRun, type RunTarget } from './spool-apply';

/** Points buffered before they go to the write buffer (bounded memory for big spools). */
const POINTS_PER_APPEND = 50_000;

/** Spools being synced now, per store: two syncs of one spool at once would create two runs. */
const busy = new WeakMap<Core, Set<string>>();

interface ImportState {
  run_id: string;
  records: number;
  chain: string;
}

/** The run folders under `p`: `p` itself when it is one, else its sub-folders that are. */
export function spoolRunFolders(p: string): string[] {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) throw invalidParam(`${p} is not a folder: give a spool root or one run's spool folder.`);
  if (fs.existsSync(path.join(p, SPOOL_RECORDS))) return [p];
  const runs = fs
    .readdirSync(p, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(p, d.name, SPOOL_RECORDS)))
    .map((d) => path.join(p, d.name))
    .sort();
  if (runs.length === 0) throw invalidParam(`No spool found at ${p}: expected ${SPOOL_RECORDS} in it or in its sub-folders.`);
  return runs;
}

export async function syncSpool(core: Core, spoolPath: string): Promise<SpoolSyncReport> {
  if (!path.isAbsolute(spoolPath)) throw invalidParam(`The spool path must be absolute, got '${spoolPath}'.`);
  const runs: SpoolSyncRun[] = [];
  for (const folder of spoolRunFolders(spoolPath)) runs.push(await syncRunFolder(core, folder));
  return { path: spoolPath, runs };
}

function emptyReport(folder: string): SpoolSyncRun {
  return { folder, spool_id: null, run_id: null, run_name: null, outcome: 'failed', records_total: 0, records_new: 0, points_new: 0, artifacts_new: 0, status: null, problem: null, error: null };
}

async function syncRunFolder(core: Core, folder: string): Promise<SpoolSyncRun> {
  const report = emptyReport(folder);
  const records = readSpool(path.join(folder, SPOOL_RECORDS));
  const first = await records.next();
  if (first.done) {
    report.problem = first.value;
    report.error = first.value ? `the spool's header record is unreadable: ${first.value.message}` : 'the spool is empty';
    return report;
  }
  const header = first.value;
  if (header.payload.type !== 'run') {
    report.error = `record #0 is a '${String(header.payload.type)}' record, not the run header`;
    return report;
  }
  report.spool_id = header.sha256;
  report.run_name = typeof header.payload.run_name === 'string' ? header.payload.run_name : null;
  const inFlight = busy.get(core) ?? new Set<string>();
  busy.set(core, inFlight);
  if (inFlight.has(header.sha256)) {
    report.error = 'this spool is being synced by another request right now';
    return report;
  }
  inFlight.add(header.sha256);
  try {
    await importRecords(core, folder, header, records, report);
  } catch (err) {
    report.outcome = 'failed';
    report.error = err instanceof MlflowError ? err.message : `${(err as Error)?.message ?? String(err)}`;
  } finally {
    inFlight.delete(header.sha256);
  }
  return report;
}

async function loadState(core: Core, spoolId: string): Promise<ImportState | null> {
  const [row] = await queryRows<ImportState>(core.db.reader, 'SELECT run_id, records, chain FROM spool_imports WHERE spool_id = ?', [spoolId]);
  return row ?? null;
}

async function saveState(core: Core, spoolId: string, folder: string, s: ImportState, points: number, complete: boolean): Promise<void> {
  await inTransaction(core.db, (con) =>
    exec(
      con,
      `INSERT INTO spool_imports (spool_id, run_id, folder, records, chain, points, complete, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (spool_id) DO UPDATE SET records = excluded.records, chain = excluded.chain, points = spool_imports.points + excluded.points,
         complete = excluded.complete, folder = excluded.folder, imported_at = excluded.imported_at`,
      [spoolId, s.run_id, folder, s.records, s.chain, points, complete, Date.now()],
    ),
  );
}

async function importRecords(
  core: Core,
  folder: string,
  header: SpoolRecord,
  rest: AsyncGenerator<SpoolRecord, SpoolProblem | null, void>,
  report: SpoolSyncRun,
): Promise<void> {
  const spoolId = header.sha256;
  let state = await loadState(core, spoolId);
  const existed = state !== null;
  let chain = chainHash('', header.sha256);
  let acked = 0;
  if (!state) {
    const runId = await resolveRun(core, header.payload as Fields, spoolId);
    state = { run_id: runId, records: 1, chain };
    await saveState(core, spoolId, folder, state, 0, false);
    report.records_new += 1;
    // A spill folder (the client's full-queue overflow) notes how many of its records reached the server.
    if (header.payload.spill === true) acked = ackedRecords(folder);
  }
  report.run_id = state.run_id;
  const target: RunTarget = { core, runId: state.run_id, folder, ended: null };
  let pending: MetricPoint[] = [];
  let pendingRecords = 0;
  let total = 1;
  const already = state.records + acked;

  // Everything applied so far is acknowledged by the store before the counter moves past it.
  const commit = async (): Promise<void> => {
    if (pendingRecords === 0) return;
    if (pending.length > 0) await core.writer.append(state!.run_id, pending);
    state = { ...state!, records: state!.records + pendingRecords, chain };
    await saveState(core, spoolId, folder, state, pending.length, target.ended !== null);
    report.records_new += pendingRecords;
    report.points_new += pending.length;
    pending = [];
    pendingRecords = 0;
  };

  let step = await rest.next();
  for (; !step.done; step = await rest.next()) {
    const rec = step.value;
    total += 1;
    chain = chainHash(chain, rec.sha256);
    if (rec.seq < already) {
      // Already in the store: only check that this part of the spool is what was imported.
      if (existed && rec.seq === already - 1 && chain !== state.chain) {
        throw invalidParam(`the first ${already} records of this spool differ from what an earlier sync imported (spool ${spoolId.slice(0, 12)}); it was changed or replaced`);
      }
      if (!existed && rec.seq === already - 1) {
        state = { ...state, records: already, chain };
        await saveState(core, spoolId, folder, state, 0, false);
      }
      continue;
    }
    if (rec.payload.type === 'metrics') {
      for (const point of metricPoints(rec)) pending.push(point); // no spread: a record may hold many points
      pendingRecords += 1;
      if (pending.length >= POINTS_PER_APPEND) await commit();
      continue;
    }
    await commit();
    const applied = await applyRecord(target, rec);
    if (applied === 'artifact') report.artifacts_new += 1;
    pendingRecords = 1;
    await commit();
  }
  await commit();
  report.records_total = total;
  report.problem = step.value;
  if (already > total) throw invalidParam(`an earlier sync imported ${already} records of this spool, but it now holds ${total}; it was truncated or replaced`);
  const run = await core.runs.mustGet(state.run_id);
  report.status = run.status as RunStatus;
  report.outcome = report.records_new > 0 ? 'imported' : 'up-to-date';
  if (target.ended) await core.finalizeRun(run);
  else if (report.records_new > 0) core.events.emit('runs.changed', [state.run_id]);
}

/** The `acked` file of a spill folder: how many metric records after the header were delivered. */
function ackedRecords(folder: string): number {
  try {
    const n = Number(fs.readFileSync(path.join(folder, 'acked'), 'utf8').trim());
    return Number.isSafeInteger(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** `metrics` records hold `[key, value, timestamp, step]` rows; non-finite values are strings, as in MLflow's JSON. */
function metricPoints(rec: SpoolRecord): MetricPoint[] {
  const rows = rec.payload.metrics;
  if (!Array.isArray(rows)) throw invalidParam(`record #${rec.seq}: 'metrics' is not a list`);
  return rows.map((r, i) => {
    if (!Array.isArray(r) || r.length !== 4) throw invalidParam(`record #${rec.seq}: metric ${i} is not [key, value, timestamp, step]`);
    const [key, raw, ts, step] = r as [unknown, unknown, unknown, unknown];
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? NON_FINITE[raw] : undefined;
    if (typeof key === 'string') validateKey('Metric', key);
    if (typeof key !== 'string' || value === undefined || !Number.isSafeInteger(ts) || !Number.isSafeInteger(step) || (ts as number) < 0) {
      throw invalidParam(`record #${rec.seq}: metric ${i} (${JSON.stringify(r).slice(0, 200)}) is not a valid point`);
    }
    return { key, value, timestamp: ts as number, step: step as number };
  });
}
