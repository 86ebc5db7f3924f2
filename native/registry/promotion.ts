// `registry promote MODEL --to staging --when "val_auc > 0.85 and latency under 45ms"`: the filter
// language (native/query, issue #5) picks the runs that satisfy the rule; the best of them, by the
// rule's own superlative ("highest auc with …") or else by the first metric in the condition in that
// metric's direction (loss and latency: lower is better), is the one promoted. Its model is
// registered (or its existing version reused), moved to the stage, given the stage's alias, and the
// change is audited. A dry run does every read and no write.
import type { Core } from '../core';
import type { MetricSummary, PromotionOutcome } from '../api/contract';
import { MlflowError, invalidParam } from '../mlflow/errors';
import { QueryService } from '../query/query-service';
import { fieldName, lowerIsBetter } from '../query/fields';
import type { Expr, Field, SortKey } from '../query/ast';
import type { Clock } from '../query/time-ref';
import type { RunRow } from '../store/run-repository';
import { canonicalStage } from './model-versions';
import { validateAlias, validateModelName } from './registered-models';
import { resolveSource } from './model-source';
import { findRunModel } from './run-model';
import { changeStage, stageAlias } from './stage-change';
import { ACTIVE_STAGES, type ModelVersion, type Stage } from './registry-types';

export interface PromotionRequest {
  model: string;
  to: string;
  when: string;
  experiment?: string | null;
  alias?: string | null;
  dryRun?: boolean;
  clock: Clock;
  /** The saved rule this request comes from, if any (recorded in the audit event). */
  rule?: string | null;
  /** Who asks (the registered model's and version's user_id when they are created). */
  actor: string;
}

/** Candidates looked at past the best match when better-ranked runs have no model. */
const MAX_CANDIDATES = 1000;

function firstMetric(e: Expr | null): Field | null {
  if (!e) return null;
  switch (e.kind) {
    case 'and':
    case 'or':
      for (const item of e.items) {
        const f = firstMetric(item);
        if (f) return f;
      }
      return null;
    case 'not':
      return firstMetric(e.item);
    default:
      return e.field.kind === 'metric' ? e.field : null;
  }
}

const metricValue = (v: number): MetricSummary['value'] => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v);

