// Moving a model version between stages the way people mean it, shared by `registry promote` and
// the Models page: promoting to Staging/Production archives whoever held that stage and points the
// stage's alias (`staging`, `production`) at the version; demoting takes that alias away again.
// Every change is audited.
import type { Core } from '../core';
import type { StageChange } from '../api/contract';
import { invalidParam } from '../mlflow/errors';
import { auditRegistryChange, type RegistryAuditAction } from './registry-audit';
import { ACTIVE_STAGES, type Stage } from './registry-types';

export const stageAlias = (stage: Stage): string => stage.toLowerCase();

export async function changeStage(
  core: Core,
  a: { model: string; version: number; stage: Stage; alias?: string | null; action: RegistryAuditAction; details?: Record<string, string | number | null> },
): Promise<StageChange> {
  const before = await core.registry.models.versions.mustGet(a.model, a.version);
  const promoting = ACTIVE_STAGES.includes(a.stage);
  if (!promoting && a.alias) throw invalidParam(`An alias goes with promotion to ${ACTIVE_STAGES.join(' or ')}, not to ${a.stage}.`);
  const { archived } = await core.registry.models.versions.transition(a.model, a.version, a.stage, promoting);
  const aliasesSet: string[] = [];
  const aliasesRemoved: string[] = [];
  if (ACTIVE_STAGES.includes(before.current_stage) && before.current_stage !== a.stage) {
    // The version leaves Staging/Production: the alias that named it for that stage goes too.
    const alias = stageAlias(before.current_stage);
    if (before.aliases.includes(alias)) {
      await core.registry.models.deleteAlias(a.model, alias);
      aliasesRemoved.push(alias);
    }
  }
  if (promoting) {
    const alias = a.alias || stageAlias(a.stage);
    await core.registry.models.setAlias(a.model, alias, a.version);
    aliasesSet.push(alias);
  }
  const change: StageChange = { model: a.model, version: a.version, from: before.current_stage, to: a.stage, archived, aliases_set: aliasesSet, aliases_removed: aliasesRemoved };
  await auditRegistryChange(core, a.action, a.model, a.version, {
    from: change.from,
    to: change.to,
    archived: change.archived,
    aliases_set: aliasesSet,
    aliases_removed: aliasesRemoved,
    ...(a.details ?? {}),
  });
  return change;
}
