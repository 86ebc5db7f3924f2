// `npm run bench:ingest`: MLflow log-batch ingest throughput and latency against a bare node:http
// ceiling, and one 100k-point series read from a store holding 50M points. Prints a table.
// BENCH_SECONDS (default 20) and BENCH_READ_POINTS (default 50,000,000) shrink it for a quick look.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { runLoad, percentile, type LoadResult } from './load';
import { spawnRunledger, stopChild, waitForLine, REPO } from './spawn-server';
import { createCore } from '../native/core';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const READ_POINTS = Number(process.env.BENCH_READ_POINTS ?? 50_000_000);
const CONNECTIONS = 10;
const BATCH = 1000;
const KEYS = 10;

// Value text is formatted once up front: formatting 1000 doubles per request would make the load
// generator, not the server, the bottleneck on a 2-core machine. Steps and timestamps still change
// with every request, so every point is new.
const VALUE_TEXT = Array.from({ length: BATCH }, (_, j) => String(Math.sin(j) + j * 1e-3));
const KEY_PREFIX = Array.from({ length: BATCH }, (_, j) => `{"key":"metric_${(j / (BATCH / KEYS)) | 0}","value":${VALUE_TEXT[j]},"timestamp":`);

function batchBody(runId: string, _c: number, i: number): string {
  const ts = Date.now();
  const perKey = BATCH / KEYS;
  let body = `{"run_id":"${runId}","metrics":[`;
  for (let j = 0; j < BATCH; j++) {
    body += `${j ? ',' : ''}${KEY_PREFIX[j]}${ts},"step":${i * perKey + (j % perKey)}}`;
  }
  return `${body}]}`;
}

