// @vitest-environment jsdom
// The import dialog, reached from the runs page header, against the real core (real handlers, a
// real store in a temp dir): detect, import with progress, summary, and the runs list reloading.
import path from 'node:path';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../../renderer/api/api-client';
import { inProcessTransport } from '../../../renderer/api/in-process-transport';
import { RunsPage } from '../../../renderer/features/runs/RunsPage';
import { ImportDialog } from '../../../renderer/features/import/ImportDialog';
import { progressText, summaryHeadline } from '../../../renderer/features/import/import-progress';
import { createHandlers } from '../../../native/api/handlers';
import { FIXTURES, openStore } from './support';

let store: Awaited<ReturnType<typeof openStore>>;
let root: Root;
let container: HTMLElement;

beforeAll(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  store = await openStore();
});
afterAll(async () => {
  act(() => root?.unmount());
  await store.close();
});

const text = (): string => container.textContent ?? '';
const button = (label: string): HTMLButtonElement => [...container.querySelectorAll('button')].find((b) => b.textContent === label)!;

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await act(() => new Promise((r) => setTimeout(r, 25)));
  if (!check()) throw new Error(`timed out waiting for ${what}; page says: ${text()}`);
}

function type(input: HTMLInputElement, value: string): void {
  // React listens for 'input' and reads the value through the prototype's setter.
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('ImportDialog', () => {
  it('imports a TensorBoard folder from the runs page and shows the runs', async () => {
    const client = createApiClient(inProcessTransport(createHandlers(store.core)));
    container = document.body.appendChild(document.createElement('div'));
    root = createRoot(container);
    await act(async () => root.render(<RunsPage client={client} />));
    await until('the empty state', () => text().includes('No runs yet'));

    await act(async () => button('Import…').click());
    expect(container.querySelector('[role="dialog"]')).not.toBeNull();
    const [pathInput, experimentInput] = [...container.querySelectorAll<HTMLInputElement>('[role="dialog"] input')];
    await act(async () => {
      type(pathInput, path.join(FIXTURES, 'tensorboard'));
      type(experimentInput, 'digits');
      pathInput.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
    });
    await until('detection', () => text().includes('Found 2 TensorBoard runs (4 event files).'));

    await act(async () => button('Import').click());
    await until('the summary', () => text().includes('Imported 2 runs, 1,922 points'));
    await act(async () => button('Done').click());
    expect(container.querySelector('[role="dialog"]')).toBeNull();
    await until('the runs table', () => container.querySelectorAll('tbody tr').length === 2);
    expect(text()).toContain('lr1e-3_bs64');
    expect(text()).toContain('digits');
  });

  it('says when a folder holds nothing importable, and offers no Import', async () => {
    const client = createApiClient(inProcessTransport(createHandlers(store.core)));
    act(() => root.unmount());
    root = createRoot(container);
    await act(async () => root.render(<RunsPage client={client} />));
    await act(async () => button('Import…').click());
    const [pathInput] = [...container.querySelectorAll<HTMLInputElement>('[role="dialog"] input')];
    await act(async () => {
      type(pathInput, path.join(FIXTURES, 'gpu-workstation'));
      pathInput.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
    });
    await until('the verdict', () => text().includes('Nothing Runledger can import was found there.'));
    expect(button('Import').disabled).toBe(true);
  });
});

describe('ImportDialog in the desktop app', () => {
  // Electron cannot run here: the two shell capabilities are stood in for by what they return (a
  // dropped item's OS path, the picker's choice); everything behind them is the real core.
  const lightning = path.join(FIXTURES, 'lightning-csv');

  async function openDialog(props: Partial<Parameters<typeof ImportDialog>[0]>): Promise<HTMLElement> {
    const client = createApiClient(inProcessTransport(createHandlers(store.core)));
    act(() => root.unmount());
    root = createRoot(container);
    await act(async () => root.render(<ImportDialog client={client} onClose={() => undefined} {...props} />));
    return container.querySelector<HTMLElement>('[role="dialog"]')!;
  }

  function drop(target: HTMLElement, file: File): void {
    const event = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(event, 'dataTransfer', { value: { files: [file] } });
    target.dispatchEvent(event);
  }

  it('takes a dropped folder by its OS path and detects it', async () => {
    const dialog = await openDialog({ pathOfDropped: (f) => (f.name === 'lightning-csv' ? lightning : null) });
    await act(async () => drop(dialog, new File([], 'lightning-csv')));
    await until('detection', () => /Found .*Lightning/i.test(text()));
    expect(container.querySelector<HTMLInputElement>('[role="dialog"] input')!.value).toBe(lightning);
  });

  it('says to type the path when the platform hides a dropped item\'s location', async () => {
    const dialog = await openDialog({});
    await act(async () => drop(dialog, new File([], 'logs')));
    expect(text()).toContain('type or paste its path instead');
    expect(container.querySelector<HTMLInputElement>('[role="dialog"] input')!.value).toBe('');
  });

  it('follows the import through the core\'s live events, without polling', async () => {
    const seen: string[] = [];
    // The page's LiveEvents, fed straight from the core's bus (the SSE hop is tested in tests/native/events).
    const live = {
      on: (topic: string, listener: (p: never) => void) =>
        store.core.bus.subscribe((t, p) => {
          if (t !== topic) return;
          seen.push(`${t}:${(p as { state: string }).state}`);
          listener(p as never);
        }),
      onReconnect: () => () => undefined,
    };
    // A poll interval longer than the test: only events can bring the summary.
    await openDialog({ live, pollMs: 600_000, pathOfDropped: () => lightning });
    await act(async () => drop(container.querySelector<HTMLElement>('[role="dialog"]')!, new File([], 'x')));
    await until('detection', () => /Found .*Lightning/i.test(text()));
    await act(async () => button('Import').click());
    await until('the summary', () => /Imported 1 run|1 already there/.test(text()));
    expect(seen.at(-1)).toBe('import.progress:done');
    expect(seen.filter((s) => s.endsWith(':done'))).toHaveLength(1);
  });

  it('offers the folder and file pickers only in the desktop app, and uses their choice', async () => {
    await openDialog({});
    expect(text()).not.toContain('Choose folder…');
    const asked: string[] = [];
    await openDialog({ pick: async (kind) => (asked.push(kind), kind === 'folder' ? lightning : null) });
    await act(async () => button('Choose file…').click());
    expect(container.querySelector<HTMLInputElement>('[role="dialog"] input')!.value).toBe('');
    await act(async () => button('Choose folder…').click());
    await until('detection', () => /Found .*Lightning/i.test(text()));
    expect(asked).toEqual(['file', 'folder']);
  });
});

describe('import progress text', () => {
  const progress = { import_id: 'x', state: 'running' as const, path: '/p', format: 'tensorboard' as const, runs_total: 3, runs_done: 1, run: 'lr1e-3', bytes_total: 100, bytes_done: 50, points: 1234, damaged_records: 2, summary: null, error: null };
  it('counts runs, points and damaged records', () => {
    expect(progressText(progress)).toBe('Run 2 of 3: lr1e-3 · 1,234 points, 2 damaged records skipped');
  });
  it('summarises', () => {
    const counts = { runs_imported: 1, runs_already_there: 2, runs_failed: 0, experiments_created: 0, points: 10, params: 0, tags: 0, artifacts: 0, texts: 0, histograms: 0, damaged_records: 1 };
    const s = { path: '/p', format: 'tensorboard' as const, outcome: 'partial' as const, message: null, runs: [], counts, damaged: [], ignored: [], problems: [], seconds: 1, timings: { reading: 0, committing: 0, finalizing: 0, other: 0 } };
    expect(summaryHeadline(s)).toBe('Imported 1 run, 2 already there, 10 points, 1 damaged record skipped');
    expect(summaryHeadline({ ...s, outcome: 'nothing', message: 'no runs found in /p' })).toBe('Nothing imported: no runs found in /p');
  });
});
