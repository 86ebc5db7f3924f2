// The TensorBoard importer on files torch's SummaryWriter and tf.summary v2 wrote during real
// training runs: every stored point is checked against golden files made by an independent
// decoder (golden/decode_events.py), and the counts against what the training script recorded.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../native/core';
import type { ImportSummary } from '../../../native/api/contract';
import { createApiClient, inProcess } from '../../../native/api/api-client';
import { createHandlers } from '../../../native/api/handlers';
import { FIXTURES, GOLDEN, importInto, openStore, storedPoints } from './support';

type GoldenRun = {
  scalars: Record<string, [number, number, number | string][]>;
  params: Record<string, string>;
  metric_names: string[];
  texts: { tag: string; step: number; text: string }[];
  histograms: Record<string, number>;
};

const golden = (file: string): Record<string, GoldenRun> => JSON.parse(fs.readFileSync(path.join(GOLDEN, file), 'utf8'));
const goldenValue = (v: number | string): number => (typeof v === 'number' ? v : Number(v)); // 'NaN', 'Infinity'

async function expectEveryPoint(core: Core, runId: string, run: GoldenRun): Promise<void> {
  for (const [key, points] of Object.entries(run.scalars)) {
    const stored = await storedPoints(core, runId, key);
    expect(stored.length, key).toBe(points.length);
    points.forEach(([step, wall, value], i) => {
      const s = stored[i];
      expect(s.step, `${key}[${i}].step`).toBe(step);
      expect(s.ts, `${key}[${i}].ts`).toBe(Math.round(wall * 1000));
      expect(Object.is(s.value, goldenValue(value)), `${key}[${i}] = ${s.value}, file has ${value}`).toBe(true);
      // The files hold float32: the stored double is exactly that float32, not a rounding of it.
      if (!Number.isNaN(s.value)) expect(Math.fround(s.value)).toBe(s.value);
    });
  }
}

