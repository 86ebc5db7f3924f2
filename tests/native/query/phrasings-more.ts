// Phrasings, part 2: superlatives and top-k, series aggregates, time, tags, provenance, free text,
// MLflow's own syntax, misspellings, and what must be reported instead of run.
import {
  ACTIVE, BASE, DEEP, FMLP, GBM, LEAKY, LGBM, LIVE, LOGREG, NARROW, OLD, RESUME, WIDE, err, ok, same, type Row,
} from './phrasings-core';

const LR_DESC = [LIVE, GBM, BASE, LGBM, DEEP, LOGREG, WIDE, RESUME, NARROW, FMLP];
const SINCE_WEEK = [LIVE, LGBM, RESUME, NARROW, WIDE, DEEP];

export const ORDERINGS: Row[] = [
  ['highest auc', ok('order by metrics.val_auc desc limit 1', [GBM])],
  ...same(ok('order by metrics.val_loss asc limit 1', [GBM]), 'best val_loss', 'lowest val_loss', 'min val_loss'),
  ...same(ok('order by metrics.latency_ms asc limit 1', [LOGREG]), 'lowest latency', 'best latency', 'fastest latency_ms', 'min latency'),
  ['worst latency', ok('order by metrics.latency_ms desc limit 1', [FMLP])],
  ['worst val_loss', ok('order by metrics.val_loss desc limit 1', [BASE])],
  ['top 3 by val_loss', ok('order by metrics.val_loss asc limit 3', [GBM, FMLP, DEEP])],
  ['bottom 2 by auc', ok('order by metrics.val_auc asc limit 2', [LOGREG, LIVE])],
  ['5 best runs by val_auc', ok('order by metrics.val_auc desc limit 5', [GBM, FMLP, DEEP, NARROW, LGBM])],
  ['best run by f1', ok('order by metrics.val_f1 desc limit 1', [LGBM])],
  ['top 2 runs by error rate', ok('order by metrics.error_rate asc limit 2', [NARROW, DEEP])],
  ['max val_auc', ok('order by metrics.val_auc desc limit 1', [GBM])],
  ['highest val_f1 on credit_risk_v2.1', ok("datasets.name = 'credit_risk_v2.1' order by metrics.val_f1 desc limit 1", [NARROW])],
  ['highest dropout', ok('order by params.dropout_p desc limit 1', [FMLP])],
  ['largest batch size', ok('order by params.batch_size desc limit 1', [LGBM])],
  ['top 3 runs by val_auc in credit-risk', ok("attributes.experiment = 'credit-risk' order by metrics.val_auc desc limit 3", [DEEP, NARROW, LGBM])],
  ['sorted by lr desc', ok('order by params.lr desc', LR_DESC)],
  ['order by val_auc desc limit 3', ok('order by metrics.val_auc desc limit 3', [GBM, FMLP, DEEP])],
  ['order by val_auc desc, latency asc limit 4', ok('order by metrics.val_auc desc, metrics.latency_ms asc limit 4', [GBM, FMLP, DEEP, NARROW])],
  ['oldest 2 runs', ok('order by attributes.start_time asc limit 2', [LOGREG, BASE])],
  ['latest 3 runs', ok('order by attributes.start_time desc limit 3', [LIVE, LGBM, RESUME])],
  ['most recent run', ok('order by attributes.start_time desc limit 1', [LIVE])],
  ['newest failed run', ok("attributes.status = 'FAILED' order by attributes.start_time desc limit 1", [WIDE])],
  ['latest runs', ok('order by attributes.start_time desc', ACTIVE)],
  ['limit 2', ok('limit 2', [LIVE, LGBM])],
  ['first 3', ok('limit 3', [LIVE, LGBM, RESUME])],
  ['best 2 xgb runs by auc', ok("params.model = 'xgb' order by metrics.val_auc desc limit 2", [DEEP, BASE])],
  ['order by run_name asc limit 3', ok('order by attributes.run_name asc limit 3', [LOGREG, GBM, FMLP])],
  ['order by experiment desc, val_auc desc limit 3', ok('order by attributes.experiment desc, metrics.val_auc desc limit 3', [GBM, FMLP, DEEP])],
  ['order by status asc limit 2', ok('order by attributes.status asc limit 2', [WIDE, LGBM])],
];

