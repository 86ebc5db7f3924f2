// Compare in real Chromium against a real server seeded through the MLflow REST API: three runs of a
// sweep (one resumed, one with a NaN), opened from the URL that holds the view; asserts the number of
// series, the NaN count, switching the x axis, zooming to full resolution, a tooltip's value against
// what was logged, and the PNG/CSV exports. Screenshots go to test-results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserMissingReason, launchBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/test-server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const results = path.join(root, 'test-results');
const missing = browserMissingReason();
const STEPS = 3000;

/** The logged loss of run `r` at `step`: distinct per run so a tooltip value identifies its point. */
const loss = (r: number, step: number): number => Math.round((2 / (1 + step / 300) + r * 0.1 + 0.01 * Math.sin(step)) * 1e6) / 1e6;

describe.skipIf(missing !== null)(`Compare in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let srv: TestServer;
  let uiDir: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const ids: string[] = [];
  const names = ['sweep-lr0.1', 'sweep-lr0.01', 'sweep-lr0.001'];

  beforeAll(async () => {
    uiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-compare-e2e-'));
    await build({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'silent', build: { outDir: uiDir, emptyOutDir: true, sourcemap: false } });
    srv = await startTestServer({ uiDir });
    const exp = (await srv.mlflow('POST', 'experiments/create', { name: 'sweep' })).json.experiment_id;
    const t0 = Date.UTC(2026, 10, 1);
    for (let r = 0; r < 3; r++) {
      const id = (await srv.mlflow('POST', 'runs/create', { experiment_id: exp, run_name: names[r], start_time: t0 })).json.run.info.run_id;
      ids.push(id);
      await srv.mlflow('POST', 'runs/log-batch', { run_id: id, params: [{ key: 'lr', value: String(0.1 / 10 ** r) }, { key: 'group', value: r < 2 ? 'a' : 'b' }] });
      const points: { key: string; value: number | string; timestamp: number; step: number }[] = [];
      for (let step = 0; step < STEPS; step++) {
        points.push({ key: 'loss', value: r === 1 && step === 1500 ? 'NaN' : loss(r, step), timestamp: t0 + step * 1000, step });
        if (step % 300 === 0) points.push({ key: 'epoch', value: step / 300, timestamp: t0 + step * 1000, step });
      }
      // Run 2 was resumed from a checkpoint at step 2000: its last 500 steps are logged again.
      if (r === 2) for (let step = 2000; step < 2500; step++) points.push({ key: 'loss', value: loss(r, step) + 0.5, timestamp: t0 + (STEPS + step) * 1000, step });
      for (let i = 0; i < points.length; i += 1000) await srv.mlflow('POST', 'runs/log-batch', { run_id: id, metrics: points.slice(i, i + 1000) });
      // Two finished runs are served from rollups, the running one from its hot points.
      if (r < 2) await srv.mlflow('POST', 'runs/update', { run_id: id, status: 'FINISHED', end_time: t0 + STEPS * 1000 });
    }
    browser = await launchBrowser();
    fs.mkdirSync(results, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
    if (uiDir) fs.rmSync(uiDir, { recursive: true, force: true });
  });

  const paints = (page: Page) => page.locator('[data-metric="loss"] [data-testid="compare-chart"]').getAttribute('data-paints').then(Number);

  it('overlays the selected runs, switches the x axis, zooms, shows tooltips and exports', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${srv.url}?token=${srv.token}&view=compare&sel=${ids.join(',')}&c.m=loss`);
    const panel = page.locator('[data-metric="loss"]');
    await panel.locator('text=3 runs').waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-metric="loss"] [data-testid="compare-chart"]')?.getAttribute('data-paints') ?? 0) > 0);
    expect(await panel.getAttribute('data-series')).toBe('3');
    expect(await panel.locator('.metric-panel-nonfinite').textContent()).toBe('NaN 1');
    expect(await page.locator('nav[aria-label="Pages"] button', { hasText: 'Compare' }).getAttribute('aria-current')).toBe('page');
    await page.screenshot({ path: path.join(results, 'compare-step.png'), fullPage: true });

    // Tooltip: hover the middle of the plot; each row names a run, its value and step, and the value
    // is the one logged at that step.
    const chart = panel.locator('[data-testid="compare-chart"]');
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    const tooltip = chart.locator('div', { hasText: 'step' }).last();
    await tooltip.waitFor({ timeout: 5000 });
    const text = (await tooltip.innerText()).split('\n');
    const row = text.find((l) => l.startsWith('sweep-lr0.1:'))!;
    const m = /^sweep-lr0\.1: ([-\d.e]+) · step (\d+) · 2026-11-01/.exec(row);
    expect(m, text.join(' | ')).not.toBeNull();
    expect(Number(m![1])).toBeCloseTo(loss(0, Number(m![2])), 5);

    // X axis: relative time, kept in the URL.
    const before = await paints(page);
    await page.getByLabel('X axis').selectOption('relative_time');
    await page.waitForFunction((n) => Number(document.querySelector('[data-metric="loss"] [data-testid="compare-chart"]')?.getAttribute('data-paints')) > n, before);
    expect(page.url()).toContain('c.x=relative_time');
    await page.getByLabel('X axis').selectOption('epoch');
    await page.waitForURL(/c\.x=epoch/);
    await page.getByLabel('X axis').selectOption('step');
    await page.waitForURL((u) => !u.search.includes('c.x='));
    await page.waitForFunction(() => document.querySelector('[data-metric="loss"]')?.textContent?.includes('3 runs'));

    // Zoom with the wheel until the visible range comes back at full resolution.
    for (let i = 0; i < 12 && (await panel.getAttribute('data-resolution')) !== 'full'; i++) {
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      await page.mouse.wheel(0, -400);
      await page.waitForTimeout(350);
    }
    expect(await panel.getAttribute('data-zoomed')).toBe('yes');
    expect(await panel.getAttribute('data-resolution')).toBe('full');
    expect(await panel.locator('text=full resolution').count()).toBe(1);
    // The tooltip reads the re-queried points: every run has a row at the hovered step.
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.6);
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.5);
    await page.waitForTimeout(200);
    const zoomedRows = (await tooltip.innerText()).split('\n');
    const hovered = Number(/^step (\d+)/.exec(zoomedRows[0])?.[1]);
    // (The first run is the one with neither a NaN nor a resume, so its row is always there.)
    const first = zoomedRows.find((l) => l.startsWith(`${names[0]}:`)) ?? '';
    expect(zoomedRows.length, zoomedRows.join(' | ')).toBeGreaterThanOrEqual(3);
    expect(Number(/: ([-\d.e]+) · step (\d+)/.exec(first)?.[1])).toBeCloseTo(loss(0, hovered), 5);
    await page.screenshot({ path: path.join(results, 'compare-zoomed.png'), fullPage: true });

    // Exports.
    const [png] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'PNG' }).click()]);
    expect(png.suggestedFilename()).toBe('loss.png');
    const [csv] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'CSV' }).click()]);
    const csvText = fs.readFileSync((await csv.path())!, 'utf8');
    expect(csvText.split('\n')[0]).toBe('run_id,run_name,metric,x,step,timestamp_ms,value,kind,count');
    expect(new Set(csvText.trim().split('\n').slice(1).map((l) => l.split(',')[0]))).toEqual(new Set(ids));

    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('appends points a running run logs, asking only for the new steps', async () => {
    const page = await browser.context.newPage();
    const bodies: string[] = [];
    page.on('request', (r) => r.url().includes('/api/rpc/series.query') && bodies.push(r.postData() ?? ''));
    await page.goto(`${srv.url}?token=${srv.token}&view=compare&sel=${ids.join(',')}&c.m=loss`);
    const panel = page.locator('[data-metric="loss"]');
    await panel.locator('text=3 runs').waitFor({ timeout: 20_000 });
    const before = Number((await panel.locator('.metric-panel-head').innerText()).match(/([\d,]+) points/)![1].replace(/,/g, ''));
    const requests = bodies.length;
    const t0 = Date.UTC(2026, 10, 1);
    // The third run is still RUNNING: it logs 100 more steps.
    const more = Array.from({ length: 100 }, (_, i) => ({ key: 'loss', value: 0.123, timestamp: t0 + (10_000 + i) * 1000, step: STEPS + i }));
    await srv.mlflow('POST', 'runs/log-batch', { run_id: ids[2], metrics: more });
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-metric="loss"] .metric-panel-head')?.textContent?.match(/([\d,]+) points/)?.[1].replace(/,/g, '')) === n,
      before + 100,
      { timeout: 10_000 },
    );
    const live = bodies.slice(requests).map((b) => JSON.parse(b) as { runIds: string[]; after?: Record<string, { segment: number; step: number }> });
    expect(live.length).toBeGreaterThan(0);
    // The resumed run's cursor is in its second segment, after its last point (step 2499).
    for (const q of live) expect(q).toMatchObject({ runIds: [ids[2]], after: { [ids[2]]: { segment: 1, step: 2499 } } });
    await page.screenshot({ path: path.join(results, 'compare-live.png'), fullPage: true });
    await page.close();
  });

  it('groups by a param and smooths, all in the URL', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${srv.url}?token=${srv.token}&view=compare&sel=${ids.join(',')}&c.m=loss&c.g=group&c.s=0.9`);
    const panel = page.locator('[data-metric="loss"]');
    await panel.locator('text=3 runs').waitFor({ timeout: 20_000 });
    expect(await page.getByLabel('Group by').inputValue()).toBe('group');
    expect(await page.getByLabel('Smoothing').inputValue()).toBe('0.9');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="compare-chart"]')?.getAttribute('data-paints') ?? 0) > 0);
    await page.screenshot({ path: path.join(results, 'compare-grouped.png'), fullPage: true });
    await page.close();
  });
});
