// The downsampler must never hide a spike: with spikes planted at random positions, every one of them
// comes back at every chart width; the last point always comes back; NaN/±Inf are counted, never
// dropped; and the rollup path gives exactly the answer of bucketing the raw points.
import { describe, expect, it } from 'vitest';
import { bucketSizeFor, downsample, type Downsampled } from '../../../native/series/downsample';
import { buildRollups, downsampleRollup, levelFor, rowSize } from '../../../native/series/rollup-levels';
import { plantedSeries } from './series-fixtures';

/**
 * Every spike shows: the points kept within one bucket of it (by step) reach at least as far.
 * Two spikes in one bucket draw as one column, the larger; a lone spike must come back itself.
 */
function expectSpikesShown(d: Downsampled, cols: { step: Float64Array; value: Float64Array }, spikes: number[]): void {
  const set = new Set<number>();
  for (let i = 0; i < d.step.length; i++) set.add(d.step[i]);
  for (const i of spikes) {
    const v = cols.value[i];
    if (!Number.isFinite(v)) continue;
    let reached = false;
    for (let j = 0; j < d.step.length && !reached; j++) {
      if (Math.abs(d.step[j] - cols.step[i]) >= d.bucketSize) continue;
      reached = v > 0 ? d.value[j] >= v : d.value[j] <= v;
    }
    expect(reached, `spike at step ${cols.step[i]} (${v})`).toBe(true);
    const alone = spikes.every((k) => k === i || Math.abs(k - i) > 2 * d.bucketSize);
    if (alone) expect(set.has(cols.step[i]), `lone spike at step ${cols.step[i]}`).toBe(true);
  }
}

describe('downsample (raw points)', () => {
  const cases = [
    { n: 10_000, width: 100, spikes: 40, seed: 1 },
    { n: 100_000, width: 320, spikes: 200, seed: 2 },
    { n: 100_000, width: 1000, spikes: 500, seed: 3 },
    { n: 54_321, width: 777, spikes: 300, seed: 4, segments: 3 },
    { n: 20_000, width: 4000, spikes: 50, seed: 5 },
    { n: 7, width: 3, spikes: 2, seed: 6 },
  ];
  it.each(cases)('keeps every planted spike and the last point: $n points on $width px', ({ n, width, spikes, seed, segments }) => {
    const s = plantedSeries(n, seed, { spikes, segments });
    const d = downsample(s.cols, { width });
    expectSpikesShown(d, s.cols, s.spikes);
    expect(d.step[d.step.length - 1]).toBe(s.cols.step[n - 1]);
    expect(d.value[d.value.length - 1]).toBe(s.cols.value[n - 1]);
    expect(d.points).toBe(n);
    // At most four points per bucket, and about one bucket per pixel.
    expect(d.step.length).toBeLessThanOrEqual(4 * Math.max(width, Math.ceil(n / d.bucketSize)) + 4 * (segments ?? 1));
  });

  it('keeps every spike inside a zoomed step range too', () => {
    const s = plantedSeries(200_000, 7, { spikes: 2000 });
    const range = [50_000, 60_000] as const;
    const d = downsample(s.cols, { width: 300, stepRange: range });
    const inRange = s.spikes.filter((i) => s.cols.step[i] >= range[0] && s.cols.step[i] <= range[1]);
    expect(inRange.length).toBeGreaterThan(50);
    expectSpikesShown(d, s.cols, inRange);
    expect(d.points).toBe(10_001);
    expect(Math.min(...d.step)).toBeGreaterThanOrEqual(range[0]);
    expect(Math.max(...d.step)).toBeLessThanOrEqual(range[1]);
  });

  it('returns a small range at full resolution', () => {
    const s = plantedSeries(100_000, 8);
    const d = downsample(s.cols, { width: 1000, stepRange: [10, 2009] });
    expect(d.bucketSize).toBe(1);
    expect([...d.step]).toEqual(Array.from({ length: 2000 }, (_, i) => 10 + i));
  });

  it('counts NaN and ±Inf and returns them as markers with their steps', () => {
    const s = plantedSeries(50_000, 9, { nonFinite: 3000 });
    const d = downsample(s.cols, { width: 500 });
    expect([d.nan, d.posInf, d.negInf]).toEqual([s.nan, s.posInf, s.negInf]);
    let counted = [0, 0, 0];
    for (let i = 0; i < d.markers.kind.length; i++) counted[d.markers.kind[i]] += d.markers.count[i];
    expect(counted).toEqual([s.nan, s.posInf, s.negInf]);
    for (const v of d.value) expect(Number.isFinite(v)).toBe(true);
    // Each marker sits on the step of a point of its kind.
    for (let i = 0; i < d.markers.step.length; i++) {
      const idx = s.cols.step.indexOf(d.markers.step[i]);
      const v = s.cols.value[idx];
      expect(d.markers.kind[i] === 0 ? Number.isNaN(v) : v === (d.markers.kind[i] === 1 ? Infinity : -Infinity)).toBe(true);
    }
  });

  it('returns a live tail after a (segment, step) cursor, resumes included', () => {
    const s = plantedSeries(30_000, 11, { segments: 3 });
    // Segment 1 covers steps 8000..17999: the cursor sits at its step 9000.
    const d = downsample(s.cols, { width: 100_000, after: { segment: 1, step: 9000 } });
    expect(d.points).toBe(30_000 - 10_000 - 1001);
    expect(d.step[0]).toBe(9001);
    expect(d.segments.map((x) => x.segment)).toEqual([1, 2]);
  });

  it('marks resume segments and never lets a bucket span two', () => {
    const s = plantedSeries(30_000, 10, { segments: 3 });
    const d = downsample(s.cols, { width: 100 });
    expect(d.segments.map((x) => x.segment)).toEqual([0, 1, 2]);
    expect(d.segments[1].step).toBe(8000);
    expect(d.segments[1].ts).toBe(s.cols.ts[10_000]);
    for (let k = 1; k < 3; k++) expect(d.step[d.segments[k].index]).toBeLessThan(d.step[d.segments[k].index - 1]);
  });

  it.each([
    [10, 100, 1, 1],
    [1000, 100, 1, 10],
    [1001, 100, 16, 16],
    [1_000_000, 1000, 256, 1024],
    [1_000_000, 999, 256, 1024],
  ])('bucketSizeFor(%i points, %i px, align %i) = %i', (n, w, align, size) => {
    expect(bucketSizeFor(n, w, align)).toBe(size);
  });
});

