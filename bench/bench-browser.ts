// Debian's Chromium for the UI benchmarks, as the e2e tests launch it (tests/helpers/browser.ts, which
// this project cannot import): a throwaway profile, no sandbox (containers), no background traffic
// that would add noise to timings, and a fixed viewport so chart widths match between runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const BENCH_CHROMIUM = process.env.RUNLEDGER_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBenchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDir, {
    executablePath: BENCH_CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDir, { recursive: true, force: true });
    },
  };
}
