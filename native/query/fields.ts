// Names of fields: the formal spelling (`metrics.val_auc`, `min(metrics.val_loss)`, `env.gpu`), the
// built-in words that name provenance and run attributes ("gpu", "commit", "experiment"), and which
// direction is "better" for a metric.
import { ATTRIBUTE_KEYS, DATASET_KEYS, ENV_KEYS, GIT_KEYS, type Entity, type Field, type FieldKind } from './ast';
import { keySegments } from './units';

const PREFIX: Readonly<Record<FieldKind, string>> = {
  metric: 'metrics',
  param: 'params',
  tag: 'tags',
  attribute: 'attributes',
  dataset: 'datasets',
  env: 'env',
  git: 'git',
};

const PLAIN_KEY = /^[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*$/u;

/** A key as the formal syntax writes it: bare when it tokenizes back whole, else in backticks. */
export function quoteKey(key: string): string {
  return PLAIN_KEY.test(key) && !/^\d/.test(key) ? key : `\`${key.replace(/`/g, '``')}\``;
}

export function fieldLabel(f: Field): string {
  const base = `${PREFIX[f.kind]}.${quoteKey(f.key)}`;
  return f.kind === 'metric' && f.agg !== 'last' ? `${f.agg}(${base})` : base;
}

/** The short name people read in chips and explanations: `val_auc`, `min val_loss`, `GPU`. */
export function fieldName(f: Field): string {
  switch (f.kind) {
    case 'metric':
      return f.agg === 'last' ? f.key : `${AGG_NAMES[f.agg]} ${f.key}`;
    case 'param':
    case 'tag':
      return f.key;
    case 'attribute':
      return ATTRIBUTE_NAMES[f.key];
    case 'dataset':
      return f.key === 'name' ? 'dataset' : `dataset ${f.key}`;
    case 'env':
      return ENV_NAMES[f.key];
    case 'git':
      return f.key === 'commit' ? 'git commit' : 'uncommitted changes';
  }
}

const AGG_NAMES = { last: 'last', min: 'lowest', max: 'highest', first: 'first', count: 'number of points of', nan_count: 'NaN count of', inf_count: 'infinity count of' } as const;

const ATTRIBUTE_NAMES: Readonly<Record<Field['key'] & (typeof ATTRIBUTE_KEYS)[number], string>> = {
  run_id: 'run id',
  run_name: 'run name',
  status: 'status',
  user_id: 'user',
  start_time: 'start time',
  end_time: 'end time',
  experiment: 'experiment',
  lifecycle_stage: 'lifecycle stage',
};
const ENV_NAMES: Readonly<Record<(typeof ENV_KEYS)[number], string>> = {
  gpu: 'GPU',
  torch: 'torch',
  cuda: 'CUDA',
  cudnn: 'cuDNN',
  python: 'Python',
  platform: 'platform',
  driver: 'driver',
  hostname: 'host',
  cpu: 'CPU',
};

