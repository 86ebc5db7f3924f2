// The served UI in real Chromium (what Electron's renderer is): open the printed `?token=` URL, land
// on the runs table with the token gone from the address bar, under the server's strict CSP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissingReason, launchBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/test-server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const missing = browserMissingReason();

describe.skipIf(missing !== null)(`UI in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let srv: TestServer;
  let uiDir: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    uiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-ui-e2e-'));
    await build({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'silent', build: { outDir: uiDir, emptyOutDir: true } });
    srv = await startTestServer({ uiDir });
    const exp = (await srv.mlflow('POST', 'experiments/create', { name: 'credit-risk' })).json.experiment_id;
    for (const name of ['xgb-baseline', 'xgb-deep']) {
      const id = (await srv.mlflow('POST', 'runs/create', { experiment_id: exp, run_name: name, start_time: Date.now() })).json.run.info.run_id;
      await srv.mlflow('POST', 'runs/log-batch', { run_id: id, params: [{ key: 'lr', value: '0.1' }], metrics: [{ key: 'val_auc', value: 0.87, timestamp: Date.now(), step: 3 }] });
    }
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
    fs.rmSync(uiDir, { recursive: true, force: true });
  });

  it('opens the printed URL, drops the token from the address bar and lists the runs', async () => {
    const page = await browser.context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(m.text());
    });
    const response = await page.goto(`${srv.url}?token=${srv.token}`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(page.url()).toBe(srv.url);
    await page.getByText('xgb-deep').waitFor({ timeout: 15_000 });
    expect(await page.getByText('xgb-baseline').count()).toBeGreaterThan(0);
    const cookies = await browser.context.cookies(srv.url);
    expect(cookies.find((c) => c.name === 'runledger_token')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    fs.mkdirSync(path.join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(root, 'test-results/ui-runs.png'), fullPage: true });
    expect(violations, violations.join("\n")).toEqual([]);
    await page.close();
  });

  it('refuses a browser without the token', async () => {
    const fresh = await launchBrowser();
    try {
      const page = await fresh.context.newPage();
      const response = await page.goto(srv.url);
      expect(response?.status()).toBe(401);
      expect(await page.content()).not.toContain('xgb-deep');
    } finally {
      await fresh.close();
    }
  });
});
