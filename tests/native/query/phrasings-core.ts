// Phrasings with the formal query each must produce and the runs it must return from the seeded store
// (seed-store.ts; "now" is 2026-11-26 12:00 UTC). Runs are listed in result order when the query
// orders or limits, as a set otherwise. Part 1: the and DESIGN.md's examples, comparisons in
// every spelling, units, and/or/not.
import type { ProblemCode } from '../../../native/query/ast';

export type Expect =
  | { formal: string; runs: readonly string[] }
  | { error: ProblemCode; candidates?: readonly string[]; at?: string };
export type Row = readonly [phrase: string, expect: Expect];

export const ok = (formal: string, runs: readonly string[]): Expect => ({ formal, runs });
export const err = (error: ProblemCode, candidates?: readonly string[], at?: string): Expect => ({ error, candidates, at });
/** Several phrasings of one meaning. */
export const same = (expect: Expect, ...phrases: string[]): Row[] => phrases.map((p) => [p, expect] as const);

export const BASE = 'xgb-baseline';
export const DEEP = 'xgb-deep';
export const WIDE = 'mlp-wide';
export const NARROW = 'mlp-narrow';
export const LGBM = 'lgbm-fast';
export const RESUME = 'mlp-resume';
export const LIVE = 'xgb-live';
export const GBM = 'fraud-gbm';
export const FMLP = 'fraud-mlp';
export const LOGREG = 'churn-logreg';
export const OLD = 'churn-xgb-old';
export const LEAKY = 'xgb-leaky';
/** Active runs, newest first (the default order). */
export const ACTIVE = [LIVE, LGBM, RESUME, NARROW, WIDE, DEEP, FMLP, GBM, BASE, LOGREG];
const V21 = [BASE, DEEP, WIDE, NARROW, RESUME, LIVE];
const H100 = [BASE, DEEP, NARROW, LGBM, GBM];
const XGB = [BASE, DEEP, LIVE];
const MLP = [WIDE, NARROW, RESUME, FMLP];

export const EXAMPLES: Row[] = [
  ['val_auc > 0.85 and latency < 50ms', ok('metrics.val_auc > 0.85 and metrics.latency_ms < 50', [DEEP, GBM])],
  ['highest auc with latency under 50 ms', ok('metrics.latency_ms < 50 order by metrics.val_auc desc limit 1', [GBM])],
  ['top 5 runs by val_f1 on credit_risk_v2.1', ok("datasets.name = 'credit_risk_v2.1' order by metrics.val_f1 desc limit 5", [NARROW, DEEP, WIDE, BASE, LIVE])],
  ['compare lr=1e-3 and lr=3e-4 on v2.1', ok("compare (params.lr = 0.001) vs (params.lr = 0.0003) where datasets.name = 'credit_risk_v2.1'", [RESUME, WIDE, NARROW])],
  ['dropout_p = 0.2', ok('params.dropout_p = 0.2', [DEEP, WIDE])],
  ['dropout 0.2', ok('params.dropout_p = 0.2', [DEEP, WIDE])],
  ['failed runs last week', ok("attributes.status = 'FAILED' and attributes.start_time >= now - 7d", [WIDE])],
  ['runs tagged p0 not deleted', ok("tags.priority = 'p0' and not attributes.lifecycle_stage = 'deleted'", [BASE, DEEP, LIVE, GBM])],
  ['val_loss ever nan', ok('nan_count(metrics.val_loss) > 0', [WIDE])],
  ['min val_loss < 0.3', ok('min(metrics.val_loss) < 0.3', [NARROW, GBM])],
  ['gpu H100', ok("env.gpu contains 'H100'", H100)],
  ['dirty code', ok('git.dirty = true', [DEEP])],
  ['dataset changed', ok('datasets.changed = true', [NARROW, RESUME, LIVE])],
  ["metrics.val_auc > 0.8 and params.model = 'xgb'", ok("metrics.val_auc > 0.8 and params.model = 'xgb'", [BASE, DEEP])],
  ['commit 8a3f', ok("git.commit starts with '8a3f'", [BASE, DEEP, LGBM])],
  ['torch 2.11', ok("env.torch = '2.11'", [BASE, DEEP, NARROW, GBM])],
  ['cuda 13', ok("env.cuda = '13'", [BASE, DEEP, NARROW, GBM])],
  ['yesterday', ok('attributes.start_time >= today - 1d and attributes.start_time < today', [LGBM])],
  ['today', ok('attributes.start_time >= today', [LIVE])],
  ['since 2026-11-01', ok('attributes.start_time >= 2026-11-01', ACTIVE.filter((r) => r !== LOGREG))],
  ['in the last 3 hours', ok('attributes.start_time >= now - 3h', [LIVE])],
  ['failed', ok("attributes.status = 'FAILED'", [WIDE])],
  ['running', ok("attributes.status = 'RUNNING'", [LIVE])],
  ['finished', ok("attributes.status = 'FINISHED'", [BASE, DEEP, NARROW, LGBM, GBM, LOGREG])],
  ['interrupted', ok("attributes.status = 'INTERRUPTED'", [RESUME])],
  ['deleted', ok("attributes.lifecycle_stage = 'deleted'", [LEAKY, OLD])],
  ['tagged p0', ok("tags.priority = 'p0'", [BASE, DEEP, LIVE, GBM])],
  ['priority p0', ok("tags.priority = 'p0'", [BASE, DEEP, LIVE, GBM])],
  ['team = risk', ok("tags.team = 'risk'", [BASE, DEEP, WIDE, NARROW, LGBM, RESUME])],
  ['on credit_risk_v2.1', ok("datasets.name = 'credit_risk_v2.1'", V21)],
  ['xgb', ok("params.model = 'xgb'", XGB)],
  ['deep', ok("attributes.run_name contains 'deep'", [DEEP])],
  ['compare xgb vs mlp', ok("compare (params.model = 'xgb') vs (params.model = 'mlp')", [LIVE, DEEP, BASE, RESUME, NARROW, WIDE, FMLP])],
];

