// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiHandlers, QueryExplanation } from '../../native/api/contract';
import { createApiClient } from '../../renderer/api/api-client';
import { inProcessTransport } from '../../renderer/api/in-process-transport';
import { FilterBar } from '../../renderer/features/runs/FilterBar';
import { RunsPage } from '../../renderer/features/runs/RunsPage';
import { keysOf, pageHandler, serverInfo, tableRows } from './fixtures';

let root: Root | null = null;
let container: HTMLElement;

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

afterEach(() => {
  act(() => root?.unmount());
  root = null;
  container.remove();
});

const base: QueryExplanation = { text: '', ok: true, formal: '', explanation: '', chips: [], groups: null, problems: [], completions: [], sql: [] };

/** What query.explain answers for a few texts, as the core would. */
const EXPLAIN: Record<string, Partial<QueryExplanation>> = {
  'highest auc with latency under 50 ms': {
    formal: 'metrics.latency_ms < 50 order by metrics.val_auc desc limit 1',
    explanation: 'The run with the highest val_auc among runs where latency_ms is below 50.',
    chips: [
      { kind: 'condition', label: 'latency_ms is below 50', formal: 'metrics.latency_ms < 50', start: 16, end: 36, without: 'order by metrics.val_auc desc limit 1' },
      { kind: 'sort', label: 'highest val_auc', formal: 'order by metrics.val_auc desc', start: 0, end: 11, without: 'metrics.latency_ms < 50 limit 1' },
    ],
    problems: [{ severity: 'warning', code: 'unit', message: 'a note', start: 32, end: 37, candidates: [] }],
  },
  'val_acu > 0.8': {
    ok: false,
    explanation: "Could not read this query: 'val_acu' is not a key in this store.",
    problems: [{ severity: 'error', code: 'unknown-word', message: "'val_acu' is not a key in this store", start: 0, end: 7, candidates: ['metrics.val_auc'] }],
  },
  'metrics.val_auc > 0.8': { formal: 'metrics.val_auc > 0.8', explanation: 'Runs where val_auc is above 0.8.', chips: [] },
  'model ml': { ok: false, problems: [{ severity: 'error', code: 'unknown-word', message: "'ml' …", start: 6, end: 8, candidates: [] }], completions: ['mlp'] },
  'model mlp': { formal: "params.model = 'mlp'", explanation: 'Runs where model is mlp.' },
  'compare xgb vs mlp': {
    formal: "compare (params.model = 'xgb') vs (params.model = 'mlp')",
    groups: [{ label: 'model is xgb', formal: "params.model = 'xgb'" }, { label: 'model is mlp', formal: "params.model = 'mlp'" }],
  },
};

const explain = vi.fn<ApiHandlers['query.explain']>(async ({ text }) => ({ ...base, text, ...EXPLAIN[text] }));

function mount(node: React.ReactNode): void {
  container = document.body.appendChild(document.createElement('div'));
  root = createRoot(container);
  act(() => root!.render(node));
}