export const AGGREGATES: Row[] = [
  ['max val_auc > 0.85', ok('max(metrics.val_auc) > 0.85', [DEEP, FMLP, GBM])],
  ['first val_loss > 0.55', ok('first(metrics.val_loss) > 0.55', [NARROW])],
  ...same(ok('metrics.val_loss < 0.35', [DEEP, NARROW, GBM, FMLP]), 'final val_loss < 0.35', 'last val_loss < 0.35', 'latest val_loss < 0.35', 'last(metrics.val_loss) < 0.35'),
  ['lowest val_loss below 0.3', ok('min(metrics.val_loss) < 0.3', [NARROW, GBM])],
  ['min(metrics.val_loss) < 0.3', ok('min(metrics.val_loss) < 0.3', [NARROW, GBM])],
  ...same(ok('inf_count(metrics.val_loss) > 0', [RESUME]), 'val_loss any inf', 'val_loss went infinite', 'val_loss ever inf'),
  ...same(ok('nan_count(metrics.val_loss) > 0', [WIDE]), 'val_loss went nan', 'val_loss has nan', 'val_loss any nan'),
  ['val_loss never nan', ok('nan_count(metrics.val_loss) = 0', [BASE, DEEP, NARROW, LGBM, RESUME, GBM, FMLP])],
  ['nan_count(metrics.val_loss) > 1', ok('nan_count(metrics.val_loss) > 1', [WIDE])],
  ['count(metrics.val_auc) >= 3', ok('count(metrics.val_auc) >= 3', [BASE])],
  ['max(metrics.val_loss) > 1', ok('max(metrics.val_loss) > 1', [RESUME])],
  ['val_f1', ok('metrics.val_f1 is not null', [BASE, DEEP, WIDE, NARROW, LGBM, GBM, LOGREG])],
];

export const TIMES: Row[] = [
  ...same(ok('attributes.start_time >= now - 7d', SINCE_WEEK), 'last week', 'past week', 'created last week', 'since last week', 'in the past 7 days', 'within 7 days'),
  ['past 2 days', ok('attributes.start_time >= now - 2d', [LIVE, LGBM, RESUME])],
  ['in the last 3 days', ok('attributes.start_time >= now - 3d', [LIVE, LGBM, RESUME])],
  ['since 3 days ago', ok('attributes.start_time >= now - 3d', [LIVE, LGBM, RESUME])],
  ['within 24h', ok('attributes.start_time >= now - 24h', [LIVE])],
  ['last month', ok('attributes.start_time >= now - 30d', ACTIVE.filter((r) => r !== LOGREG))],
  ['since yesterday', ok('attributes.start_time >= today - 1d', [LIVE, LGBM])],
  ['before 2026-11-15', ok('attributes.start_time < 2026-11-15', [BASE, LOGREG])],
  ['after 2026-11-24', ok('attributes.start_time >= 2026-11-25', [LIVE, LGBM])],
  ['started after 2026-11-24', ok('attributes.start_time >= 2026-11-25', [LIVE, LGBM])],
  ['on 2026-11-21', ok('attributes.start_time >= 2026-11-21 and attributes.start_time < 2026-11-22', [WIDE])],
  ['ended before 2026-11-20', ok('attributes.end_time < 2026-11-20', [BASE, GBM, FMLP, LOGREG])],
  ['finished yesterday', ok("attributes.status = 'FINISHED' and attributes.end_time >= today - 1d and attributes.end_time < today", [LGBM])],
  ['failed since 2026-11-20', ok("attributes.status = 'FAILED' and attributes.start_time >= 2026-11-20", [WIDE])],
  ['started between 2026-11-20 and 2026-11-23', ok('attributes.start_time between 2026-11-20 and 2026-11-23', [DEEP, WIDE, NARROW])],
  ['yesterday or today', ok('attributes.start_time >= today - 1d and attributes.start_time < today or attributes.start_time >= today', [LGBM, LIVE])],
  ['attributes.start_time >= 2026-11-22T14:00', ok('attributes.start_time >= 2026-11-22T14:00', [NARROW, RESUME, LGBM, LIVE])],
  ['attributes.start_time > 1763000000000', ok('attributes.start_time > 1763000000000', ACTIVE)],
];

