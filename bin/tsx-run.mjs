#!/usr/bin/env node
// Runs one TypeScript file from the repository with the tsx loader: `node bin/tsx-run.mjs bench/ingest.bench.ts`.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

register();
const file = process.argv[2];
if (!file) {
  console.error('usage: node bin/tsx-run.mjs FILE.ts [args...]');
  process.exit(2);
}
process.argv.splice(1, 1); // the script sees itself as argv[1]
await import(pathToFileURL(path.resolve(file)).href);