const AUC_ABOVE = ok('metrics.val_auc > 0.85', [DEEP, FMLP, GBM]);
const AUC_AT_LEAST = ok('metrics.val_auc >= 0.85', [DEEP, FMLP, GBM, NARROW]);
const AUC_BELOW = ok('metrics.val_auc < 0.8', [LIVE, LOGREG]);
const AUC_AT_MOST = ok('metrics.val_auc <= 0.8', [LIVE, RESUME, LOGREG]);
const AUC_IS = ok('metrics.val_auc = 0.87', [DEEP]);
const NOT_XGB = ok("params.model != 'xgb'", [WIDE, NARROW, LGBM, RESUME, GBM, FMLP, LOGREG]);

export const COMPARISONS: Row[] = [
  ...same(AUC_ABOVE, 'val_auc above 0.85', 'val_auc over 0.85', 'val_auc more than 0.85', 'val_auc greater than 0.85', 'val_auc higher than 0.85', 'val_auc exceeds 0.85', 'val_auc > 0.85', 'val_auc>0.85', 'val_auc is above 0.85', 'auc over 0.85', 'val auc > 0.85', 'val-auc > 0.85', 'valAuc > 0.85', 'VAL_AUC > 0.85'),
  ...same(AUC_AT_LEAST, 'val_auc at least 0.85', 'val_auc >= 0.85', 'val_auc no less than 0.85', 'val_auc ≥ 0.85', 'val_auc greater than or equal to 0.85'),
  ...same(AUC_BELOW, 'val_auc under 0.8', 'val_auc below 0.8', 'val_auc less than 0.8', 'val_auc lower than 0.8', 'val_auc < 0.8', 'auc is below 0.8'),
  ...same(AUC_AT_MOST, 'val_auc at most 0.8', 'val_auc <= 0.8', 'val_auc no more than 0.8', 'val_auc up to 0.8', 'val_auc ≤ 0.8'),
  ...same(AUC_IS, 'val_auc = 0.87', 'val_auc is 0.87', 'val_auc equals 0.87', 'val_auc == 0.87', 'val_auc equal to 0.87'),
  ...same(NOT_XGB, 'model != xgb', 'model is not xgb', 'model not xgb', "model isn't xgb", 'model <> xgb', 'model ≠ xgb', 'model other than xgb'),
  ['val_auc between 0.8 and 0.85', ok('metrics.val_auc between 0.8 and 0.85', [BASE, WIDE, NARROW, LGBM, RESUME])],
  ['latency between 10 and 40', ok('metrics.latency_ms between 10 and 40', [BASE, DEEP, LIVE, GBM])],
  ['f1 at least 0.77', ok('metrics.val_f1 >= 0.77', [NARROW, LGBM])],
  ['lr=3e-4', ok('params.lr = 0.0003', [NARROW, FMLP])],
  ['lr 1e-3', ok('params.lr = 0.001', [WIDE, RESUME])],
  ['lr = 0.001', ok('params.lr = 0.001', [WIDE, RESUME])],
  ['lr > 0.01', ok('params.lr > 0.01', [BASE, DEEP, LGBM, LIVE, GBM])],
  ['batch_size >= 512', ok('params.batch_size >= 512', [WIDE, LGBM])],
  ['batch 256', ok('params.batch_size = 256', [BASE, DEEP, RESUME, LIVE])],
  ['batch size = 1024', ok('params.batch_size = 1024', [LGBM])],
  ['model xgb', ok("params.model = 'xgb'", XGB)],
  ['model is mlp', ok("params.model = 'mlp'", MLP)],
  ['model = "lgbm"', ok("params.model = 'lgbm'", [LGBM])],
  ["model = 'gbm'", ok("params.model = 'gbm'", [GBM])],
  ['model:gbm', ok("params.model = 'gbm'", [GBM])],
  ['model in (xgb, lgbm)', ok("params.model in ('xgb', 'lgbm')", [...XGB, LGBM])],
  ['model not in (xgb, lgbm)', ok("params.model not in ('xgb', 'lgbm')", [WIDE, NARROW, RESUME, GBM, FMLP, LOGREG])],
  ["model like 'x%'", ok("params.model like 'x%'", XGB)],
  ["model ilike 'XG%'", ok("params.model ilike 'XG%'", XGB)],
  ['model contains gb', ok("params.model contains 'gb'", [...XGB, LGBM, GBM])],
  ['model starts with lg', ok("params.model starts with 'lg'", [LGBM])],
  ['dropout_p is null', ok('params.dropout_p is null', [LIVE, GBM, LOGREG])],
  ['dropout_p exists', ok('params.dropout_p is not null', [BASE, DEEP, WIDE, NARROW, LGBM, RESUME, FMLP])],
  ['priority is missing', ok('tags.priority is null', [NARROW, FMLP, LOGREG])],
  ['model xgb lr 0.1', ok("params.model = 'xgb' and params.lr = 0.1", [BASE, LIVE])],
];

