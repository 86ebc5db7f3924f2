// @vitest-environment jsdom
// The runs table against a real core with 5,000 seeded runs: only a window of rows in the DOM,
// scrolling loads the window's page, server-side sort from the headers, multi-select with click,
// Shift, Ctrl/Cmd and select-all-visible, keyboard navigation, the column chooser, and live rows
// refreshed in place without fetching the list again.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunsPage, type RunChangeSource } from '../../renderer/features/runs/RunsPage';
import { DEFAULT_VIEW, updateViewState, type ViewState } from '../../renderer/app/view-state';
import { fakeViewport, seededStore, type SeededStore } from './runs-table-harness';

const RUNS = 5000;
let store: SeededStore;
let restoreViewport: () => void;

beforeAll(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  store = await seededStore(RUNS);
  restoreViewport = fakeViewport(28 * 20);
});

afterAll(async () => {
  restoreViewport?.();
  await store?.close();
});

afterEach(() => cleanup());

/** RunsPage with the view state held here (as the App holds it in the URL). */
function mount(initial: Partial<ViewState> = {}, liveChanges?: RunChangeSource) {
  let view: ViewState = { ...DEFAULT_VIEW, ...initial };
  const changes: Partial<ViewState>[] = [];
  const utils = render(<RunsPage client={store.client} now={() => Date.UTC(2026, 10, 26, 12)} view={view} onViewChange={onChange} canCompare liveChanges={liveChanges} />);
  function onChange(patch: Partial<ViewState>) {
    changes.push(patch);
    view = updateViewState(view, patch);
    utils.rerender(<RunsPage client={store.client} now={() => Date.UTC(2026, 10, 26, 12)} view={view} onViewChange={onChange} canCompare liveChanges={liveChanges} />);
  }
  return { ...utils, changes, view: () => view };
}

const dataRows = () => [...document.querySelectorAll('tbody tr[data-run-id]')] as HTMLTableRowElement[];
const names = () => dataRows().map((r) => r.querySelector('th')!.textContent);
const grid = () => screen.getByRole('grid', { name: 'Runs' });

async function loaded() {
  await waitFor(() => expect(dataRows().length).toBeGreaterThan(0), { timeout: 20_000 });
}

