// A RUNNING run that goes silent is shown as interrupted with its last step; logging resumes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';

async function rpc(srv: TestServer, name: string, args: Record<string, unknown>): Promise<any> {
  const res = await srv.call('POST', `/api/rpc/${name}`, args);
  expect(res.status).toBe(200);
  return res.json;
}

describe('interrupted runs', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({ interruptAfterMs: 400 });
  });
  afterAll(() => srv.stop());

  it('marks a silent run interrupted, and resumes it on the next write', async () => {
    const runId = (await srv.mlflow('POST', 'runs/create', { experiment_id: '0', run_name: 'silent', start_time: Date.now() })).json.run.info.run_id;
    await srv.mlflow('POST', 'runs/log-batch', { run_id: runId, metrics: [0, 1, 2, 3].map((s) => ({ key: 'loss', value: s, timestamp: Date.now(), step: s })) });
    expect((await rpc(srv, 'runs.get', { run: runId })).status).toBe('RUNNING');
    let detail: any;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 100));
      detail = await rpc(srv, 'runs.get', { run: runId });
      if (detail.status === 'INTERRUPTED') break;
    }
    expect(detail.status).toBe('INTERRUPTED');
    expect(detail.last_step).toBe(3);
    // MLflow clients still see MLflow's own status: nobody ended the run.
    expect((await srv.mlflow('GET', 'runs/get', { run_id: runId })).json.run.info.status).toBe('RUNNING');
    await srv.mlflow('POST', 'runs/log-metric', { run_id: runId, key: 'loss', value: 4, timestamp: Date.now(), step: 4 });
    expect((await rpc(srv, 'runs.get', { run: runId })).status).toBe('RUNNING');
  });

  it('does not mark a run that is still logging', async () => {
    const runId = (await srv.mlflow('POST', 'runs/create', { experiment_id: '0', run_name: 'busy', start_time: Date.now() })).json.run.info.run_id;
    for (let i = 0; i < 12; i++) {
      await srv.mlflow('POST', 'runs/log-metric', { run_id: runId, key: 'loss', value: i, timestamp: Date.now(), step: i });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await rpc(srv, 'runs.get', { run: runId })).status).toBe('RUNNING');
  });

  it('a finished run is never interrupted', async () => {
    const runId = (await srv.mlflow('POST', 'runs/create', { experiment_id: '0', run_name: 'done', start_time: Date.now() })).json.run.info.run_id;
    await srv.mlflow('POST', 'runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });
    await new Promise((r) => setTimeout(r, 900));
    expect((await rpc(srv, 'runs.get', { run: runId })).status).toBe('FINISHED');
  });
});
