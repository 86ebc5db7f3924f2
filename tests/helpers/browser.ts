// Debian's Chromium driven by playwright-core (Electron's renderer is Chromium). Where no browser is
// installed the browser tests skip with a loud reason; in CI (RUNLEDGER_REQUIRE_BROWSER or CI set)
// a missing browser is a failure, so CI always runs them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.RUNLEDGER_CHROMIUM ?? '/usr/bin/chromium';

export function browserMissingReason(): string | null {
  if (fs.existsSync(CHROMIUM)) return null;
  const reason = `Chromium not found at ${CHROMIUM}: browser tests skipped. Install it with 'apt-get install chromium' (or set RUNLEDGER_CHROMIUM).`;
  if (process.env.RUNLEDGER_REQUIRE_BROWSER || process.env.CI) throw new Error(`${reason} CI requires the browser tests.`);
  console.warn(`\n*** ${reason} ***\n`);
  return reason;
}

export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