const client = () => createApiClient(inProcessTransport({ 'query.explain': explain }));
const input = (label: string) => container.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`)!;
const button = (text: string) => [...container.querySelectorAll('button')].find((b) => b.textContent === text || b.getAttribute('aria-label') === text)!;

/** Types into a React-controlled input (React listens for the native value setter + input event). */
async function type(label: string, value: string, settleMs = 5): Promise<void> {
  const el = input(label);
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => new Promise((r) => setTimeout(r, settleMs))); // the debounce + the explain promise
}

describe('FilterBar', () => {
  it('shows what it understood: chips, the formal query, the English line and notes', async () => {
    const onApply = vi.fn();
    mount(<FilterBar client={client()} onApply={onApply} debounceMs={0} />);
    expect(explain).not.toHaveBeenCalled(); // nothing to explain yet
    await type('Filter runs', 'highest auc with latency under 50 ms');
    const chips = [...container.querySelectorAll('[aria-label="Understood"] li')];
    expect(chips.map((c) => [c.getAttribute('data-kind'), c.firstChild?.textContent])).toEqual([
      ['condition', 'latency_ms is below 50'],
      ['sort', 'highest val_auc'],
    ]);
    expect(input('Formal query').value).toBe('metrics.latency_ms < 50 order by metrics.val_auc desc limit 1');
    expect(container.textContent).toContain('The run with the highest val_auc among runs where latency_ms is below 50. Note: a note.');
    await act(async () => button('Apply').click());
    expect(onApply).toHaveBeenLastCalledWith('highest auc with latency under 50 ms');
  });

  it('removing a chip applies the query without it', async () => {
    const onApply = vi.fn();
    mount(<FilterBar client={client()} onApply={onApply} debounceMs={0} />);
    await type('Filter runs', 'highest auc with latency under 50 ms');
    await act(async () => button('Remove latency_ms is below 50').click());
    expect(onApply).toHaveBeenLastCalledWith('order by metrics.val_auc desc limit 1');
    expect(input('Filter runs').value).toBe('order by metrics.val_auc desc limit 1');
  });

  it('highlights the words it cannot place and offers what they might mean', async () => {
    const onApply = vi.fn();
    mount(<FilterBar client={client()} onApply={onApply} debounceMs={0} />);
    await type('Filter runs', 'val_acu > 0.8');
    const alert = container.querySelector('[role="alert"]')!;
    expect(alert.querySelector('mark')?.textContent).toBe('val_acu');
    expect(alert.textContent).toContain("'val_acu' is not a key in this store");
    expect(button('Apply').disabled).toBe(true);
    await act(async () => button('metrics.val_auc').click());
    await act(async () => new Promise((r) => setTimeout(r, 5)));
    expect(input('Filter runs').value).toBe('metrics.val_auc > 0.8');
    expect(container.querySelector('[role="alert"]')).toBeNull();
    expect(button('Apply').disabled).toBe(false);
  });

  it('completes the word being typed from the store, and edits through the formal query', async () => {
    const onApply = vi.fn();
    mount(<FilterBar client={client()} onApply={onApply} debounceMs={0} />);
    await type('Filter runs', 'model ml');
    await act(async () => button('mlp').click());
    await act(async () => new Promise((r) => setTimeout(r, 5)));
    expect(input('Filter runs').value).toBe('model mlp');
    await type('Formal query', "params.model = 'xgb'");
    await act(async () => input('Formal query').form!.requestSubmit());
    expect(onApply).toHaveBeenLastCalledWith("params.model = 'xgb'");
  });

  it('hands compare groups to the Compare view', async () => {
    const onCompare = vi.fn();
    mount(<FilterBar client={client()} onApply={() => undefined} onCompare={onCompare} debounceMs={0} />);
    await type('Filter runs', 'compare xgb vs mlp');
    await act(async () => button('Compare 2 groups').click());
    expect(onCompare).toHaveBeenCalledWith([
      { label: 'model is xgb', formal: "params.model = 'xgb'" },
      { label: 'model is mlp', formal: "params.model = 'mlp'" },
    ]);
  });
});

describe('RunsPage with a filter', () => {
  it('runs the applied query through runs.page and lists its runs; clearing lists everything again', async () => {
    const rows = tableRows();
    const page = vi.fn(pageHandler((filter) => (filter === '' ? rows : filter === 'model mlp' ? rows.slice(1, 2) : [])));
    const c = createApiClient(inProcessTransport({ 'server.info': async () => serverInfo, 'runs.page': page, 'runs.keys': async () => keysOf(), 'query.explain': explain }));
    container = document.body.appendChild(document.createElement('div'));
    root = createRoot(container);
    await act(async () => root!.render(<RunsPage client={c} />));
    const dataRows = () => [...container.querySelectorAll('tbody tr[data-run-id]')];
    expect(dataRows()).toHaveLength(3);
    await type('Filter runs', 'model mlp', 260); // RunsPage's bar waits 200 ms of quiet typing
    await act(async () => button('Apply').click());
    expect(page).toHaveBeenLastCalledWith(expect.objectContaining({ filter: 'model mlp', offset: 0 }));
    expect(dataRows().map((r) => r.getAttribute('data-run-id'))).toEqual(['b2']);
    await type('Filter runs', 'metrics.val_auc > 0.8', 260);
    await act(async () => button('Apply').click());
    expect(container.textContent).toContain('No runs match this filter.');
    await act(async () => button('Clear').click());
    expect(dataRows()).toHaveLength(3);
    expect(page).toHaveBeenLastCalledWith(expect.objectContaining({ filter: '', orderBy: [] }));
  });
});
