// An MLflow file store (`mlruns/`) → experiments and runs, keeping names, params, tags, metric
// histories (`timestamp value step` lines), artifacts, statuses, times, and deleted runs as deleted.
// A run's identity is its MLflow run id: importing the same store again, or a copy of it, adds nothing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Importer, ImportRecord, ReadOptions } from '../import-record';
import type { KeyValue, RunStatus } from '../../store/run-repository';
import { PointBatch } from '../point-batch';
import { textIdentity } from '../source-identity';
import { pythonFloat } from '../python-float';
import { filesUnder, findMlflowExperiments, int, text, type MlflowExperimentDir, type MlflowRunDir } from './mlruns-layout';

/** mlflow.entities.RunStatus as stored in meta.yaml. */
const STATUS: Record<number, RunStatus> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };

const MEDIA: Record<string, string> = {
  '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.log': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
  '.yaml': 'application/yaml', '.yml': 'application/yaml', '.csv': 'text/csv', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml', '.parquet': 'application/vnd.apache.parquet', '.html': 'text/html',
};

export const mlflowDirImporter: Importer = {
  id: 'mlflow-dir',
  async detect(p) {
    const exps = findMlflowExperiments(p);
    if (exps.length === 0) return null;
    const runs = exps.reduce((n, e) => n + e.runs.length, 0);
    return { format: 'mlflow-dir', description: `an MLflow file store (${exps.length} experiment${exps.length === 1 ? '' : 's'}, ${runs} run${runs === 1 ? '' : 's'})` };
  },
  read: readMlruns,
};

async function* readMlruns(root: string, options: ReadOptions): AsyncGenerator<ImportRecord> {
  const exps = findMlflowExperiments(root);
  let bytes = 0;
  for (const e of exps) for (const r of e.runs) for (const f of filesUnder(path.join(r.dir, 'metrics'))) bytes += fs.statSync(path.join(r.dir, 'metrics', f)).size;
  yield { kind: 'plan', runs: exps.reduce((n, e) => n + e.runs.length, 0), bytes };
  for (const exp of exps) {
    const name = text(exp.meta.name) ?? `mlflow-${text(exp.meta.experiment_id) ?? path.basename(exp.dir)}`;
    yield { kind: 'experiment', name, tags: keyValues(path.join(exp.dir, 'tags')), lifecycle: exp.deleted ? 'deleted' : 'active' };
    for (const run of exp.runs) yield* readRun(exp, name, run, options);
  }
}

