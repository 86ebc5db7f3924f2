// The windowing arithmetic of the runs table, at the edges where off-by-one errors live.
import { describe, expect, it } from 'vitest';
import { pagesFor, rowWindow, scrollToReveal } from '../../renderer/features/runs/virtual-window';

describe('rowWindow', () => {
  const base = { rowHeight: 28, overscan: 5, viewportHeight: 280 };
  it.each([
    ['top of a long table', { scrollTop: 0, rowCount: 100_000 }, { start: 0, end: 15, visibleStart: 0, visibleEnd: 10, padTop: 0, padBottom: (100_000 - 15) * 28 }],
    ['middle, aligned', { scrollTop: 28 * 500, rowCount: 100_000 }, { start: 495, end: 515, visibleStart: 500, visibleEnd: 510 }],
    ['middle, half a row in', { scrollTop: 28 * 500 + 14, rowCount: 100_000 }, { start: 495, end: 516, visibleStart: 500, visibleEnd: 511 }],
    ['bottom', { scrollTop: 28 * 99_990, rowCount: 100_000 }, { start: 99_985, end: 100_000, visibleStart: 99_990, visibleEnd: 100_000, padBottom: 0 }],
    ['scrolled past the end (stale scrollTop after a filter)', { scrollTop: 1e9, rowCount: 50 }, { start: 35, end: 50, visibleStart: 40, visibleEnd: 50 }],
    ['fewer rows than fit', { scrollTop: 0, rowCount: 3 }, { start: 0, end: 3, visibleStart: 0, visibleEnd: 3, padTop: 0, padBottom: 0 }],
    ['no rows', { scrollTop: 0, rowCount: 0 }, { start: 0, end: 0, padTop: 0, padBottom: 0 }],
    ['negative scrollTop (elastic scrolling)', { scrollTop: -40, rowCount: 100 }, { start: 0, visibleStart: 0 }],
  ])('%s', (_name, input, expected) => {
    expect(rowWindow({ ...base, ...input })).toMatchObject(expected);
  });

  it('renders a screenful before the viewport is laid out', () => {
    expect(rowWindow({ ...base, viewportHeight: 0, scrollTop: 0, rowCount: 1000 })).toMatchObject({ start: 0, end: 25 });
  });

  it('keeps the DOM small and the scroll height exact for 100k rows', () => {
    for (const scrollTop of [0, 12_345, 1_400_000, 2_799_000]) {
      const w = rowWindow({ ...base, scrollTop, rowCount: 100_000 });
      expect(w.end - w.start).toBeLessThanOrEqual(21);
      expect(w.padTop + (w.end - w.start) * 28 + w.padBottom).toBe(100_000 * 28);
    }
  });
});

describe('scrollToReveal and pagesFor', () => {
  it.each([
    [10, 0, 280, 28],
    [9, 0, 280, null],
    [10, 28, 280, null],
    [11, 28, 280, 12 * 28 - 280],
    [3, 280, 280, 3 * 28],
  ])('row %d from scrollTop %d (viewport %d) → %s', (index, top, height, expected) => {
    expect(scrollToReveal(index, top, height, 28)).toBe(expected);
  });

  it.each([
    [0, 1, 200, [0]],
    [0, 200, 200, [0]],
    [199, 201, 200, [0, 1]],
    [395, 430, 200, [1, 2]],
    [5, 5, 200, []],
  ])('rows [%d, %d) with pages of %d', (start, end, size, expected) => {
    expect(pagesFor(start, end, size)).toEqual(expected);
  });
});
