// Multi-select as a pure reducer over row indexes and ids: click selects one, Ctrl/Cmd-click
// toggles one, Shift-click selects the range from the anchor (the last plain or toggled click),
// replacing the previous range like a file manager does; Ctrl+Shift adds the range. Ids, not
// indexes, are what is kept: a refresh or a live update may move rows, the selection stays.

export interface Selection {
  /** Selected run ids, in the order they were selected (Compare colours follow it). */
  ids: string[];
  /** Row index and id of the last plain or Ctrl/Cmd click: where a Shift range starts. */
  anchor: { index: number; id: string } | null;
}

export const EMPTY_SELECTION: Selection = { ids: [], anchor: null };

export interface ClickModifiers {
  shift: boolean;
  /** Ctrl on Linux and Windows, Cmd on macOS. */
  toggle: boolean;
}

/**
 * The selection after a click on row `index` (id `id`). `idsBetween(a, b)` returns the ids of rows
 * a..b inclusive that are known (a windowed table may not have every row in between loaded).
 */
export function clickRow(sel: Selection, index: number, id: string, mods: ClickModifiers, idsBetween: (a: number, b: number) => string[]): Selection {
  if (mods.shift && sel.anchor) {
    const range = idsBetween(Math.min(sel.anchor.index, index), Math.max(sel.anchor.index, index));
    const base = mods.toggle ? sel.ids : [];
    return { ids: union(base, range), anchor: sel.anchor };
  }
  if (mods.toggle) {
    const ids = sel.ids.includes(id) ? sel.ids.filter((x) => x !== id) : [...sel.ids, id];
    return { ids, anchor: { index, id } };
  }
  return { ids: [id], anchor: { index, id } };
}

/** Header checkbox: selects every id given (the rows on screen), or clears them when all already are. */
export function toggleAll(sel: Selection, visibleIds: readonly string[]): Selection {
  const all = visibleIds.length > 0 && visibleIds.every((id) => sel.ids.includes(id));
  if (all) return { ids: sel.ids.filter((id) => !visibleIds.includes(id)), anchor: sel.anchor };
  return { ids: union(sel.ids, visibleIds), anchor: sel.anchor };
}

/** Header checkbox state for the rows on screen. */
export function headerState(sel: Selection, visibleIds: readonly string[]): 'none' | 'some' | 'all' {
  const n = visibleIds.filter((id) => sel.ids.includes(id)).length;
  if (n === 0) return 'none';
  return n === visibleIds.length ? 'all' : 'some';
}

function union(a: readonly string[], b: readonly string[]): string[] {
  const seen = new Set(a);
  return [...a, ...b.filter((x) => !seen.has(x) && seen.add(x))];
}
