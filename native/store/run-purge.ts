// Purge: remove a soft-deleted run's data for good, keeping a tombstone and a `run.purge` event.
// The events about the run stay in the audit log (they are leaves of a signed tree and cannot go),
// so its history stays provable; the tombstone says who removed the data, when, why, and which
// exported bundle still holds it.
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type Database, exec, inTransaction, queryRows } from './open-database';
import { invalidParam } from '../mlflow/errors';
import type { AuditLog } from '../audit/audit-log';
import type { RunRow } from './run-repository';
import type { Core } from '../core';
import type { RunTombstoneDto } from '../api/contract';

/** What is left of a purged run (the contract's shape: the RPC hands it out as is). */
export type RunTombstone = RunTombstoneDto;

/** Tables keyed by run_id whose rows are the run's data (metric points go through their series ids). */
const RUN_TABLES = ['params', 'tags', 'run_inputs', 'environments', 'run_code', 'artifacts', 'spool_imports', 'import_sources'];

/**
 * Deletes the run's rows in one transaction with its purge event and tombstone. The caller has
 * flushed the metric buffer and checked nothing writes to the run (it is soft-deleted). Returns the
 * tombstone and the artifact blobs no other run refers to (the caller removes those files).
 */
export async function purgeRunRows(db: Database, audit: AuditLog, run: RunRow, a: { reason: string; actor: string }): Promise<{ tombstone: RunTombstone; orphanBlobs: string[] }> {
  if (run.lifecycle_stage !== 'deleted') {
    throw invalidParam(`Run ${run.run_id} is not deleted. Purge removes only soft-deleted runs: delete it first (runledger runs delete ${run.run_id} --reason ...).`);
  }
  if (!a.reason.trim()) throw invalidParam('A purge needs a reason: it is kept in the tombstone and the audit log.');
  return inTransaction(db, async (con) => {
    const bundleDigest = await lastBundleDigest(con, run.run_id);
    const blobs = (await queryRows<{ sha256: string }>(con, 'SELECT DISTINCT sha256 FROM artifacts WHERE run_id = ?', [run.run_id])).map((r) => r.sha256);
    const series = (await queryRows<{ series_id: number }>(con, 'SELECT series_id FROM latest_metrics WHERE run_id = ?', [run.run_id])).map((r) => Math.trunc(r.series_id));
    if (series.length > 0) {
      const inRun = `series_id IN (${series.join(',')})`; // our own integers
      await exec(con, `DELETE FROM metrics WHERE ${inRun}`);
      await exec(con, `DELETE FROM metrics_hot WHERE ${inRun}`);
      // Rollups (native/series) hold real points too (each bucket's min and max): a purge removes them.
      await exec(con, `DELETE FROM metric_rollups WHERE ${inRun}`);
      await exec(con, `DELETE FROM latest_metrics WHERE ${inRun}`);
    }
    for (const table of RUN_TABLES) await exec(con, `DELETE FROM ${table} WHERE run_id = ?`, [run.run_id]);
    await exec(con, 'DELETE FROM runs WHERE run_id = ?', [run.run_id]);
    const event = await audit.append(con, {
      action: 'run.purge',
      target: { kind: 'run', id: run.run_id },
      details: {
        reason: a.reason,
        purged_by: a.actor,
        run_name: run.run_name,
        experiment_id: run.experiment_id,
        bundle_digest: bundleDigest,
        deleted_at: run.deleted_at,
        deleted_by: run.deleted_by,
        delete_reason: run.delete_reason,
      },
    });
    const tombstone: RunTombstone = {
      audit_seq: event.seq,
      run_id: run.run_id,
      run_name: run.run_name,
      experiment_id: run.experiment_id,
      bundle_digest: bundleDigest,
      purged_at: event.at,
      purged_by: a.actor,
      key_fpr: event.actor.key_fpr,
      reason: a.reason,
    };
    await exec(con, 'INSERT INTO run_tombstone VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      tombstone.audit_seq, tombstone.run_id, tombstone.run_name, tombstone.experiment_id, tombstone.bundle_digest,
      tombstone.purged_at, tombstone.purged_by, tombstone.key_fpr, tombstone.reason,
    ]);
    const stillUsed = blobs.length === 0
      ? new Set<string>()
      : new Set((await queryRows<{ sha256: string }>(con, `SELECT DISTINCT sha256 FROM artifacts WHERE sha256 IN (${blobs.map(() => '?').join(',')})`, blobs)).map((r) => r.sha256));
    return { tombstone, orphanBlobs: blobs.filter((b) => !stillUsed.has(b)) };
  });
}

/**
 * The digest of the newest bundle that carried this run: details.bundle_digest, or the target of a
 * bundle event that names the bundle by its digest (native/bundle records exports that way), not by
 * the urn:uuid known before the digest is.
 */
async function lastBundleDigest(con: DuckDBConnection, runId: string): Promise<string | null> {
  const rows = await queryRows<{ digest: string | null }>(
    con,
    `SELECT coalesce(json_extract_string(details, '$.bundle_digest'), CASE WHEN target_id NOT LIKE 'urn:%' THEN target_id END) AS digest
     FROM audit_event
     WHERE action IN ('bundle.export', 'bundle.exported') AND target_kind = 'bundle'
       AND list_contains(CAST(json_extract(details, '$.run_ids') AS VARCHAR[]), ?)
     ORDER BY (digest IS NOT NULL) DESC, seq DESC LIMIT 1`,
    [runId],
  );
  return rows[0]?.digest ?? null;
}

export async function tombstones(con: DuckDBConnection, runId?: string): Promise<RunTombstone[]> {
  return queryRows<RunTombstone>(con, `SELECT * FROM run_tombstone ${runId ? 'WHERE run_id = ?' : ''} ORDER BY audit_seq`, runId ? [runId] : []);
}

/** `runledger runs purge`: flush what the run still has in memory, remove its rows and orphaned blobs. */
export async function purgeRun(core: Core, runId: string, a: { reason: string; actor: string }): Promise<RunTombstone> {
  const run = await core.runs.mustGet(runId);
  // Points acknowledged before the delete may still sit in the write buffer or in summaries.
  await core.writer.flush();
  await core.writer.syncSummaries();
  const { tombstone, orphanBlobs } = await purgeRunRows(core.db, core.audit, run, a);
  core.writer.forgetRun(runId);
  core.runs.invalidate(runId);
  // Files go after the commit: a crash in between leaves unreferenced bytes, never a row without its file.
  for (const sha of orphanBlobs) fs.rmSync(core.artifacts.blobPath(sha), { force: true });
  fs.rmSync(path.join(core.artifacts.root, 'runs', runId), { recursive: true, force: true });
  core.events.emit('runs.changed', [runId]);
  return tombstone;
}
