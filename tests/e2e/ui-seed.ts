// Real data for the UI end-to-end test, through the server's public interfaces only: the shared
// TensorBoard fixture imported by our importer (the `import.run` RPC), a small generated sweep
// logged through the MLflow REST API, provenance through the Runledger extension endpoints (as
// the Python client sends it), and artifacts uploaded through the MLflow artifact proxy.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { TestServer } from '../helpers/test-server';

export const TENSORBOARD_FIXTURE = '/work/shared/fixtures/tensorboard';

/** A real PNG of `w`×`h` RGB pixels (red), so the preview's natural size can be checked. */
export function pngOf(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, Buffer.from([220, 40, 40]))]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: h }, () => row)));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}
/** An SVG that would set a global if its script ever ran. */
export const SVG_WITH_SCRIPT = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="teal"/><script>window.__svgRan = true</script></svg>';

export interface SeededUi {
  experimentId: string;
  /** Sweep run ids by name (`mlp-lr0.01`, …). */
  sweep: Map<string, string>;
  /** The run with provenance and artifacts (torch +cu113, dirty tree). */
  richRun: string;
  /** Its counterpart (torch +cpu, another dataset digest under the same name). */
  cpuRun: string;
  imported: number;
}

async function ok(res: Promise<{ status: number; text: string; json: any }>, what: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- response shapes vary
  const r = await res;
  if (r.status !== 200) throw new Error(`${what}: HTTP ${r.status} ${r.text}`);
  return r.json;
}

async function putArtifact(srv: TestServer, exp: string, run: string, artifactPath: string, body: Buffer | string, type: string): Promise<void> {
  const res = await fetch(`${srv.origin}/api/2.0/mlflow-artifacts/artifacts/${exp}/${run}/artifacts/${artifactPath}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${srv.token}`, 'Content-Type': type },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  if (res.status !== 200) throw new Error(`upload ${artifactPath}: HTTP ${res.status} ${await res.text()}`);
}

