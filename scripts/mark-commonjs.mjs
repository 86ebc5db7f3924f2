#!/usr/bin/env node
// `node scripts/mark-commonjs.mjs DIR`: the repo's package.json says "type": "module", but Electron
// loads build/electron/*.js as CommonJS (sandboxed preloads cannot be ESM), so the output folder
// gets its own package.json that says so.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/mark-commonjs.mjs DIR');
  process.exit(2);
}
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
