// Rollups over a real DuckDB store: written at compaction (finalize, the hot compactor, imports),
// and series.query served from them answers exactly like bucketing the raw points of the store.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../native/core';
import { createHandlers } from '../../../native/api/handlers';
import type { SeriesData } from '../../../native/api/contract';
import { queryRows } from '../../../native/store/open-database';
import { downsample } from '../../../native/series/downsample';
import { levelFor, rowSize } from '../../../native/series/rollup-levels';
import { importJobs } from '../../../native/importers/import-jobs';
import { tempDir } from '../../helpers/test-server';
import { plantedSeries } from './series-fixtures';

const f64 = (b64: string): number[] => Array.from(new Float64Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer));

function columnsOf(d: SeriesData) {
  return { step: f64(d.step), ts: f64(d.ts), value: f64(d.value), markerSteps: f64(d.markers.step), markerCounts: f64(d.markers.count) };
}

describe('rollups in the store', () => {
  const dir = tempDir();
  let core: Core;
  let runId: string;
  const N = 300_000;
  const planted = plantedSeries(N, 42, { spikes: 500, nonFinite: 900, segments: 2 });

  beforeAll(async () => {
    core = await createCore({ dataDir: dir });
    runId = await core.runs.create({ experimentId: '0', userId: 'u', runName: 'planted', startTime: 1, tags: [] });
    const c = planted.cols;
    // In batches, as a training loop logs; the second segment is a resume (steps go backwards).
    for (let off = 0; off < N; off += 50_000) {
      const n = Math.min(50_000, N - off);
      await core.writer.appendColumns(runId, {
        keys: ['loss'],
        keyIndex: new Int32Array(n),
        step: c.step.slice(off, off + n),
        ts: c.ts.slice(off, off + n),
        value: c.value.slice(off, off + n),
      });
    }
  });
  afterAll(async () => {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves a series with hot points from the raw points', async () => {
    const [d] = await createHandlers(core)['series.query']({ runIds: [runId], keys: ['loss'], width: 400 });
    expect(d.source).toBe('raw');
    const raw = await core.metrics.series(runId, 'loss');
    const expected = downsample(raw, { width: 400 });
    expect(columnsOf(d).value).toEqual(Array.from(expected.value));
    expect([d.nan, d.pos_inf, d.neg_inf]).toEqual([planted.nan, planted.posInf, planted.negInf]);
  });

  it('writes rollups when the run is finalized and answers from them exactly', async () => {
    const run = (await core.runs.get(runId))!;
    await core.finalizeRun(run);
    const [{ n }] = await queryRows<{ n: number }>(core.db.reader, 'SELECT count(*) AS n FROM metric_rollups');
    expect(n).toBeGreaterThan(N / 64);
    const raw = await core.metrics.series(runId, 'loss');
    for (const width of [300, 1000]) {
      const [d] = await createHandlers(core)['series.query']({ runIds: [runId], keys: ['loss'], width });
      expect(d.source).toBe('rollup');
      const level = levelFor(N, width);
      const expected = downsample(raw, { width, align: rowSize(level) });
      const got = columnsOf(d);
      expect(got.step).toEqual(Array.from(expected.step));
      expect(got.value).toEqual(Array.from(expected.value));
      expect(got.markerSteps).toEqual(Array.from(expected.markers.step));
      expect(d.segments.map((s) => s.segment)).toEqual([0, 1]);
      expect([d.nan, d.pos_inf, d.neg_inf]).toEqual([planted.nan, planted.posInf, planted.negInf]);
      // The last point of the series always comes back.
      const lastFinite = [...planted.cols.value].filter(Number.isFinite).at(-1);
      expect(got.value.at(-1)).toBe(lastFinite);
    }
  });

  it('answers a zoomed range from rollups, and a small one at full resolution', async () => {
    const raw = await core.metrics.series(runId, 'loss');
    const wide: [number, number] = [10_000, 90_000];
    const [d] = await createHandlers(core)['series.query']({ runIds: [runId], keys: ['loss'], width: 200, stepRanges: { [runId]: wide } });
    // The resume (segment 1) starts at step 120,000: only segment 0 is in range.
    expect(d.source).toBe('rollup');
    const level = levelFor(d.points, 200);
    expect(columnsOf(d).value).toEqual(Array.from(downsample(raw, { width: 200, stepRange: wide, align: rowSize(level) }).value));
    const [z] = await createHandlers(core)['series.query']({ runIds: [runId], keys: ['loss'], width: 800, stepRanges: { [runId]: [5000, 5999] } });
    expect(z.bucket_size).toBe(1);
    expect(z.points).toBe(1000);
    expect(columnsOf(z).step.length + z.nan + z.pos_inf + z.neg_inf).toBe(1000);
    expect(columnsOf(z).step).toEqual(Array.from(raw.step).filter((s, i) => s >= 5000 && s <= 5999 && Number.isFinite(raw.value[i])));
    // Segments that overlap in steps both come back for a range they share.
    const [both] = await createHandlers(core)['series.query']({ runIds: [runId], keys: ['loss'], width: 800, stepRanges: { [runId]: [125_000, 125_999] } });
    expect(both.points).toBe(2000);
    expect(both.segments.map((s) => s.segment)).toEqual([0, 1]);
  });

  it('joins an epoch x axis by step', async () => {
    const epochs = Array.from({ length: 10 }, (_, e) => ({ key: 'epoch', step: e * 15_000, timestamp: 1, value: e }));
    await core.writer.append(runId, epochs);
    const [d] = await createHandlers(core)['series.query']({ runIds: [runId], keys: ['loss'], width: 100, xAxis: 'epoch', stepRanges: { [runId]: [29_990, 30_010] } });
    const x = f64(d.x!);
    const steps = columnsOf(d).step;
    steps.forEach((s, i) => expect(x[i]).toBe(Math.min(9, Math.floor(s / 15_000))));
  });

  it('gives imported runs rollups too', async () => {
    const fixture = '/work/shared/fixtures/tensorboard';
    if (!fs.existsSync(fixture)) {
      console.warn(`*** ${fixture} missing: import rollup check skipped ***`);
      return;
    }
    const summary = await importJobs(core).run(path.join(fixture, 'lr1e-3_bs64'));
    const imported = summary.runs.find((r) => r.outcome === 'imported');
    expect(imported?.run_id).toBeTruthy();
    const [{ series, with_rollups }] = await queryRows<{ series: number; with_rollups: number }>(
      core.db.reader,
      `SELECT count(*) AS series, count(*) FILTER (WHERE series_id IN (SELECT series_id FROM metric_rollups)) AS with_rollups
       FROM latest_metrics WHERE run_id = ?`,
      [imported!.run_id!],
    );
    expect(series).toBeGreaterThan(0);
    expect(with_rollups).toBe(series);
  });
});
