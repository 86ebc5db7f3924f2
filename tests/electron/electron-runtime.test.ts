// `npm start` decides between the desktop app and the headless server; both helpers are pure enough
// to test with injected lookups and real temporary folders.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectElectronRuntime } from '../../scripts/electron-runtime.mjs';
import { rendererNeedsBuild } from '../../scripts/renderer-freshness.mjs';

const display = { DISPLAY: ':0' };

describe('detectElectronRuntime', () => {
  it('uses the binary that require("electron") names when it exists', () => {
    const runtime = detectElectronRuntime({
      requireElectron: () => '/nm/electron/dist/electron',
      exists: (p) => p === '/nm/electron/dist/electron',
      platform: 'linux',
      env: display,
    });
    expect(runtime).toEqual({ available: true, binary: '/nm/electron/dist/electron' });
  });

  it('reports a skipped download when require("electron") throws', () => {
    const runtime = detectElectronRuntime({
      requireElectron: () => {
        throw new Error('Electron failed to install correctly');
      },
      exists: () => true,
      platform: 'linux',
      env: display,
    });
    expect(runtime).toEqual({
      available: false,
      reason: "Electron's runtime is not installed here (npm skipped its download)",
    });
  });

  it.each([['/gone/electron'], [''], [undefined], [42]])('reports a missing binary for %j', (binary) => {
    const runtime = detectElectronRuntime({
      requireElectron: () => binary,
      exists: () => false,
      platform: 'darwin',
      env: {},
    });
    expect(runtime.available).toBe(false);
  });

  it('falls back when Linux has no display, or when headless is asked for', () => {
    const base = { requireElectron: () => '/e', exists: () => true };
    expect(detectElectronRuntime({ ...base, platform: 'linux', env: {} })).toMatchObject({
      available: false,
      reason: expect.stringContaining('no display'),
    });
    expect(detectElectronRuntime({ ...base, platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } }).available).toBe(true);
    expect(detectElectronRuntime({ ...base, platform: 'win32', env: {} }).available).toBe(true);
    expect(detectElectronRuntime({ ...base, platform: 'darwin', env: { RUNLEDGER_HEADLESS: '1' } }).available).toBe(false);
  });

  it('matches this checkout, where the electron binary was never downloaded', () => {
    // Runs the real lookup: in this repo's CI the download is skipped, elsewhere it may be present.
    const runtime = detectElectronRuntime({ env: display });
    if (!runtime.available) expect(runtime.reason).toMatch(/Electron's runtime is not installed here/);
    else expect(runtime.binary).toMatch(/electron/i);
  });
});

describe('rendererNeedsBuild', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function tree(indexAge: number | null, sourceAges: Record<string, number>) {
    dir = mkdtempSync(path.join(tmpdir(), 'renderer-'));
    const now = Date.now() / 1000;
    const put = (rel: string, age: number) => {
      const file = path.join(dir, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, 'x');
      utimesSync(file, now - age, now - age);
    };
    if (indexAge !== null) put('dist/index.html', indexAge);
    for (const [rel, age] of Object.entries(sourceAges)) put(rel, age);
    return dir;
  }

  it('builds when there is no build', () => {
    expect(rendererNeedsBuild(tree(null, { 'main.tsx': 100 }))).toBe(true);
  });

  it('builds when any source, however deep, is newer than the build', () => {
    expect(rendererNeedsBuild(tree(50, { 'main.tsx': 100, 'features/runs/RunsPage.tsx': 10 }))).toBe(true);
  });

  it('does not build when the build is newer than every source, whatever dist itself holds', () => {
    expect(rendererNeedsBuild(tree(50, { 'main.tsx': 100, 'styles/app.css': 60, 'dist/assets/a.js': 1 }))).toBe(false);
  });
});
