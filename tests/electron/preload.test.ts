// The preload must hand the page a few named functions, never ipcRenderer or a generic channel pipe.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ShellBridge } from '../../electron/shell-bridge';

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  return {
    exposed,
    listeners,
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, ...args: unknown[]): Promise<unknown> => {
        if (channel === 'shell:open-bundle-dialog') return '/home/me/a.runbundle';
        if (channel === 'shell:take-opened-files') return ['/x.runbundle', 42];
        if (channel === 'shell:open-import-dialog') return args[0] === 'file' ? '/logs/events.out.tfevents.1.h' : '/logs';
        return args.length;
      }),
      on: (channel: string, listener: (...args: unknown[]) => void) =>
        listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
      removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
        listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== listener)),
    },
  };
});
// Electron's webUtils reads the path the OS gave a dropped File; here a File subclass carries one.
class DroppedFile extends File {
  constructor(readonly osPath: string) {
    super(['x'], 'x');
  }
}
const webUtils = { getPathForFile: vi.fn((file: File) => (file instanceof DroppedFile ? file.osPath : '')) };
vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer, webUtils }));

let bridge: ShellBridge;

beforeAll(async () => {
  await import('../../electron/preload');
  bridge = electron.exposed.get('runledgerShell') as ShellBridge;
});

function emit(channel: string, ...args: unknown[]) {
  for (const listener of electron.listeners.get(channel) ?? []) listener({ sender: 'ipcRenderer!' }, ...args);
}

describe('preload', () => {
  it('exposes exactly one global with exactly the named capabilities, all functions', () => {
    expect([...electron.exposed.keys()]).toEqual(['runledgerShell']);
    expect(Object.keys(bridge).sort()).toEqual(
      ['onMenuCommand', 'onOpenedFiles', 'openBundleDialog', 'openImportDialog', 'pathForFile', 'revealInFolder', 'takeOpenedFiles'].sort(),
    );
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    expect(bridge).not.toHaveProperty('invoke');
    expect(bridge).not.toHaveProperty('send');
  });

  it('maps each capability to its own shell: channel with checked results', async () => {
    await expect(bridge.openBundleDialog()).resolves.toBe('/home/me/a.runbundle');
    await expect(bridge.revealInFolder('/data')).resolves.toBeUndefined();
    await expect(bridge.takeOpenedFiles()).resolves.toEqual(['/x.runbundle']);
    expect(electron.ipcRenderer.invoke.mock.calls).toEqual([
      ['shell:open-bundle-dialog'],
      ['shell:reveal-in-folder', '/data'],
      ['shell:take-opened-files'],
    ]);
  });

  it('picks import folders or files through their own channel, with only the two kinds passed on', async () => {
    electron.ipcRenderer.invoke.mockClear();
    await expect(bridge.openImportDialog('folder')).resolves.toBe('/logs');
    await expect(bridge.openImportDialog('file')).resolves.toBe('/logs/events.out.tfevents.1.h');
    await bridge.openImportDialog('../../etc' as never);
    expect(electron.ipcRenderer.invoke.mock.calls).toEqual([
      ['shell:open-import-dialog', 'folder'],
      ['shell:open-import-dialog', 'file'],
      ['shell:open-import-dialog', 'folder'],
    ]);
  });

  it('names the OS path of a dropped file, and null for anything else', () => {
    expect(bridge.pathForFile(new DroppedFile('/home/me/tb_logs'))).toBe('/home/me/tb_logs');
    expect(bridge.pathForFile(new File(['made in the page'], 'a.txt'))).toBeNull();
    expect(bridge.pathForFile({ name: 'forged' } as unknown as File)).toBeNull();
    expect(webUtils.getPathForFile).toHaveBeenCalledTimes(2);
  });

  it('passes only data to page listeners, never the IPC event, and unsubscribes', () => {
    const commands: unknown[][] = [];
    const off = bridge.onMenuCommand((...args: unknown[]) => commands.push(args));
    emit('shell:menu-command', 'open-bundle');
    off();
    emit('shell:menu-command', 'reload-data');
    expect(commands).toEqual([['open-bundle']]);

    const opened: unknown[][] = [];
    const offOpened = bridge.onOpenedFiles((...args: unknown[]) => opened.push(args));
    emit('shell:opened-files', 'ignored payload');
    offOpened();
    expect(opened).toEqual([[]]);
  });

  it('requires nothing but electron at runtime (sandboxed preloads cannot load local files)', () => {
    const source = readFileSync(new URL('../../electron/preload.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/^import\s+(type\s+)?[^'"]*from\s+'([^']+)'/gm)].map(
      ([, typeOnly, from]) => `${typeOnly ? 'type ' : ''}${from}`,
    );
    expect(imports).toEqual(['electron', 'type ./shell-bridge']);
    expect(source).not.toMatch(/\brequire\(/);
    expect(source).toMatch(/\}\s*satisfies ShellBridge;/);
  });
});