describe('TensorBoard: torch SummaryWriter fixture', () => {
  let store: Awaited<ReturnType<typeof openStore>>;
  let summary: ImportSummary;
  const truth: { name: string; steps: number; best_val_acc: number }[] = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'tensorboard/train_results.json'), 'utf8'));
  const gold = golden('tensorboard.json');

  beforeAll(async () => {
    store = await openStore();
    summary = await importInto(store.core, path.join(FIXTURES, 'tensorboard'));
  });
  afterAll(() => store.close());

  it('imports one run per run folder, with the add_hparams folder merged into its run', () => {
    expect(summary.outcome).toBe('complete');
    expect(summary.format).toBe('tensorboard');
    expect(summary.runs.map((r) => [r.name, r.outcome])).toEqual([
      ['lr1e-3_bs64', 'imported'],
      ['lr3e-4_bs64', 'imported'],
    ]);
    expect(summary.counts).toMatchObject({ runs_imported: 2, points: 2 * (460 + 460 + 20 + 20 + 1), texts: 2, histograms: 2, damaged_records: 0 });
    expect(summary.ignored).toEqual([{ what: 'other file in a run folder (not TensorBoard data)', count: 1 }]); // lr1e-3_bs64/model.pt
  });

  it('stores every point with its step, float32 value and wall time', async () => {
    for (const r of summary.runs) await expectEveryPoint(store.core, r.run_id!, gold[r.name]);
  });

  it('agrees with train_results.json: 460 training steps, 20 validation points, best accuracy = the hparams metric', async () => {
    for (const t of truth) {
      const runId = summary.runs.find((r) => r.name === t.name)!.run_id!;
      const loss = await storedPoints(store.core, runId, 'train/loss');
      expect(loss).toHaveLength(t.steps);
      expect(loss.map((p) => p.step)).toEqual(Array.from({ length: t.steps }, (_, i) => i + 1));
      expect(await storedPoints(store.core, runId, 'train/lr')).toHaveLength(t.steps);
      const acc = await storedPoints(store.core, runId, 'val/acc');
      expect(acc).toHaveLength(20);
      const best = Math.max(...acc.map((p) => p.value));
      const [hparam] = await storedPoints(store.core, runId, 'hparam/best_val_acc');
      expect(hparam.value).toBe(best);
      expect(hparam.value).toBe(t.best_val_acc);
    }
  });

  it('keeps hparams as params and the metric names as a tag, with times from the events', async () => {
    const client = createApiClient(inProcess(createHandlers(store.core)));
    for (const r of summary.runs) {
      const run = await client['runs.get']({ run: r.run_id! });
      expect(run.params).toEqual(gold[r.name].params);
      expect(run.params).toMatchObject({ batch_size: '64', dropout_p: '0.2' });
      expect(JSON.parse(run.tags['tensorboard.hparams.metrics'])).toEqual(['hparam/best_val_acc']);
      expect(run.tags['mlflow.runName']).toBe(r.name);
      expect(run.status).toBe('FINISHED');
      const points = Object.values(gold[r.name].scalars).flat();
      expect(run.start_time).toBeLessThanOrEqual(Math.min(...points.map((p) => Math.round(p[1] * 1000))));
      expect(run.end_time).toBeGreaterThanOrEqual(Math.max(...points.map((p) => Math.round(p[1] * 1000))));
      expect(run.metrics['hparam/best_val_acc']).toBe(truth.find((t) => t.name === r.name)!.best_val_acc);
    }
    expect((await client['runs.get']({ run: 'lr1e-3_bs64' })).params.lr).toBe('0.001');
    expect((await client['runs.get']({ run: 'lr3e-4_bs64' })).params.lr).toBe('0.0003');
  });

  it('stores text summaries and histograms as artifacts, and the run history as Parquet', async () => {
    for (const r of summary.runs) {
      const arts = await store.core.artifacts.all(r.run_id!);
      expect(arts.map((a) => a.path)).toEqual(['tensorboard/histograms/weights/fc1.json', 'tensorboard/text/notes/text_summary/step_0.md']);
      const text = fs.readFileSync(store.core.artifacts.blobPath(arts[1].sha256), 'utf8');
      expect(text).toBe(`${gold[r.name].texts[0].text}\n`);
      const hist = JSON.parse(fs.readFileSync(store.core.artifacts.blobPath(arts[0].sha256), 'utf8'));
      expect(hist.tag).toBe('weights/fc1');
      expect(hist.points).toHaveLength(1);
      expect(hist.points[0].step).toBe(460);
      expect(hist.points[0].num).toBe(256 * 64); // fc1: Linear(64, 256) weights
      expect(hist.points[0].bucket.length).toBe(hist.points[0].bucket_limit.length);
      expect(hist.points[0].bucket.reduce((a: number, b: number) => a + b, 0)).toBe(256 * 64);
      expect(fs.existsSync(path.join(store.dataDir, 'artifacts/runs', r.run_id!, 'metrics.parquet'))).toBe(true);
    }
  });
});

describe('TensorBoard: tf.summary v2 fixture (tensor scalars, NaN, hparams plugin, text)', () => {
  let store: Awaited<ReturnType<typeof openStore>>;
  let summary: ImportSummary;
  const truth = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'tensorboard-tf2/truth.json'), 'utf8'))['tf2_lr0.01'];
  const gold = golden('tensorboard-tf2.json')['tf2_lr0.01'];

  beforeAll(async () => {
    store = await openStore();
    summary = await importInto(store.core, path.join(FIXTURES, 'tensorboard-tf2'), 'tf2-sweep');
  });
  afterAll(() => store.close());

  it('reads tensor-based scalars point for point, the NaN included', async () => {
    expect(summary.outcome).toBe('complete');
    expect(summary.counts.experiments_created).toBe(1);
    const runId = summary.runs[0].run_id!;
    await expectEveryPoint(store.core, runId, gold);
    const loss = await storedPoints(store.core, runId, 'loss');
    expect(loss).toHaveLength(truth.loss_points);
    expect(await storedPoints(store.core, runId, 'eval/accuracy')).toHaveLength(truth.eval_points);
    expect(loss.filter((p) => Number.isNaN(p.value)).map((p) => p.step)).toEqual([truth.nan_at_step]);
  });

  it('takes params from the hparams plugin and puts the run in the named experiment', async () => {
    const client = createApiClient(inProcess(createHandlers(store.core)));
    const run = await client['runs.get']({ run: 'tf2_lr0.01' });
    expect(run.experiment).toBe('tf2-sweep');
    expect(run.params).toEqual({ layers: '3', lr: String(truth.lr), optimizer: 'adam' });
    const arts = await store.core.artifacts.all(run.run_id);
    expect(arts.map((a) => a.path)).toEqual(['tensorboard/text/notes/step_500.md']);
  });
});
