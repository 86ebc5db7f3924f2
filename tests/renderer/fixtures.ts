// Shared test data for renderer tests: a couple of runs as the core would return them.
import type { RunSummary, ServerInfo } from '../../native/api/contract';

export const serverInfo: ServerInfo = {
  version: '0.1.0',
  data_dir: '/home/me/.runledger',
  pid: 4242,
  url: 'http://127.0.0.1:5917/',
};

export function run(overrides: Partial<RunSummary> & Pick<RunSummary, 'run_id'>): RunSummary {
  return {
    run_name: overrides.run_id,
    experiment_id: '1',
    experiment: 'credit_risk',
    status: 'FINISHED',
    lifecycle_stage: 'active',
    start_time: Date.UTC(2025, 0, 2, 3, 4, 5),
    end_time: Date.UTC(2025, 0, 2, 4, 6, 5),
    user_id: 'me',
    last_step: 10,
    params: {},
    metrics: {},
    tags: {},
    ...overrides,
  };
}

export const runs: RunSummary[] = [
  run({
    run_id: 'a1',
    run_name: 'xgb-baseline',
    metrics: { val_auc: 0.8512345, loss: 'NaN' },
    params: { model: 'xgb', lr: '0.1' },
  }),
  run({
    run_id: 'b2',
    run_name: 'mlp-wide',
    status: 'INTERRUPTED',
    end_time: null,
    last_step: 1200,
    metrics: { val_auc: 0.83 },
    params: { model: 'mlp' },
  }),
  run({ run_id: 'c3', run_name: '', status: 'RUNNING', end_time: null, metrics: {}, params: {} }),
];
