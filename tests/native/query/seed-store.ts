// A real store for the filter-language tests: a DuckDB file in a temp dir, written through the core's
// repositories and metric writer. Environment snapshots and git state are written with SQL into the
// columns the provenance work (#3) fills, since the language must filter on them either way.
import fs from 'node:fs';
import { createCore, type Core } from '../../../native/core';
import { exec } from '../../../native/store/open-database';
import { tempDir } from '../../helpers/test-server';

/** "now" for every query in these tests: Thursday 2026-11-26 12:00 UTC. */
export const NOW = Date.UTC(2026, 10, 26, 12, 0);
const nov = (day: number, hour: number): number => Date.UTC(2026, 10, day, hour);

const H100 = JSON.stringify([{ index: 0, name: 'NVIDIA H100 80GB HBM3', memory_total_mib: 81559 }]);
const A100 = JSON.stringify([{ index: 0, name: 'NVIDIA A100-SXM4-40GB', memory_total_mib: 40960 }]);

interface SeedRun {
  name: string;
  experiment: string;
  status: 'FINISHED' | 'FAILED' | 'KILLED' | 'RUNNING' | 'INTERRUPTED';
  start: number;
  deleted?: boolean;
  params: Record<string, string>;
  /** A number is one point; an array is a series logged at steps 0, 1, 2, … */
  metrics: Record<string, number | number[]>;
  tags: Record<string, string>;
  dataset?: [name: string, digest: string];
  env?: { gpus: string; torch: string; cuda: string };
  git?: [commit: string, dirty: boolean];
}

const COMMIT_A = '8a3f9c2e1b7d4f60a9e8c7b6d5e4f3a2b1c0d9e8';
const COMMIT_B = 'b7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9';

export const SEED: readonly SeedRun[] = [
  { name: 'xgb-baseline', experiment: 'credit-risk', status: 'FINISHED', start: nov(10, 9),
    params: { model: 'xgb', lr: '0.1', batch_size: '256', dropout_p: '0.0' },
    metrics: { val_auc: [0.78, 0.8, 0.81], val_f1: 0.7, val_loss: [0.52, 0.47, 0.45], train_loss: 0.4, latency_ms: 12, error_rate: 0.06, gpu_mem_gb: 30.5, epoch_time_s: 1.8 },
    tags: { priority: 'p0', team: 'risk', baseline: 'yes' }, dataset: ['credit_risk_v2.1', 'd1a0c0ffee01'],
    env: { gpus: H100, torch: '2.11.0+cu130', cuda: '13.0' }, git: [COMMIT_A, false] },
  { name: 'xgb-deep', experiment: 'credit-risk', status: 'FINISHED', start: nov(20, 10),
    params: { model: 'xgb', lr: '0.03', batch_size: '256', dropout_p: '0.2' },
    metrics: { val_auc: 0.87, val_f1: 0.74, val_loss: 0.31, train_loss: 0.25, latency_ms: 35, error_rate: 0.04, gpu_mem_gb: 71.2, epoch_time_s: 2.4 },
    tags: { priority: 'p0', team: 'risk' }, dataset: ['credit_risk_v2.1', 'd1a0c0ffee01'],
    env: { gpus: H100, torch: '2.11.0', cuda: '13.0' }, git: [COMMIT_A, true] },
  { name: 'mlp-wide', experiment: 'credit-risk', status: 'FAILED', start: nov(21, 8),
    params: { model: 'mlp', lr: '1e-3', batch_size: '512', dropout_p: '0.2' },
    metrics: { val_auc: 0.83, val_f1: 0.71, val_loss: [0.5, NaN, NaN], latency_ms: 48 },
    tags: { priority: 'p1', team: 'risk' }, dataset: ['credit_risk_v2.1', 'd1a0c0ffee01'],
    env: { gpus: A100, torch: '2.1.2', cuda: '12.1' }, git: [COMMIT_B, false] },
  { name: 'mlp-narrow', experiment: 'credit-risk', status: 'FINISHED', start: nov(22, 14),
    params: { model: 'mlp', lr: '0.0003', batch_size: '128', dropout_p: '0.1' },
    metrics: { val_auc: 0.85, val_f1: 0.77, val_loss: [0.6, 0.29, 0.33], train_loss: 0.2, latency_ms: 60, error_rate: 0.03 },
    tags: { team: 'risk' }, dataset: ['credit_risk_v2.1', 'd2b0beef0002'],
    env: { gpus: H100, torch: '2.11.0', cuda: '13.0' }, git: [COMMIT_B, false] },
  { name: 'lgbm-fast', experiment: 'credit-risk', status: 'FINISHED', start: nov(25, 9),
    params: { model: 'lgbm', lr: '0.05', batch_size: '1024', dropout_p: '0.0' },
    metrics: { val_auc: 0.84, val_f1: 0.79, val_loss: 0.36, latency_ms: 8, error_rate: 0.05 },
    tags: { priority: 'p2', team: 'risk' }, dataset: ['credit_risk_v2.0', 'd0c0ffee0020'],
    env: { gpus: H100, torch: '2.10.1', cuda: '12.8' }, git: [COMMIT_A, false] },
  { name: 'mlp-resume', experiment: 'credit-risk', status: 'INTERRUPTED', start: nov(24, 20),
    params: { model: 'mlp', lr: '0.001', batch_size: '256', dropout_p: '0.3' },
    metrics: { val_auc: 0.8, val_loss: [0.5, Infinity, 0.42], latency_ms: 41 },
    tags: { priority: 'p1', team: 'risk' }, dataset: ['credit_risk_v2.1', 'd2b0beef0002'],
    env: { gpus: A100, torch: '2.1.2', cuda: '12.1' } },
  { name: 'xgb-live', experiment: 'credit-risk', status: 'RUNNING', start: nov(26, 10),
    params: { model: 'xgb', lr: '0.1', batch_size: '256' },
    metrics: { val_auc: 0.79, latency_ms: 15 },
    tags: { priority: 'p0' }, dataset: ['credit_risk_v2.1', 'd2b0beef0002'] },
  { name: 'fraud-gbm', experiment: 'fraud', status: 'FINISHED', start: nov(18, 9),
    params: { model: 'gbm', lr: '0.1' },
    metrics: { val_auc: 0.91, val_f1: 0.62, val_loss: 0.28, latency_ms: 22 },
    tags: { team: 'fraud', priority: 'p0' }, dataset: ['fraud_tx_v3', 'f3a0aa'],
    env: { gpus: H100, torch: '2.11.0', cuda: '13.0' } },
  { name: 'fraud-mlp', experiment: 'fraud', status: 'KILLED', start: nov(19, 9),
    params: { model: 'mlp', lr: '0.0003', dropout_p: '0.5' },
    metrics: { val_auc: 0.88, val_loss: 0.3, latency_ms: 95 },
    tags: { team: 'fraud' }, dataset: ['fraud_tx_v3', 'f3a0aa'],
    env: { gpus: A100, torch: '2.1.2', cuda: '12.1' } },
  { name: 'churn-logreg', experiment: 'churn', status: 'FINISHED', start: Date.UTC(2026, 9, 15, 9),
    params: { model: 'logreg', lr: '0.01' },
    metrics: { val_auc: 0.72, val_f1: 0.55, latency_ms: 2 },
    tags: { team: 'growth' }, dataset: ['churn_2026q3', 'c9d1c9d1'] },
  { name: 'churn-xgb-old', experiment: 'churn', status: 'FINISHED', start: Date.UTC(2026, 9, 20, 9), deleted: true,
    params: { model: 'xgb', lr: '0.1' }, metrics: { val_auc: 0.75 }, tags: { team: 'growth' } },
  { name: 'xgb-leaky', experiment: 'credit-risk', status: 'FINISHED', start: nov(23, 9), deleted: true,
    params: { model: 'xgb', lr: '0.1', batch_size: '256' }, metrics: { val_auc: 0.99 },
    tags: { priority: 'p0', team: 'risk' }, dataset: ['credit_risk_v2.1', 'd1a0c0ffee01'] },
];

