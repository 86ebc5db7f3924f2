// Wiring of electron/main.ts with a stand-in 'electron': one instance, fork the core, open the
// window on the core's URL with the token, stop the core before quitting.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  const state = {
    lock: true,
    appListeners: new Map<string, (...args: unknown[]) => void>(),
    forks: [] as { modulePath: string; args: string[]; options: unknown; child: unknown }[],
    windows: [] as { options: Record<string, unknown>; loadURL: ReturnType<typeof vi.fn> }[],
    ipcChannels: [] as string[],
    readyResolvers: [] as (() => void)[],
  };
  return state;
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const { PassThrough: Pipe } = await import('node:stream');
  const app = {
    isPackaged: false,
    name: 'Runledger',
    setName: vi.fn(),
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: () => fake.lock,
    quit: vi.fn(),
    exit: vi.fn(),
    on: (name: string, listener: (...args: unknown[]) => void) => fake.appListeners.set(name, listener),
    whenReady: () => new Promise<void>((resolve) => fake.readyResolvers.push(resolve)),
  };
  class BrowserWindow extends Emitter {
    webContents = { on: vi.fn(), setWindowOpenHandler: vi.fn(), send: vi.fn() };
    loadURL = vi.fn(async () => {});
    constructor(readonly options: Record<string, unknown>) {
      super();
      fake.windows.push(this);
    }
  }
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn() },
    ipcMain: { handle: (channel: string) => fake.ipcChannels.push(channel) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: vi.fn() },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
      },
    },
    shell: { openExternal: vi.fn(), showItemInFolder: vi.fn() },
    utilityProcess: {
      fork: (modulePath: string, args: string[], options: unknown) => {
        const child = Object.assign(new Emitter(), {
          stdout: new Pipe(),
          stderr: new Pipe(),
          kill: vi.fn(() => {
            setImmediate(() => child.emit('exit', 0));
            return true;
          }),
        });
        fake.forks.push({ modulePath, args, options, child });
        return child;
      },
    },
  };
});

async function loadMain() {
  vi.resetModules();
  const electron = await import('electron');
  await import('../../electron/main');
  return electron;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('electron main', () => {
  beforeEach(() => {
    fake.lock = true;
    fake.appListeners.clear();
    fake.forks.length = 0;
    fake.windows.length = 0;
    fake.ipcChannels.length = 0;
    fake.readyResolvers.length = 0;
  });

  it('quits at once when another instance holds the lock', async () => {
    fake.lock = false;
    const { app } = await loadMain();
    expect(app.quit).toHaveBeenCalled();
    expect(fake.readyResolvers).toHaveLength(0);
  });

  it('forks the core, then opens the sandboxed window on its URL with the token', async () => {
    const { app, session } = await loadMain();
    expect(app.enableSandbox).toHaveBeenCalled();
    fake.readyResolvers[0]();
    await flush();
    const [fork] = fake.forks;
    expect(fork.modulePath.replaceAll('\\', '/')).toMatch(/\/bin\/runledger\.mjs$/);
    expect(fork.args).toEqual(['serve', '--port', '0', '--ready-json']);
    expect(fork.options).toMatchObject({ stdio: 'pipe' });

    const child = fork.child as EventEmitter & { stdout: PassThrough; kill: ReturnType<typeof vi.fn> };
    child.stdout.write('RUNLEDGER_READY {"url":"http://127.0.0.1:40001/","port":40001,"token":"tk"}\n');
    await flush();
    expect(fake.windows).toHaveLength(1);
    expect(fake.windows[0].loadURL).toHaveBeenCalledWith('http://127.0.0.1:40001/?token=tk');
    expect(fake.windows[0].options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });
    expect(session.defaultSession.webRequest.onHeadersReceived).toHaveBeenCalled();
    expect(fake.ipcChannels.every((c) => c.startsWith('shell:'))).toBe(true);

    // Quitting waits for the core to exit, then quits for real.
    const preventDefault = vi.fn();
    fake.appListeners.get('will-quit')?.({ preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    expect(child.kill).toHaveBeenCalled();
    await flush();
    expect(app.quit).toHaveBeenCalled();
  });

  it('shows the core error and exits non-zero when the core cannot start', async () => {
    const { app, dialog } = await loadMain();
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true); // the core's stderr is echoed
    fake.readyResolvers[0]();
    await flush();
    const child = fake.forks[0].child as EventEmitter & { stderr: PassThrough };
    child.stderr.end('data dir /d is owned by pid 77\n');
    await flush();
    child.emit('exit', 2);
    await flush();
    expect(dialog.showErrorBox).toHaveBeenCalledWith('Runledger could not start', expect.stringContaining('pid 77'));
    expect(app.exit).toHaveBeenCalledWith(1);
    expect(fake.windows).toHaveLength(0);
    vi.restoreAllMocks();
  });
});
