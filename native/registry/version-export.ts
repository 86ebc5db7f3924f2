// What a bundle (native/bundle, issue #6) needs to carry a model version with its source run: the
// registry rows in MLflow's own JSON shapes, and the model's files that are not already among the
// run's artifacts (an MLflow 3 logged model keeps its files under its own id). The bundle adds the
// source run itself with collectRun, so `source_run_id` is all it needs of the run here.
import type { Core } from '../core';
import { loggedModelJson, modelVersionJson, registeredModelJson } from '../mlflow/registry-json';

export interface ModelVersionRecord {
  /** RegisteredModel JSON without latest_versions/aliases (those belong to the exporting store). */
  registered_model: Record<string, unknown>;
  /** ModelVersion JSON as MLflow's get answers it (stage and aliases as they are now). */
  model_version: Record<string, unknown>;
  /** LoggedModel JSON when the version was made from an MLflow 3 logged model. */
  logged_model: Record<string, unknown> | null;
  source_run_id: string | null;
  /** Files of the model outside the run's artifacts, by path under the model's root (content-addressed). */
  model_files: { path: string; sha256: string; size: number }[];
  /** Where those files are on disk: `blobPath(sha256)`. */
  blob_path: (sha256: string) => string;
}

export async function modelVersionRecord(core: Core, name: string, version: number): Promise<ModelVersionRecord> {
  const model = await core.registry.models.mustGet(name);
  const v = await core.registry.models.versions.mustGet(name, version);
  const logged = v.model_id ? await core.registry.loggedModels.get(v.model_id) : null;
  const files = logged ? await core.artifacts.all(logged.model_id) : [];
  const { latest_versions: _l, aliases: _a, ...bare } = registeredModelJson(model);
  return {
    registered_model: bare,
    model_version: modelVersionJson(v),
    logged_model: logged ? loggedModelJson(logged) : null,
    source_run_id: v.run_id ?? logged?.source_run_id ?? null,
    model_files: files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size })),
    blob_path: (sha) => core.artifacts.blobPath(sha),
  };
}
