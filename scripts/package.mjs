#!/usr/bin/env node
// `npm run package [-- electron-builder args]`: build the UI and the Electron shell, then package with
// electron-builder (electron-builder.yml: Linux AppImage and deb; macOS and Windows targets declared).
// electron-builder is not a dependency of the repository (it is large, and it downloads Electron's
// zip, which an offline machine cannot): install it where packages are made. Example for a folder
// build without a download: `npm run package -- --linux dir -c.electronDist=/path/to/electron/dist`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

let cli;
try {
  cli = path.join(path.dirname(require.resolve('electron-builder/package.json')), 'cli.js');
} catch {
  console.error('electron-builder is not installed here. Install it first: npm install --no-save electron-builder');
  process.exit(1);
}

const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build']);
run(process.execPath, [cli, '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)]);