export interface SeededStore {
  core: Core;
  dataDir: string;
  /** Run id by run name. */
  ids: Map<string, string>;
  /** Run name by run id. */
  names: Map<string, string>;
  close(): Promise<void>;
  /** Closes the core but keeps the data dir (for the CLI or a server to open next). */
  closeCore(): Promise<void>;
}

export async function seedStore(): Promise<SeededStore> {
  const dataDir = tempDir('runledger-query-');
  const core = await createCore({ dataDir });
  const experiments = new Map<string, string>();
  const ids = new Map<string, string>();
  for (const r of SEED) {
    let exp = experiments.get(r.experiment);
    if (!exp) {
      exp = await core.experiments.create(r.experiment, undefined, []);
      experiments.set(r.experiment, exp);
    }
    const id = await core.runs.create({ experimentId: exp, userId: 'ana', runName: r.name, startTime: r.start, tags: [] });
    ids.set(r.name, id);
    await core.runs.logParams(id, Object.entries(r.params).map(([key, value]) => ({ key, value })));
    await core.runs.setTags(id, Object.entries(r.tags).map(([key, value]) => ({ key, value })));
    const points = Object.entries(r.metrics).flatMap(([key, v]) => (Array.isArray(v) ? v : [v]).map((value, step) => ({ key, value, step, timestamp: r.start + step * 1000 })));
    await core.writer.append(id, points);
    if (r.dataset) {
      const [name, digest] = r.dataset;
      await core.runs.logInputs(id, [{ name, digest, source_type: 'local', source: `/data/${name}.parquet`, schema: '', profile: '', tags: [{ key: 'mlflow.data.context', value: 'training' }] }]);
    }
    if (r.status !== 'RUNNING' && r.status !== 'INTERRUPTED') await core.runs.update(id, { status: r.status, endTime: r.start + 3_600_000 });
    if (r.status === 'INTERRUPTED') await exec(core.db.writer, 'UPDATE runs SET interrupted_at = ? WHERE run_id = ?', [r.start + 7_200_000, id]);
    if (r.env) {
      await exec(core.db.writer, 'INSERT INTO environments (run_id, gpus, torch, cuda, python) VALUES (?, ?, ?, ?, ?)', [id, r.env.gpus, r.env.torch, r.env.cuda, '3.12.4']);
    }
    if (r.git) await exec(core.db.writer, 'UPDATE runs SET git_commit = ?, git_dirty = ? WHERE run_id = ?', [r.git[0], r.git[1], id]);
    if (r.deleted) await core.runs.setLifecycle(id, 'deleted', 'ana', 'test');
  }
  await core.writer.syncSummaries();
  return {
    core,
    dataDir,
    ids,
    names: new Map([...ids].map(([n, id]) => [id, n])),
    close: async () => {
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    closeCore: () => core.close(),
  };
}
