// Which rows a fixed-row-height table must put in the DOM for a scroll position: the rows in the
// viewport plus `overscan` on each side, so a small scroll shows rows that are already there. Pure,
// so the arithmetic at the edges (top, bottom, fewer rows than fit, a viewport not laid out yet) is
// table-tested rather than found by scrolling.

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  rowCount: number;
  overscan: number;
}

export interface RowWindow {
  /** First row index in the DOM (inclusive). */
  start: number;
  /** One past the last row index in the DOM. */
  end: number;
  /** Height of the empty space above the first row, in px. */
  padTop: number;
  /** Height of the empty space below the last row, in px. */
  padBottom: number;
  /** First and one-past-last rows actually inside the viewport (no overscan). */
  visibleStart: number;
  visibleEnd: number;
}

export function rowWindow({ scrollTop, viewportHeight, rowHeight, rowCount, overscan }: WindowInput): RowWindow {
  if (rowCount <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0, visibleStart: 0, visibleEnd: 0 };
  const maxTop = Math.max(0, rowCount * rowHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxTop);
  // Before layout the viewport may measure 0: still render a screenful rather than nothing.
  const height = viewportHeight > 0 ? viewportHeight : rowHeight * 20;
  const visibleStart = Math.min(rowCount - 1, Math.floor(top / rowHeight));
  const visibleEnd = Math.min(rowCount, Math.ceil((top + height) / rowHeight));
  const start = Math.max(0, visibleStart - overscan);
  const end = Math.min(rowCount, visibleEnd + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (rowCount - end) * rowHeight, visibleStart, visibleEnd };
}

/** The scrollTop that brings row `index` fully into view, or null when it already is. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return null;
}

/** Page indexes (of `pageSize` rows) that cover rows [start, end). */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) pages.push(p);
  return pages;
}
