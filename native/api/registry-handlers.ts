// The registry RPCs (RegistryApiHandlers in contract.ts): the Models page and `runledger registry`.
import os from 'node:os';
import type { ModelVersionDetail, ModelVersionSummary, PromoteArgs, PromotionOutcome, QueryClock, RegisteredModelSummary, RegistryApiHandlers, RunDetail } from './contract';
import type { Core } from '../core';
import { invalidParam } from '../mlflow/errors';
import { canonicalStage, versionNumber } from '../registry/model-versions';
import { validateModelName } from '../registry/registered-models';
import { promote } from '../registry/promotion';
import { changeStage } from '../registry/stage-change';
import type { ModelVersion, RegisteredModel } from '../registry/registry-types';
import type { Clock } from '../query/time-ref';

const asRecord = (kv: { key: string; value: string }[]): Record<string, string> => Object.fromEntries(kv.map((t) => [t.key, t.value]));

function versionSummary(v: ModelVersion): ModelVersionSummary {
  return {
    name: v.name,
    version: v.version,
    stage: v.current_stage,
    aliases: v.aliases,
    source: v.source,
    storage_location: v.storage_location,
    run_id: v.run_id,
    model_id: v.model_id,
    description: v.description,
    user_id: v.user_id,
    created: v.creation_timestamp,
    updated: v.last_updated_timestamp,
    tags: asRecord(v.tags),
  };
}

function modelSummary(m: RegisteredModel, versionCount: number): RegisteredModelSummary {
  return {
    name: m.name,
    description: m.description,
    created: m.creation_timestamp,
    updated: m.last_updated_timestamp,
    tags: asRecord(m.tags),
    aliases: m.aliases,
    version_count: versionCount,
    latest: m.latest_versions.map(versionSummary),
  };
}

const finite = (n: unknown, fallback: number): number => (typeof n === 'number' && Number.isFinite(n) ? n : fallback);
const clockOf = (a: QueryClock): Clock => ({ now: finite(a.now, Date.now()), utcOffsetMinutes: finite(a.utc_offset_minutes, 0) });

function checkPromoteArgs(a: PromoteArgs): void {
  for (const k of ['model', 'to', 'when'] as const) {
    if (typeof a?.[k] !== 'string' || a[k] === '') throw invalidParam(`'${k}' is required: models.promote needs model, to and when.`);
  }
}

/** `runDetail` is runs.get: a version's source run with its five dimensions. */
export function createRegistryHandlers(core: Core, runDetail: (runId: string) => Promise<RunDetail>): RegistryApiHandlers {
  const actor = os.userInfo().username;

  function runPromotion(a: PromoteArgs, rule: string | null): Promise<PromotionOutcome> {
    checkPromoteArgs(a);
    return promote(core, {
      model: a.model,
      to: a.to,
      when: a.when,
      experiment: a.experiment ?? null,
      alias: a.alias ?? null,
      dryRun: a.dryRun === true,
      clock: clockOf(a),
      rule,
      actor,
    });
  }

  return {
    async 'models.list'() {
      const models = await core.registry.models.all();
      const counts = await Promise.all(models.map(async (m) => (await core.registry.models.versions.ofModel(m.name)).length));
      return models.map((m, i) => modelSummary(m, counts[i]));
    },

    async 'models.get'({ name }) {
      const m = await core.registry.models.mustGet(validateModelName(name));
      const versions = await core.registry.models.versions.ofModel(m.name);
      const details: ModelVersionDetail[] = [];
      for (const v of versions) {
        let run: RunDetail | null = null;
        if (v.run_id && (await core.runs.get(v.run_id))) run = await runDetail(v.run_id);
        details.push({ ...versionSummary(v), source_run: run });
      }
      return { ...modelSummary(m, versions.length), versions: details };
    },

    async 'models.setStage'({ model, version, stage }) {
      const name = validateModelName(model, 'model');
      return changeStage(core, { model: name, version: versionNumber(version), stage: canonicalStage(String(stage ?? '')), action: 'model.stage' });
    },

    async 'models.promote'(a) {
      // Saved before running, so a rule that refuses today (nothing matches yet) can be re-run later.
      if (a.save) {
        checkPromoteArgs(a);
        await core.registry.rules.save({ name: a.save, model: a.model, stage: canonicalStage(a.to), condition: a.when, experiment: a.experiment ?? null, alias: a.alias ?? null });
      }
      const outcome = await runPromotion(a, a.save ?? null);
      if (a.save && !outcome.dry_run) await core.registry.rules.recordRun(a.save, outcome);
      return outcome;
    },

    async 'models.rules'() {
      return core.registry.rules.list();
    },

    async 'models.runRule'(a) {
      const rule = await core.registry.rules.get(String(a?.name ?? ''));
      const outcome = await runPromotion(
        { model: rule.model, to: rule.stage, when: rule.condition, experiment: rule.experiment ?? undefined, alias: rule.alias ?? undefined, dryRun: a.dryRun, now: a.now, utc_offset_minutes: a.utc_offset_minutes },
        rule.name,
      );
      if (!outcome.dry_run) await core.registry.rules.recordRun(rule.name, outcome);
      return outcome;
    },
  };
}
