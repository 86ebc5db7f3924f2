// A long-running run's points move out of the hot table once it grows, and nothing is lost, doubled
// or reordered by the move, including points logged after it and a retry of a moved point.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../native/core';
import { queryRows } from '../../../native/store/open-database';
import { tempDir } from '../../helpers/test-server';

describe('hot table compaction', () => {
  const dir = tempDir();
  let core: Core;
  beforeAll(async () => {
    core = await createCore({ dataDir: dir, maxHotRows: 100 });
  });
  afterAll(async () => {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const points = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => ({ key: 'loss', step: from + i, timestamp: 1000 + from + i, value: (from + i) / 3 }));
  const hotRows = async () => (await queryRows<{ n: number }>(core.db.reader, 'SELECT count(*) AS n FROM metrics_hot'))[0].n;

  it('moves a running run past the threshold and keeps its history exact', async () => {
    const runId = await core.runs.create({ experimentId: '0', userId: 'u', runName: 'long', startTime: 1, tags: [] });
    await core.writer.append(runId, points(0, 500));
    expect(await hotRows()).toBe(500);
    expect(await core.compactor.check()).toEqual([runId]);
    expect(await hotRows()).toBe(0);
    // Logging goes on, a retry repeats an already-moved point, and a resume starts a new segment.
    await core.writer.append(runId, [...points(500, 520), ...points(499, 500)]);
    const resumed = points(10, 12).map((p) => ({ ...p, timestamp: p.timestamp + 5000 }));
    await core.writer.append(runId, resumed);
    const s = await core.metrics.series(runId, 'loss');
    const expected = [...points(0, 520), ...resumed];
    expect(Array.from(s.step)).toEqual(expected.map((p) => p.step));
    expect(Array.from(s.value)).toEqual(expected.map((p) => p.value));
    expect(Array.from(s.segment).slice(-3)).toEqual([0, 2, 2]);
    const [summary] = (await core.runParts([runId])).get(runId)!.metrics;
    expect(summary).toMatchObject({ key: 'loss', step: 519, value: 519 / 3, segment: 2 });
  });

  it('leaves a small hot table alone', async () => {
    const runId = await core.runs.create({ experimentId: '0', userId: 'u', runName: 'short', startTime: 1, tags: [] });
    await core.writer.append(runId, points(0, 50));
    expect(await core.compactor.check()).toEqual([]);
  });
});
