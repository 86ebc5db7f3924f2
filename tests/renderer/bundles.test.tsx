// @vitest-environment jsdom
// The Bundles page against the real core handlers (a real store in a temp dir, a real exported
// bundle): the report with its checks, the untrusted-signer choices, trusting after typing the
// fingerprint's last 8 characters, and the wording helpers.
import fs from 'node:fs';
import path from 'node:path';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../renderer/api/api-client';
import { inProcessTransport } from '../../renderer/api/in-process-transport';
import { BundlesPage } from '../../renderer/features/bundles/BundlesPage';
import { confirmsFingerprint, exportFraction, trustBadge } from '../../renderer/features/bundles/bundle-text';
import { createHandlers } from '../../native/api/handlers';
import { createCore, type Core } from '../../native/core';
import { tempDir } from '../helpers/test-server';
import { exportGood, workstation, type Workstation } from '../native/bundle/bundle-fixtures';

let alice: Workstation;
let bob: Core;
let bundle: string;

beforeAll(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  fakeCanvas(); // an opened bundle shows its metric plots
  alice = await workstation();
  bundle = await exportGood(alice, path.join(tempDir(), 'alice.runbundle'));
  bob = await createCore({ dataDir: tempDir() });
});
afterAll(async () => {
  await alice.core.close();
  await bob.close();
});

const settle = async (ms = 50): Promise<void> => {
  for (let i = 0; i < 40; i++) await act(async () => new Promise((r) => setTimeout(r, ms)));
};

describe('Bundles page', () => {
  it('shows an untrusted bundle, then trusts and imports it once the fingerprint is confirmed', async () => {
    const client = createApiClient(inProcessTransport(createHandlers(bob)));
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    let imported: string[] = [];
    await act(async () => root.render(<BundlesPage client={client} selected={[]} openPath={bundle} onImported={(ids) => (imported = ids)} />));
    await settle();
    expect(container.textContent).toContain('Valid signature, UNTRUSTED signer');
    expect(container.querySelectorAll('.bundle-checks li.check-ok').length).toBe(9);
    expect(container.textContent).toContain('xgb-deep');
    const trustButton = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Trust and import')!;
    expect(trustButton.disabled).toBe(true);
    const input = container.querySelector<HTMLInputElement>('input[aria-label="Fingerprint confirmation"]')!;
    await act(async () => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(input, alice.signer.fingerprint.slice(-8));
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(trustButton.disabled).toBe(false);
    await act(async () => trustButton.click());
    await settle();
    expect(imported).toEqual([alice.runId]);
    expect(container.textContent).toMatch(/imported 1 run/);
    expect(container.textContent).toContain('Valid, signed by alice@lab.example');
    act(() => root.unmount());
  });
});

/** ECharts in jsdom: a 2D context that accepts every call (nothing is painted) and a ResizeObserver. */
function fakeCanvas(): void {
  const ctx = (): unknown => new Proxy({}, { get: (t: Record<string | symbol, unknown>, k) => (k in t ? t[k] : k === 'measureText' ? () => ({ width: 0 }) : () => undefined), set: (t, k, v) => ((t[k] = v), true) });
  HTMLCanvasElement.prototype.getContext = ctx as never;
  (globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= class {
    observe(): void {}
    disconnect(): void {}
  };
}

describe('Bundles page: browsing without importing', () => {
  it('shows the runs, a plot per metric, params and artifact previews read from the bundle, and keeps Import', async () => {
    const carol = await createCore({ dataDir: tempDir() });
    try {
      const client = createApiClient(inProcessTransport(createHandlers(carol)));
      const container = document.body.appendChild(document.createElement('div'));
      const root = createRoot(container);
      await act(async () => root.render(<BundlesPage client={client} selected={[]} openPath={bundle} />));
      await settle();
      const browser = container.querySelector('[aria-label="Runs in the bundle"]')!;
      expect(browser.textContent).toContain('xgb-deep');
      // One run: chosen already. Params and final metrics as tables, one plot per metric.
      expect(container.querySelector('table[aria-label="Params"]')!.textContent).toContain('max_depth8');
      expect(container.querySelector('table[aria-label="Final metrics"]')!.textContent).toContain('val_auc');
      const plots = [...container.querySelectorAll('figure.bundle-plot')];
      expect(plots.map((f) => f.getAttribute('aria-label'))).toEqual(['Plot of loss', 'Plot of val_auc']);
      expect(plots[0].textContent).toContain('50 points · NaN 1');
      expect(plots[0].querySelector<HTMLElement>('[data-testid="compare-chart"]')!.dataset.optionSeries).toBe('1');
      // An artifact preview, read from the bundle.
      const artifact = [...container.querySelectorAll('button')].find((b) => b.textContent === 'plots/roc.txt')!;
      await act(async () => artifact.click());
      await settle(20);
      expect(container.querySelector('[aria-label="Preview"]')!.textContent).toContain('auc 0.87');
      // Still offered, and nothing was imported by browsing.
      expect([...container.querySelectorAll('button')].some((b) => b.textContent === 'Import as unverified (quarantined)')).toBe(true);
      expect(await carol.runs.get(alice.runId)).toBeNull();
      act(() => root.unmount());
    } finally {
      await carol.close();
    }
  });

  it('shows only the report of a bundle that does not verify', async () => {
    const carol = await createCore({ dataDir: tempDir() });
    try {
      const broken = path.join(tempDir(), 'broken.runbundle');
      const bytes = fs.readFileSync(bundle);
      fs.writeFileSync(broken, bytes.subarray(0, bytes.length - 100));
      const client = createApiClient(inProcessTransport(createHandlers(carol)));
      const container = document.body.appendChild(document.createElement('div'));
      const root = createRoot(container);
      await act(async () => root.render(<BundlesPage client={client} selected={[]} openPath={broken} />));
      await settle(20);
      expect(container.textContent).toMatch(/INVALID \(E_/);
      expect(container.querySelector('[aria-label="Runs in the bundle"]')).toBeNull();
      act(() => root.unmount());
    } finally {
      await carol.close();
    }
  });
});

describe('bundle wording', () => {
  it('confirms only the exact last 8 characters', () => {
    expect(confirmsFingerprint('abcdefgh', 'SHA256:xyzabcdefgh')).toBe(true);
    expect(confirmsFingerprint('ABCDEFGH', 'SHA256:xyzabcdefgh')).toBe(false);
    expect(confirmsFingerprint('defgh', 'SHA256:xyzabcdefgh')).toBe(false);
  });
  it('progress never runs backwards across phases', () => {
    const j = { job_id: 'x', state: 'running' as const, bytes_done: 50, bytes_total: 100, result: null, error: null };
    expect(exportFraction({ ...j, phase: 'collect' })).toBeCloseTo(1 / 6);
    expect(exportFraction({ ...j, phase: 'write' })).toBeCloseTo(0.5);
    expect(exportFraction({ ...j, phase: 'verify', bytes_done: 0 })).toBeCloseTo(2 / 3);
  });
  it('an invalid report says its code', () => {
    const r = { path: 'x', format: null, valid: false, code: 'E_SIGNATURE', message: 'bad', digest: null, signer: null, checks: [], warnings: [], runs: [], payload_files: 0, payload_bytes: 0 };
    expect(trustBadge(r)).toMatchObject({ label: 'INVALID (E_SIGNATURE)', tone: 'bad' });
  });
});
