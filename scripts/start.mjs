#!/usr/bin/env node
// `npm start [-- args]`: build the UI if it is stale, then open the desktop app, or, where Electron's
// runtime is absent (or there is no display), run the same core headless: `runledger serve [args]`.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectElectronRuntime } from './electron-runtime.mjs';
import { rendererNeedsBuild } from './renderer-freshness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

/** A package's command-line script (vite's exports hide bin/, so go through its package.json). */
function binOf(pkg, name) {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const { bin } = require(manifestPath);
  return path.join(path.dirname(manifestPath), typeof bin === 'string' ? bin : bin[name]);
}

/** Runs a Node tool script to completion; exits with its status if it fails. */
function runNode(script, scriptArgs) {
  const result = spawnSync(process.execPath, [script, ...scriptArgs], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Runs a long-lived child in the foreground: signals go to it, its exit becomes ours. */
function runForeground(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward);
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const s of ['SIGINT', 'SIGTERM']) process.off(s, forward);
    if (signal) process.kill(process.pid, signal); // die the same way, so shells see the signal
    else process.exit(code ?? 1);
  });
}

if (rendererNeedsBuild(path.join(root, 'renderer'))) {
  console.log('Building the UI…');
  runNode(binOf('vite', 'vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
}

const runtime = detectElectronRuntime();
if (runtime.available) {
  runNode(binOf('typescript', 'tsc'), ['-p', 'electron/tsconfig.json']);
  runNode(path.join(root, 'scripts', 'mark-commonjs.mjs'), ['build/electron']);
  // ELECTRON_RUN_AS_NODE, if inherited, would turn the binary into plain Node.
  const { ELECTRON_RUN_AS_NODE: _ignored, ...env } = process.env;
  runForeground(runtime.binary, [path.join(root, 'build', 'electron', 'main.js'), ...args], env);
} else {
  console.log(`${runtime.reason}; starting the headless server instead.`);
  runForeground(process.execPath, [path.join(root, 'bin', 'runledger.mjs'), 'serve', ...args]);
}