describe('RunsTable (5,000 runs, real core)', () => {
  it('puts only a window of rows in the DOM, newest first, with provenance columns', async () => {
    mount();
    await loaded();
    expect(screen.getByText('5,000 runs')).toBeTruthy();
    expect(grid().getAttribute('aria-rowcount')).toBe(String(RUNS + 1));
    expect(dataRows().length).toBeLessThanOrEqual(40);
    expect(names()[0]).toBe('bert-4999');
    const headers = [...document.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(headers).toEqual(expect.arrayContaining(['Name', 'Status', 'Commit', 'Dataset', 'GPU', 'val_auc', 'lr']));
    const first = dataRows()[0];
    expect(first.textContent).toContain('2× NVIDIA');
    expect(first.textContent).toContain('credit_risk');
  });

  it('loads the rows of the scrolled-to window', async () => {
    mount();
    await loaded();
    const el = grid();
    Object.defineProperty(el, 'scrollTop', { configurable: true, value: 28 * 2500 });
    fireEvent.scroll(el);
    await waitFor(() => expect(names()).toContain('bert-2499'), { timeout: 20_000 });
    const indexes = dataRows().map((r) => Number(r.dataset.index));
    expect(Math.min(...indexes)).toBeGreaterThanOrEqual(2480);
    expect(Math.max(...indexes)).toBeLessThanOrEqual(2535);
    // The spacers keep the full height: rows above and below are there for the scrollbar only.
    const spacers = [...document.querySelectorAll('tbody tr.spacer')] as HTMLElement[];
    expect(spacers.map((s) => parseInt(s.style.height, 10)).reduce((a, b) => a + b, 0)).toBeGreaterThan(28 * 4900);
  });

  it('sorts on the server when a header is clicked', async () => {
    const { view } = mount();
    await loaded();
    fireEvent.click(within(document.querySelector('thead')!).getByRole('button', { name: 'val_auc' }));
    expect(view().sort).toEqual({ key: 'metrics.val_auc', dir: 'desc' });
    const top = await store.client.call('runs.page', { orderBy: ['metrics.val_auc DESC'], limit: 3 });
    await waitFor(() => expect(names().slice(0, 3)).toEqual(top.runs.map((r) => r.run_name)), { timeout: 20_000 });
    expect(document.querySelector('th[aria-sort="descending"]')?.textContent).toContain('val_auc');
    const values = dataRows().slice(0, 10).map((r) => Number(r.children[[...document.querySelectorAll('thead th')].findIndex((th) => th.textContent?.startsWith('val_auc'))].textContent));
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it('selects with click, Shift-click, Ctrl-click and select-all-visible', async () => {
    const { view } = mount();
    await loaded();
    const ids = dataRows().map((r) => r.dataset.runId!);
    fireEvent.click(dataRows()[0]);
    fireEvent.click(dataRows()[3], { shiftKey: true });
    expect(view().selected).toEqual(ids.slice(0, 4));
    fireEvent.click(dataRows()[1], { ctrlKey: true });
    expect(view().selected).toEqual([ids[0], ids[2], ids[3]]);
    fireEvent.click(dataRows()[6], { metaKey: true });
    expect(view().selected).toEqual([ids[0], ids[2], ids[3], ids[6]]);
    expect(dataRows().filter((r) => r.getAttribute('aria-selected') === 'true')).toHaveLength(4);
    expect(screen.getByText(/4 selected/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Diff 4' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Compare 4' })).toBeTruthy();

    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all visible runs' }));
    // 20 rows fit the 560px viewport (the header covers part of one).
    expect(view().selected.length).toBeGreaterThanOrEqual(20);
    expect(view().selected.length).toBeLessThanOrEqual(21);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all visible runs' }));
    expect(view().selected).toEqual([]);
  });

  it('opens Compare and Diff with the selection, and a run on Enter', async () => {
    const { view, changes } = mount();
    await loaded();
    const ids = dataRows().map((r) => r.dataset.runId!);
    fireEvent.click(dataRows()[0]);
    fireEvent.click(dataRows()[2], { shiftKey: true });
    fireEvent.click(screen.getByRole('button', { name: 'Compare 3' }));
    expect(view()).toMatchObject({ view: 'compare', selected: ids.slice(0, 3) });
    fireEvent.keyDown(grid(), { key: 'ArrowDown' });
    fireEvent.keyDown(grid(), { key: 'Enter' });
    expect(changes.at(-1)).toEqual({ view: 'detail', run: ids[3] }); // focus followed the Shift-click to row 2
  });

  it('moves with the keyboard and toggles with Space', async () => {
    const { view } = mount();
    await loaded();
    const ids = dataRows().map((r) => r.dataset.runId!);
    fireEvent.keyDown(grid(), { key: 'ArrowDown' });
    fireEvent.keyDown(grid(), { key: 'ArrowDown' });
    fireEvent.keyDown(grid(), { key: ' ' });
    expect(view().selected).toEqual([ids[2]]);
    fireEvent.keyDown(grid(), { key: 'ArrowDown', shiftKey: true });
    expect(view().selected).toEqual([ids[2], ids[3]]);
    expect(dataRows()[3].className).toContain('focused');
  });

  it('shows and hides columns from the chooser', async () => {
    const { view } = mount();
    await loaded();
    fireEvent.click(screen.getByText(/^Columns \(/));
    const chooser = screen.getByRole('group', { name: 'Columns' });
    fireEvent.click(within(chooser).getByRole('checkbox', { name: 'team' }));
    expect(view().columns).toContain('tags.team');
    expect([...document.querySelectorAll('thead th')].map((th) => th.textContent)).toContain('team');
    expect(dataRows()[0].textContent).toMatch(/risk|fraud|growth/);
    fireEvent.click(within(chooser).getByRole('checkbox', { name: 'GPU' }));
    expect([...document.querySelectorAll('thead th')].map((th) => th.textContent)).not.toContain('GPU');
    fireEvent.change(within(chooser).getByRole('textbox', { name: 'Find a column' }), { target: { value: 'drop' } });
    expect(within(chooser).getAllByRole('checkbox').map((c) => c.parentElement!.textContent)).toEqual(['dropout_p']);
    fireEvent.click(within(chooser).getByRole('button', { name: 'Reset' }));
    expect(view().columns).toBeNull();
  });

  it('filters through the filter language', async () => {
    const { view } = mount({ filter: 'model = xgb' });
    await loaded();
    expect(screen.getByText('1,000 runs')).toBeTruthy();
    expect(names().every((n) => n?.startsWith('xgb-'))).toBe(true);
    expect((screen.getByRole('textbox', { name: 'Filter runs' }) as HTMLInputElement).value).toBe('model = xgb');
    expect(view().filter).toBe('model = xgb');
  });

  it('refreshes changed rows in place from live events, without fetching the list again', async () => {
    let emit: (ids: string[]) => void = () => {};
    const live: RunChangeSource = (listener) => {
      emit = listener;
      return () => undefined;
    };
    mount({}, live);
    await loaded();
    const id = dataRows()[1].dataset.runId!;
    await store.core.runs.setTags(id, [{ key: 'team', value: 'live-edited' }]);
    await store.core.runs.update(id, { status: 'KILLED', endTime: Date.UTC(2026, 10, 26, 12) });
    store.calls.length = 0;
    await act(async () => emit([id]));
    await waitFor(() => expect(dataRows()[1].textContent).toContain('KILLED'));
    expect(store.calls).toEqual(['runs.rows']);
  });
});
