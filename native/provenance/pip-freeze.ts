// Installed-package lists: `pip freeze` text (what the Python client sends, built from
// importlib.metadata in the same format) and `pip list --format=json`. Both reduce to one canonical
// list whose digest says "same packages" regardless of order, name spelling or the tool used.
import crypto from 'node:crypto';

export type PackageKind = 'pinned' | 'url' | 'editable' | 'unpinned';

export interface PackageEntry {
  /** PEP 503 normalised: lower case, runs of `-_.` as one `-`. */
  name: string;
  version: string | null;
  kind: PackageKind;
  /** The line as written (for `url` and `editable`, the location matters). */
  spec: string;
}

export interface ParsedPackages {
  packages: PackageEntry[];
  /** Lines that are not packages: comments, options, pip's own warnings. */
  ignored: string[];
}

export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

const PINNED = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*===?\s*([^\s;#]+)/;
const DIRECT_URL = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*@\s*(\S+)/;
const EGG = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/;
const BARE = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*$/;

export function parsePipFreeze(text: string): ParsedPackages {
  const packages: PackageEntry[] = [];
  const ignored: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    // `# Editable install with no version control (x==1.0)` and `## !! Could not determine …` are comments.
    if (line.startsWith('#') || (line.startsWith('-') && !/^-e\s|^--editable[\s=]/.test(line))) {
      ignored.push(line);
      continue;
    }
    let m: RegExpExecArray | null;
    if (/^(-e|--editable)[\s=]/.test(line)) {
      const loc = line.replace(/^(-e|--editable)[\s=]+/, '');
      const egg = EGG.exec(loc)?.[1] ?? loc.replace(/[#?].*$/, '').split(/[/\\]/).filter(Boolean).pop() ?? loc;
      packages.push({ name: normalizeName(egg), version: null, kind: 'editable', spec: line });
    } else if ((m = PINNED.exec(line))) {
      packages.push({ name: normalizeName(m[1]), version: m[3], kind: 'pinned', spec: line });
    } else if ((m = DIRECT_URL.exec(line))) {
      packages.push({ name: normalizeName(m[1]), version: null, kind: 'url', spec: line });
    } else if ((m = BARE.exec(line))) {
      packages.push({ name: normalizeName(m[1]), version: null, kind: 'unpinned', spec: line });
    } else {
      ignored.push(line);
    }
  }
  return { packages: sortPackages(packages), ignored };
}

/** `pip list --format=json`: `[{"name": "torch", "version": "2.11.0"}, …]` (editables add `editable_project_location`). */
export function parsePipListJson(text: string): ParsedPackages {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) throw new Error('pip list JSON must be an array');
  const packages: PackageEntry[] = [];
  const ignored: string[] = [];
  for (const item of data as Record<string, unknown>[]) {
    if (typeof item?.name !== 'string') {
      ignored.push(JSON.stringify(item));
      continue;
    }
    const version = typeof item.version === 'string' ? item.version : null;
    const editable = typeof item.editable_project_location === 'string';
    packages.push({ name: normalizeName(item.name), version, kind: editable ? 'editable' : version ? 'pinned' : 'unpinned', spec: `${item.name}==${version ?? ''}` });
  }
  return { packages: sortPackages(packages), ignored };
}

function sortPackages(p: PackageEntry[]): PackageEntry[] {
  return p.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The environment's package digest: sha256 over sorted `name==version` lines. Editable and URL
 * installs count by name only (their source tree is the code dimension, not the environment).
 */
export function packagesDigest(packages: readonly PackageEntry[]): string {
  const lines = packages.map((p) => `${p.name}==${p.version ?? ''}\n`);
  return crypto.createHash('sha256').update([...new Set(lines)].sort().join('')).digest('hex');
}

/** The version of one package, by any spelling of its name. */
export function versionOf(packages: readonly PackageEntry[], name: string): string | null {
  const n = normalizeName(name);
  return packages.find((p) => p.name === n)?.version ?? null;
}
