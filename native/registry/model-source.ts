// Where a model version's files are. The client hands create-model-version a `source`:
//   runs:/<run_id>/<path>          (2.x log_model + register_model sends the resolved URI, but
//                                   register_model("runs:/…") from other tools sends this one)
//   models:/<model_id>             (MLflow 3 logged model)   models:/<name>/<version>  models:/<name>@<alias>
//   mlflow-artifacts:/<exp>/<run>/artifacts/<path>, or any other remote URI
// We keep `source` as given and resolve `storage_location`, which get-download-uri answers and the
// client downloads from. Local paths are refused as MLflow's server does (`_validate_source`): a
// version must not point the server at files outside its store.
import { invalidParam, notFound } from '../mlflow/errors';
import { artifactUri } from '../mlflow/serializers';
import type { Core } from '../core';
import { LOGGED_MODEL_ID } from './logged-models';
import { versionNumber } from './model-versions';

export interface ResolvedSource {
  storageLocation: string;
  runId: string | null;
  modelId: string | null;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

function hasRelativeParts(uri: string): boolean {
  let decoded = uri;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    /* undecodable: check it as it is */
  }
  return decoded.split(/[/\\]/).some((seg) => seg === '..' || seg === '.');
}

export async function resolveSource(core: Core, source: string, runId: string | null, modelId: string | null): Promise<ResolvedSource> {
  const scheme = SCHEME.exec(source)?.[1]?.toLowerCase();
  if (!scheme || scheme === 'file' || /^[a-zA-Z]$/.test(scheme)) {
    throw invalidParam(
      `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
    );
  }
  if (hasRelativeParts(source)) {
    throw invalidParam(
      `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`,
    );
  }
  if (modelId !== null) {
    const lm = await core.registry.loggedModels.mustGet(modelId);
    return { storageLocation: lm.artifact_uri, runId: runId ?? lm.source_run_id, modelId };
  }
  if (scheme === 'runs') {
    const m = /^runs:\/([^/]+)(?:\/(.*))?$/.exec(source);
    if (!m) throw invalidParam(`Invalid model version source: '${source}'. Expected runs:/<run_id>/<artifact path>.`);
    const run = await core.runs.get(m[1]);
    if (!run) throw notFound(`Run '${m[1]}' not found (model version source '${source}')`);
    const rel = (m[2] ?? '').replace(/\/+$/, '');
    return { storageLocation: rel ? `${artifactUri(run.experiment_id, run.run_id)}/${rel}` : artifactUri(run.experiment_id, run.run_id), runId: runId ?? run.run_id, modelId: null };
  }
  if (scheme === 'models') {
    const rest = source.slice('models:/'.length).replace(/^\/+/, '');
    if (LOGGED_MODEL_ID.test(rest)) {
      const lm = await core.registry.loggedModels.mustGet(rest);
      return { storageLocation: lm.artifact_uri, runId: runId ?? lm.source_run_id, modelId: rest };
    }
    const byAlias = /^([^/@]+)@([\w-]+)$/.exec(rest);
    const byVersion = /^([^/]+)\/([^/]+)$/.exec(rest);
    try {
      const v = byAlias
        ? await core.registry.models.versionByAlias(byAlias[1], byAlias[2])
        : byVersion
          ? await core.registry.models.versions.mustGet(byVersion[1], versionNumber(byVersion[2]))
          : null;
      if (!v) throw invalidParam(`Invalid model URI '${source}': expected models:/<model_id>, models:/<name>/<version> or models:/<name>@<alias>.`);
      return { storageLocation: v.storage_location, runId: runId ?? v.run_id, modelId: v.model_id };
    } catch (err) {
      throw invalidParam(`Unable to fetch model from model URI source artifact location '${source}'. Error: ${(err as Error).message}`);
    }
  }
  return { storageLocation: source, runId, modelId };
}
