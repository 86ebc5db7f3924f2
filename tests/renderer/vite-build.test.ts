// The built UI must run under the core's CSP (script-src 'self': no inline or eval'd scripts) and
// from any mount point (relative asset URLs). Builds into a temporary folder with the real config.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let outDir = '';
let html = '';

beforeAll(async () => {
  outDir = mkdtempSync(path.join(tmpdir(), 'runledger-ui-'));
  await build({
    configFile: path.join(root, 'renderer', 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('renderer build', () => {
  it('has no inline scripts or event-handler attributes', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('refers to its assets relatively', () => {
    const urls = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map(([, url]) => url);
    expect(urls.length).toBeGreaterThan(1);
    // Built assets, and the icon Vite copies from renderer/public as is.
    for (const url of urls) expect(url).toMatch(/^\.\/(assets\/|favicon\.svg$)/);
  });

  it('bundles no eval-style code that the CSP would block', () => {
    const assets = path.join(outDir, 'assets');
    const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(0);
    for (const file of js) {
      const code = readFileSync(path.join(assets, file), 'utf8');
      expect(code).not.toMatch(/\bnew Function\(|\beval\(/);
    }
  });
});
