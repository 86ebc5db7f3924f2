// `npm run bench:query`: the filter language over a store of 100,000 runs with 20 params and 10
// metrics each (plus 2 tags and a dataset input per run). Prints, per query, the p50/p95 of the
// compiled SQL alone and of the whole `query.run` RPC (parse, resolve, SQL, and the run summaries
// of the first page). Seeding writes straight into the tables with INSERT … SELECT FROM range().
// BENCH_QUERY_RUNS shrinks the store, BENCH_QUERY_ITERATIONS the samples; BENCH_QUERY_DIR keeps the
// seeded store there (and reuses it on the next run) instead of a temp dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../native/core';
import { createHandlers } from '../native/api/handlers';
import { exec, queryRows } from '../native/store/open-database';
import { QueryService } from '../native/query/query-service';

const RUNS = Number(process.env.BENCH_QUERY_RUNS ?? 100_000);
const ITERATIONS = Number(process.env.BENCH_QUERY_ITERATIONS ?? 25);
const PAGE = 100;
const NOW = Date.UTC(2026, 10, 26, 12);
const METRICS = ['val_auc', 'val_f1', 'val_loss', 'train_loss', 'latency_ms', 'throughput', 'gpu_mem_gb', 'epoch_time_s', 'error_rate', 'accuracy'];
const PARAMS = ['lr', 'model', 'batch_size', 'dropout_p', 'optimizer', 'seed', 'weight_decay', 'warmup_steps', 'num_layers', 'hidden_dim',
  'max_depth', 'n_estimators', 'subsample', 'colsample', 'min_child_weight', 'gamma', 'scheduler', 'epochs', 'label_smoothing', 'grad_clip'];

/** One statement per table; `i` is the run number, hash() makes values spread but repeatable. */
async function seed(dataDir: string): Promise<void> {
  const core = await createCore({ dataDir });
  const w = core.db.writer;
  const runId = "printf('run-20261126-%04d-%08x', i % 10000, i)";
  for (const name of ['credit-risk', 'fraud', 'churn', 'ranking', 'vision']) await core.experiments.create(name, undefined, []);
  const exps = (await queryRows<{ experiment_id: string }>(w, 'SELECT experiment_id FROM experiments ORDER BY experiment_id')).map((e) => e.experiment_id);
  await exec(w, `INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, last_activity, interrupted_at, git_commit, git_dirty)
    SELECT ${runId}, (['${exps.join("','")}'])[1 + i % ${exps.length}], printf('%s-%d', (['xgb','mlp','lgbm','resnet','bert'])[1 + i % 5], i), 'bench',
      CASE WHEN i % 23 = 0 THEN 'FAILED' WHEN i % 97 = 0 THEN 'RUNNING' ELSE 'FINISHED' END,
      ${NOW} - (${RUNS} - i) * 60000, ${NOW} - (${RUNS} - i) * 60000 + 3600000,
      CASE WHEN i % 50 = 0 THEN 'deleted' ELSE 'active' END, 0, CASE WHEN i % 194 = 0 THEN ${NOW} END,
      printf('%040x', hash(i) % 1000), i % 7 = 0
    FROM range(${RUNS}) t(i)`);
  const paramValue = `CASE k
      WHEN 0 THEN (['0.1','0.03','0.01','0.001','0.0003'])[1 + (i // 7) % 5]
      WHEN 1 THEN (['xgb','mlp','lgbm','resnet','bert'])[1 + i % 5]
      WHEN 2 THEN CAST(2 ** (4 + i % 7) AS INTEGER)::VARCHAR
      WHEN 3 THEN (['0.0','0.1','0.2','0.3','0.5'])[1 + (i // 3) % 5]
      WHEN 5 THEN CAST(hash(i) % 1000000 AS VARCHAR)
      ELSE CAST(hash(i, k) % 50 AS VARCHAR) END`;
  await exec(w, `INSERT INTO params SELECT ${runId}, (['${PARAMS.join("','")}'])[1 + k], ${paramValue} FROM range(${RUNS}) t(i), range(${PARAMS.length}) u(k)`);
  await exec(w, `INSERT INTO tags SELECT ${runId}, 'team', (['risk','fraud','growth'])[1 + i % 3] FROM range(${RUNS}) t(i)
    UNION ALL SELECT ${runId}, 'priority', (['p0','p1','p2'])[1 + (i // 5) % 3] FROM range(${RUNS}) t(i)`);
  // value in [0, 1) per (run, metric); latency and memory scaled to their units.
  const v = '(hash(i, k) % 100000) / 100000.0';
  const value = `CASE k WHEN 4 THEN ${v} * 200 WHEN 6 THEN ${v} * 80 WHEN 7 THEN ${v} * 10 ELSE ${v} END`;
  await exec(w, `INSERT INTO latest_metrics
    SELECT i * ${METRICS.length} + k, ${runId}, (['${METRICS.join("','")}'])[1 + k], 100, ${NOW}, ${value}, ${value} * 0.9, ${value} * 1.1, ${value} * 1.2,
      101, CASE WHEN k = 2 AND i % 101 = 0 THEN 1 ELSE 0 END, 0, 100, 0
    FROM range(${RUNS}) t(i), range(${METRICS.length}) u(k)`);
  await exec(w, `INSERT INTO datasets (digest, name) SELECT DISTINCT printf('%012x', d), (['credit_risk_v2.0','credit_risk_v2.1','fraud_tx_v3','churn_2026q3'])[1 + d] FROM range(4) t(d)`);
  await exec(w, `INSERT INTO run_inputs SELECT ${runId}, (['credit_risk_v2.0','credit_risk_v2.1','fraud_tx_v3','churn_2026q3'])[1 + i % 4], printf('%012x', i % 4), '[]', 'training' FROM range(${RUNS}) t(i)`);
  await exec(w, 'CHECKPOINT');
  await core.close();
}