export async function promote(core: Core, req: PromotionRequest): Promise<PromotionOutcome> {
  const model = validateModelName(req.model, 'model');
  const stage: Stage = canonicalStage(req.to);
  if (!ACTIVE_STAGES.includes(stage)) throw invalidParam(`Promotion goes to ${ACTIVE_STAGES.join(' or ')}; '${req.to}' is a demotion (use the Models page, or transition-stage).`);
  const alias = req.alias ? validateAlias(req.alias) : stageAlias(stage);
  if (typeof req.when !== 'string' || req.when.trim() === '') throw invalidParam('A promotion rule needs a condition: --when "val_auc > 0.85 and latency under 45ms"');

  let experimentIds: string[] | undefined;
  if (req.experiment) {
    const e = (await core.experiments.getByName(req.experiment)) ?? (await core.experiments.get(req.experiment));
    if (!e) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `No experiment named '${req.experiment}'`);
    experimentIds = [e.experiment_id];
  }

  await core.writer.syncSummaries(); // the filter reads latest_metrics
  const service = new QueryService(core.db);
  const analysis = await service.analyze(req.when);
  if (analysis.query.compare) throw invalidParam(`A promotion rule picks one run; "${req.when}" compares groups of runs.`);
  let ranking: string;
  let extraSort: SortKey[] = [];
  if (analysis.query.sort.length > 0) {
    const s = analysis.query.sort[0];
    ranking = `${fieldName(s.field)}, ${s.dir === 'desc' ? 'highest' : 'lowest'} first (the rule's own ordering)`;
  } else {
    const metric = firstMetric(analysis.query.filter);
    if (metric) {
      const dir = lowerIsBetter(metric) ? 'asc' : 'desc';
      extraSort = [{ field: metric, dir }];
      ranking = `${fieldName(metric)}, ${dir === 'desc' ? 'highest' : 'lowest'} first (the first metric in the condition${dir === 'asc' ? ': lower is better' : ''})`;
    } else {
      ranking = 'newest run first (the condition names no metric to rank by)';
    }
  }
  const { explanation, groups } = await service.run(req.when, { clock: req.clock, experimentIds, maxRows: MAX_CANDIDATES, extraSort });
  const runs = groups.flat();
  const scope = req.experiment ? ` in experiment '${req.experiment}'` : '';
  if (runs.length === 0) {
    throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `No run matches the rule "${req.when}"${scope} (read as: ${explanation.formal || explanation.explanation}). Nothing was promoted.`);
  }

  // The best-ranked finished run that has a model; better-ranked runs passed over are reported.
  const skipped: PromotionOutcome['skipped'] = [];
  let chosen: { run: RunRow; source: string; modelId: string | null; found: string } | null = null;
  for (const run of runs) {
    if (run.status !== 'FINISHED') {
      skipped.push({ run_id: run.run_id, run_name: run.run_name, reason: `status ${run.status}: only finished runs are promoted` });
      continue;
    }
    const m = await findRunModel(core, run.run_id);
    if (!m) {
      skipped.push({ run_id: run.run_id, run_name: run.run_name, reason: 'no model among its artifacts (no logged model, no MLmodel file)' });
      continue;
    }
    chosen = { run, ...m };
    break;
  }
  if (!chosen) {
    const why = skipped.slice(0, 5).map((s) => `  ${s.run_name} (${s.run_id}): ${s.reason}`).join('\n');
    throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `${runs.length} run(s) match "${req.when}"${scope}, but none can be promoted:\n${why}${skipped.length > 5 ? '\n  …' : ''}\nNothing was promoted.`);
  }

  const resolved = await resolveSource(core, chosen.source, chosen.run.run_id, chosen.modelId);
  const existing = await core.registry.models.get(model);
  const reuse: ModelVersion | undefined = existing
    ? (await core.registry.models.versions.ofRun(model, chosen.run.run_id)).find((v) => v.source === chosen.source || v.storage_location === resolved.storageLocation)
    : undefined;
  const metrics = (await core.metrics.summaries([chosen.run.run_id])).get(chosen.run.run_id) ?? [];
  const exp = await core.experiments.get(chosen.run.experiment_id);

  const outcome: PromotionOutcome = {
    dry_run: req.dryRun === true,
    model,
    stage,
    alias,
    rule: req.rule ?? null,
    condition: req.when,
    formal: explanation.formal,
    explanation: explanation.explanation,
    ranking,
    matched: runs.length,
    run: {
      run_id: chosen.run.run_id,
      run_name: chosen.run.run_name,
      experiment: exp?.name ?? chosen.run.experiment_id,
      metrics: Object.fromEntries(metrics.map((m) => [m.key, metricValue(m.value)])),
    },
    skipped,
    model_source: chosen.source,
    found: chosen.found,
    model_created: !existing,
    version: reuse ? reuse.version : await core.registry.models.versions.nextNumber(model),
    version_action: reuse ? 'reused' : 'created',
    previous_stage: reuse ? reuse.current_stage : null,
    archived: [],
    audit: 'not recorded (dry run)',
  };
  if (outcome.dry_run) {
    // What a real run would archive: the other versions now in the stage.
    outcome.archived = existing ? (await core.registry.models.versions.inStage(model, stage)).filter((v) => v !== outcome.version) : [];
    return outcome;
  }

  if (!existing) await core.registry.models.create(model, [], null, req.actor);
  let version = reuse;
  if (!version) {
    version = await core.registry.models.versions.create({
      name: model,
      source: chosen.source,
      storageLocation: resolved.storageLocation,
      runId: chosen.run.run_id,
      runLink: null,
      modelId: resolved.modelId,
      description: null,
      userId: req.actor,
      tags: [{ key: 'runledger.promotion.rule', value: req.rule ?? req.when }],
    });
  }
  outcome.version = version.version;
  const change = await changeStage(core, {
    model,
    version: version.version,
    stage,
    alias,
    action: 'model.promote',
    details: { run_id: chosen.run.run_id, condition: req.when, rule: req.rule ?? null, source: chosen.source, version_action: outcome.version_action },
  });
  outcome.previous_stage = change.from;
  outcome.archived = change.archived;
  outcome.audit = 'recorded';
  core.events.emit('runs.changed', [chosen.run.run_id]);
  return outcome;
}
