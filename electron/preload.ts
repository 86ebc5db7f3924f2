// Preload for the sandboxed window: exposes a few named capabilities and nothing else. It must
// not pass ipcRenderer, or the IPC event (whose `sender` is ipcRenderer), to the page, and it can
// only require 'electron' at runtime (sandboxed preloads have no access to local modules), hence
// the `import type` below and the literal channel names checked against ShellChannel.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { MenuCommand, ShellBridge, ShellBridgeGlobal, ShellChannel } from './shell-bridge';

function invoke(channel: ShellChannel, ...args: unknown[]): Promise<unknown> {
  return ipcRenderer.invoke(channel, ...args);
}

function subscribe(channel: ShellChannel, listener: (...args: unknown[]) => void): () => void {
  // Drop the event argument: only plain data crosses into the page.
  const wrapped = (_event: unknown, ...args: unknown[]) => listener(...args);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const bridge = {
  openBundleDialog: async () => {
    const path = await invoke('shell:open-bundle-dialog');
    return typeof path === 'string' ? path : null;
  },
  openImportDialog: async (kind) => {
    const path = await invoke('shell:open-import-dialog', kind === 'file' ? 'file' : 'folder');
    return typeof path === 'string' ? path : null;
  },
  pathForFile: (file) => {
    // Anything but a real File would throw inside Electron; the page gets null instead.
    if (typeof File === 'undefined' || !(file instanceof File)) return null;
    const path = webUtils.getPathForFile(file);
    return path === '' ? null : path;
  },
  revealInFolder: async (path: string) => {
    await invoke('shell:reveal-in-folder', String(path));
  },
  takeOpenedFiles: async () => {
    const paths = await invoke('shell:take-opened-files');
    return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
  },
  onOpenedFiles: (listener: () => void) => subscribe('shell:opened-files', () => listener()),
  onMenuCommand: (listener: (command: MenuCommand) => void) =>
    subscribe('shell:menu-command', (command) => listener(command as MenuCommand)),
} satisfies ShellBridge;

const globalName: ShellBridgeGlobal = 'runledgerShell';
contextBridge.exposeInMainWorld(globalName, bridge);