describe('rollups', () => {
  const cases = [
    { n: 100_000, width: 300, seed: 11, segments: 1 },
    { n: 250_000, width: 640, seed: 12, segments: 4 },
    { n: 33_333, width: 200, seed: 13, segments: 2 },
  ];
  it.each(cases)('answer exactly like bucketing raw points: $n points, $segments segments', ({ n, width, seed, segments }) => {
    const s = plantedSeries(n, seed, { spikes: 300, nonFinite: 500, segments });
    const levels = buildRollups(s.cols);
    for (let k = 0; k < levels.length; k++) {
      const size = rowSize(k);
      for (const stepRange of [undefined, [1234.5, 20_000] as const, [n / 3, n / 3 + 5000] as const]) {
        const fromRollup = downsampleRollup(levels[k], size, { width, stepRange });
        const fromRaw = downsample(s.cols, { width, stepRange, align: size });
        expect(fromRollup, `level ${k} range ${stepRange}`).toEqual(fromRaw);
      }
    }
    const level = levelFor(n, width);
    const d = downsampleRollup(levels[level], rowSize(level), { width });
    expectSpikesShown(d, s.cols, s.spikes);
    expect(d.value[d.value.length - 1]).toBe([...s.cols.value].filter(Number.isFinite).at(-1));
  });

  it('picks a level whose rows are at most half a bucket', () => {
    expect(levelFor(1000, 1000)).toBe(-1);
    expect(levelFor(100_000, 1000)).toBe(-1); // 100 points a pixel: cheaper to bucket the raw points
    expect(levelFor(128_000, 1000)).toBe(0);
    expect(levelFor(1_000_000, 1000)).toBe(1);
    expect(levelFor(20_000_000, 1000)).toBe(3);
  });
});
