import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate } from '../../electron/app-menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

describe('buildMenuTemplate', () => {
  it('sends page commands to the page and keeps DevTools out of packaged builds', () => {
    const send = vi.fn();
    const items = flatten(buildMenuTemplate({ platform: 'linux', appName: 'Runledger', devTools: false, send }));
    const open = items.find((item) => item.label === 'Open Bundle…');
    (open?.click as () => void)();
    expect(send).toHaveBeenCalledWith('open-bundle');
    expect(open?.accelerator).toBe('CmdOrCtrl+O');
    expect(items.some((item) => item.role === 'toggleDevTools')).toBe(false);
    expect(items.some((item) => item.role === 'quit')).toBe(true);
  });

  it('adds the app menu on macOS and DevTools in development', () => {
    const template = buildMenuTemplate({ platform: 'darwin', appName: 'Runledger', devTools: true, send: vi.fn() });
    expect(template[0].label).toBe('Runledger');
    expect(flatten(template).some((item) => item.role === 'toggleDevTools')).toBe(true);
  });
});
