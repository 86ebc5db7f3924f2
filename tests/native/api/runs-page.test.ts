// runs.page / runs.rows / runs.keys: the runs table's RPCs over a seeded store. A window of any
// offset in any order, filtered with the filter language, the provenance summary per row, the cached
// order dropped when a run changes, and bad arguments refused.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedUiRuns } from '../../../bench/seed-ui-runs';
import { createCore, type Core } from '../../../native/core';
import { createHandlers } from '../../../native/api/handlers';
import { gpuSummary } from '../../../native/api/runs-table';
import type { ApiHandlers } from '../../../native/api/contract';
import { tempDir } from '../../helpers/test-server';

const RUNS = 1000;

describe('runs table RPCs', () => {
  const dir = tempDir();
  let core: Core;
  let h: ApiHandlers;
  beforeAll(async () => {
    await seedUiRuns(dir, RUNS);
    core = await createCore({ dataDir: dir });
    h = createHandlers(core);
  });
  afterAll(async () => {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a window of the whole list, newest first, with the total', async () => {
    const first = await h['runs.page']({ offset: 0, limit: 50 });
    expect(first.total).toBe(RUNS);
    expect(first.runs).toHaveLength(50);
    expect(first.runs[0].run_name).toBe('bert-999');
    const later = await h['runs.page']({ offset: 990, limit: 50 });
    expect(later.runs.map((r) => r.run_name)).toHaveLength(10);
    expect(later.runs.at(-1)!.run_name).toBe('xgb-0');
  });

  it('carries the provenance summary of each row', async () => {
    const [r] = (await h['runs.page']({ offset: 0, limit: 1 })).runs;
    expect(r.lineage).toEqual({ commit: expect.stringMatching(/^[0-9a-f]{40}$/), dirty: expect.any(Boolean), datasets: [expect.stringMatching(/^(credit_risk|fraud)/)], gpu: expect.stringMatching(/^2× NVIDIA/), bundle: null });
    expect(r.params.model).toBe('bert');
    expect(typeof r.metrics.val_auc).toBe('number');
  });

  it('orders on the server, numbers as numbers, across windows', async () => {
    const pages = await Promise.all([0, 1, 2, 3, 4].map((p) => h['runs.page']({ orderBy: ['metrics.val_auc DESC'], offset: p * 200, limit: 200 })));
    const values = pages.flatMap((p) => p.runs.map((r) => r.metrics.val_auc as number));
    expect(values).toHaveLength(RUNS);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const lr = (await h['runs.page']({ orderBy: ['params.lr ASC'], limit: 1000 })).runs.map((r) => Number(r.params.lr));
    expect(lr).toEqual([...lr].sort((a, b) => a - b)); // 0.0003 before 0.001 before 0.01
  });

  it('filters with the filter language, MLflow syntax included', async () => {
    const xgb = await h['runs.page']({ filter: 'model = xgb', limit: 1000 });
    expect(xgb.total).toBe(200);
    expect(xgb.runs.every((r) => r.params.model === 'xgb')).toBe(true);
    const mlflow = await h['runs.page']({ filter: "params.model = 'xgb' and metrics.val_auc > 0.5", orderBy: ['metrics.val_auc ASC'], limit: 5 });
    expect(mlflow.runs.every((r) => r.params.model === 'xgb' && (r.metrics.val_auc as number) > 0.5)).toBe(true);
    await expect(h['runs.page']({ filter: 'val_acu > 0.5' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });

  it('drops the cached order when a run changes', async () => {
    const before = await h['runs.page']({ filter: 'team = risk', limit: 1 });
    const id = (await h['runs.page']({ filter: 'team = fraud', limit: 1 })).runs[0].run_id;
    await core.runs.setTags(id, [{ key: 'team', value: 'risk' }]);
    core.events.emit('runs.changed', [id]);
    expect((await h['runs.page']({ filter: 'team = risk', limit: 1 })).total).toBe(before.total + 1);
  });

  it('returns rows by id for live updates, leaving unknown ids out', async () => {
    const ids = (await h['runs.page']({ offset: 10, limit: 3 })).runs.map((r) => r.run_id);
    const rows = await h['runs.rows']({ ids: [ids[2], 'run-nope', ids[0]] });
    expect(rows.map((r) => r.run_id)).toEqual([ids[2], ids[0]]);
    await expect(h['runs.rows']({ ids: 'x' as unknown as string[] })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });

  it('lists the keys for the column chooser, most common first, without mlflow.* tags', async () => {
    const keys = await h['runs.keys']({});
    expect(keys.metrics.map((k) => k.key).sort()).toEqual(['latency_ms', 'train_loss', 'val_auc', 'val_loss']);
    expect(keys.params.find((k) => k.key === 'lr')).toEqual({ key: 'lr', count: RUNS });
    expect(keys.tags.map((k) => k.key)).toEqual(['team']);
  });

  it.each([
    [{ offset: -5, limit: 2 }, 2],
    [{ offset: 0, limit: 0 }, 1],
    [{ offset: 0, limit: 1e9 }, 1000],
    [{ offset: 'x' as unknown as number, limit: 3 }, 3],
  ])('clamps %j', async (args, n) => {
    expect((await h['runs.page'](args)).runs).toHaveLength(n);
  });

  it('refuses an unknown view', async () => {
    await expect(h['runs.page']({ view: 'bogus' as 'all' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });
});

describe('gpuSummary', () => {
  it.each([
    [[{ name: 'H100' }, { name: 'H100' }, { name: 'A10' }], '2× H100, 1× A10'],
    [[], null],
    [null, null],
    [[{}], '1× GPU'],
  ] as [unknown, string | null][])('%j', (gpus, want) => {
    expect(gpuSummary(gpus)).toBe(want);
  });
});
