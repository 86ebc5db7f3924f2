// @vitest-environment jsdom
// The desktop extras reach the page only through the ShellBridge; here a stand-in bridge plays the
// preload's part.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { MenuCommand, ShellBridge } from '../../electron/shell-bridge';
import { createApiClient } from '../../renderer/api/api-client';
import { inProcessTransport } from '../../renderer/api/in-process-transport';
import { App } from '../../renderer/app/App';
import { keysOf, pageHandler, serverInfo, tableRows } from './fixtures';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

function fakeShell() {
  let menu: (command: MenuCommand) => void = () => {};
  const shell: ShellBridge = {
    openBundleDialog: vi.fn(async () => '/b/picked.runbundle'),
    openImportDialog: vi.fn(async () => null),
    pathForFile: vi.fn(() => null),
    revealInFolder: vi.fn(async () => {}),
    takeOpenedFiles: vi.fn(async () => ['/b/double-clicked.runbundle']),
    onOpenedFiles: vi.fn(() => () => {}),
    onMenuCommand: vi.fn((listener) => {
      menu = listener;
      return () => {};
    }),
  };
  return { shell, menu: (command: MenuCommand) => menu(command) };
}

describe('App in the desktop window', () => {
  it('refreshes on the menu command, reveals the data dir, and reports opened bundles', async () => {
    const list = vi.fn(pageHandler(() => tableRows()));
    const client = createApiClient(inProcessTransport({ 'server.info': async () => serverInfo, 'runs.page': list, 'runs.keys': async () => keysOf() }));
    const { shell, menu } = fakeShell();
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    await act(async () => root.render(<App client={client} shell={shell} />));

    expect(container.querySelector('[role="status"]')?.textContent).toContain('/b/double-clicked.runbundle');
    expect(list).toHaveBeenCalledTimes(1);
    await act(async () => menu('reload-data'));
    expect(list).toHaveBeenCalledTimes(2);
    await act(async () => menu('open-bundle'));
    expect(shell.openBundleDialog).toHaveBeenCalled();
    expect(container.textContent).toContain('/b/picked.runbundle');

    const reveal = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Reveal');
    await act(async () => reveal?.click());
    expect(shell.revealInFolder).toHaveBeenCalledWith('/home/me/.runledger');
    act(() => root.unmount());
  });

  it('offers no desktop extras in a plain browser', async () => {
    const client = createApiClient(inProcessTransport({ 'server.info': async () => serverInfo, 'runs.page': pageHandler(() => tableRows()), 'runs.keys': async () => keysOf() }));
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    await act(async () => root.render(<App client={client} shell={null} />));
    // Import works in a browser too (the server reads the path); Reveal and the like are desktop-only.
    expect([...container.querySelectorAll('.app-header button')].map((b) => b.textContent)).toEqual(['Import…', 'Refresh']);
    act(() => root.unmount());
  });
});
