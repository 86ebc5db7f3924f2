// The application menu. Items that concern the page are sent to it as a MenuCommand; the menu
// knows nothing about runs or bundles.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from './shell-bridge';

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  devTools: boolean;
  send: (command: MenuCommand) => void;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const command = (label: string, cmd: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => options.send(cmd),
  });
  const view: MenuItemConstructorOptions[] = [
    command('Runs', 'show-runs', 'CmdOrCtrl+1'),
    command('Refresh Data', 'reload-data', 'CmdOrCtrl+R'),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (options.devTools) view.push({ type: 'separator' }, { role: 'forceReload' }, { role: 'toggleDevTools' });

  return [
    ...(isMac
      ? [
          {
            label: options.appName,
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: 'File',
      submenu: [
        command('Open Bundle…', 'open-bundle', 'CmdOrCtrl+O'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
}
