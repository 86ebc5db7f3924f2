// Electron entry: one instance, fork the core, open one locked-down window on it, quit together.
// Deliberately thin: nothing here is something the CLI or the headless server would also need.
import { app, BrowserWindow, dialog, Menu, session } from 'electron';
import path from 'node:path';
import { buildMenuTemplate } from './app-menu';
import { coreArgs, coreEntry, startCore, type CoreProcess } from './core-process';
import { createMainWindow, installSessionSecurity } from './main-window';
import { bundlePathsFromArgv, OpenedFiles, registerShellIpc } from './shell-ipc';
import type { MenuCommand, ShellChannel } from './shell-bridge';

// build/electron/main.js → the repository (or app.asar) root, which holds bin/ and native/.
const appRoot = path.resolve(__dirname, '..', '..');
const devTools = !app.isPackaged;

app.setName('Runledger');
app.enableSandbox(); // every renderer sandboxed, whatever a window's options say

if (!app.requestSingleInstanceLock()) {
  // Another window already owns the core; it receives our argv in 'second-instance'.
  app.quit();
} else {
  run();
}

function run(): void {
  const openedFiles = new OpenedFiles();
  let window: BrowserWindow | null = null;
  let core: CoreProcess | null = null;
  let quitting = false;

  const send = (channel: ShellChannel, ...args: unknown[]) => window?.webContents.send(channel, ...args);
  openedFiles.add(bundlePathsFromArgv(process.argv.slice(1), process.cwd()));
  openedFiles.onAdded(() => send('shell:opened-files'));

  app.on('second-instance', (_event, argv, workingDirectory) => {
    openedFiles.add(bundlePathsFromArgv(argv.slice(1), workingDirectory));
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  // macOS delivers double-clicked files as an event, possibly before 'ready'.
  app.on('open-file', (event, filePath) => {
    event.preventDefault();
    openedFiles.add([filePath]);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!core || quitting) return;
    // Hold the quit until the core has closed its database cleanly.
    event.preventDefault();
    quitting = true;
    void core.stop().finally(() => app.quit());
  });

  app
    .whenReady()
    .then(async () => {
      core = await startCore({ entry: coreEntry(appRoot), args: coreArgs(process.argv) });
      const { url, token } = core.endpoint;
      const coreOrigin = new URL(url).origin;
      core.onExit((code) => {
        if (quitting) return;
        dialog.showErrorBox('Runledger stopped', `The Runledger core exited unexpectedly (code ${code}).`);
        app.exit(1);
      });

      installSessionSecurity(session.defaultSession, coreOrigin);
      registerShellIpc({ coreOrigin, openedFiles });
      const sendCommand = (command: MenuCommand) => send('shell:menu-command', command);
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(
          buildMenuTemplate({ platform: process.platform, appName: app.name, devTools, send: sendCommand }),
        ),
      );
      window = createMainWindow({ url, token, preloadPath: path.join(__dirname, 'preload.js'), devTools });
      window.on('closed', () => {
        window = null;
      });
    })
    .catch((error: unknown) => {
      dialog.showErrorBox('Runledger could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
