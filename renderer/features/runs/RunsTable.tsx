// The runs table, windowed: fixed row height, and only the rows in (or near) the viewport are in the
// DOM, between two spacer rows that give the scrollbar its full height. Table elements for meaning,
// but laid out as blocks and flex rows of fixed-width cells (runs-table.css): with table layout,
// Chromium re-ran the table algorithm over every row on each scroll frame (bench/ui-table.bench.ts);
// display changes drop the implicit ARIA roles, hence the explicit ones. Rows come from a RunPager,
// which fetches the pages the window needs; a row not loaded yet shows as a placeholder. Scrolling
// re-renders only when the window moves by a row, so a scroll frame costs a few dozen rows.
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent, type MouseEvent } from 'react';
import type { RunRowSummary } from '../../../native/api/contract';
import type { ColumnDef } from './column-model';
import type { RunPager } from './run-pager';
import { clickRow, headerState, toggleAll, type Selection } from './selection';
import { rowWindow, scrollToReveal } from './virtual-window';
import type { SortState } from '../../app/view-state';

export const ROW_HEIGHT = 28;
/** Rows re-rendered at once while scrolling; must stay below OVERSCAN so no gap ever shows. */
const CHUNK = 8;
const OVERSCAN = 10;
const PREFETCH_ROWS = 200;
/** New real rows per frame (a 900px window shows about 28); tuned with bench/ui-table.bench.ts. */
const NEW_ROWS_PER_FRAME = 24;
const quantize = (scrollTop: number): number => Math.floor(Math.max(0, scrollTop) / (CHUNK * ROW_HEIGHT)) * CHUNK * ROW_HEIGHT;
const CHECK_WIDTH = 32;

export interface RunsTableProps {
  pager: RunPager;
  columns: readonly ColumnDef[];
  nowMs: number;
  sort: SortState | null;
  onSort: (column: ColumnDef) => void;
  selection: Selection;
  onSelectionChange: (next: Selection) => void;
  /** Opens a run's detail page. */
  onOpen: (runId: string) => void;
  /** Link target for a run's name, so it can be opened in a new tab or bookmarked. */
  hrefFor?: (runId: string) => string;
}

