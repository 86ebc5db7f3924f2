// Imports run by the core (for the RPC handlers): started in the background, their progress pushed
// on the core's event bus (`import.progress`, so pages see it live) and available to poll (the CLI
// through a server), or awaited whole. One registry per Core: the HTTP
// server builds its handler map more than once.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core';
import type { ImportFormatName, ImportProgress, ImportSummary } from '../api/contract';
import { invalidParam, notFound } from '../mlflow/errors';
import { detectFormat } from './registry';
import { StoreImport } from './import-into-store';
import { emptySummary, newProgress } from './import-summary';

const KEEP_FINISHED = 50;
/** How often a running import's progress is published: often enough for a smooth bar, no more. */
const PUBLISH_EVERY_MS = 200;

interface Job {
  progress: ImportProgress;
  done: Promise<ImportSummary>;
}

export class ImportJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly core: Core) {}

  async detect(p: string): Promise<{ format: ImportFormatName; description: string; supported: boolean } | null> {
    const found = await detectFormat(checkedPath(p));
    if (!found) return null;
    return { format: found.importer.id, description: found.detection.description, supported: !found.importer.unsupported };
  }

  start(p: string, experiment?: string): ImportProgress {
    const abs = checkedPath(p);
    const importId = crypto.randomBytes(6).toString('hex');
    const progress = newProgress(importId, abs, null);
    const job: Job = { progress, done: Promise.resolve(null as unknown as ImportSummary) };
    const publish = (): void => this.core.bus.publish('import.progress', { ...job.progress });
    const ticker = setInterval(publish, PUBLISH_EVERY_MS);
    ticker.unref();
    job.done = this.execute(abs, experiment, job)
      .catch((err: Error) => {
        job.progress = { ...job.progress, state: 'failed', error: err.message };
        throw err;
      })
      .finally(() => {
        clearInterval(ticker);
        publish(); // the final state (done with its summary, or failed), exactly once
      });
    job.done.catch(() => undefined); // reported through status(); run() callers see the rejection
    this.jobs.set(importId, job);
    this.prune();
    return progress;
  }

  status(importId: string): ImportProgress {
    const job = this.jobs.get(importId);
    if (!job) throw notFound(`No import with id '${importId}'`);
    return { ...job.progress };
  }

  async run(p: string, experiment?: string): Promise<ImportSummary> {
    const { import_id } = this.start(p, experiment);
    return this.jobs.get(import_id)!.done;
  }

  private async execute(abs: string, experiment: string | undefined, job: Job): Promise<ImportSummary> {
    const found = fs.existsSync(abs) ? await detectFormat(abs) : null;
    if (!found || found.importer.unsupported) {
      const message = !fs.existsSync(abs)
        ? `${abs} does not exist`
        : found
          ? `${abs} is ${found.detection.description}: ${found.importer.unsupported}`
          : `${abs} holds nothing Runledger can import (looked for TensorBoard event files, a Lightning metrics.csv, an MLflow mlruns store)`;
      const summary = emptySummary(abs, found?.importer.id ?? null, message);
      job.progress = { ...job.progress, state: 'done', format: summary.format, summary };
      return summary;
    }
    const session = new StoreImport(this.core, found.importer, abs, job.progress.import_id, experiment);
    job.progress = session.progress; // live object: status() copies it
    return session.run();
  }

  private prune(): void {
    const finished = [...this.jobs].filter(([, j]) => j.progress.state !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(id);
  }
}

function checkedPath(p: string): string {
  if (typeof p !== 'string' || p === '') throw invalidParam('path is required');
  // The server cannot know the caller's working directory: the CLI sends absolute paths.
  if (!path.isAbsolute(p)) throw invalidParam(`path must be absolute, got '${p}'`);
  return path.normalize(p);
}

const registries = new WeakMap<Core, ImportJobs>();

export function importJobs(core: Core): ImportJobs {
  let jobs = registries.get(core);
  if (!jobs) {
    jobs = new ImportJobs(core);
    registries.set(core, jobs);
  }
  return jobs;
}
