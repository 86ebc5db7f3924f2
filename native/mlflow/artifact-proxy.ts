// MLflow's artifact proxy (`/api/2.0/mlflow-artifacts/artifacts[/<exp>/<run>/artifacts/<path>]`):
// list, download, upload (streamed, content-addressed) and delete. Paths are checked before any I/O.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { invalidParam, notFound } from './errors';
import { safeArtifactPath, artifactPathProblem } from '../store/artifact-paths';
import { RUN_ID_PATTERN } from '../store/ids';
import { LOGGED_MODEL_ID } from '../registry/logged-models';
import type { Core } from '../core';
import type { Fields } from './request-fields';

export interface ArtifactTarget {
  experimentId: string;
  /** Owner of the files in the artifact store: a run id, or an MLflow 3 logged model id. */
  runId: string;
  relPath: string;
  kind: 'run' | 'model';
}

/**
 * `<exp>/<run>/artifacts[/<rel>]` or, for MLflow 3 logged models, `<exp>/models/<model_id>/artifacts[/<rel>]`
 * → its parts; anything else is a 400.
 */
export function parseArtifactLocation(p: string): ArtifactTarget {
  const problem = artifactPathProblem(p);
  if (problem) throw invalidParam(`Invalid path: the artifact path ${JSON.stringify(p)} ${problem}`);
  const segs = p.split('/').filter((s) => s !== '');
  if (segs.length >= 4 && /^\d+$/.test(segs[0]) && segs[1] === 'models' && LOGGED_MODEL_ID.test(segs[2]) && segs[3] === 'artifacts') {
    return { experimentId: segs[0], runId: segs[2], relPath: safeArtifactPath(segs.slice(4).join('/')), kind: 'model' };
  }
  if (segs.length < 3 || segs[2] !== 'artifacts' || !/^\d+$/.test(segs[0]) || !RUN_ID_PATTERN.test(segs[1])) {
    throw invalidParam(`Invalid path: expected '<experiment_id>/<run_id>/artifacts[/<path>]', got ${JSON.stringify(p)}`);
  }
  return { experimentId: segs[0], runId: segs[1], relPath: safeArtifactPath(segs.slice(3).join('/')), kind: 'run' };
}

/** The owner's experiment, or null when the owner does not exist. */
async function ownerExperiment(core: Core, t: ArtifactTarget): Promise<string | null> {
  if (t.kind === 'model') return (await core.registry.loggedModels.get(t.runId))?.experiment_id ?? null;
  return (await core.runs.get(t.runId))?.experiment_id ?? null;
}

async function runFor(core: Core, t: ArtifactTarget, forWrite: boolean): Promise<void> {
  if (t.kind === 'model') {
    const lm = await core.registry.loggedModels.mustGet(t.runId);
    if (lm.experiment_id !== t.experimentId) throw notFound(`Logged model '${t.runId}' is not in experiment ${t.experimentId}`);
    return;
  }
  if (forWrite) await core.runs.assertWritable(t.runId); // also resumes an interrupted run
  const run = await core.runs.mustGet(t.runId);
  if (run.experiment_id !== t.experimentId) throw notFound(`Run '${t.runId}' is not in experiment ${t.experimentId}`);
}

export async function listArtifacts(core: Core, query: Fields): Promise<Record<string, unknown>> {
  const p = typeof query.path === 'string' ? query.path : '';
  if (p === '') return {};
  const t = parseArtifactLocation(p);
  // `<exp>/<run>` names a storage location: a run listed under another experiment's prefix has
  // nothing there (download and upload already refuse the mismatch), so it lists as empty.
  if ((await ownerExperiment(core, t)) !== t.experimentId) return {};
  // Listing a file's own path lists nothing (the client lists before downloading).
  const files = await core.artifacts.list(t.runId, t.relPath);
  return files.length > 0 ? { files } : {};
}

export async function uploadArtifact(core: Core, subPath: string, req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const t = parseArtifactLocation(subPath);
  if (t.relPath === '') throw invalidParam('Invalid path: an upload needs a file name under artifacts/');
  await runFor(core, t, true);
  const mediaType = typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : null;
  await core.artifacts.put(t.runId, t.relPath, req, mediaType, core.maxArtifactBytes);
  return {};
}

export async function downloadArtifact(core: Core, subPath: string, res: http.ServerResponse): Promise<void> {
  const t = parseArtifactLocation(subPath);
  await runFor(core, t, false);
  const row = await core.artifacts.get(t.runId, t.relPath);
  // MLflow answers 500 here, which the client retries for minutes; a missing file is a 404.
  if (!row) throw notFound(`Artifact '${t.relPath}' not found in run '${t.runId}'`);
  const file = core.artifacts.blobPath(row.sha256);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) throw notFound(`Artifact '${t.relPath}' is recorded but its bytes are missing from the store`);
  res.writeHead(200, {
    'Content-Type': row.media_type && !row.media_type.includes('html') ? row.media_type : 'application/octet-stream',
    'Content-Length': stat.size,
    'Content-Disposition': contentDisposition(path.posix.basename(t.relPath)),
    'X-Content-Type-Options': 'nosniff',
  });
  await new Promise<void>((resolve, reject) => {
    fs.createReadStream(file).on('error', reject).pipe(res).on('finish', resolve).on('error', reject);
  });
}

/**
 * RFC 6266: an ASCII fallback name plus the exact UTF-8 name in `filename*`. HTTP headers are
 * Latin-1, and Node refuses anything else, so a raw non-ASCII name cannot go in `filename`.
 */
export function contentDisposition(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

export async function deleteArtifact(core: Core, subPath: string): Promise<Record<string, unknown>> {
  const t = parseArtifactLocation(subPath);
  await runFor(core, t, true);
  const n = await core.artifacts.delete(t.runId, t.relPath);
  if (n === 0) throw notFound(`Artifact '${t.relPath}' not found in run '${t.runId}'`);
  return {};
}

/** `GET /api/2.0/mlflow/artifacts/list?run_id=&path=`: run-scoped listing with run-relative paths. */
export async function listRunArtifacts(core: Core, runId: string, dir: string): Promise<Record<string, unknown>> {
  const run = await core.runs.mustGet(runId);
  const rel = safeArtifactPath(dir);
  const files = await core.artifacts.list(runId, rel);
  const out: Record<string, unknown> = { root_uri: `mlflow-artifacts:/${run.experiment_id}/${runId}/artifacts` };
  if (files.length > 0) out.files = files.map((f) => ({ ...f, path: rel ? `${rel}/${f.path}` : f.path }));
  return out;
}
