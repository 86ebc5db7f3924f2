// `npm run bench:ui`: the UI benchmarks in Chromium, one table: the runs table with 100,000 runs
// (bench/ui-table.bench.ts) and the Compare view with 20 runs of 1M points (bench/ui-compare.bench.ts).
// Each part runs even when the other throws, and says so in its rows.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchTable } from './ui-table.bench';
import type { Row } from './ui-compare.bench';

const here = path.dirname(fileURLToPath(import.meta.url));

async function part(view: string, run: () => Promise<Row[]>): Promise<(Row & { view: string })[]> {
  try {
    return (await run()).map((r) => ({ view, ...r }));
  } catch (err) {
    return [{ view, what: 'benchmark failed', value: 'error', target: '', note: (err as Error).message.split('\n')[0].slice(0, 120) }];
  }
}

const rows = [...(await part('runs table', benchTable))];
if (fs.existsSync(path.join(here, 'ui-compare.bench.ts'))) {
  const { benchCompare } = await import('./ui-compare.bench');
  rows.push(...(await part('compare', benchCompare)));
} else {
  rows.push({ view: 'compare', what: 'not run', value: '', target: '', note: 'bench/ui-compare.bench.ts is missing' });
}

const cols = ['view', 'what', 'value', 'target', 'note'] as const;
const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
const print = (cells: readonly string[]): void => console.log(cells.map((c, i) => c.padEnd(widths[i])).join(' | '));
console.log('\nUI benchmarks (Chromium)');
print(cols);
print(widths.map((w) => '-'.repeat(w)));
for (const r of rows) print(cols.map((c) => r[c]));