async function* readRun(exp: MlflowExperimentDir, experiment: string, run: MlflowRunDir, options: ReadOptions): AsyncGenerator<ImportRecord> {
  const m = run.meta;
  const sourceId = text(m.run_id) ?? text(m.run_uuid) ?? path.basename(run.dir);
  const tags = keyValues(path.join(run.dir, 'tags'));
  const name = text(m.run_name) || tags.find((t) => t.key === 'mlflow.runName')?.value || sourceId;
  const identity = textIdentity('mlflow-dir', sourceId);
  const metricFiles = filesUnder(path.join(run.dir, 'metrics'));
  const metricBytes = metricFiles.reduce((n, f) => n + fs.statSync(path.join(run.dir, 'metrics', f)).size, 0);
  if (!(await options.shouldImport({ identity, name, source: run.dir }))) {
    yield { kind: 'bytes', done: metricBytes };
    return;
  }
  yield {
    kind: 'run',
    ref: run.dir,
    identity,
    name,
    source: run.dir,
    experiment,
    startTime: int(m.start_time) ?? 0,
    userId: text(m.user_id) ?? '',
    params: keyValues(path.join(run.dir, 'params')),
    tags: [
      ...tags,
      { key: 'runledger.import.format', value: 'mlflow-dir' },
      { key: 'runledger.import.source', value: run.dir },
      { key: 'runledger.import.source_run_id', value: sourceId },
    ],
  };
  const batch = new PointBatch();
  for (const key of metricFiles) {
    const file = path.join(run.dir, 'metrics', key);
    const keyId = batch.keyId(key);
    try {
      for await (const { line, offset } of lines(file)) {
        const parts = line.trim().split(' ');
        const ts = Number(parts[0]);
        const value = parts.length >= 2 ? pythonFloat(parts[1]) : null;
        const step = parts.length === 3 ? Number(parts[2]) : 0;
        if ((parts.length !== 2 && parts.length !== 3) || !Number.isSafeInteger(ts) || value === null || !Number.isSafeInteger(step)) {
          yield { kind: 'damaged', file, offset, reason: `not a "timestamp value step" line: ${JSON.stringify(line.slice(0, 80))}` };
          continue;
        }
        batch.push(keyId, step, ts, value);
        for (const columns of batch.take(false)) yield { kind: 'points', ref: run.dir, columns };
      }
    } catch (err) {
      yield { kind: 'problem', message: `${file}: ${(err as Error).message}` };
    }
  }
  for (const columns of batch.take(true)) yield { kind: 'points', ref: run.dir, columns };
  yield { kind: 'bytes', done: metricBytes };

  const artifactDir = artifactsOf(exp, run);
  if (artifactDir) {
    for (const rel of filesUnder(artifactDir)) {
      const abs = path.join(artifactDir, rel);
      yield { kind: 'artifact', ref: run.dir, path: rel, mediaType: MEDIA[path.extname(rel).toLowerCase()] ?? null, what: 'file', items: 1, open: () => fs.createReadStream(abs) };
    }
  }
  const inputs = filesUnder(path.join(run.dir, 'inputs')).filter((f) => f.endsWith('meta.yaml')).length;
  if (inputs > 0) yield { kind: 'ignored', what: 'MLflow dataset input (not imported yet)', count: inputs };
  const status = STATUS[int(m.status) ?? 0] ?? ((text(m.status) ?? '') in { RUNNING: 1, SCHEDULED: 1, FINISHED: 1, FAILED: 1, KILLED: 1 } ? (text(m.status) as RunStatus) : 'FINISHED');
  yield {
    kind: 'run-end',
    ref: run.dir,
    status,
    endTime: int(m.end_time),
    deleted: m.lifecycle_stage === 'deleted' || exp.deleted ? { at: int(m.deleted_time) } : undefined,
  };
}

/**
 * `<run>/artifacts`; else the meta.yaml's artifact_uri when it is a local folder that exists; else,
 * for `mlflow-artifacts:/…` (a tracking server's proxied artifacts), the `mlartifacts/` folder that
 * `mlflow server` keeps beside `mlruns/` by default.
 */
function artifactsOf(exp: MlflowExperimentDir, run: MlflowRunDir): string | null {
  const local = path.join(run.dir, 'artifacts');
  if (fs.existsSync(local)) return local;
  const uri = text(run.meta.artifact_uri);
  if (!uri) return null;
  if (uri.startsWith('mlflow-artifacts:')) {
    const root = path.dirname(path.basename(path.dirname(exp.dir)) === '.trash' ? path.dirname(exp.dir) : exp.dir);
    const rel = uri.replace(/^mlflow-artifacts:\/*/, '');
    const candidate = path.join(path.dirname(root), 'mlartifacts', ...rel.split('/'));
    return !rel.split('/').includes('..') && fs.existsSync(candidate) ? candidate : null;
  }
  try {
    const p = uri.startsWith('file:') ? fileURLToPath(uri) : path.isAbsolute(uri) ? uri : null;
    return p && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

/** params/ and tags/: one file per key (the key may contain '/'), the value is the whole file. */
function keyValues(dir: string): KeyValue[] {
  return filesUnder(dir).map((key) => ({ key, value: fs.readFileSync(path.join(dir, key), 'utf8') }));
}

/** Lines of a file with the byte offset each starts at (for reporting a damaged line exactly). */
async function* lines(file: string): AsyncGenerator<{ line: string; offset: number }> {
  let rest: Buffer = Buffer.alloc(0);
  let offset = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      if (nl > start) yield { line: buf.toString('utf8', start, nl), offset: offset + start };
      start = nl + 1;
    }
    offset += start;
    rest = buf.subarray(start);
  }
  if (rest.length > 0) yield { line: rest.toString('utf8'), offset };
}
