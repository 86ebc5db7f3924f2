// Eight clients logging in parallel to eight runs for a few seconds: no errors, every point stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';

describe('concurrent ingest', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(() => srv.stop());

  it('stores every point from 8 parallel clients', async () => {
    const exp = (await srv.mlflow('POST', 'experiments/create', { name: 'concurrency' })).json.experiment_id;
    const runs: string[] = [];
    for (let c = 0; c < 8; c++) runs.push((await srv.mlflow('POST', 'runs/create', { experiment_id: exp, run_name: `c${c}`, start_time: 1 })).json.run.info.run_id);
    const deadline = Date.now() + 3000;
    const sent = runs.map(() => 0);
    const failures: string[] = [];
    await Promise.all(
      runs.map(async (runId, c) => {
        for (let i = 0; Date.now() < deadline; i++) {
          // Alternate big batches (decoded on a worker), small batches and single metrics.
          const size = i % 3 === 0 ? 500 : i % 3 === 1 ? 20 : 1;
          const base = sent[c];
          const res =
            size === 1
              ? await srv.mlflow('POST', 'runs/log-metric', { run_id: runId, key: 'loss', value: base, timestamp: base, step: base })
              : await srv.mlflow('POST', 'runs/log-batch', {
                  run_id: runId,
                  metrics: Array.from({ length: size }, (_, j) => ({ key: 'loss', value: base + j, timestamp: base + j, step: base + j })),
                  params: i === 0 ? [{ key: 'client', value: String(c) }] : [],
                });
          if (res.status !== 200) failures.push(`${res.status} ${res.text}`);
          sent[c] += size;
        }
      }),
    );
    expect(failures).toEqual([]);
    for (const [c, runId] of runs.entries()) {
      const h = await srv.mlflow('GET', 'metrics/get-history', { run_id: runId, metric_key: 'loss' });
      expect(h.status).toBe(200);
      const steps = (h.json.metrics as { step: number; value: number }[]).map((m) => m.step);
      expect(steps.length).toBe(sent[c]);
      expect(steps).toEqual(Array.from({ length: sent[c] }, (_, k) => k));
      const run = await srv.mlflow('GET', 'runs/get', { run_id: runId });
      expect(run.json.run.data.params).toEqual([{ key: 'client', value: String(c) }]);
      expect(run.json.run.data.metrics[0]).toMatchObject({ key: 'loss', step: sent[c] - 1, value: sent[c] - 1 });
    }
  });
});
