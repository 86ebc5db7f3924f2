// Acknowledged means committed: a server killed with SIGKILL right after acknowledging log-batch
// requests has every acknowledged point after a restart, and the run it was logging to shows as
// interrupted rather than running forever.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnRunledger, stopChild, type ChildServer } from '../../../bench/spawn-server';
import { tempDir } from '../../helpers/test-server';

async function mlflow(srv: ChildServer, method: string, endpoint: string, body?: Record<string, unknown>): Promise<any> {
  const qs = method === 'GET' && body ? `?${new URLSearchParams(body as Record<string, string>)}` : '';
  const res = await fetch(`http://127.0.0.1:${srv.port}/api/2.0/mlflow/${endpoint}${qs}`, {
    method,
    headers: { Authorization: `Bearer ${srv.token}`, ...(method === 'GET' ? {} : { 'Content-Type': 'application/json' }) },
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${endpoint} ${res.status} ${JSON.stringify(json)}`);
  return json;
}

describe('durability', () => {
  const dataDir = tempDir();
  const children: ChildServer[] = [];
  afterAll(async () => {
    for (const c of children) await stopChild(c.child, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged point across kill -9', async () => {
    const first = await spawnRunledger(dataDir);
    children.push(first);
    const { experiment_id } = await mlflow(first, 'POST', 'experiments/create', { name: 'durability' });
    const runIds: string[] = [];
    for (let c = 0; c < 4; c++) runIds.push((await mlflow(first, 'POST', 'runs/create', { experiment_id, run_name: `d${c}`, start_time: Date.now() })).run.info.run_id);

    // Four clients log batches back to back; the server is killed the moment the 40th ack arrives,
    // while the others still have requests in flight.
    const acked = new Map<string, number[]>(runIds.map((id) => [id, []]));
    let acks = 0;
    let killed = false;
    const client = async (runId: string): Promise<void> => {
      for (let i = 0; !killed; i++) {
        const steps = Array.from({ length: 100 }, (_, j) => i * 100 + j);
        try {
          await mlflow(first, 'POST', 'runs/log-batch', {
            run_id: runId,
            metrics: steps.map((step) => ({ key: 'loss', value: step / 7, timestamp: 1_700_000_000_000 + step, step })),
          });
        } catch {
          return; // the connection died with the server: this batch was never acknowledged
        }
        if (killed) return; // answered after the kill was sent: still counts only if it arrived before
        acked.get(runId)!.push(...steps);
        if (++acks === 40) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(runIds.map(client));
    await new Promise<void>((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r() : first.child.once('exit', () => r())));
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acks).toBeGreaterThanOrEqual(40);

    // The dead server's running-instance.json is still there; a new server takes over.
    expect(fs.existsSync(`${dataDir}/running-instance.json`)).toBe(true);
    const second = await spawnRunledger(dataDir);
    children.push(second);
    for (const runId of runIds) {
      const history = await mlflow(second, 'GET', 'metrics/get-history', { run_id: runId, metric_key: 'loss' });
      const stored = new Set<number>((history.metrics ?? []).map((m: { step: number }) => m.step));
      const missing = acked.get(runId)!.filter((s) => !stored.has(s));
      expect(missing).toEqual([]);
      for (const m of history.metrics ?? []) expect(m.value).toBe(m.step / 7);
      // Its writer died: shown as interrupted, with the last step it logged.
      const res = await fetch(`http://127.0.0.1:${second.port}/api/rpc/runs.get`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${second.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ run: runId }),
      });
      const detail = await res.json();
      expect(detail.status).toBe('INTERRUPTED');
      expect(detail.last_step).toBe(Math.max(...stored));
      // The summary rebuilt after the crash agrees with the points.
      expect(detail.metric_summaries[0].count).toBe(stored.size);
    }
    // Logging again resumes the run.
    await mlflow(second, 'POST', 'runs/log-metric', { run_id: runIds[0], key: 'loss', value: 1, timestamp: Date.now(), step: 1_000_000 });
    const after = await fetch(`http://127.0.0.1:${second.port}/api/rpc/runs.get`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${second.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ run: runIds[0] }),
    });
    expect((await after.json()).status).toBe('RUNNING');
  });
});
