// Which model versions an export request names (issue #9): `{name, version}` or `{name, alias}`,
// resolved against the registry before the export job starts, so a typo is a 400/404 at once
// rather than a failed job.
import type { BundleModelRef } from '../api/contract';
import type { Core } from '../core';
import { invalidParam } from '../mlflow/errors';
import { versionNumber } from '../registry/model-versions';
import type { ModelRef } from './collect-models';

export async function resolveModelRefs(core: Core, refs: readonly BundleModelRef[] | undefined): Promise<ModelRef[]> {
  if (refs === undefined) return [];
  if (!Array.isArray(refs)) throw invalidParam('models must be a list of {name, version} or {name, alias}');
  const out: ModelRef[] = [];
  for (const r of refs) {
    if (typeof r?.name !== 'string' || r.name === '') throw invalidParam('each model needs a name');
    if ((r.version === undefined) === (r.alias === undefined)) throw invalidParam(`model ${r.name}: give a version or an alias (one of them)`);
    const v = r.alias !== undefined
      ? await core.registry.models.versionByAlias(r.name, String(r.alias))
      : await core.registry.models.versions.mustGet(r.name, versionNumber(r.version));
    out.push({ name: v.name, version: v.version });
  }
  return out;
}
