// DESIGN §2: the renderer is browser code. It may `import type` the API contract and the shell
// bridge, and nothing else outside renderer/; no Node built-ins, no electron.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles } from '../electron/source-imports';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rendererDir = path.join(root, 'renderer');
const ALLOWED_OUTSIDE = ['native/api/contract', 'electron/shell-bridge'];
const PACKAGES = ['react', 'react-dom', 'react/jsx-runtime', 'react-dom/client', 'echarts'];

const imports = sourceFiles(rendererDir)
  .filter((file) => path.basename(file) !== 'vite.config.ts') // build tooling, runs under Node
  .flatMap(importsOf);

describe('renderer import boundaries', () => {
  it('finds the renderer sources', () => {
    expect(imports.length).toBeGreaterThan(10);
  });

  it('imports from outside renderer/ only the contract and shell bridge, and only as types', () => {
    const offenders = imports
      .filter((i) => i.specifier.startsWith('.'))
      .map((i) => ({ ...i, target: path.relative(root, path.resolve(path.dirname(i.file), i.specifier)) }))
      .filter((i) => !i.target.startsWith(`renderer${path.sep}`))
      .filter((i) => !(i.typeOnly && ALLOWED_OUTSIDE.includes(i.target.split(path.sep).join('/'))))
      .map((i) => `${path.relative(root, i.file)} → ${i.specifier}${i.typeOnly ? ' (type)' : ''}`);
    expect(offenders).toEqual([]);
  });

  it('uses no Node built-ins, no electron, and only known browser packages', () => {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    const offenders = imports
      .filter((i) => !i.specifier.startsWith('.'))
      .filter((i) => builtins.has(i.specifier) || !PACKAGES.some((p) => i.specifier === p || i.specifier.startsWith(`${p}/`)))
      .map((i) => `${path.relative(root, i.file)} → ${i.specifier}`);
    expect(offenders).toEqual([]);
  });
});
