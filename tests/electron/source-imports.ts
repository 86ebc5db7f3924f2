// Lists the module specifiers a source file imports, for the folder-boundary tests (DESIGN §2).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface SourceImport {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

export function sourceFiles(dir: string, skip: readonly string[] = ['dist', 'node_modules']): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return skip.includes(entry.name) ? [] : sourceFiles(full, skip);
    return /\.(ts|tsx|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

export function importsOf(file: string): SourceImport[] {
  // Comments may mention modules (e.g. "require('electron') returns the binary path"): drop them.
  const source = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1');
  const found: SourceImport[] = [];
  for (const [, type, specifier] of source.matchAll(IMPORT)) found.push({ file, specifier, typeOnly: Boolean(type) });
  for (const [, specifier] of source.matchAll(DYNAMIC)) found.push({ file, specifier, typeOnly: false });
  return found;
}
