// DESIGN §2: electron/ is the only folder that imports 'electron', and it reaches the core only by
// forking it, never by importing native/ or renderer/ code.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles } from './source-imports';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('electron import boundaries', () => {
  it("no folder but electron/ imports 'electron'", () => {
    const offenders = ['native', 'renderer', 'bin', 'scripts']
      .map((folder) => path.join(root, folder))
      .filter((dir) => existsSync(dir))
      .flatMap((dir) => sourceFiles(dir))
      .flatMap(importsOf)
      .filter((i) => !i.typeOnly && (i.specifier === 'electron' || i.specifier.startsWith('electron/')))
      .map((i) => path.relative(root, i.file));
    expect(offenders).toEqual([]);
  });

  it('electron/ imports nothing from native/ or renderer/', () => {
    const offenders = sourceFiles(path.join(root, 'electron'))
      .flatMap(importsOf)
      .filter((i) => i.specifier.startsWith('.'))
      .filter((i) => !path.resolve(path.dirname(i.file), i.specifier).startsWith(path.join(root, 'electron')))
      .map((i) => `${path.relative(root, i.file)} → ${i.specifier}`);
    expect(offenders).toEqual([]);
  });
});
