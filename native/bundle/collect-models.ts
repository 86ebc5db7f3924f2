// Export side of model versions in a bundle (issue #9): each version's record and its logged model's
// files, written under the source run's folder (layout in model-record.ts). Files that are the run's
// artifacts (a `runs:/…` source) are already in the bundle with the run and are not copied twice.
import type { Core } from '../core';
import { modelVersionRecord, type ModelVersionRecord } from '../registry/version-export';
import { sanitizeArtifactPaths } from './bag-paths';
import { StoreCorruptionError } from './collect-run';
import { MODEL_RECORD_FILE, MODEL_RECORD_FORMAT, modelVersionDir, type ModelRecord } from './model-record';
import { type BagFile, diskFile, jsonFile } from './payload-file';

export interface ModelRef {
  name: string;
  version: number;
}

export interface SourcedModel extends ModelVersionRecord {
  ref: ModelRef;
  source_run_id: string;
  storage_location: string;
}

/** For the RO-Crate: which payload files make up a version. */
export interface CollectedModel {
  ref: ModelRef;
  stage: string;
  source: string;
  paths: string[];
}

export class ModelExportError extends Error {}

/** Reads the versions up front: export needs their source runs before it names the bundle. */
export async function loadModelRecords(core: Core, refs: readonly ModelRef[]): Promise<SourcedModel[]> {
  const seen = new Set<string>();
  const out: SourcedModel[] = [];
  for (const ref of refs) {
    const key = `${ref.name}\u0000${ref.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rec = await modelVersionRecord(core, ref.name, ref.version);
    // A bundle is runs plus what they produced; a version with no run has nothing to hang off.
    if (!rec.source_run_id) throw new ModelExportError(`model ${ref.name} version ${ref.version} has no source run, so it cannot go into a bundle`);
    const v = await core.registry.models.versions.mustGet(ref.name, ref.version);
    out.push({ ...rec, ref, source_run_id: rec.source_run_id, storage_location: v.storage_location });
  }
  return out;
}

export async function collectModels(models: readonly SourcedModel[], prefix: string, root: string, onBytes: (n: number) => void): Promise<{ files: BagFile[]; models: CollectedModel[] }> {
  const files: BagFile[] = [];
  const collected: CollectedModel[] = [];
  for (const m of models) {
    const dir = `${prefix}${modelVersionDir(m.ref.name, m.ref.version)}`;
    const names = sanitizeArtifactPaths(root, `${dir}files/`, m.model_files.map((f) => f.path));
    const mine: BagFile[] = [];
    for (const f of [...m.model_files].sort((a, b) => (names.get(a.path)! < names.get(b.path)! ? -1 : 1))) {
      const file = await diskFile(names.get(f.path)!, m.blob_path(f.sha256), onBytes, { originalName: `${m.ref.name} v${m.ref.version}: ${f.path}` });
      if (file.sha256 !== f.sha256 || file.size !== f.size) throw new StoreCorruptionError(`store corruption: file ${f.path} of model ${m.ref.name} version ${m.ref.version} no longer has sha256 ${f.sha256}`);
      mine.push(file);
    }
    const record: ModelRecord = {
      format: MODEL_RECORD_FORMAT,
      registered_model: m.registered_model,
      model_version: m.model_version,
      logged_model: m.logged_model,
      source_run_id: m.source_run_id,
      storage_location: m.storage_location,
      files: m.model_files.map((f) => ({ ...f, bag_path: names.get(f.path)!.slice(prefix.length) })),
    };
    const recordFile = { ...jsonFile(`${dir}${MODEL_RECORD_FILE}`, record), originalName: `${m.ref.name} version ${m.ref.version} (registry record)`, mediaType: 'application/json' };
    files.push(recordFile, ...mine);
    collected.push({
      ref: m.ref,
      stage: typeof m.model_version.current_stage === 'string' ? m.model_version.current_stage : 'None',
      source: typeof m.model_version.source === 'string' ? m.model_version.source : '',
      paths: [recordFile.path, ...mine.map((f) => f.path)],
    });
  }
  return { files, models: collected };
}
