// Exports started over RPC run in the background; the UI and the CLI poll their progress. Jobs live
// in memory for the process's life (an export is minutes at most; its result is the file itself).
import crypto from 'node:crypto';
import type { Core } from '../core';
import type { BundleExportJob } from '../api/contract';
import type { Signer } from '../keys';
import { exportBundle } from './export-bundle';
import type { ModelRef } from './collect-models';

const jobs = new WeakMap<Core, Map<string, BundleExportJob>>();
const MAX_KEPT = 100;

export function startExport(core: Core, a: { runIds: string[]; output: string; folder?: boolean; signer: Signer; now?: Date; models?: ModelRef[] }): BundleExportJob {
  const mine = jobs.get(core) ?? new Map<string, BundleExportJob>();
  jobs.set(core, mine);
  const job: BundleExportJob = { job_id: crypto.randomUUID(), state: 'running', phase: 'collect', bytes_done: 0, bytes_total: 0, result: null, error: null };
  mine.set(job.job_id, job);
  if (mine.size > MAX_KEPT) mine.delete(mine.keys().next().value!);
  void exportBundle(core, {
    runIds: a.runIds, output: a.output, folder: a.folder, signer: a.signer, now: a.now, models: a.models,
    // A fixed clock asks for byte-identical output: the audit section records the export itself.
    audit: a.now === undefined,
    onProgress: (p) => Object.assign(job, { phase: p.phase, bytes_done: p.bytes_done, bytes_total: p.bytes_total }),
  }).then(
    async (result) => {
      await core.audit.record({ action: 'bundle.exported', target: { kind: 'bundle', id: result.digest }, details: { run_ids: result.run_ids, models: result.models.map((m) => `${m.name}/${m.version}`), path: result.path, bytes: result.bytes } }).catch(() => undefined);
      Object.assign(job, { state: 'done', phase: 'done', result });
    },
    (err: Error) => Object.assign(job, { state: 'failed', error: err.message }),
  );
  return { ...job };
}

export function exportStatus(core: Core, jobId: string): BundleExportJob | null {
  const job = jobs.get(core)?.get(jobId);
  return job ? { ...job } : null;
}
