// Extreme metric values over real HTTP: NaN, ±Infinity, -0, 1e308, 5e-324 are stored and returned
// faithfully by get-history and runs/get (NaN/±Infinity as protobuf-JSON strings, -0 as -0.0 in the
// raw text), before and after the run ends (compaction) and across a server restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { authed, MLFLOW, seedRun } from './support';

let srv: TestServer;
let runId: string;
let experimentId: string;

beforeAll(async () => {
  srv = await startTestServer();
  ({ runId, experimentId } = await seedRun(srv, 'values'));
});
afterAll(() => srv?.stop());

// [JSON text sent, value expected back, JSON text expected in the raw response]
const VALUES: [sent: string, expected: number, raw: string][] = [
  ['"NaN"', NaN, '"NaN"'],
  ['"Infinity"', Infinity, '"Infinity"'],
  ['"-Infinity"', -Infinity, '"-Infinity"'],
  ['-0', -0, '-0.0'],
  ['-0.0', -0, '-0.0'],
  ['"-0"', -0, '-0.0'],
  ['0', 0, '0'],
  ['1e308', 1e308, '1e+308'],
  ['-1e308', -1e308, '-1e+308'],
  ['1.7976931348623157e308', Number.MAX_VALUE, '1.7976931348623157e+308'],
  ['5e-324', 5e-324, '5e-324'],
  ['-5e-324', -5e-324, '-5e-324'],
  ['2.2250738585072014e-308', 2.2250738585072014e-308, '2.2250738585072014e-308'],
  ['0.1', 0.1, '0.1'],
  ['"1e308"', 1e308, '1e+308'],
  ['123456789.123456789', 123456789.12345679, '123456789.12345679'],
];

/** get-history for `key`, raw text and parsed points (JSON strings mapped back to numbers). */
async function history(s: TestServer, run: string, key: string): Promise<{ text: string; points: { value: number; step: number; timestamp: number }[] }> {
  const res = await authed(s, { path: `${MLFLOW}/metrics/get-history?run_id=${run}&metric_key=${encodeURIComponent(key)}&max_results=25000` });
  expect(res.status).toBe(200);
  const toNumber = (v: unknown): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : (v as number));
  const points = (res.json.metrics ?? []).map((m: { value: unknown; step: number; timestamp: number }) => ({ ...m, value: toNumber(m.value) }));
  return { text: res.text, points: points.sort((a: { step: number }, b: { step: number }) => a.step - b.step) };
}

/** The raw JSON text of the point at `step` in a get-history response. */
function rawPoint(text: string, step: number): string {
  const m = new RegExp(`\\{[^{}]*"step":${step}[,}][^{}]*`).exec(text);
  return m ? m[0] : '';
}

function expectFaithful(points: { value: number; step: number }[], text: string): void {
  expect(points.map((p) => p.step)).toEqual(VALUES.map((_, i) => i));
  VALUES.forEach(([sent, expected, raw], i) => {
    // Object.is tells -0 from 0 and matches NaN with NaN.
    expect({ sent, same: Object.is(points[i].value, expected) }).toEqual({ sent, same: true });
    expect(rawPoint(text, i)).toContain(`"value":${raw}`);
  });
}

describe('extreme metric values', () => {
  it('log-batch: every value comes back exactly from get-history', async () => {
    const metrics = VALUES.map(([sent], i) => `{"key":"extreme","value":${sent},"timestamp":${1000 + i},"step":${i}}`).join(',');
    const res = await authed(srv, { method: 'POST', path: `${MLFLOW}/runs/log-batch`, body: `{"run_id":"${runId}","metrics":[${metrics}]}` });
    expect(res.status).toBe(200);
    const { text, points } = await history(srv, runId, 'extreme');
    expectFaithful(points, text);
  });

  it('log-metric: the same, one request per value', async () => {
    for (const [i, [sent]] of VALUES.entries()) {
      const res = await authed(srv, { method: 'POST', path: `${MLFLOW}/runs/log-metric`, body: `{"run_id":"${runId}","key":"single","value":${sent},"timestamp":${1000 + i},"step":${i}}` });
      expect(res.status).toBe(200);
    }
    const { text, points } = await history(srv, runId, 'single');
    expectFaithful(points, text);
  });

  it('runs/get reports each extreme value as the latest value of its own metric', async () => {
    const metrics = VALUES.map(([sent], i) => `{"key":"latest_${i}","value":${sent},"timestamp":1,"step":0}`).join(',');
    expect((await authed(srv, { method: 'POST', path: `${MLFLOW}/runs/log-batch`, body: `{"run_id":"${runId}","metrics":[${metrics}]}` })).status).toBe(200);
    const res = await authed(srv, { path: `${MLFLOW}/runs/get?run_id=${runId}` });
    expect(res.status).toBe(200);
    VALUES.forEach(([, , raw], i) => {
      expect(res.text).toMatch(new RegExp(`"key":"latest_${i}","value":${raw.replace(/[+.]/g, '\\$&')}[,}]`));
    });
  });

  it('still exact after the run ends (points compacted) and after a restart of the server', async () => {
    const r = await srv.mlflow('POST', 'runs/create', { experiment_id: experimentId, run_name: 'ended' });
    const ended = r.json.run.info.run_id as string;
    const metrics = VALUES.map(([sent], i) => `{"key":"kept","value":${sent},"timestamp":${1000 + i},"step":${i}}`).join(',');
    expect((await authed(srv, { method: 'POST', path: `${MLFLOW}/runs/log-batch`, body: `{"run_id":"${ended}","metrics":[${metrics}]}` })).status).toBe(200);
    expect((await srv.mlflow('POST', 'runs/update', { run_id: ended, status: 'FINISHED', end_time: 5000 })).status).toBe(200);
    const after = await history(srv, ended, 'kept');
    expectFaithful(after.points, after.text);

    const dataDir = srv.dataDir;
    await srv.stop();
    srv = await startTestServer({ dataDir });
    const restarted = await history(srv, ended, 'kept');
    expectFaithful(restarted.points, restarted.text);
  });

  it('values that are not numbers are refused, not coerced', async () => {
    for (const bad of ['"nan"', '"inf"', '"+Infinity"', '"1,5"', '"1e"', 'null', '[1]']) {
      const res = await authed(srv, { method: 'POST', path: `${MLFLOW}/runs/log-metric`, body: `{"run_id":"${runId}","key":"refused","value":${bad},"timestamp":1}` });
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
    }
    expect((await history(srv, runId, 'refused')).points).toEqual([]);
  });

  // -0 is encoded through a placeholder (json-out.ts); user text that looks like one is never rewritten.
  it('a string value equal to the -0 sentinel is returned as that string, not as -0.0', async () => {
    const value = '\u0000-0\u0000';
    expect((await srv.mlflow('POST', 'runs/set-tag', { run_id: runId, key: 'sentinel', value })).status).toBe(200);
    const res = await authed(srv, { path: `${MLFLOW}/runs/get?run_id=${runId}` });
    expect(res.json.run.data.tags).toContainEqual({ key: 'sentinel', value });
  });
});