const QUERIES = [
  'val_auc > 0.85 and model xgb sorted by val_f1 desc',
  'highest auc with latency under 50 ms',
  'top 100 runs by val_f1 on credit_risk_v2.1',
  "metrics.val_auc > 0.8 and params.model = 'mlp' order by metrics.latency_ms asc",
  'failed runs last week order by val_loss asc',
  'lr=1e-3 and batch_size >= 128 and dropout 0.2 or team = fraud sorted by accuracy desc',
  'val_loss ever nan and not deleted',
  'compare lr=1e-3 and lr=3e-4 on v2.1',
];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number; min: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50), p95: pct(ms, 95), min: ms[0] };
}

const f = (n: number): string => n.toFixed(1);

const keep = process.env.BENCH_QUERY_DIR;
const dataDir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-bench-query-'));
try {
  if (!keep || !fs.existsSync(path.join(dataDir, 'runledger.duckdb'))) {
    process.stderr.write(`seeding ${RUNS.toLocaleString('en-US')} runs × ${PARAMS.length} params × ${METRICS.length} metrics…\n`);
    const t0 = performance.now();
    await seed(dataDir);
    process.stderr.write(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const core = await createCore({ dataDir });
  const api = createHandlers(core);
  const service = new QueryService(core.db);
  const clock = { now: NOW, utcOffsetMinutes: 0 };
  const cold = performance.now();
  await service.analyze('val_auc > 0.5');
  const coldMs = performance.now() - cold;

  // Other processes on the machine skew every number here: the load average is printed with them.
  const loadBefore = os.loadavg()[0];
  const rows: string[][] = [];
  for (const q of QUERIES) {
    const analysis = await service.analyze(q);
    const x = service.explain(analysis, { clock, maxRows: PAGE });
    if (!x.ok) throw new Error(`${q}: ${x.problems.map((p) => p.message).join('; ')}`);
    let matched = 0;
    const sql = await time(async () => {
      matched = 0;
      for (const s of x.sql) matched += (await queryRows(core.db.reader, s.sql, s.params)).length;
    });
    const rpc = await time(() => api['query.run']({ text: q, now: NOW, limit: PAGE }));
    rows.push([q, String(matched), f(sql.p50), f(sql.p95), f(rpc.p50), f(rpc.p95), sql.p50 < 50 ? 'yes' : 'NO']);
  }
  const explain = await time(() => api['query.explain']({ text: QUERIES[0], now: NOW }));
  await core.close();

  const headers = ['query (first page: 100 runs)', 'runs', 'SQL p50 ms', 'SQL p95 ms', 'query.run p50 ms', 'query.run p95 ms', 'SQL p50 < 50 ms'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  const load = `load average ${loadBefore.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`;
  console.log(`\nRunledger query benchmark: ${RUNS.toLocaleString('en-US')} runs, ${PARAMS.length} params and ${METRICS.length} metrics each (${os.cpus().length} cores, ${load}, node ${process.version}, ${ITERATIONS} samples)\n`);
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  console.log(`\nquery.explain (parse + resolve, vocabulary cached): p50 ${f(explain.p50)} ms; first vocabulary load: ${f(coldMs)} ms`);
} finally {
  if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
}
