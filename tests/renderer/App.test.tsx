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
import { BROWSER_DROP_NOTICE } from '../../renderer/app/use-bundle-drop';
import { keysOf, pageHandler, serverInfo, tableRows } from './fixtures';

/** A file drop on the window as the OS delivers it (jsdom has no DragEvent or DataTransfer). */
function dropFiles(files: File[]): Event {
  const e = new Event('drop', { bubbles: true, cancelable: true });
  Object.defineProperty(e, 'dataTransfer', { value: { types: ['Files'], files } });
  window.dispatchEvent(e);
  return e;
}

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

  it('opens a .runbundle dropped on the window on the Bundles page, by the path the shell gives', async () => {
    const client = createApiClient(inProcessTransport({ 'server.info': async () => serverInfo, 'runs.page': pageHandler(() => tableRows()), 'runs.keys': async () => keysOf() }));
    const { shell } = fakeShell();
    shell.takeOpenedFiles = vi.fn(async () => []);
    shell.pathForFile = vi.fn((f: File) => (f.name.endsWith('.runbundle') ? `/b/${f.name}` : null));
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    await act(async () => root.render(<App client={client} shell={shell} />));
    const ignored = dropFiles([new File(['x'], 'notes.txt')]);
    expect(ignored.defaultPrevented).toBe(true); // the browser must not open the file in place of the app
    expect(container.querySelector('[aria-current="page"]')?.textContent).toBe('Runs');
    await act(async () => void dropFiles([new File(['x'], 'dropped.runbundle')]));
    expect(container.querySelector('[aria-current="page"]')?.textContent).toBe('Bundles');
    expect(container.querySelector<HTMLInputElement>('input[aria-label="Bundle path"]')?.value).toBe('/b/dropped.runbundle');
    act(() => root.unmount());
    window.history.replaceState(null, '', '/'); // the view lives in the URL: back to Runs for the next test
  });

  it('offers no desktop extras in a plain browser', async () => {
    const client = createApiClient(inProcessTransport({ 'server.info': async () => serverInfo, 'runs.page': pageHandler(() => tableRows()), 'runs.keys': async () => keysOf() }));
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    await act(async () => root.render(<App client={client} shell={null} />));
    // Import works in a browser too (the server reads the path); Reveal and the like are desktop-only.
    expect([...container.querySelectorAll('.app-header button')].map((b) => b.textContent)).toEqual(['Import…', 'Refresh']);
    // A dropped bundle's path is hidden from web pages: say where dropping works instead.
    await act(async () => void dropFiles([new File(['x'], 'alice.runbundle')]));
    expect(container.querySelector('[role="status"]')?.textContent).toContain(BROWSER_DROP_NOTICE);
    expect(container.querySelector('[aria-current="page"]')?.textContent).toBe('Runs');
    act(() => root.unmount());
  });
});