export const UNITS: Row[] = [
  ...same(ok('metrics.latency_ms < 50', [BASE, DEEP, WIDE, LGBM, RESUME, LIVE, GBM, LOGREG]), 'latency < 50ms', 'latency < 50 ms', 'latency under 50 milliseconds', 'latency_ms < 50'),
  ['latency under 0.01s', ok('metrics.latency_ms < 10', [LGBM, LOGREG])],
  ['latency under 2s', ok('metrics.latency_ms < 2000', ACTIVE)],
  ['latency_ms < 1k', ok('metrics.latency_ms < 1000', ACTIVE)],
  ['gpu_mem_gb > 50GB', ok('metrics.gpu_mem_gb > 50', [DEEP])],
  ['gpu mem > 50GB', ok('metrics.gpu_mem_gb > 50', [DEEP])],
  ['gpu mem < 40000MB', ok('metrics.gpu_mem_gb < 40', [BASE])],
  ['gpu mem > 1.5GB', ok('metrics.gpu_mem_gb > 1.5', [BASE, DEEP])],
  ['epoch time < 2000ms', ok('metrics.epoch_time_s < 2', [BASE])],
  ['epoch_time_s > 2s', ok('metrics.epoch_time_s > 2', [DEEP])],
  ['error rate under 5%', ok('metrics.error_rate < 0.05', [DEEP, NARROW])],
  ['error_rate <= 5%', ok('metrics.error_rate <= 0.05', [DEEP, NARROW, LGBM])],
  ['val_auc > 85%', ok('metrics.val_auc > 0.85', [DEEP, FMLP, GBM])],
  ['lr < 5e-2', ok('params.lr < 0.05', [DEEP, WIDE, NARROW, RESUME, FMLP, LOGREG])],
];