/** Words (normalised: lower case, no separators) that name built-in fields. */
export const BUILTIN_WORDS: ReadonlyMap<string, Field> = new Map<string, Field>([
  ...(['status', 'state'] as const).map((w) => [w, { kind: 'attribute', key: 'status' }] as const),
  ...(['name', 'runname', 'named', 'called'] as const).map((w) => [w, { kind: 'attribute', key: 'run_name' }] as const),
  ...(['id', 'runid'] as const).map((w) => [w, { kind: 'attribute', key: 'run_id' }] as const),
  ...(['user', 'userid', 'owner', 'author'] as const).map((w) => [w, { kind: 'attribute', key: 'user_id' }] as const),
  ...(['experiment', 'exp', 'project', 'experimentname'] as const).map((w) => [w, { kind: 'attribute', key: 'experiment' }] as const),
  ...(['started', 'start', 'starttime', 'created'] as const).map((w) => [w, { kind: 'attribute', key: 'start_time' }] as const),
  ...(['ended', 'end', 'endtime'] as const).map((w) => [w, { kind: 'attribute', key: 'end_time' }] as const),
  ...(['lifecycle', 'lifecyclestage', 'stage'] as const).map((w) => [w, { kind: 'attribute', key: 'lifecycle_stage' }] as const),
  ...(['dataset', 'data', 'datasetname'] as const).map((w) => [w, { kind: 'dataset', key: 'name' }] as const),
  ...(['digest', 'datasetdigest'] as const).map((w) => [w, { kind: 'dataset', key: 'digest' }] as const),
  ...(['context', 'datasetcontext'] as const).map((w) => [w, { kind: 'dataset', key: 'context' }] as const),
  ...(['gpu', 'gpus', 'device', 'accelerator'] as const).map((w) => [w, { kind: 'env', key: 'gpu' }] as const),
  ...(['torch', 'pytorch'] as const).map((w) => [w, { kind: 'env', key: 'torch' }] as const),
  ...(['cuda'] as const).map((w) => [w, { kind: 'env', key: 'cuda' }] as const),
  ...(['cudnn'] as const).map((w) => [w, { kind: 'env', key: 'cudnn' }] as const),
  ...(['python', 'py'] as const).map((w) => [w, { kind: 'env', key: 'python' }] as const),
  ...(['platform', 'os'] as const).map((w) => [w, { kind: 'env', key: 'platform' }] as const),
  ...(['driver'] as const).map((w) => [w, { kind: 'env', key: 'driver' }] as const),
  ...(['host', 'hostname', 'machine'] as const).map((w) => [w, { kind: 'env', key: 'hostname' }] as const),
  ...(['cpu'] as const).map((w) => [w, { kind: 'env', key: 'cpu' }] as const),
  ...(['commit', 'gitcommit', 'sha', 'gitsha', 'revision', 'rev'] as const).map((w) => [w, { kind: 'git', key: 'commit' }] as const),
  ...(['dirty', 'gitdirty'] as const).map((w) => [w, { kind: 'git', key: 'dirty' }] as const),
]);

// MLflow's attribute spellings (`created`, `run name`) and a few obvious ones.
const ATTRIBUTE_ALIASES: ReadonlyMap<string, (typeof ATTRIBUTE_KEYS)[number]> = new Map([
  ['created', 'start_time'],
  ['run name', 'run_name'],
  ['name', 'run_name'],
  ['id', 'run_id'],
  ['user', 'user_id'],
]);

/** The field an explicit `entity.key` names, or null when the entity has no such built-in key. */
export function builtinField(entity: Exclude<Entity, 'metric' | 'param' | 'tag'>, key: string): Field | null {
  const k = entity === 'attribute' ? (ATTRIBUTE_ALIASES.get(key) ?? ATTRIBUTE_ALIASES.get(key.toLowerCase()) ?? key) : key;
  const find = <T extends string>(list: readonly T[]): T | undefined => list.find((x) => x === k);
  if (entity === 'attribute') {
    const a = find(ATTRIBUTE_KEYS);
    return a ? { kind: 'attribute', key: a } : null;
  }
  if (entity === 'dataset') {
    const d = find(DATASET_KEYS);
    return d ? { kind: 'dataset', key: d } : null;
  }
  if (entity === 'env') {
    const e = find(ENV_KEYS);
    return e ? { kind: 'env', key: e } : null;
  }
  const g = find(GIT_KEYS);
  return g ? { kind: 'git', key: g } : null;
}

export function builtinKeys(entity: Exclude<Entity, 'metric' | 'param' | 'tag'>): readonly string[] {
  return { attribute: ATTRIBUTE_KEYS, dataset: DATASET_KEYS, env: ENV_KEYS, git: GIT_KEYS }[entity];
}

// "loss, error, latency, time, perplexity: lower is better; others higher" (issue #5).
const LOWER_IS_BETTER = new Set(['loss', 'error', 'err', 'errors', 'latency', 'time', 'duration', 'perplexity', 'ppl', 'mse', 'mae', 'rmse', 'wer', 'cer', 'runtime', 'ms', 'seconds']);

export function lowerIsBetter(f: Field): boolean {
  if (f.kind !== 'metric' && f.kind !== 'param') return false;
  return keySegments(f.key).some((s) => LOWER_IS_BETTER.has(s));
}
