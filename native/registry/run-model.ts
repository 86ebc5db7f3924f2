// Which model a run produced, for promotion and the UI's lineage. In order of preference:
//   1. an MLflow 3 logged model whose source_run_id is the run (READY ones first) → models:/<id>
//   2. an MLflow 2.x `log_model` record (the mlflow.log-model.history tag) whose files are there
//   3. any `MLmodel` file among the run's artifacts (`model/` first): a model logged by hand
import type { Core } from '../core';
import { LOGGED_MODEL_HISTORY_TAG } from '../mlflow/routes-logged-models';

export interface RunModel {
  /** What a model version's `source` would be. */
  source: string;
  modelId: string | null;
  /** In words, for dry runs and the UI: "logged model m-…", "artifact path model". */
  found: string;
}

function historyPaths(tagValue: string | undefined): string[] {
  if (!tagValue) return [];
  try {
    const list: unknown = JSON.parse(tagValue);
    if (!Array.isArray(list)) return [];
    return list
      .map((m) => (m && typeof m === 'object' ? (m as { artifact_path?: unknown }).artifact_path : undefined))
      .filter((p): p is string => typeof p === 'string' && p !== '')
      .reverse(); // the newest record first
  } catch {
    return [];
  }
}

export async function findRunModel(core: Core, runId: string): Promise<RunModel | null> {
  const logged = await core.registry.loggedModels.ofRun(runId);
  const best = logged.find((m) => m.status === 'LOGGED_MODEL_READY') ?? logged.find((m) => m.status !== 'LOGGED_MODEL_UPLOAD_FAILED');
  if (best) return { source: `models:/${best.model_id}`, modelId: best.model_id, found: `logged model ${best.model_id} (${best.name})` };

  const files = (await core.artifacts.all(runId)).map((a) => a.path);
  const hasModelFile = (dir: string): boolean => files.includes(`${dir}/MLmodel`);
  const tags = (await core.runs.tags([runId])).get(runId) ?? [];
  for (const p of historyPaths(tags.find((t) => t.key === LOGGED_MODEL_HISTORY_TAG)?.value)) {
    if (hasModelFile(p)) return { source: `runs:/${runId}/${p}`, modelId: null, found: `log_model artifact path '${p}'` };
  }
  const dirs = files.filter((f) => f === 'MLmodel' || f.endsWith('/MLmodel')).map((f) => f.slice(0, -'/MLmodel'.length));
  if (dirs.length === 0) return null;
  const dir = dirs.includes('model') ? 'model' : [...dirs].sort((a, b) => a.length - b.length || a.localeCompare(b))[0];
  return { source: dir ? `runs:/${runId}/${dir}` : `runs:/${runId}`, modelId: null, found: dir ? `artifact path '${dir}' (has an MLmodel file)` : 'the run\'s artifact root (has an MLmodel file)' };
}
