// Compare view benchmark, in Chromium: 20 runs of 1,000,000 points each, one chart. Measures the
// time from navigation to the first complete paint of all 20 series, the immediate re-render after a
// wheel zoom, and the re-render once the zoomed range has been re-queried (debounce included).
// Targets (issue #4): first paint < 1 s, zoom < 200 ms. Also reports what the server side costs:
// seeding, finalizing a 1M-point run (compaction + rollups + metrics.parquet), building the rollups of
// one series, and `series.query` for the whole chart from rollups vs bucketing the raw points.
//
// Standalone: `node bin/tsx-run.mjs bench/ui-compare.bench.ts` (BENCH_COMPARE_RUNS / _POINTS shrink
// it). `bench/ui.bench.ts` (npm run bench:ui) imports benchCompare() and prints its rows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { BENCH_CHROMIUM as CHROMIUM, launchBenchBrowser } from './bench-browser';
import { serve } from '../native/entry/serve';
import { queryRows } from '../native/store/open-database';
import { createHandlers } from '../native/api/handlers';
import { downsample } from '../native/series/downsample';
import { buildRollups } from '../native/series/rollup-levels';

export interface Row {
  what: string;
  value: string;
  target: string;
  note: string;
}

const RUNS = Number(process.env.BENCH_COMPARE_RUNS ?? 20);
const POINTS = Number(process.env.BENCH_COMPARE_POINTS ?? 1_000_000);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// What the page-side functions touch, typed here: this project has no DOM types (bench/tsconfig.json),
// and the server's CSP forbids string expressions (no 'unsafe-eval'), so they are real functions.
type Data = Record<string, string | undefined>;
interface PageDoc {
  querySelector(s: string): { dataset: Data } | null;
}

const ms = (t: number): string => `${t.toFixed(0)} ms`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A noisy decaying loss with rare spikes, one run's worth, as columns. */
function lossColumns(run: number, n: number) {
  const step = new Float64Array(n);
  const ts = new Float64Array(n);
  const value = new Float64Array(n);
  let s = (run + 1) * 7919;
  const t0 = Date.UTC(2026, 10, 1);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    step[i] = i;
    ts[i] = t0 + i * 50;
    value[i] = 2 / (1 + i / 20000) + run * 0.02 + (s / 2147483648 - 0.5) * 0.05 + (s % 100_003 === 0 ? 5 : 0);
  }
  return { keys: ['loss'], keyIndex: new Int32Array(n), step, ts, value };
}

