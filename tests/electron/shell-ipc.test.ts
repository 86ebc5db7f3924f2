import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  showOpenDialog: vi.fn(async (): Promise<{ canceled: boolean; filePaths: string[] }> => ({
    canceled: false,
    filePaths: ['/b/x.runbundle'],
  })),
  showItemInFolder: vi.fn(),
}));
vi.mock('electron', () => ({
  BrowserWindow: { fromWebContents: () => null },
  dialog: { showOpenDialog: electron.showOpenDialog },
  ipcMain: { handle: (channel: string, f: never) => electron.handlers.set(channel, f) },
  shell: { showItemInFolder: electron.showItemInFolder },
}));

import { bundlePathsFromArgv, OpenedFiles, registerShellIpc } from '../../electron/shell-ipc';

const CORE = 'http://127.0.0.1:5917';
const fromCore = { sender: {}, senderFrame: { url: 'http://127.0.0.1:5917/runs' } };

function setup() {
  electron.handlers.clear();
  const openedFiles = new OpenedFiles();
  registerShellIpc({ coreOrigin: CORE, openedFiles });
  const call = (channel: string, event: unknown, ...args: unknown[]) => electron.handlers.get(channel)!(event, ...args);
  return { openedFiles, call };
}

describe('registerShellIpc', () => {
  it('registers exactly the shell: channels the preload uses', () => {
    setup();
    expect([...electron.handlers.keys()].sort()).toEqual([
      'shell:open-bundle-dialog',
      'shell:open-import-dialog',
      'shell:reveal-in-folder',
      'shell:take-opened-files',
    ]);
  });

  it('refuses calls from frames that are not the core', async () => {
    const { call } = setup();
    for (const senderFrame of [{ url: 'http://evil.example/' }, { url: 'file:///x' }, null, undefined]) {
      expect(() => call('shell:reveal-in-folder', { sender: {}, senderFrame }, '/tmp')).toThrow(/refused/);
    }
    expect(electron.showItemInFolder).not.toHaveBeenCalled();
  });

  it('opens the bundle dialog filtered to .runbundle and returns one path or null', async () => {
    const { call } = setup();
    await expect(call('shell:open-bundle-dialog', fromCore)).resolves.toBe('/b/x.runbundle');
    expect(electron.showOpenDialog).toHaveBeenCalledWith(
      expect.objectContaining({ properties: ['openFile'], filters: [{ name: 'Run bundles', extensions: ['runbundle'] }] }),
    );
    electron.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(call('shell:open-bundle-dialog', fromCore)).resolves.toBeNull();
  });

  it('opens the import picker for a folder by default, or any single file', async () => {
    const { call } = setup();
    await expect(call('shell:open-import-dialog', fromCore, 'folder')).resolves.toBe('/b/x.runbundle');
    expect(electron.showOpenDialog).toHaveBeenLastCalledWith(expect.objectContaining({ properties: ['openDirectory'] }));
    await call('shell:open-import-dialog', fromCore, 'file');
    // No extension filter: TensorBoard event files have none.
    expect(electron.showOpenDialog).toHaveBeenLastCalledWith({ title: 'Import a run file', properties: ['openFile'] });
    await call('shell:open-import-dialog', fromCore, { evil: true });
    expect(electron.showOpenDialog).toHaveBeenLastCalledWith(expect.objectContaining({ properties: ['openDirectory'] }));
    electron.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(call('shell:open-import-dialog', fromCore, 'file')).resolves.toBeNull();
  });

  it('reveals only absolute paths', () => {
    const { call } = setup();
    call('shell:reveal-in-folder', fromCore, '/data/runledger/../runledger');
    expect(electron.showItemInFolder).toHaveBeenCalledWith('/data/runledger');
    for (const bad of ['relative/path', 42, undefined, { path: '/x' }]) {
      expect(() => call('shell:reveal-in-folder', fromCore, bad)).toThrow(/absolute path/);
    }
  });

  it('hands over opened files once', () => {
    const { call, openedFiles } = setup();
    const notified = vi.fn();
    openedFiles.onAdded(notified);
    openedFiles.add(['/a.runbundle']);
    openedFiles.add([]);
    expect(notified).toHaveBeenCalledOnce();
    expect(call('shell:take-opened-files', fromCore)).toEqual(['/a.runbundle']);
    expect(call('shell:take-opened-files', fromCore)).toEqual([]);
  });
});

describe('bundlePathsFromArgv', () => {
  it('picks .runbundle arguments, resolved against the launching directory', () => {
    expect(
      bundlePathsFromArgv(['build/electron/main.js', '--data', '/d', 'x.RUNBUNDLE', '/abs/y.runbundle', '--z=w.runbundle'], '/home/me'),
    ).toEqual(['/home/me/x.RUNBUNDLE', '/abs/y.runbundle']);
  });
});
