// Where each field lives in the schema (native/store/migrations.ts), shared by the filter and sort
// compilers. These constants are the only identifiers that ever reach the SQL text.
import type { CmpOp, MetricAgg } from './ast';

export type SqlParam = string | number | boolean | null;

export const METRIC_COLUMN: Readonly<Record<MetricAgg, string>> = {
  last: 'value',
  min: 'min_value',
  max: 'max_value',
  first: 'first_value',
  count: 'count',
  nan_count: 'nan_count',
  inf_count: 'inf_count',
};
export const ATTRIBUTE_COLUMN = {
  run_id: 'r.run_id',
  run_name: 'r.run_name',
  user_id: 'r.user_id',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
  lifecycle_stage: 'r.lifecycle_stage',
  // What people see: MLflow's status, except a silent RUNNING run is INTERRUPTED.
  status: "(CASE WHEN r.status = 'RUNNING' AND r.interrupted_at IS NOT NULL THEN 'INTERRUPTED' ELSE r.status END)",
  experiment: '(SELECT e.name FROM experiments e WHERE e.experiment_id = r.experiment_id)',
} as const;
export const ENV_COLUMN = {
  gpu: 'CAST(e.gpus AS VARCHAR)',
  torch: 'e.torch',
  cuda: 'e.cuda',
  cudnn: 'e.cudnn',
  python: 'e.python',
  platform: 'e.platform',
  driver: 'e.driver',
  hostname: 'e.hostname',
  cpu: 'e.cpu',
} as const;
export const VERSION_KEYS = new Set(['torch', 'cuda', 'cudnn', 'python', 'driver']);
export const SQL_OPS: Readonly<Record<CmpOp, string>> = { '=': '=', '!=': '!=', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

// A run whose dataset name an earlier run used with another digest: the same test as the run
// detail's CHANGED mark (native/provenance/dataset-store.ts), so the filter and the page agree.
export const CHANGED_DATASET_RUNS = `SELECT i.run_id FROM run_inputs i JOIN runs ri_r ON ri_r.run_id = i.run_id
    JOIN run_inputs i2 ON i2.dataset_name = i.dataset_name AND i2.dataset_digest <> i.dataset_digest AND i2.run_id <> i.run_id
    JOIN runs r2 ON r2.run_id = i2.run_id AND r2.start_time <= ri_r.start_time`;
