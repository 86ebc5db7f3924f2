// The layout of MLflow's file store (mlflow/store/tracking/file_store.py):
//   mlruns/<experiment id>/meta.yaml            name, artifact_location, lifecycle_stage, …
//   mlruns/<experiment id>/tags/<key>           experiment tags, one file each
//   mlruns/<experiment id>/<run id>/meta.yaml   run_id, run_name, status (int), start/end_time, lifecycle_stage, …
//   mlruns/<experiment id>/<run id>/{params,tags,metrics}/<key>   keys may hold '/', so files may nest
//   mlruns/<experiment id>/<run id>/artifacts/  (the default artifact location)
//   mlruns/.trash/<experiment id>/              deleted experiments
// Deleted runs stay in place with `lifecycle_stage: deleted` (and `deleted_time`).
import fs from 'node:fs';
import path from 'node:path';
import { parseYaml, type YamlValue } from '../simple-yaml';

/** Folders inside an experiment folder that are not runs (FileStore.RESERVED_EXPERIMENT_FOLDERS and later additions). */
const RESERVED = new Set(['tags', 'datasets', 'traces', 'models']);

export interface MlflowRunDir {
  dir: string;
  meta: Record<string, YamlValue>;
}

export interface MlflowExperimentDir {
  dir: string;
  meta: Record<string, YamlValue>;
  /** In `.trash`, or marked deleted in its meta.yaml. */
  deleted: boolean;
  runs: MlflowRunDir[];
}

export function readMeta(dir: string): Record<string, YamlValue> | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'meta.yaml'), 'utf8');
  } catch {
    return null;
  }
  const v = parseYaml(text);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
}

export const isRunMeta = (m: Record<string, YamlValue> | null): boolean => !!m && ('run_uuid' in m || 'run_id' in m) && 'experiment_id' in m;
export const isExperimentMeta = (m: Record<string, YamlValue> | null): boolean => !!m && 'name' in m && 'experiment_id' in m && !isRunMeta(m);

function subdirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function experimentAt(dir: string, inTrash: boolean): MlflowExperimentDir | null {
  const meta = readMeta(dir);
  if (!isExperimentMeta(meta)) return null;
  const runs: MlflowRunDir[] = [];
  for (const name of subdirs(dir)) {
    if (RESERVED.has(name)) continue;
    const runMeta = readMeta(path.join(dir, name));
    if (isRunMeta(runMeta)) runs.push({ dir: path.join(dir, name), meta: runMeta! });
  }
  return { dir, meta: meta!, deleted: inTrash || meta!.lifecycle_stage === 'deleted', runs };
}

/** Experiments (with their runs) under an mlruns root, an experiment folder, or one run folder. */
export function findMlflowExperiments(p: string): MlflowExperimentDir[] {
  const abs = path.resolve(p);
  const own = readMeta(abs);
  if (isRunMeta(own)) {
    const parent = path.dirname(abs);
    const exp = experimentAt(parent, path.basename(path.dirname(parent)) === '.trash');
    if (!exp) return [];
    return [{ ...exp, runs: exp.runs.filter((r) => r.dir === abs) }];
  }
  if (isExperimentMeta(own)) {
    const exp = experimentAt(abs, path.basename(path.dirname(abs)) === '.trash');
    return exp ? [exp] : [];
  }
  const out: MlflowExperimentDir[] = [];
  for (const name of subdirs(abs)) {
    if (name.startsWith('.')) continue;
    const e = experimentAt(path.join(abs, name), false);
    if (e) out.push(e);
  }
  for (const name of subdirs(path.join(abs, '.trash'))) {
    const e = experimentAt(path.join(abs, '.trash', name), true);
    if (e) out.push(e);
  }
  return out;
}

/** Files under `dir`, as '/'-separated paths relative to it (MLflow keys and artifact paths). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk(dir, '');
  return out;
}

export function text(v: YamlValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

export function int(v: YamlValue | undefined): number | null {
  const s = text(v);
  return s !== null && /^-?\d+$/.test(s) ? Number(s) : null;
}
