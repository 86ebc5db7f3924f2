// Seeds a store with N runs for the UI benchmarks in a few seconds: one INSERT … SELECT FROM range()
// per table, straight through the core's writer connection (the REST API would take minutes for
// 100k runs). Every run gets params, latest metrics, tags, a dataset input and a GPU environment,
// so each column family of the runs table has something to draw.
import { createCore } from '../native/core';
import { exec, queryRows } from '../native/store/open-database';

const PARAMS = ['lr', 'model', 'batch_size', 'dropout_p', 'optimizer', 'seed'];
const METRICS = ['val_auc', 'val_loss', 'train_loss', 'latency_ms'];
const DATASETS = ['credit_risk_v2.0', 'credit_risk_v2.1', 'fraud_tx_v3'];
const GPUS = ['NVIDIA H100 80GB HBM3', 'NVIDIA A100-SXM4-40GB', 'NVIDIA RTX 4090'];

export async function seedUiRuns(dataDir: string, runs: number, now = Date.UTC(2026, 10, 26, 12)): Promise<void> {
  const core = await createCore({ dataDir });
  try {
    const w = core.db.writer;
    await core.experiments.create('ui-bench', undefined, []);
    const [{ experiment_id: exp }] = await queryRows<{ experiment_id: string }>(w, "SELECT experiment_id FROM experiments WHERE name = 'ui-bench'");
    const runId = "printf('run-20261126-%04d-%08x', i % 10000, i)";
    await exec(w, `INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, last_activity, interrupted_at, git_commit, git_dirty)
      SELECT ${runId}, '${exp}', printf('%s-%d', (['xgb','mlp','lgbm','resnet','bert'])[1 + i % 5], i), 'bench',
        CASE WHEN i % 23 = 0 THEN 'FAILED' WHEN i % 97 = 0 THEN 'RUNNING' ELSE 'FINISHED' END,
        ${now} - (${runs} - i) * 60000, ${now} - (${runs} - i) * 60000 + 3600000, 'active', 0,
        CASE WHEN i % 194 = 0 THEN ${now} END, printf('%040x', hash(i) % 1000), i % 7 = 0
      FROM range(${runs}) t(i)`);
    const param = `CASE k WHEN 0 THEN (['0.1','0.03','0.01','0.001','0.0003'])[1 + (i // 7) % 5]
      WHEN 1 THEN (['xgb','mlp','lgbm','resnet','bert'])[1 + i % 5] WHEN 2 THEN CAST(2 ** (4 + i % 7) AS INTEGER)::VARCHAR
      WHEN 3 THEN (['0.0','0.1','0.2','0.3','0.5'])[1 + (i // 3) % 5] WHEN 4 THEN (['adam','sgd','adamw'])[1 + i % 3]
      ELSE CAST(hash(i) % 1000000 AS VARCHAR) END`;
    await exec(w, `INSERT INTO params SELECT ${runId}, (['${PARAMS.join("','")}'])[1 + k], ${param} FROM range(${runs}) t(i), range(${PARAMS.length}) u(k)`);
    await exec(w, `INSERT INTO tags SELECT ${runId}, 'team', (['risk','fraud','growth'])[1 + i % 3] FROM range(${runs}) t(i)`);
    const v = '(hash(i, k) % 100000) / 100000.0';
    await exec(w, `INSERT INTO latest_metrics
      SELECT i * ${METRICS.length} + k, ${runId}, (['${METRICS.join("','")}'])[1 + k], 100, ${now}, ${v}, ${v} * 0.9, ${v} * 1.1, ${v} * 1.2, 101, 0, 0, 100, 0
      FROM range(${runs}) t(i), range(${METRICS.length}) u(k)`);
    await exec(w, `INSERT INTO datasets (digest, name) SELECT printf('%012x', d), (['${DATASETS.join("','")}'])[1 + d] FROM range(${DATASETS.length}) t(d)`);
    await exec(w, `INSERT INTO run_inputs SELECT ${runId}, (['${DATASETS.join("','")}'])[1 + i % ${DATASETS.length}], printf('%012x', i % ${DATASETS.length}), '[]', 'training' FROM range(${runs}) t(i)`);
    await exec(w, `INSERT INTO environments (run_id, python, cuda, torch, gpus)
      SELECT ${runId}, '3.11.9', '12.1', '2.3.1+cu121', printf('[{"index":0,"name":"%s"},{"index":1,"name":"%s"}]', g, g)
      FROM (SELECT i, (['${GPUS.join("','")}'])[1 + i % ${GPUS.length}] AS g FROM range(${runs}) t(i))`);
    await exec(w, 'CHECKPOINT');
  } finally {
    await core.close();
  }
}
