import { describe, expect, it } from 'vitest';
import { accumulate, newSeries } from '../../../native/store/series-state';

type P = [step: number, ts: number, value: number];

function run(points: P[]) {
  const s = newSeries(1, 'run', 'loss', points[0][0], points[0][1], points[0][2]);
  const segments = points.map(([step, ts, value]) => accumulate(s, step, ts, value));
  return { s, segments };
}

describe('series state', () => {
  it.each<[string, P[], { step: number; ts: number; value: number; segments: number[]; min: number | null; max: number | null; nan: number; inf: number }]>([
    ['monotonic steps', [[0, 1, 5], [1, 2, 4], [2, 3, 3]], { step: 2, ts: 3, value: 3, segments: [0, 0, 0], min: 3, max: 5, nan: 0, inf: 0 }],
    ['a resume: step goes back, new segment, latest stays the highest step', [[0, 1, 1], [10, 2, 2], [5, 3, 3], [6, 4, 4]], { step: 10, ts: 2, value: 2, segments: [0, 0, 1, 1], min: 1, max: 4, nan: 0, inf: 0 }],
    ['same step: later timestamp wins', [[3, 1, 9], [3, 2, 1]], { step: 3, ts: 2, value: 1, segments: [0, 0], min: 1, max: 9, nan: 0, inf: 0 }],
    ['same step and timestamp: larger value wins', [[3, 1, 1], [3, 1, 9]], { step: 3, ts: 1, value: 9, segments: [0, 0], min: 1, max: 9, nan: 0, inf: 0 }],
    ['NaN counts as the largest value for latest, never for min/max', [[1, 1, 2], [1, 1, NaN]], { step: 1, ts: 1, value: NaN, segments: [0, 0], min: 2, max: 2, nan: 1, inf: 0 }],
    ['infinities are values for min/max and counted', [[0, 1, -Infinity], [1, 1, Infinity]], { step: 1, ts: 1, value: Infinity, segments: [0, 0], min: -Infinity, max: Infinity, nan: 0, inf: 2 }],
    ['all NaN: no min or max', [[0, 1, NaN], [1, 2, NaN]], { step: 1, ts: 2, value: NaN, segments: [0, 0], min: null, max: null, nan: 2, inf: 0 }],
    ['two resumes', [[5, 1, 0], [1, 2, 0], [0, 3, 0]], { step: 5, ts: 1, value: 0, segments: [0, 1, 2], min: 0, max: 0, nan: 0, inf: 0 }],
  ])('%s', (_name, points, want) => {
    const { s, segments } = run(points);
    expect({ step: s.step, ts: s.ts, value: s.value, segments, min: s.min, max: s.max, nan: s.nanCount, inf: s.infCount }).toEqual(want);
    expect(s.count).toBe(points.length);
    expect(s.first).toBe(points[0][2]);
    expect(s.lastStep).toBe(points[points.length - 1][0]);
  });
});
