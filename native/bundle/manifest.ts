// BagIt manifests (`<sha256>  <path>\n`, LF only, sorted by bytes, unique): byte-compatible with
// `sha256sum -c`. The parser is strict: anything else is E_MANIFEST_FORMAT.
import { fail } from './bundle-error';

export interface ManifestLine {
  sha256: string;
  path: string;
}

const LINE_RE = /^([0-9a-f]{64}) {2}([A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*)$/;

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

export function formatManifest(lines: readonly ManifestLine[]): string {
  const sorted = [...lines].sort((a, b) => byteOrder(a.path, b.path));
  return sorted.map((l) => `${l.sha256}  ${l.path}\n`).join('');
}

export function parseManifest(text: string, what: string): ManifestLine[] {
  if (text.length === 0) return [];
  if (!text.endsWith('\n')) fail('E_MANIFEST_FORMAT', `${what} does not end with a newline`);
  if (text.includes('\r')) fail('E_MANIFEST_FORMAT', `${what} has CR characters (LF line ends only)`);
  const out: ManifestLine[] = [];
  const lines = text.slice(0, -1).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = LINE_RE.exec(lines[i]);
    if (!m) fail('E_MANIFEST_FORMAT', `${what} line ${i + 1} is not "<64 lowercase hex>  <path>": ${JSON.stringify(lines[i].slice(0, 100))}`);
    const line = { sha256: m![1], path: m![2] };
    if (out.length > 0) {
      const c = byteOrder(out[out.length - 1].path, line.path);
      if (c === 0) fail('E_MANIFEST_FORMAT', `${what} lists ${line.path} twice`);
      if (c > 0) fail('E_MANIFEST_FORMAT', `${what} is not sorted by bytes at line ${i + 1}`);
    }
    out.push(line);
  }
  return out;
}