export async function benchCompare(): Promise<Row[]> {
  if (!fs.existsSync(CHROMIUM)) {
    console.warn(`*** Chromium not found at ${CHROMIUM}: Compare benchmark skipped (apt-get install chromium) ***`);
    return [{ what: 'compare', value: 'skipped', target: '', note: `no Chromium at ${CHROMIUM}` }];
  }
  const rows: Row[] = [];
  // BENCH_COMPARE_DIR keeps the seeded store there and reuses it on the next run.
  const keep = process.env.BENCH_COMPARE_DIR;
  const reuse = keep !== undefined && fs.existsSync(path.join(keep, 'runledger.duckdb'));
  const dataDir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-bench-compare-'));
  const uiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-bench-ui-'));
  await build({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'silent', build: { outDir: uiDir, emptyOutDir: true, sourcemap: false } });
  const running = await serve({ dataDir, port: 0, uiDir, out: () => undefined, err: () => undefined });
  const core = running.core;
  try {
    // Seed straight through the store: the same writer the REST API uses, without HTTP.
    const ids: string[] = reuse ? (await queryRows<{ run_id: string }>(core.db.reader, 'SELECT run_id FROM runs ORDER BY run_name LIMIT ?', [RUNS])).map((r) => r.run_id) : [];
    let seedMs = 0;
    const finalizeMs: number[] = [];
    for (let r = 0; r < (reuse ? 0 : RUNS); r++) {
      const id = await core.runs.create({ experimentId: '0', userId: 'bench', runName: `run-${String(r).padStart(2, '0')}`, startTime: Date.UTC(2026, 10, 1), tags: [] });
      ids.push(id);
      const cols = lossColumns(r, POINTS);
      let t = performance.now();
      const pending: Promise<void>[] = [];
      for (let off = 0; off < POINTS; off += 100_000) {
        const end = Math.min(POINTS, off + 100_000);
        pending.push(core.writer.appendColumns(id, { ...cols, keyIndex: cols.keyIndex.subarray(off, end), step: cols.step.subarray(off, end), ts: cols.ts.subarray(off, end), value: cols.value.subarray(off, end) }));
      }
      await Promise.all(pending);
      seedMs += performance.now() - t;
      t = performance.now();
      await core.runs.update(id, { status: 'FINISHED', endTime: Date.UTC(2026, 10, 2) });
      await core.finalizeRun((await core.runs.get(id))!);
      finalizeMs.push(performance.now() - t);
    }
    if (!reuse) {
      rows.push({ what: `seed ${RUNS} × ${POINTS.toLocaleString('en-US')} points (writer)`, value: `${((RUNS * POINTS) / (seedMs / 1000) / 1e6).toFixed(2)} M points/s`, target: '', note: 'rollups are not built on this path' });
      rows.push({ what: 'finalize one run (compact + rollups + parquet)', value: ms(median(finalizeMs)), target: '', note: 'median over runs' });
    }

    const one = await core.metrics.series(ids[0], 'loss');
    let t = performance.now();
    buildRollups(one);
    rows.push({ what: `build rollups of one ${POINTS.toLocaleString('en-US')}-point series`, value: ms(performance.now() - t), target: '', note: 'pure JS, part of finalize' });
    const handlers = createHandlers(core);
    const width = 1200;
    const q = async (): Promise<number> => {
      const s = performance.now();
      await handlers['series.query']({ runIds: ids, keys: ['loss'], width });
      return performance.now() - s;
    };
    await q();
    rows.push({ what: `series.query ${RUNS} series, ${width} px (rollups)`, value: ms(median([await q(), await q(), await q()])), target: '', note: 'server side, incl. base64' });
    t = performance.now();
    for (const id of ids.slice(0, 3)) downsample(await core.metrics.series(id, 'loss'), { width });
    rows.push({ what: 'same, bucketing raw points instead (per series)', value: ms((performance.now() - t) / 3), target: '', note: 'read + downsample in JS' });

    const browser = await launchBenchBrowser();
    try {
      const page = await browser.context.newPage();
      // Log in once (the token becomes a cookie), so the measured load is the app's alone.
      await page.goto(`${running.server.url}?token=${running.token}`);
      const firsts: number[] = [];
      const zoomNow: number[] = [];
      const zoomRequery: number[] = [];
      const breakdown: string[] = [];
      const zoomBreakdown: string[] = [];
      for (let rep = 0; rep < 3; rep++) {
        await page.goto(`${running.server.url}?view=compare&sel=${ids.join(',')}&c.m=loss`);
        const chart = page.locator('[data-metric="loss"] [data-testid="compare-chart"]');
        await page.waitForFunction((n) => {
          const el = (globalThis as unknown as { document: PageDoc }).document.querySelector('[data-metric="loss"] [data-testid="compare-chart"]');
          return !!el && Number(el.dataset.optionSeries) === n && el.dataset.paintedVersion === el.dataset.optionVersion;
        }, RUNS, { timeout: 60_000 });
        const paintedAt = Number(await chart.getAttribute('data-painted-at'));
        const navStart = await page.evaluate(() => performance.timeOrigin);
        firsts.push(paintedAt - navStart);
        // Where the time went (page clock, ms since navigation): app loaded, series.query answered.
        breakdown.push(
          await page.evaluate(() => {
            const perf = (globalThis as unknown as { performance: { getEntriesByType(t: string): { name: string; responseEnd: number; requestStart: number; domContentLoadedEventEnd?: number }[] } }).performance;
            const nav = perf.getEntriesByType('navigation')[0];
            const q = perf.getEntriesByType('resource').find((e) => e.name.includes('series.query'));
            return `DOM ready ${nav?.domContentLoadedEventEnd?.toFixed(0)} ms, series.query sent ${q?.requestStart.toFixed(0)} → answered ${q?.responseEnd.toFixed(0)} ms`;
          }),
        );

        // Wheel zoom at the centre: ECharts redraws at once from the data it has; then the panel
        // re-queries the visible range and redraws with it.
        const box = (await chart.boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        const before = await chart.getAttribute('data-paints');
        const t0 = Date.now();
        await page.mouse.wheel(0, -600);
        await page.waitForFunction((p) => (globalThis as unknown as { document: PageDoc }).document.querySelector('[data-metric="loss"] [data-testid="compare-chart"]')!.dataset.paints !== p, before);
        zoomNow.push(Number(await chart.getAttribute('data-painted-at')) - t0);
        // Then a deeper gesture (to ~15% of the x range): past half the range the panel re-queries.
        for (let i = 0; i < 19; i++) await page.mouse.wheel(0, -600);
        const tLast = Date.now();
        await page.waitForFunction(() => {
          const doc = (globalThis as unknown as { document: PageDoc }).document;
          const panel = doc.querySelector('[data-metric="loss"]')!;
          const el = doc.querySelector('[data-metric="loss"] [data-testid="compare-chart"]')!;
          return panel.dataset.detail === 'ready' && el.dataset.paintedVersion === el.dataset.optionVersion;
        }, undefined, { timeout: 30_000 });
        zoomRequery.push(Number(await chart.getAttribute('data-painted-at')) - tLast);
        // The re-query's own timing (wall clock ms after the last wheel event): sent and answered.
        zoomBreakdown.push(
          await page.evaluate((last) => {
            const perf = (globalThis as unknown as { performance: { timeOrigin: number; getEntriesByType(t: string): { name: string; startTime: number; responseEnd: number }[] } }).performance;
            const q = perf.getEntriesByType('resource').filter((e) => e.name.includes('series.query')).at(-1);
            return q ? `re-query sent +${(perf.timeOrigin + q.startTime - last).toFixed(0)} ms, answered +${(perf.timeOrigin + q.responseEnd - last).toFixed(0)} ms` : '';
          }, tLast),
        );
      }
      const shown = await page.locator('[data-metric="loss"] .metric-panel-head').innerText();
      rows.push({ what: 'first paint breakdown (median run)', value: '', target: '', note: breakdown[firsts.indexOf(median(firsts))] ?? '' });
      rows.push({ what: `first complete paint, ${RUNS} runs × ${POINTS.toLocaleString('en-US')} points`, value: ms(median(firsts)), target: '< 1000 ms', note: `navigation → 'finished' with all series; runs ${firsts.map((x) => x.toFixed(0)).join('/')} ms` });
      rows.push({ what: 'zoom (one wheel step, 90% of x)', value: ms(median(zoomNow)), target: '< 200 ms', note: 'wheel → next finished paint; above half the range no re-query is needed' });
      rows.push({ what: 'zoom to ~15% of x: re-queried range drawn', value: ms(median(zoomRequery)), target: '< 200 ms', note: `last wheel event → paint, incl. 80 ms gesture debounce; ${shown.split('\n')[0]}` });
      rows.push({ what: 'zoom re-query breakdown (median run)', value: '', target: '', note: zoomBreakdown[zoomRequery.indexOf(median(zoomRequery))] ?? '' });
      rows.push({ what: 'machine', value: `${os.cpus().length} cores`, target: '', note: `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} (shared)` });
    } finally {
      await browser.close();
    }
  } finally {
    await running.stop();
    for (const d of keep ? [uiDir] : [dataDir, uiDir]) fs.rmSync(d, { recursive: true, force: true });
  }
  return rows;
}

export function printRows(rows: readonly Row[]): void {
  const cols = ['what', 'value', 'target', 'note'] as const;
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => r[c].length)));
  const line = (r: Record<(typeof cols)[number], string>): string => cols.map((c, i) => r[c].padEnd(widths[i])).join(' | ');
  console.log(line({ what: 'compare benchmark', value: 'value', target: 'target', note: 'note' }));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('ui-compare.bench.ts')) {
  printRows(await benchCompare());
}