export const TAGS: Row[] = [
  ['tagged baseline', ok('tags.baseline is not null', [BASE])],
  ...same(ok("tags.team = 'fraud'", [GBM, FMLP]), 'tag team = fraud', 'team fraud', 'tagged fraud'),
  ['priority p1', ok("tags.priority = 'p1'", [WIDE, RESUME])],
  ['tagged p2', ok("tags.priority = 'p2'", [LGBM])],
  ['tagged growth', ok("tags.team = 'growth'", [LOGREG])],
  ['labelled p1', ok("tags.priority = 'p1'", [WIDE, RESUME])],
  ["tags.team != 'risk'", ok("tags.team != 'risk'", [GBM, FMLP, LOGREG])],
  ['not team risk', ok("not tags.team = 'risk'", [LIVE, GBM, FMLP, LOGREG])],
];

export const PROVENANCE: Row[] = [
  ['gpu A100', ok("env.gpu contains 'A100'", [WIDE, RESUME, FMLP])],
  ['on H100', ok("env.gpu contains 'H100'", [BASE, DEEP, NARROW, LGBM, GBM])],
  ['gpu is null', ok('env.gpu is null', [LIVE, LOGREG])],
  ['torch 2.1', ok("env.torch = '2.1'", [WIDE, RESUME, FMLP])],
  ['torch 2.10', ok("env.torch = '2.10'", [LGBM])],
  ['pytorch 2.11', ok("env.torch = '2.11'", [BASE, DEEP, NARROW, GBM])],
  ['cuda 12.1', ok("env.cuda = '12.1'", [WIDE, RESUME, FMLP])],
  ['cuda 12', ok("env.cuda = '12'", [WIDE, RESUME, FMLP, LGBM])],
  ['python 3.12', ok("env.python = '3.12'", [BASE, DEEP, WIDE, NARROW, LGBM, RESUME, GBM, FMLP])],
  ['clean code', ok('git.dirty = false', [BASE, WIDE, NARROW, LGBM])],
  ['uncommitted changes', ok('git.dirty = true', [DEEP])],
  ['commit b7c1', ok("git.commit starts with 'b7c1'", [WIDE, NARROW])],
  ["git.commit = '8a3f9c2e1b7d4f60a9e8c7b6d5e4f3a2b1c0d9e8'", ok("git.commit = '8a3f9c2e1b7d4f60a9e8c7b6d5e4f3a2b1c0d9e8'", [BASE, DEEP, LGBM])],
  ['on v2.1', ok("datasets.name = 'credit_risk_v2.1'", [BASE, DEEP, WIDE, NARROW, RESUME, LIVE])],
  ['on v2.0', ok("datasets.name = 'credit_risk_v2.0'", [LGBM])],
  ['on fraud_tx_v3', ok("datasets.name = 'fraud_tx_v3'", [GBM, FMLP])],
  ['dataset credit_risk_v2.0', ok("datasets.name = 'credit_risk_v2.0'", [LGBM])],
  ['changed dataset and interrupted', ok("datasets.changed = true and attributes.status = 'INTERRUPTED'", [RESUME])],
  ['in experiment churn', ok("attributes.experiment = 'churn'", [LOGREG])],
  ['in fraud', ok("attributes.experiment = 'fraud'", [GBM, FMLP])],
  ['experiment = credit-risk', ok("attributes.experiment = 'credit-risk'", [BASE, DEEP, WIDE, NARROW, LGBM, RESUME, LIVE])],
];

export const FREE_TEXT: Row[] = [
  ['"deep"', ok("attributes.run_name contains 'deep'", [DEEP])],
  ["'wide'", ok("attributes.run_name contains 'wide'", [WIDE])],
  ['resume', ok("attributes.run_name contains 'resume'", [RESUME])],
  ['xgb deep', ok("params.model = 'xgb' and attributes.run_name contains 'deep'", [DEEP])],
  ['leaky', ok("attributes.run_name contains 'leaky'", [])],
  ['leaky deleted', ok("attributes.run_name contains 'leaky' and attributes.lifecycle_stage = 'deleted'", [LEAKY])],
  ['named baseline', ok("attributes.run_name contains 'baseline'", [BASE])],
  ["run_name = 'xgb-deep'", ok("attributes.run_name = 'xgb-deep'", [DEEP])],
];

