// Main-process side of the preload's capabilities. Each handler checks that the request comes from
// the core's page (Electron's "validate the sender of all IPC messages") and validates its input.
import { BrowserWindow, dialog, ipcMain, shell, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { isAllowedNavigation } from './navigation-guard';
import type { ShellChannel } from './shell-bridge';

const BUNDLE_EXTENSION = '.runbundle';

/** `.runbundle` paths among argv (double-click on Windows/Linux arrives as an argument). */
export function bundlePathsFromArgv(argv: readonly string[], cwd: string): string[] {
  return argv
    .filter((arg) => !arg.startsWith('-') && arg.toLowerCase().endsWith(BUNDLE_EXTENSION))
    .map((arg) => path.resolve(cwd, arg));
}

/** Files the OS asked us to open, kept until the page takes them (it may not have loaded yet). */
export class OpenedFiles {
  private paths: string[] = [];
  private notify: () => void = () => {};

  add(paths: readonly string[]): void {
    if (paths.length === 0) return;
    this.paths.push(...paths);
    this.notify();
  }

  take(): string[] {
    return this.paths.splice(0);
  }

  onAdded(listener: () => void): void {
    this.notify = listener;
  }
}

export interface ShellIpcOptions {
  coreOrigin: string;
  openedFiles: OpenedFiles;
}

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

export function shellHandlers(options: ShellIpcOptions): Partial<Record<ShellChannel, Handler>> {
  return {
    'shell:open-bundle-dialog': async (event) => {
      const owner = BrowserWindow.fromWebContents(event.sender);
      const dialogOptions: Electron.OpenDialogOptions = {
        title: 'Open run bundle',
        properties: ['openFile'],
        filters: [{ name: 'Run bundles', extensions: ['runbundle'] }],
      };
      const result = owner
        ? await dialog.showOpenDialog(owner, dialogOptions)
        : await dialog.showOpenDialog(dialogOptions);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    'shell:open-import-dialog': async (event, kind) => {
      const owner = BrowserWindow.fromWebContents(event.sender);
      const dialogOptions: Electron.OpenDialogOptions =
        kind === 'file'
          ? // No filter: TensorBoard event files have no extension (`events.out.tfevents.<time>.<host>`).
            { title: 'Import a run file', properties: ['openFile'] }
          : { title: 'Import a folder of run files', properties: ['openDirectory'] };
      const result = owner
        ? await dialog.showOpenDialog(owner, dialogOptions)
        : await dialog.showOpenDialog(dialogOptions);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    'shell:reveal-in-folder': (_event, target) => {
      if (typeof target !== 'string' || !path.isAbsolute(target)) {
        throw new Error('revealInFolder needs an absolute path');
      }
      shell.showItemInFolder(path.normalize(target));
    },
    'shell:take-opened-files': () => options.openedFiles.take(),
  };
}

export function registerShellIpc(options: ShellIpcOptions): void {
  for (const [channel, handler] of Object.entries(shellHandlers(options))) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      const from = event.senderFrame?.url ?? '';
      if (!isAllowedNavigation(from, options.coreOrigin)) {
        throw new Error(`${channel} refused for ${from || 'an unknown frame'}`);
      }
      return handler(event, ...args);
    });
  }
}
