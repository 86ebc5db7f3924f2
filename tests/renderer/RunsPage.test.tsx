// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiHandlers } from '../../native/api/contract';
import { ApiError, createApiClient } from '../../renderer/api/api-client';
import { inProcessTransport } from '../../renderer/api/in-process-transport';
import { RunsPage } from '../../renderer/features/runs/RunsPage';
import { runs, serverInfo } from './fixtures';

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
const rows = () => [...container.querySelectorAll('tbody tr')];

describe('RunsPage', () => {
  it('lists runs with status, experiment, common metrics and params', async () => {
    await render({ 'server.info': async () => serverInfo, 'runs.list': async () => runs });
    expect(rows().map((row) => row.getAttribute('data-run-id'))).toEqual(['a1', 'b2', 'c3']);
    const headers = [...container.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(headers).toEqual(['Name', 'Status', 'Experiment', 'Started', 'Duration', 'val_auc', 'loss', 'model', 'lr']);
    const first = [...rows()[0].children].map((cell) => cell.textContent);
    expect(first[0]).toBe('xgb-baseline');
    expect(first[1]).toBe('FINISHED');
    expect(first[2]).toBe('credit_risk');
    expect(first[4]).toBe('1h 02m');
    expect(first.slice(5)).toEqual(['0.8512', 'NaN', 'xgb', '0.1']);
    expect(rows()[1].textContent).toContain('INTERRUPTED at step 1200');
    expect(rows()[2].children[0].textContent).toBe('c3'); // unnamed run: its id
    expect(rows()[2].children[4].textContent).toBe('1h 55m…'); // still running, counted to now
    expect(text()).toContain('3 runs');
    // The header shows which server this is.
    expect(text()).toContain('v0.1.0');
    expect(text()).toContain('http://127.0.0.1:5917/');
    expect(text()).toContain('/home/me/.runledger');
    expect(text()).toContain('pid 4242');
  });

  it('shows a loading state until runs arrive', async () => {
    let resolve: (value: typeof runs) => void = () => {};
    await render({
      'server.info': async () => serverInfo,
      'runs.list': () => new Promise((r) => (resolve = r)),
    });
    expect(container.querySelector('[role="status"]')?.textContent).toBe('Loading runs…');
    expect(rows()).toHaveLength(0);
    await act(async () => resolve(runs));
    expect(rows()).toHaveLength(3);
  });

  it('explains how to log runs when there are none', async () => {
    await render({ 'server.info': async () => serverInfo, 'runs.list': async () => [] });
    expect(rows()).toHaveLength(0);
    expect(text()).toContain('No runs yet.');
    expect(text()).toContain('Point a training script at this server:');
    expect(container.querySelector('pre')?.textContent).toBe(
      'export MLFLOW_TRACKING_URI=http://127.0.0.1:5917\nexport MLFLOW_TRACKING_TOKEN=$(cat /home/me/.runledger/token)',
    );
  });

  it('shows the error with its code, and retries on demand', async () => {
    const list = vi
      .fn<ApiHandlers['runs.list']>()
      .mockRejectedValueOnce(new ApiError('TEMPORARILY_UNAVAILABLE', 'Database is busy', 503))
      .mockResolvedValueOnce(runs);
    await render({ 'server.info': async () => serverInfo, 'runs.list': list });
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
      'runs.list': async () => {
        throw new ApiError('UNAUTHENTICATED', 'token required', 401);
      },
    });
    expect(text()).toContain('Server info unavailable');
    expect(text()).toContain('Open the link that `runledger serve` printed');
  });

  it('keeps the table while refreshing, then shows the new runs', async () => {
    const list = vi.fn<ApiHandlers['runs.list']>().mockResolvedValueOnce(runs.slice(0, 1)).mockResolvedValueOnce(runs);
    await render({ 'server.info': async () => serverInfo, 'runs.list': list });
    expect(rows()).toHaveLength(1);
    const refresh = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Refresh');
    await act(async () => refresh?.click());
    expect(rows()).toHaveLength(3);
    expect(list).toHaveBeenLastCalledWith({ view: 'active', limit: 1000 });
  });
});
