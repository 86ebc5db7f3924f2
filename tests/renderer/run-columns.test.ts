import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatMetric,
  pickColumns,
  statusLabel,
  trackingUri,
} from '../../renderer/features/runs/run-columns';
import { run } from './fixtures';

describe('pickColumns', () => {
  it('takes the most common keys first, ties alphabetical, up to the limits', () => {
    const runs = [
      run({ run_id: '1', metrics: { loss: 1, acc: 1, z: 1 }, params: { lr: '1', bs: '2' } }),
      run({ run_id: '2', metrics: { loss: 1, acc: 1 }, params: { lr: '1' } }),
      run({ run_id: '3', metrics: { loss: 1, b: 1 }, params: {} }),
    ];
    expect(pickColumns(runs, 3, 1)).toEqual({ metrics: ['loss', 'acc', 'b'], params: ['lr'] });
    expect(pickColumns([])).toEqual({ metrics: [], params: [] });
  });
});

describe('formatMetric', () => {
  it.each([
    [undefined, ''],
    [0, '0'],
    [42, '42'],
    [0.8512345, '0.8512'],
    [-1.23456, '-1.235'],
    [0.00012346, '1.235e-4'],
    [1234567.5, '1.235e+6'],
    [123.456, '123.5'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['-Infinity', '-Infinity'],
  ] as const)('%s → %s', (value, expected) => {
    expect(formatMetric(value)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59_400, '59s'],
    [61_000, '1m 01s'],
    [3_600_000 + 2 * 60_000, '1h 02m'],
    [50 * 3_600_000, '2d 2h'],
    [-5_000, '0s'],
  ])('%s ms → %s', (ms, expected) => {
    expect(formatDuration(1000, 1000 + ms, 0)).toBe(expected);
  });

  it('counts a run without an end up to now', () => {
    expect(formatDuration(0, null, 90_000)).toBe('1m 30s');
  });
});

describe('statusLabel and trackingUri', () => {
  it('says where an interrupted run stopped', () => {
    expect(statusLabel({ status: 'INTERRUPTED', last_step: 7 })).toBe('INTERRUPTED at step 7');
    expect(statusLabel({ status: 'INTERRUPTED', last_step: null })).toBe('INTERRUPTED');
    expect(statusLabel({ status: 'FAILED', last_step: 7 })).toBe('FAILED');
  });

  it('drops trailing slashes for MLFLOW_TRACKING_URI', () => {
    expect(trackingUri('http://127.0.0.1:5917/')).toBe('http://127.0.0.1:5917');
    expect(trackingUri('http://127.0.0.1:5917')).toBe('http://127.0.0.1:5917');
  });
});