export const MLFLOW: Row[] = [
  ["params.model = 'mlp' and metrics.latency_ms < 50", ok("params.model = 'mlp' and metrics.latency_ms < 50", [WIDE, RESUME])],
  ["attributes.status = 'FAILED'", ok("attributes.status = 'FAILED'", [WIDE])],
  ["status = 'KILLED'", ok("attributes.status = 'KILLED'", [FMLP])],
  ["tags.`mlflow.runName` LIKE 'xgb%'", ok("tags.mlflow.runName like 'xgb%'", [BASE, DEEP, LIVE])],
  ["run_name ILIKE '%DEEP%'", ok("attributes.run_name ilike '%DEEP%'", [DEEP])],
  ["datasets.digest = 'd2b0beef0002'", ok("datasets.digest = 'd2b0beef0002'", [NARROW, RESUME, LIVE])],
  ["params.lr IN ('0.1', '0.03')", ok("params.lr in ('0.1', '0.03')", [BASE, DEEP, LIVE, GBM])],
  ["metrics.val_auc > 0.8 or params.model = 'mlp'", ok("metrics.val_auc > 0.8 or params.model = 'mlp'", [BASE, DEEP, WIDE, NARROW, LGBM, GBM, FMLP, RESUME])],
  ["not params.model = 'xgb'", ok("not params.model = 'xgb'", [WIDE, NARROW, LGBM, RESUME, GBM, FMLP, LOGREG])],
  ['metrics.`val_auc` >= 0.9', ok('metrics.val_auc >= 0.9', [GBM])],
  ['metrics."val_f1" > 0.75', ok('metrics.val_f1 > 0.75', [NARROW, LGBM])],
  ['attributes.end_time IS NULL', ok('attributes.end_time is null', [LIVE, RESUME])],
  ["tags.priority = 'p0' AND attributes.status = 'FINISHED'", ok("tags.priority = 'p0' and attributes.status = 'FINISHED'", [BASE, DEEP, GBM])],
  ["metric.val_auc > 0.9 and param.model = 'gbm'", ok("metrics.val_auc > 0.9 and params.model = 'gbm'", [GBM])],
];

export const MISSPELLINGS: Row[] = [
  ['faild runs', ok("attributes.status = 'FAILED'", [WIDE])],
  ['hihgest auc', ok('order by metrics.val_auc desc limit 1', [GBM])],
  ['val_auc abvoe 0.85', ok('metrics.val_auc > 0.85', [DEEP, FMLP, GBM])],
  ['intrerupted', ok("attributes.status = 'INTERRUPTED'", [RESUME])],
  ['yesterdy', ok('attributes.start_time >= today - 1d and attributes.start_time < today', [LGBM])],
  ['lowets latency', ok('order by metrics.latency_ms asc limit 1', [LOGREG])],
  ['killd', ok("attributes.status = 'KILLED'", [FMLP])],
  ['val_acu > 0.8', err('unknown-word', ['metrics.val_auc'], 'val_acu')],
  ['dropuot 0.2', err('unknown-word', ['params.dropout_p'], 'dropuot')],
  ['modle xgb', err('unknown-word', ['params.model'], 'modle')],
];

export const REPORTED: Row[] = [
  ['loss < 0.3', err('ambiguous', ['metrics.train_loss', 'metrics.val_loss'], 'loss')],
  ['val > 0.8', err('ambiguous', ['metrics.val_auc', 'metrics.val_f1', 'metrics.val_loss'], 'val')],
  ['loss ever nan', err('ambiguous', ['metrics.train_loss', 'metrics.val_loss'], 'loss')],
  ['fraud', err('ambiguous', ["tags.team = 'fraud'", "attributes.experiment = 'fraud'"], 'fraud')],
  ['banana', err('unknown-word', [], 'banana')],
  ['failed banana runs', err('unknown-word', [], 'banana')],
  ['highest banana', err('unknown-word', [], 'banana')],
  ['on v9', err('unknown-word', [], 'v9')],
  ['in marketing', err('unknown-word', [], 'marketing')],
  ['tagged p7', err('unknown-word', [], 'p7')],
  ['metrics.nope > 1', err('unknown-key', [], 'metrics.nope')],
  ['val_auc > ', err('syntax')],
  ['val_auc > 0.8 and', err('syntax', undefined, 'and')],
  ['(failed or killed', err('syntax', undefined, '(')],
  ['failed)', err('syntax', undefined, ')')],
  ['status = purple', err('value', undefined, 'purple')],
  ['latency < 5GB', err('unit', undefined, '5GB')],
  ['val_auc > xgb', err('value', undefined, 'xgb')],
  ['top 5', err('syntax')],
  ['compare xgb', err('syntax')],
  ['metrics.val_auc >= 0.9; DROP TABLE runs', err('syntax', undefined, ';')],
  ['or failed', err('syntax', undefined, 'or')],
];

export { OLD };