export async function seedUi(srv: TestServer, workDir: string): Promise<SeededUi> {
  const imported = await ok(srv.call('POST', '/api/rpc/import.run', { path: TENSORBOARD_FIXTURE }), 'import tensorboard');
  const experimentId = (await ok(srv.mlflow('POST', 'experiments/create', { name: 'credit-sweep' }), 'experiment')).experiment_id as string;

  const sweep = new Map<string, string>();
  const t0 = Date.UTC(2026, 10, 20, 9);
  let n = 0;
  for (const model of ['mlp', 'xgb']) {
    for (const lr of ['0.0003', '0.001', '0.01']) {
      const name = `${model}-lr${lr}`;
      const start = t0 + n * 3_600_000;
      const run = (await ok(srv.mlflow('POST', 'runs/create', { experiment_id: experimentId, run_name: name, start_time: start, tags: [{ key: 'team', value: n % 2 ? 'risk' : 'fraud' }] }), name)).run.info.run_id as string;
      const metrics = [];
      for (let step = 0; step < 60; step++) {
        const ts = start + step * 1000;
        const speed = Number(lr) * (model === 'mlp' ? 300 : 200);
        metrics.push({ key: 'loss', value: 1 / (1 + speed * step) + (step === 30 && n === 2 ? 5 : 0), timestamp: ts, step });
        metrics.push({ key: 'val_auc', value: 0.5 + 0.45 * (1 - Math.exp(-speed * step)), timestamp: ts, step });
        if (step % 10 === 9) metrics.push({ key: 'epoch', value: (step + 1) / 10, timestamp: ts, step });
      }
      const params = [{ key: 'model', value: model }, { key: 'lr', value: lr }, { key: 'batch_size', value: '64' }];
      await ok(srv.mlflow('POST', 'runs/log-batch', { run_id: run, metrics, params }), `log ${name}`);
      await ok(srv.mlflow('POST', 'runs/update', { run_id: run, status: 'FINISHED', end_time: start + 60_000 }), `finish ${name}`);
      sweep.set(name, run);
      n++;
    }
  }

  // Provenance for two sweep runs, as the Python client sends it.
  const richRun = sweep.get('mlp-lr0.01')!;
  const cpuRun = sweep.get('mlp-lr0.001')!;
  const dataV1 = path.join(workDir, 'credit_v1.csv');
  const dataV2 = path.join(workDir, 'credit_v2.csv');
  fs.writeFileSync(dataV1, 'age,income,label\n31,52000,0\n45,,1\n29,41000,0\n');
  fs.writeFileSync(dataV2, 'age,income,label\n31,52000,0\n45,61000,1\n29,41000,0\n52,,1\n');
  // The cpu run is older: the rich run's dataset then "changed since earlier runs".
  await ok(srv.call('POST', '/api/2.0/runledger/runs/log-dataset', { run_id: cpuRun, name: 'credit', uri: dataV1, digest: 'aaaa1111bbbb', context: 'training' }), 'dataset v1');
  await ok(srv.call('POST', '/api/2.0/runledger/runs/log-dataset', { run_id: richRun, name: 'credit', uri: dataV2, digest: 'cccc2222dddd', context: 'training' }), 'dataset v2');
  const env = (torch: string, cuda: string | null) => ({
    python: '3.11.9', platform: 'Linux-6.8.0-x86_64', hostname: 'gpu-box', cpu: 'AMD EPYC 9654', cpu_count: 96, cuda, torch,
    gpus: cuda ? [{ index: 0, name: 'NVIDIA H100 80GB HBM3', memory_total_mib: 81559 }] : [],
    packages: `torch==${torch}\nnumpy==1.26.4\n${cuda ? 'nvidia-cudnn-cu11==8.5.0.96\n' : 'scikit-learn==1.4.0\n'}`,
    env_vars: { CUDA_VISIBLE_DEVICES: cuda ? '0' : '' }, command: ['python', 'train.py', '--lr', '0.01'],
  });
  const diffText = 'diff --git a/train.py b/train.py\n--- a/train.py\n+++ b/train.py\n@@ -1,2 +1,2 @@\n import torch\n-lr = 0.1\n+lr = 0.01\n';
  await putArtifact(srv, experimentId, richRun, 'code/uncommitted.diff', diffText, 'text/x-diff');
  await ok(
    srv.call('POST', '/api/2.0/runledger/runs/log-provenance', {
      run_id: richRun,
      environment: env('1.12.1+cu113', '11.3'),
      code: { commit: '8a3f9c2e1b7d4c6a9e0f1a2b3c4d5e6f7a8b9c0d', branch: 'main', dirty: true, diff_artifact: 'code/uncommitted.diff', diff_sha256: 'ab'.repeat(32), diff_bytes: diffText.length },
    }),
    'provenance rich',
  );
  await ok(
    srv.call('POST', '/api/2.0/runledger/runs/log-provenance', { run_id: cpuRun, environment: env('1.12.1+cpu', null), code: { commit: '1b7d4c6a9e0f1a2b3c4d5e6f7a8b9c0d8a3f9c2e', branch: 'main', dirty: false } }),
    'provenance cpu',
  );

  // Artifacts of every previewable kind on the rich run.
  const parquet = path.join(workDir, 'predictions.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(`COPY (SELECT i AS id, i * 0.1 AS score, CASE WHEN i % 3 = 0 THEN NULL ELSE 'ok' END AS note FROM range(250) t(i)) TO '${parquet}' (FORMAT parquet)`);
  con.closeSync();
  await putArtifact(srv, experimentId, richRun, 'plots/confusion.png', pngOf(64, 48), 'image/png');
  await putArtifact(srv, experimentId, richRun, 'plots/diagram.svg', SVG_WITH_SCRIPT, 'image/svg+xml');
  await putArtifact(srv, experimentId, richRun, 'metrics.json', '{"auc":0.93,"f1":{"macro":0.81}}', 'application/json');
  await putArtifact(srv, experimentId, richRun, 'README.md', '# Model card\n\nTrained on **credit** v2. <script>window.__mdRan = true</script>\n\n- lr 0.01\n- [notes](javascript:alert(1))\n', 'text/markdown');
  await putArtifact(srv, experimentId, richRun, 'data/sample.csv', 'age,income\n31,52000\n45,\n', 'text/csv');
  await putArtifact(srv, experimentId, richRun, 'data/predictions.parquet', fs.readFileSync(parquet), 'application/octet-stream');

  return { experimentId, sweep, richRun, cpuRun, imported: imported.counts.runs_imported + imported.counts.runs_already_there };
}
