// electron-builder.yml checked against the repository it packages: the app id and targets, the files
// the app needs (main process, built UI, the core it forks), the DuckDB binding unpacked from the
// asar, the `.runbundle` association matching what the shell opens, an icon electron-builder can
// derive every platform's from, and the `npm run package` entry. electron-builder itself cannot run
// here (it downloads Electron's zip); where it is installed, a folder build against a stub Electron
// dist checks the asar for real.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a YAML document
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
const matches = (file: string, globs: readonly string[]): boolean => globs.some((g) => path.matchesGlob(file, g));

function builderCli(): string | null {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('electron-builder/package.json')), 'cli.js');
  } catch {
    return null;
  }
}

describe('electron-builder.yml', () => {
  it('names the app and declares Linux, macOS and Windows targets', () => {
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/); // reverse DNS
    expect(config.productName).toBe('Runledger');
    expect(config.asar).toBe(true);
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.linux.maintainer).toMatch(/<[^@>]+@[^>]+>/); // deb refuses to build without one
    expect(config.mac.target).toEqual(expect.arrayContaining(['dmg']));
    expect(config.win.target).toEqual(expect.arrayContaining(['nsis']));
  });

  it('packs the main process, the built UI and the core, without source maps', () => {
    const include = (config.files as string[]).filter((f) => !f.startsWith('!'));
    const exclude = (config.files as string[]).filter((f) => f.startsWith('!')).map((f) => f.slice(1));
    const packed = (file: string) => matches(file, include) && !matches(file, exclude);
    // package.json "main" is where tsc puts the Electron shell (electron/tsconfig.json outDir).
    expect(pkg.main).toBe('build/electron/main.js');
    for (const file of [pkg.main, 'build/electron/preload.js', 'renderer/dist/index.html', 'renderer/dist/assets/index-abc.js', 'native/entry/serve.ts', 'bin/runledger.mjs', 'package.json']) {
      expect(packed(file), file).toBe(true);
    }
    for (const file of ['renderer/dist/assets/index-abc.js.map', 'build/electron/main.js.map', 'tests/e2e/ui-flow.test.ts', 'bench/ui.bench.ts']) {
      expect(packed(file), file).toBe(false);
    }
    for (const dir of ['native/entry', 'bin', 'electron']) expect(fs.existsSync(path.join(root, dir)), dir).toBe(true);
  });

  it('unpacks the DuckDB binding (and esbuild, which tsx runs) from the asar', () => {
    const duckdb = path.relative(root, path.join(path.dirname(createRequire(import.meta.url).resolve('@duckdb/node-bindings-linux-x64/package.json')), 'duckdb.node'));
    expect(fs.existsSync(path.join(root, duckdb))).toBe(true);
    expect(matches(duckdb, config.asarUnpack)).toBe(true);
    expect(matches('node_modules/@esbuild/linux-x64/bin/esbuild', config.asarUnpack)).toBe(true);
    // Node-API: no rebuild for Electron's ABI, which would need a download.
    expect(config.npmRebuild).toBe(false);
  });

  it('associates .runbundle files, the extension the shell opens from argv and open-file', () => {
    const shellIpc = fs.readFileSync(path.join(root, 'electron/shell-ipc.ts'), 'utf8');
    const ext = /BUNDLE_EXTENSION = '\.([a-z]+)'/.exec(shellIpc)?.[1];
    expect(ext).toBe('runbundle');
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext, role: 'Viewer', mimeType: expect.stringMatching(/^application\//) })]);
  });

  it('has a 512×512 PNG icon and writes its output where git ignores it', () => {
    const icon = fs.readFileSync(path.join(root, config.icon));
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([512, 512]);
    expect(path.relative(root, path.join(root, config.directories.buildResources))).toBe('electron/resources');
    const ignored = fs.readFileSync(path.join(root, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain(`${config.directories.output.split('/')[0]}/`);
  });

  it('is what `npm run package` builds, with Electron kept out of the runtime dependencies', () => {
    expect(pkg.scripts.package).toBe('node scripts/package.mjs');
    const script = fs.readFileSync(path.join(root, 'scripts/package.mjs'), 'utf8');
    expect(script).toContain("'--config', 'electron-builder.yml'");
    expect(script).toContain("['run', 'build']");
    // electron-builder refuses an app whose dependencies include electron itself.
    expect(Object.keys(pkg.dependencies)).not.toContain('electron');
    expect(pkg.devDependencies.electron).toMatch(/^\d+\.\d+\.\d+$/); // pinned: electron-builder reads the version
  });

  const cli = builderCli();
  if (!cli) console.warn('\n*** electron-builder is not installed: the `--linux dir` packaging check is skipped (npm install --no-save electron-builder runs it). ***\n');
  it.skipIf(!cli)('builds --linux dir against a stub Electron dist: asar holds the UI and core, duckdb.node unpacked', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-package-'));
    const stub = path.join(out, 'electron-dist');
    fs.mkdirSync(path.join(stub, 'resources'), { recursive: true });
    fs.writeFileSync(path.join(stub, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(stub, 'resources/default_app.asar'), '');
    const r = spawnSync(process.execPath, [cli!, '--config', 'electron-builder.yml', '--linux', 'dir', '--publish', 'never', `-c.electronDist=${stub}`, `-c.directories.output=${out}/dist`], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const resources = path.join(out, 'dist/linux-unpacked/resources');
    expect(fs.existsSync(path.join(resources, 'app.asar'))).toBe(true);
    const unpacked = spawnSync('find', [path.join(resources, 'app.asar.unpacked'), '-name', 'duckdb.node'], { encoding: 'utf8' }).stdout;
    expect(unpacked).toContain('duckdb.node');
    fs.rmSync(out, { recursive: true, force: true });
  });
});
