// Multi-select rules of the runs table: click, Ctrl/Cmd toggle, Shift range from the anchor,
// Ctrl+Shift adding a range, and the header's select-all-visible.
import { describe, expect, it } from 'vitest';
import { clickRow, EMPTY_SELECTION, headerState, toggleAll, type Selection } from '../../renderer/features/runs/selection';

const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const between = (a: number, b: number) => ids.slice(a, b + 1);
const plain = { shift: false, toggle: false };
const toggle = { shift: false, toggle: true };
const shift = { shift: true, toggle: false };
const both = { shift: true, toggle: true };

function clicks(...steps: [number, typeof plain][]): Selection {
  return steps.reduce((sel, [i, mods]) => clickRow(sel, i, ids[i], mods, between), EMPTY_SELECTION);
}

describe('clickRow', () => {
  it.each([
    ['a plain click selects one row', [[2, plain]], ['c']],
    ['another plain click replaces it', [[2, plain], [4, plain]], ['e']],
    ['ctrl-click adds', [[1, plain], [3, toggle]], ['b', 'd']],
    ['ctrl-click on a selected row removes it', [[1, plain], [3, toggle], [1, toggle]], ['d']],
    ['shift-click selects the range from the anchor', [[1, plain], [4, shift]], ['b', 'c', 'd', 'e']],
    ['shift-click upwards', [[4, plain], [1, shift]], ['b', 'c', 'd', 'e']],
    ['a second shift-click replaces the range, same anchor', [[2, plain], [5, shift], [0, shift]], ['a', 'b', 'c']],
    ['ctrl+shift adds a range to the selection', [[0, plain], [3, toggle], [5, both]], ['a', 'd', 'e', 'f']],
    ['shift-click without an anchor acts as a plain click', [[3, shift]], ['d']],
  ] as [string, [number, typeof plain][], string[]][])('%s', (_name, steps, expected) => {
    expect(clicks(...steps).ids).toEqual(expected);
  });

  it('ranges over rows not loaded yet take the loaded ones', () => {
    const sparse = (a: number, b: number) => between(a, b).filter((id) => id !== 'c');
    const sel = clickRow(clickRow(EMPTY_SELECTION, 0, 'a', plain, sparse), 4, 'e', shift, sparse);
    expect(sel.ids).toEqual(['a', 'b', 'd', 'e']);
  });
});

describe('select all visible', () => {
  it('selects the visible rows, keeping others; a second toggle clears only them', () => {
    const start: Selection = { ids: ['z'], anchor: null };
    const all = toggleAll(start, ['a', 'b']);
    expect(all.ids).toEqual(['z', 'a', 'b']);
    expect(headerState(all, ['a', 'b'])).toBe('all');
    expect(toggleAll(all, ['a', 'b']).ids).toEqual(['z']);
  });

  it.each([
    [[], ['a', 'b'], 'none'],
    [['a'], ['a', 'b'], 'some'],
    [['a', 'b'], ['a', 'b'], 'all'],
    [['a'], [], 'none'],
  ] as [string[], string[], string][])('header with %j selected of %j visible is %s', (selected, visible, expected) => {
    expect(headerState({ ids: selected, anchor: null }, visible)).toBe(expected);
  });
});
