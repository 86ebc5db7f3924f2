// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiHandlers, RunPage } from '../../native/api/contract';
import { ApiError, createApiClient } from '../../renderer/api/api-client';
import { inProcessTransport } from '../../renderer/api/in-process-transport';
import { RunsPage } from '../../renderer/features/runs/RunsPage';
import { keysOf, pageHandler, runs, serverInfo, tableRows } from './fixtures';

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

async function render(handlers: Partial<ApiHandlers>) {
  const client = createApiClient(inProcessTransport(handlers));
  container = document.body.appendChild(document.createElement('div'));
  root = createRoot(container);
  await act(async () => root!.render(<RunsPage client={client} now={() => Date.UTC(2025, 0, 2, 5)} />));
  return client;
}

const text = () => container.textContent ?? '';
const rows = () => [...container.querySelectorAll('tbody tr[data-run-id]')];
const page = (list = runs) => pageHandler(() => tableRows(list));
const keys = async () => keysOf();

describe('RunsPage', () => {
  it('lists runs with status, experiment, common metrics and params, and provenance', async () => {
    await render({ 'server.info': async () => serverInfo, 'runs.page': page(), 'runs.keys': keys });
    expect(rows().map((row) => row.getAttribute('data-run-id'))).toEqual(['a1', 'b2', 'c3']);
    const headers = [...container.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(headers).toEqual(['', 'Name', 'Status', 'Experiment', 'Started', 'Duration', 'val_auc', 'loss', 'model', 'lr', 'Commit', 'Dataset', 'GPU', 'Bundle']);
    const first = [...rows()[0].children].map((cell) => cell.textContent);
    expect(first[1]).toBe('xgb-baseline');
    expect(first[2]).toBe('FINISHED');
    expect(first[3]).toBe('credit_risk');
    expect(first[5]).toBe('1h 02m');
    expect(first.slice(6)).toEqual(['0.8512', 'NaN', 'xgb', '0.1', 'a1b2c3d4', 'credit_v2', '1× NVIDIA A100', '']);
    expect(rows()[1].textContent).toContain('INTERRUPTED at step 1200');
    expect(rows()[2].children[1].textContent).toBe('c3'); // unnamed run: its id
    expect(rows()[2].children[5].textContent).toBe('1h 55m…'); // still running, counted to now
    expect(text()).toContain('3 runs');
    // The header shows which server this is.
    expect(text()).toContain('v0.1.0');
    expect(text()).toContain('http://127.0.0.1:5917/');
    expect(text()).toContain('/home/me/.runledger');
    expect(text()).toContain('pid 4242');
  });

  it('shows a loading state until runs arrive', async () => {
    let resolve: (value: RunPage) => void = () => {};
    await render({
      'server.info': async () => serverInfo,
      'runs.keys': keys,
      'runs.page': () => new Promise((r) => (resolve = r)),
    });
    expect(container.querySelector('[role="status"]')?.textContent).toBe('Loading runs…');
    expect(rows()).toHaveLength(0);
    await act(async () => resolve({ total: 3, offset: 0, runs: tableRows() }));
    expect(rows()).toHaveLength(3);
  });

  it('explains how to log runs when there are none', async () => {
    await render({ 'server.info': async () => serverInfo, 'runs.page': page([]), 'runs.keys': keys });
    expect(rows()).toHaveLength(0);
    expect(text()).toContain('No runs yet.');
    expect(text()).toContain('Point a training script at this server:');
    expect(container.querySelector('pre')?.textContent).toBe(
      'export MLFLOW_TRACKING_URI=http://127.0.0.1:5917\nexport MLFLOW_TRACKING_TOKEN=$(cat /home/me/.runledger/token)',
    );
  });

  it('shows the error with its code, and retries on demand', async () => {
    const list = vi
      .fn<ApiHandlers['runs.page']>()
      .mockRejectedValueOnce(new ApiError('TEMPORARILY_UNAVAILABLE', 'Database is busy', 503))
      .mockImplementation(page());
    await render({ 'server.info': async () => serverInfo, 'runs.page': list, 'runs.keys': keys });
    const alert = container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Could not load runs');
    expect(alert?.textContent).toContain('Database is busy');
    expect(alert?.textContent).toContain('TEMPORARILY_UNAVAILABLE');
    expect(rows()).toHaveLength(0);

    const retry = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Try again');
    await act(async () => retry?.click());
    expect(container.querySelector('[role="alert"]')).toBeNull();
    expect(rows()).toHaveLength(3);
  });

  it('tells the user to reopen the tokened link on an auth error', async () => {
    await render({
      'server.info': async () => {
        throw new ApiError('UNAUTHENTICATED', 'token required', 401);
      },
      'runs.page': async () => {
        throw new ApiError('UNAUTHENTICATED', 'token required', 401);
      },
      'runs.keys': keys,
    });
    expect(text()).toContain('Server info unavailable');
    expect(text()).toContain('Open the link that `runledger serve` printed');
  });

  it('keeps the table while refreshing, then shows the new runs', async () => {
    const list = vi.fn<ApiHandlers['runs.page']>().mockImplementationOnce(page(runs.slice(0, 1))).mockImplementation(page());
    await render({ 'server.info': async () => serverInfo, 'runs.page': list, 'runs.keys': keys });
    expect(rows()).toHaveLength(1);
    const refresh = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Refresh');
    await act(async () => refresh?.click());
    expect(rows()).toHaveLength(3);
    expect(list).toHaveBeenLastCalledWith(expect.objectContaining({ filter: '', orderBy: [], offset: 0, limit: 200 }));
  });
});
