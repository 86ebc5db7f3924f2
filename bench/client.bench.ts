// `npm run bench:client`: the Python client (clients/python) against real local servers: the cost of
// one log() call, and the metric points per second one client process pushes with batching (target:
// 200,000/s), flush included; beside it, what the server alone takes from a Node load generator at the
// same moment (client and server share this machine's cores), the client's own ceiling against a
// server that only parses JSON, and the offline spool. BENCH_CLIENT_POINTS (default 2,000,000) shrinks
// it. Needs python3; prints a table and never fails a build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { spawnRunledger, stopChild, waitForLine, REPO } from './spawn-server';
import { runLoad } from './load';

interface Throughput {
  points: number;
  seconds: number;
  points_per_s: number;
  batches: number;
}

interface Overhead {
  median_us: number;
  mean_us: number;
  p99_us: number;
}

interface ClientBench {
  loop_ns: number;
  overhead_2: Overhead;
  overhead_10: Overhead;
  server: Throughput;
  bare?: Throughput;
  spool: Throughput;
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** The server alone: 4 keep-alive connections of 1000-metric log-batch requests for 5 s. */
async function serverCeiling(): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-bench-ceiling-'));
  const srv = await spawnRunledger(dataDir);
  try {
    const headers = { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' };
    const res = await fetch(`http://127.0.0.1:${srv.port}/api/2.0/mlflow/runs/create`, { method: 'POST', headers, body: JSON.stringify({ experiment_id: '0' }) });
    const runId = ((await res.json()) as { run: { info: { run_id: string } } }).run.info.run_id;
    const load = await runLoad({
      port: srv.port,
      path: '/api/2.0/mlflow/runs/log-batch',
      headers,
      connections: 4,
      seconds: 5,
      body: (c, i) => {
        const ts = Date.now();
        const metrics = Array.from({ length: 1000 }, (_, j) => `{"key":"metric_${c}_${j % 10}","value":${j * 0.5},"timestamp":${ts},"step":${i * 100 + ((j / 10) | 0)}}`);
        return `{"run_id":"${runId}","metrics":[${metrics.join(',')}]}`;
      },
    });
    return (load.requests * 1000) / load.seconds;
  } finally {
    await srv.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const ceiling = await serverCeiling();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-bench-client-'));
const server = await spawnRunledger(dataDir);
const bare = spawn(process.execPath, [path.join(REPO, 'bench/bare-server.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
try {
  const barePort = Number(await waitForLine(bare, 'BARE_READY'));
  const r = spawnSync('python3', [path.join(REPO, 'bench/client_bench.py')], {
    env: { ...process.env, RUNLEDGER_URI: `http://127.0.0.1:${server.port}`, RUNLEDGER_TOKEN: server.token, RUNLEDGER_HOME: dataDir, BENCH_BARE_URI: `http://127.0.0.1:${barePort}` },
    encoding: 'utf8',
    timeout: 900_000,
  });
  if (r.status !== 0) {
    console.log(`bench:client could not run python3 (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').slice(-2000)}`);
  } else {
    const b = JSON.parse(r.stdout.trim().split('\n').pop()!) as ClientBench;
    console.log(`\nPython client benchmark (${os.cpus().length} CPUs; client and server share them)\n`);
    const rows: [string, string, string][] = [
      ['log() overhead, 2 metrics per call', `${fmt(b.overhead_2.median_us, 2)} µs`, `median time inside log() (mean ${fmt(b.overhead_2.mean_us, 2)}, p99 ${fmt(b.overhead_2.p99_us, 1)} µs), 100 µs of work between calls`],
      ['log() overhead, 10 metrics per call', `${fmt(b.overhead_10.median_us, 2)} µs`, `median (mean ${fmt(b.overhead_10.mean_us, 2)}, p99 ${fmt(b.overhead_10.p99_us, 1)} µs)`],
      ['points/s to a Runledger server', fmt(b.server.points_per_s), `${fmt(b.server.points)} points in ${b.server.batches} log-batch requests, flush included (target 200,000)`],
      ['  the server alone (Node load, 4 conns)', fmt(ceiling), 'what the store took at this moment without the Python client'],
      ...(b.bare ? [['points/s to a JSON-only server', fmt(b.bare.points_per_s), "the client's own ceiling (bench/bare-server.mjs)"] as [string, string, string]] : []),
      ['points/s to the offline spool', fmt(b.spool.points_per_s), `${fmt(b.spool.points)} points, fsync per flush`],
      ['python3 empty loop', `${fmt(b.loop_ns, 1)} ns`, 'per iteration: how fast this machine runs Python, to compare the µs above across machines'],
    ];
    const w0 = Math.max(...rows.map((x) => x[0].length));
    const w1 = Math.max(...rows.map((x) => x[1].length));
    for (const [a, v, note] of rows) console.log(`${a.padEnd(w0)}  ${v.padStart(w1)}  ${note}`);
  }
} finally {
  await stopChild(bare);
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