async function post(port: number, token: string, endpoint: string, body: unknown): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}/api/2.0/mlflow/${endpoint}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${endpoint}: ${res.status} ${await res.text()}`);
  return res.json();
}

interface Row {
  what: string;
  reqs: string;
  points: string;
  p50: string;
  p99: string;
  note: string;
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function row(what: string, r: LoadResult, pointsPerReq: number, note = ''): Row {
  const rps = r.requests / r.seconds;
  return {
    what,
    reqs: fmt(rps),
    points: pointsPerReq ? fmt(rps * pointsPerReq) : '-',
    p50: fmt(percentile(r.latenciesMs, 50), 2),
    p99: fmt(percentile(r.latenciesMs, 99), 2),
    note: `${note}${r.errors ? ` ${r.errors} errors (${r.firstError})` : ''}`.trim(),
  };
}

async function ingestRows(): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-bench-'));
  const srv = await spawnRunledger(dataDir);
  const headers = { Authorization: `Bearer ${srv.token}`, 'Content-Type': 'application/json' };
  try {
    const { experiment_id } = await post(srv.port, srv.token, 'experiments/create', { name: 'bench' });
    const runs: string[] = [];
    for (let c = 0; c < CONNECTIONS; c++) {
      const r = await post(srv.port, srv.token, 'runs/create', { experiment_id, run_name: `bench-${c}`, start_time: Date.now() });
      runs.push(r.run.info.run_id);
    }
    const base = { port: srv.port, headers, connections: CONNECTIONS, seconds: SECONDS };
    process.stderr.write(`log-batch x${BATCH}, ${CONNECTIONS} connections, ${SECONDS}s…\n`);
    const batch = await runLoad({ ...base, path: '/api/2.0/mlflow/runs/log-batch', body: (c, i) => batchBody(runs[c], c, i) });
    process.stderr.write(`log-metric, ${CONNECTIONS} connections, ${SECONDS}s…\n`);
    const single = await runLoad({
      ...base,
      path: '/api/2.0/mlflow/runs/log-metric',
      body: (c, i) => `{"run_id":"${runs[c]}","key":"single","value":${i * 0.5},"timestamp":${Date.now()},"step":${i}}`,
    });
    process.stderr.write(`log-batch at 200 requests/s, ${SECONDS}s…\n`);
    const paced = await runLoad({ ...base, rate: 200, path: '/api/2.0/mlflow/runs/log-batch', body: (c, i) => batchBody(runs[c], c, 1_000_000 + i) });

    const bare = spawn(process.execPath, [path.join(REPO, 'bench/bare-server.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const barePort = Number(await waitForLine(bare, 'BARE_READY'));
    process.stderr.write(`bare node:http ceiling, ${SECONDS}s…\n`);
    const ceiling = await runLoad({ ...base, port: barePort, path: '/', body: (c, i) => batchBody(runs[c], c, i) });
    await stopChild(bare);

    const ratio = batch.requests / batch.seconds / (ceiling.requests / ceiling.seconds);
    return [
      row('log-batch (1000 metrics), 10 conns', batch, BATCH, `${fmt(ratio, 2)} of ceiling`),
      row('bare node:http ceiling, same load', ceiling, BATCH),
      row('log-metric (1 point), 10 conns', single, 1),
      row('log-batch at 200 req/s (latency)', paced, BATCH),
    ];
  } finally {
    await srv.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function readRow(): Promise<Row> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-bench-read-'));
  const core = await createCore({ dataDir });
  try {
    const perRun = 100_000;
    const runCount = Math.max(1, Math.round(READ_POINTS / perRun));
    const exp = await core.experiments.create('read-bench', undefined, []);
    const runIds: string[] = [];
    process.stderr.write(`writing ${fmt(runCount * perRun)} points (${runCount} runs x ${fmt(perRun)})…\n`);
    const t0 = performance.now();
    // Runs log side by side, as a sweep does, so their points interleave in the hot table.
    const active: string[] = [];
    for (let r = 0; r < runCount; r++) active.push(await core.runs.create({ experimentId: exp, userId: 'bench', runName: `r${r}`, startTime: Date.now(), tags: [] }));
    const GROUP = 20;
    for (let g = 0; g < runCount; g += GROUP) {
      const group = active.slice(g, g + GROUP);
      for (let off = 0; off < perRun; off += 5000) {
        await Promise.all(
          group.map((id, k) =>
            core.writer.append(
              id,
              Array.from({ length: 5000 }, (_, j) => ({ key: 'loss', step: off + j, timestamp: 1_764_000_000_000 + off + j, value: Math.cos((off + j) / 100 + k) })),
            ),
          ),
        );
      }
      for (const id of group) {
        const run = await core.runs.update(id, { status: 'FINISHED', endTime: Date.now() });
        await core.finalizeRun(run);
        runIds.push(id);
      }
      process.stderr.write(`  ${fmt(runIds.length * perRun)} points\r`);
    }
    const writeS = (performance.now() - t0) / 1000;
    process.stderr.write(`\nreading…\n`);
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const id = runIds[(i * 7919) % runIds.length];
      const t = performance.now();
      const s = await core.metrics.series(id, 'loss');
      times.push(performance.now() - t);
      if (s.step.length !== perRun) throw new Error(`expected ${perRun} points, read ${s.step.length}`);
    }
    times.sort((a, b) => a - b);
    const t = Float64Array.from(times);
    return {
      what: `read one 100k series (store: ${fmt(runCount * perRun / 1e6)}M pts)`,
      reqs: '-',
      points: fmt(perRun / (percentile(t, 50) / 1000)),
      p50: fmt(percentile(t, 50), 2),
      p99: fmt(percentile(t, 99), 2),
      note: `store written at ${fmt((runCount * perRun) / writeS)} pts/s in-process`,
    };
  } finally {
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function printTable(rows: Row[]): void {
  const headers: Row = { what: 'benchmark', reqs: 'requests/s', points: 'points/s', p50: 'p50 ms', p99: 'p99 ms', note: 'note' };
  const all = [headers, ...rows];
  const keys = Object.keys(headers) as (keyof Row)[];
  const widths = keys.map((k) => Math.max(...all.map((r) => r[k].length)));
  const line = (r: Row): string => keys.map((k, i) => (i === 0 || i === keys.length - 1 ? r[k].padEnd(widths[i]) : r[k].padStart(widths[i]))).join(' | ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

const only = process.argv[2];
const rows: Row[] = [];
if (only !== 'read') rows.push(...(await ingestRows()));
if (only !== 'ingest') rows.push(await readRow());
console.log(`\nRunledger ingest benchmark (${os.cpus().length} cores, node ${process.version}, ${SECONDS}s per load)\n`);
printTable(rows);