export const BOOLEANS: Row[] = [
  ['failed or killed', ok("attributes.status = 'FAILED' or attributes.status = 'KILLED'", [WIDE, FMLP])],
  ['failed or killed runs last week', ok("(attributes.status = 'FAILED' or attributes.status = 'KILLED') and attributes.start_time >= now - 7d", [WIDE])],
  ['(failed or killed) and val_auc > 0.85', ok("(attributes.status = 'FAILED' or attributes.status = 'KILLED') and metrics.val_auc > 0.85", [FMLP])],
  ['not failed', ok("not attributes.status = 'FAILED'", ACTIVE.filter((r) => r !== WIDE))],
  ['!failed', ok("not attributes.status = 'FAILED'", ACTIVE.filter((r) => r !== WIDE))],
  ['model xgb and not dirty', ok("params.model = 'xgb' and not git.dirty = true", [BASE, LIVE])],
  ['model xgb or model mlp', ok("params.model = 'xgb' or params.model = 'mlp'", [...XGB, ...MLP])],
  ['model = xgb || model = lgbm', ok("params.model = 'xgb' or params.model = 'lgbm'", [...XGB, LGBM])],
  ['val_auc > 0.85 && latency < 50', ok('metrics.val_auc > 0.85 and metrics.latency_ms < 50', [DEEP, GBM])],
  ['val_auc > 0.85 or latency < 10', ok('metrics.val_auc > 0.85 or metrics.latency_ms < 10', [DEEP, FMLP, GBM, LGBM, LOGREG])],
  ['not (model xgb or model mlp)', ok("not (params.model = 'xgb' or params.model = 'mlp')", [LGBM, GBM, LOGREG])],
  ['non-deleted runs tagged p0', ok("not attributes.lifecycle_stage = 'deleted' and tags.priority = 'p0'", [BASE, DEEP, LIVE, GBM])],
  ['team risk without priority p0', ok("tags.team = 'risk' and not tags.priority = 'p0'", [WIDE, NARROW, LGBM, RESUME])],
  ['finished, val_auc > 0.85', ok("attributes.status = 'FINISHED' and metrics.val_auc > 0.85", [DEEP, GBM])],
  ['runs with val_f1 > 0.75 where model is lgbm', ok("metrics.val_f1 > 0.75 and params.model = 'lgbm'", [LGBM])],
  ['show me the finished runs with auc above 0.86', ok("attributes.status = 'FINISHED' and metrics.val_auc > 0.86", [DEEP, GBM])],
  ['either failed or interrupted', ok("attributes.status = 'FAILED' or attributes.status = 'INTERRUPTED'", [WIDE, RESUME])],
  ['killed or failed runs with val auc above 85%', ok("(attributes.status = 'KILLED' or attributes.status = 'FAILED') and metrics.val_auc > 0.85", [FMLP])],
  ['lr > 0.01 and lr < 0.1', ok('params.lr > 0.01 and params.lr < 0.1', [DEEP, LGBM])],
  ['val_auc > 0.8 and val_auc < 0.85 and latency < 40', ok('metrics.val_auc > 0.8 and metrics.val_auc < 0.85 and metrics.latency_ms < 40', [BASE, LGBM])],
  ['val_auc > 0.9 or model logreg or tagged p2', ok("metrics.val_auc > 0.9 or params.model = 'logreg' or tags.priority = 'p2'", [GBM, LOGREG, LGBM])],
  ['model mlp and lr 0.001 and team risk and val_loss < 0.5', ok("params.model = 'mlp' and params.lr = 0.001 and tags.team = 'risk' and metrics.val_loss < 0.5", [RESUME])],
];