export function RunsTable({ pager, columns, nowMs, sort, onSort, selection, onSelectionChange, onOpen, hrefFor }: RunsTableProps) {
  const snapshot = useSyncExternalStore(pager.subscribe, pager.getSnapshot);
  const total = snapshot.total ?? 0;
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 0 });
  const [focus, setFocus] = useState(0);
  const win = rowWindow({ scrollTop: viewport.top, viewportHeight: viewport.height, rowHeight: ROW_HEIGHT, rowCount: total, overscan: OVERSCAN });

  // The first page tells the total; until then ask for the top of the table. A page either side is
  // fetched ahead, so scrolling meets loaded rows instead of placeholders that all turn into rows
  // (and relayout) at once when their page arrives.
  useEffect(() => pager.ensure(Math.max(0, win.start - PREFETCH_ROWS), Math.max(win.end, 1) + PREFETCH_ROWS), [pager, win.start, win.end]);

  const height = useRef(0);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = (): void => {
      height.current = el.clientHeight;
      setViewport((v) => (v.height === el.clientHeight && v.top === quantize(el.scrollTop) ? v : { top: quantize(el.scrollTop), height: el.clientHeight }));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    // Re-render only when the scroll crosses a chunk of rows: the overscan keeps the rows in between
    // on screen, so a slow scroll commits every CHUNK rows instead of every row. The height comes
    // from the ResizeObserver: reading clientHeight here would force a layout on every event.
    const top = quantize(el.scrollTop);
    setViewport((v) => (v.top === top ? v : { top, height: height.current || el.clientHeight }));
  }, []);

  /** The rows inside the viewport now (exact, not quantized): what "select all visible" takes. */
  const exactVisibleIds = (): string[] => {
    const el = scroller.current;
    const w = rowWindow({ scrollTop: el?.scrollTop ?? 0, viewportHeight: height.current || viewport.height, rowHeight: ROW_HEIGHT, rowCount: total, overscan: 0 });
    return pager.idsBetween(w.visibleStart, w.visibleEnd - 1);
  };

  const header = headerState(selection, pager.idsBetween(win.visibleStart, win.visibleEnd - 1));
  const selected = new Set(selection.ids);

  const click = (e: MouseEvent, index: number, row: RunRowSummary, fromCheckbox: boolean): void => {
    // The checkbox toggles like Ctrl/Cmd-click; a click on the row selects just that row.
    const mods = { shift: e.shiftKey, toggle: fromCheckbox || e.ctrlKey || e.metaKey };
    if (e.shiftKey) window.getSelection()?.removeAllRanges(); // Shift-click must not leave text selected
    setFocus(index);
    onSelectionChange(clickRow(selection, index, row.run_id, mods, (a, b) => pager.idsBetween(a, b)));
  };

  const moveFocus = (index: number, extend: boolean): void => {
    const next = Math.max(0, Math.min(total - 1, index));
    setFocus(next);
    const el = scroller.current;
    if (el) {
      const header = ROW_HEIGHT; // the sticky header covers the first row's worth of viewport
      const to = scrollToReveal(next, el.scrollTop, Math.max(ROW_HEIGHT, el.clientHeight - header), ROW_HEIGHT);
      if (to !== null) el.scrollTop = to;
    }
    const row = pager.rowAt(next);
    if (extend && row) onSelectionChange(clickRow(selection, next, row.run_id, { shift: true, toggle: false }, (a, b) => pager.idsBetween(a, b)));
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (total === 0) return;
    const page = Math.max(1, Math.floor(viewport.height / ROW_HEIGHT) - 1);
    const row = pager.rowAt(focus);
    switch (e.key) {
      case 'ArrowDown': moveFocus(focus + 1, e.shiftKey); break;
      case 'ArrowUp': moveFocus(focus - 1, e.shiftKey); break;
      case 'PageDown': moveFocus(focus + page, e.shiftKey); break;
      case 'PageUp': moveFocus(focus - page, e.shiftKey); break;
      case 'Home': moveFocus(0, e.shiftKey); break;
      case 'End': moveFocus(total - 1, e.shiftKey); break;
      case ' ':
        if (row) onSelectionChange(clickRow(selection, focus, row.run_id, { shift: false, toggle: true }, () => []));
        break;
      case 'Enter':
        if (row) onOpen(row.run_id);
        break;
      case 'a':
        if (!(e.ctrlKey || e.metaKey)) return;
        onSelectionChange(toggleAll({ ...selection, ids: selection.ids.filter((id) => !exactVisibleIds().includes(id)) }, exactVisibleIds()));
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  // Handlers through a ref: rows are memoized, and fresh closures each render would defeat that.
  const latest = useRef({ click, onOpen });
  latest.current = { click, onOpen };
  const onRowClick = useCallback((e: MouseEvent, index: number, row: RunRowSummary, fromCheckbox: boolean) => latest.current.click(e, index, row, fromCheckbox), []);
  const onRowOpen = useCallback((runId: string) => latest.current.onOpen(runId), []);

  const width = CHECK_WIDTH + columns.reduce((sum, c) => sum + c.width, 0);
  // Rows that were not on screen in the last commit are the expensive ones (new DOM, layout, paint).
  // At most NEW_ROWS_PER_FRAME of them become real rows per frame, visible rows first; the rest show
  // as placeholders and fill in on the next frames. A scrollbar drag that brings a whole new window
  // every frame then costs a bounded amount per frame instead of 50 full rows at once.
  const realBefore = useRef(new Set<string>());
  const [, setFillTick] = useState(0);
  const allowed = new Set<string>();
  let budget = NEW_ROWS_PER_FRAME;
  for (const range of [[win.visibleStart, win.visibleEnd], [win.start, win.visibleStart], [win.visibleEnd, win.end]]) {
    for (let i = range[0]; i < range[1]; i++) {
      const row = pager.rowAt(i);
      if (row && (realBefore.current.has(row.run_id) || budget-- > 0)) allowed.add(row.run_id);
    }
  }
  let deferred = false;
  for (let i = win.start; i < win.end && !deferred; i++) {
    const row = pager.rowAt(i);
    deferred = row !== undefined && !allowed.has(row.run_id);
  }
  useEffect(() => {
    realBefore.current = allowed;
    if (!deferred) return;
    const frame = requestAnimationFrame(() => setFillTick((t) => t + 1));
    return () => cancelAnimationFrame(frame);
  });

  const rows = [];
  for (let i = win.start; i < win.end; i++) {
    const row = pager.rowAt(i);
    if (!row || !allowed.has(row.run_id)) {
      rows.push(
        <tr key={row ? row.run_id : `i${i}`} role="row" className="loading-row" aria-rowindex={i + 2} data-index={i} style={{ height: ROW_HEIGHT }}>
          <td role="gridcell" className="muted">…</td>
        </tr>,
      );
      continue;
    }
    rows.push(
      <RunRowView
        key={row.run_id}
        row={row}
        index={i}
        selected={selected.has(row.run_id)}
        focused={i === focus}
        columns={columns}
        nowMs={nowMs}
        href={hrefFor?.(row.run_id) ?? '#'}
        onClick={onRowClick}
        onOpen={onRowOpen}
      />,
    );
  }

  return (
    <div
      ref={scroller}
      className="runs-scroll"
      role="grid"
      aria-label="Runs"
      aria-rowcount={total + 1}
      aria-multiselectable="true"
      aria-activedescendant={undefined}
      tabIndex={0}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
    >
      <table className="runs-table" role="presentation" style={{ width }}>
        <thead role="rowgroup">
          <tr role="row" aria-rowindex={1}>
            <th scope="col" role="columnheader" className="check">
              <input
                type="checkbox"
                aria-label="Select all visible runs"
                checked={header === 'all'}
                ref={(el) => {
                  if (el) el.indeterminate = header === 'some';
                }}
                onChange={() => onSelectionChange(toggleAll(selection, exactVisibleIds()))}
              />
            </th>
            {columns.map((c) => {
              const sorted = sort && c.sortKey === sort.key ? sort.dir : null;
              return (
                <th
                  scope="col"
                  role="columnheader"
                  key={c.id}
                  style={{ width: c.width }}
                  className={c.numeric ? 'numeric' : `col-${c.group}`}
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  title={c.sortKey ? `${c.id}: click to sort` : c.id}
                >
                  {c.sortKey ? (
                    <button type="button" className="sort-button" onClick={() => onSort(c)}>
                      {c.label}
                      {sorted && <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : ' ▼'}</span>}
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {win.padTop > 0 && <tr className="spacer" aria-hidden="true" style={{ height: win.padTop }} />}
          {rows}
          {win.padBottom > 0 && <tr className="spacer" aria-hidden="true" style={{ height: win.padBottom }} />}
        </tbody>
      </table>
    </div>
  );
}

interface RunRowViewProps {
  row: RunRowSummary;
  index: number;
  selected: boolean;
  focused: boolean;
  columns: readonly ColumnDef[];
  nowMs: number;
  href: string;
  onClick: (e: MouseEvent, index: number, row: RunRowSummary, fromCheckbox: boolean) => void;
  onOpen: (runId: string) => void;
}

/**
 * One row. Memoized: scrolling by a few rows re-renders only the rows that came into the window,
 * not the dozens already there (measured by bench/ui-table.bench.ts).
 */
const RunRowView = memo(function RunRowView({ row, index, selected, focused, columns, nowMs, href, onClick, onOpen }: RunRowViewProps) {
  return (
    <tr
      role="row"
      data-run-id={row.run_id}
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`${selected ? 'selected' : ''}${focused ? ' focused' : ''}`}
      style={{ height: ROW_HEIGHT }}
      onClick={(e) => onClick(e, index, row, false)}
      onDoubleClick={() => onOpen(row.run_id)}
    >
      <td role="gridcell" className="check">
        {/* A drawn box, not an <input>: a native control per row costs more to create and paint
            than the rest of the row while scrolling fast. Clicks reach the row's handler. */}
        <span
          role="checkbox"
          className="row-check"
          aria-label={`Select ${row.run_name || row.run_id}`}
          aria-checked={selected}
          onClick={(e) => {
            e.stopPropagation();
            onClick(e, index, row, true);
          }}
        />
      </td>
      {columns.map((c, ci) => {
        const text = c.text(row, nowMs);
        if (ci === 0) {
          return (
            <th scope="row" role="rowheader" key={c.id} className="run-name" style={{ width: c.width }} title={c.title?.(row)}>
              <a
                href={href}
                onClick={(e) => {
                  if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; // new tab, or a selection click
                  e.preventDefault();
                  e.stopPropagation();
                  onOpen(row.run_id);
                }}
              >
                {text}
              </a>
            </th>
          );
        }
        return (
          <td role="gridcell" key={c.id} className={cellClass(c, row)} style={{ width: c.width }} title={c.title?.(row)}>
            {text}
          </td>
        );
      })}
    </tr>
  );
});

function cellClass(c: ColumnDef, row: RunRowSummary): string {
  if (c.id === 'attributes.status') return `status-cell status-${row.status.toLowerCase()}`;
  if (c.id === 'lineage.dirty' && row.lineage.dirty) return 'dirty';
  if (c.id === 'lineage.bundle' && row.lineage.bundle === 'unverified') return 'dirty'; // the same warning style
  // Prefixed: bare group names (`lineage`) are other pages' class names, and global CSS follows them.
  return c.numeric ? 'numeric' : `col-${c.group}`;
}
