// What each spool record does to the store. The same validation and the same store calls as the
// HTTP endpoints a live client would have used, so a synced run equals one logged online.
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core';
import type { RunStatus } from '../api/contract';
import { MlflowError, invalidParam } from '../mlflow/errors';
import { decodeParam, decodeTag, lastTagWins } from '../mlflow/metric-input';
import type { Fields } from '../mlflow/request-fields';
import { safeArtifactPath } from '../store/artifact-paths';
import { decodeProvenance } from './env-snapshot';
import { saveProvenance } from './provenance-store';
import { decodeDatasetInput, logDataset } from './dataset-store';
import { SPOOL_ARTIFACTS, type SpoolRecord } from './spool-format';

export interface RunTarget {
  core: Core;
  runId: string;
  folder: string;
  /** Set once an `end` record was applied: the run is finalised after the import. */
  ended: RunStatus | null;
}

const TERMINAL: readonly RunStatus[] = ['FINISHED', 'FAILED', 'KILLED'];

function entries(v: unknown, what: string, seq: number): [string, unknown][] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalidParam(`record #${seq}: '${what}' is not an object`);
  return Object.entries(v as Fields);
}

async function experimentId(core: Core, name: unknown): Promise<string> {
  if (typeof name !== 'string' || name === '') return '0';
  const existing = await core.experiments.getByName(name);
  if (existing) return existing.experiment_id;
  try {
    return await core.experiments.create(name, undefined, []);
  } catch (err) {
    // Created by someone else since we looked.
    if (err instanceof MlflowError && err.code === 'RESOURCE_ALREADY_EXISTS') return (await core.experiments.getByName(name))!.experiment_id;
    throw err;
  }
}

/**
 * The store run a spool's records go to: the run it names when that run exists here (a client that
 * lost its server mid-run spools the rest under the same id), else a new one from the header.
 */
export async function resolveRun(core: Core, header: Fields, spoolId: string): Promise<string> {
  if (typeof header.run_id === 'string' && header.run_id !== '' && (await core.runs.get(header.run_id))) return header.run_id;
  const tags = lastTagWins([
    ...entries(header.tags ?? {}, 'tags', 0).map(([key, value]) => decodeTag({ key, value })),
    { key: 'runledger.spool_id', value: spoolId },
  ]);
  const startTime = typeof header.start_time === 'number' && Number.isSafeInteger(header.start_time) ? header.start_time : Date.now();
  return core.runs.create({
    experimentId: await experimentId(core, header.experiment),
    userId: typeof header.user === 'string' ? header.user : '',
    runName: typeof header.run_name === 'string' && header.run_name !== '' ? header.run_name : `spool-${spoolId.slice(0, 8)}`,
    startTime,
    tags,
  });
}

export type Applied = 'params' | 'tags' | 'provenance' | 'dataset' | 'artifact' | 'end' | 'skipped';

/** Applies one non-metric record (metrics are batched by the caller). */
export async function applyRecord(t: RunTarget, rec: SpoolRecord): Promise<Applied> {
  const { core, runId } = t;
  const p = rec.payload;
  switch (p.type) {
    case 'params': {
      await core.runs.assertWritable(runId);
      await core.runs.logParams(runId, entries(p.params, 'params', rec.seq).map(([key, value]) => decodeParam({ key, value })));
      return 'params';
    }
    case 'tags': {
      await core.runs.assertWritable(runId);
      await core.runs.setTags(runId, lastTagWins(entries(p.tags, 'tags', rec.seq).map(([key, value]) => decodeTag({ key, value }))));
      return 'tags';
    }
    case 'provenance': {
      const { environment, code } = decodeProvenance(p);
      await core.runs.assertWritable(runId);
      await saveProvenance(core.db, runId, environment, code);
      return 'provenance';
    }
    case 'dataset':
      await logDataset(core, runId, decodeDatasetInput(p));
      return 'dataset';
    case 'artifact':
      await importArtifact(t, rec);
      return 'artifact';
    case 'end': {
      const status = p.status as RunStatus;
      if (!TERMINAL.includes(status)) throw invalidParam(`record #${rec.seq}: end status '${String(p.status)}' is not one of ${TERMINAL.join(', ')}`);
      const endTime = typeof p.end_time === 'number' && Number.isSafeInteger(p.end_time) ? p.end_time : Date.now();
      await core.runs.update(runId, { status, endTime });
      t.ended = status;
      return 'end';
    }
    default:
      // A record type from a newer client: the rest of the spool is still worth importing.
      return 'skipped';
  }
}

async function importArtifact(t: RunTarget, rec: SpoolRecord): Promise<void> {
  const p = rec.payload;
  const rel = safeArtifactPath(typeof p.path === 'string' ? p.path : '');
  const sha = typeof p.sha256 === 'string' ? p.sha256 : '';
  if (rel === '' || !/^[0-9a-f]{64}$/.test(sha)) throw invalidParam(`record #${rec.seq}: an artifact record needs a path and a sha256`);
  const blob = path.join(t.folder, SPOOL_ARTIFACTS, sha);
  if (!fs.existsSync(blob)) throw invalidParam(`record #${rec.seq}: the bytes of artifact '${rel}' (${SPOOL_ARTIFACTS}/${sha}) are missing from the spool`);
  await t.core.runs.mustBeActive(t.runId);
  const mediaType = typeof p.media_type === 'string' ? p.media_type : null;
  const row = await t.core.artifacts.put(t.runId, rel, fs.createReadStream(blob), mediaType, t.core.maxArtifactBytes);
  if (row.sha256 !== sha) {
    await t.core.artifacts.delete(t.runId, rel);
    throw invalidParam(`record #${rec.seq}: artifact '${rel}' does not match its checksum (the spool's copy is damaged)`);
  }
}
