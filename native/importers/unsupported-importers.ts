// Formats `runledger import` recognises but cannot import yet. They are detected (so the user hears
// what the path is and which issue brings support) instead of being misread as another format.
import fs from 'node:fs';
import path from 'node:path';
import type { Importer } from './import-record';

const none = async function* (): AsyncGenerator<never> {};

/** A `.runbundle` (BUNDLE.md: a STORE-only ZIP with a BagIt layout), zipped or as a folder. */
export async function looksLikeBundle(p: string): Promise<boolean> {
  const stat = await fs.promises.stat(p).catch(() => null);
  if (!stat) return false;
  if (p.endsWith('.runbundle') || p.endsWith('.runbundle.zip')) return true;
  if (stat.isDirectory()) {
    if (fs.existsSync(path.join(p, 'bagit.txt'))) return true;
    const entries = await fs.promises.readdir(p).catch(() => [] as string[]);
    return entries.length === 1 && fs.existsSync(path.join(p, entries[0], 'bagit.txt'));
  }
  // A ZIP whose entries include bagit.txt: the central directory at the end names every entry.
  const fh = await fs.promises.open(p, 'r');
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    if (head.readUInt32LE(0) !== 0x04034b50) return false;
    const n = Math.min(stat.size, 1 << 20);
    const tail = Buffer.alloc(n);
    await fh.read(tail, 0, n, stat.size - n);
    return tail.includes('bagit.txt');
  } finally {
    await fh.close();
  }
}

/**
 * The Python client's offline spool (issue #3; native/provenance/spool-format.ts reads it): a folder
 * per run holding `records.jsonl`, checksummed JSON lines. A spool root holds run folders.
 */
export async function looksLikeSpool(p: string): Promise<boolean> {
  const stat = await fs.promises.stat(p).catch(() => null);
  if (!stat?.isDirectory()) return false;
  const hasRecords = (dir: string): boolean => {
    try {
      return fs.existsSync(path.join(dir, 'records.jsonl'));
    } catch {
      return false;
    }
  };
  if (hasRecords(p)) return true;
  const children = await fs.promises.readdir(p, { withFileTypes: true }).catch(() => []);
  return children.some((d) => d.isDirectory() && hasRecords(path.join(p, d.name)));
}

export const runbundleImporter: Importer = {
  id: 'runbundle',
  unsupported: 'run bundles are verified before import: use `runledger import FILE.runbundle` or the bundle view (RPC bundle.import)',
  async detect(p) {
    return (await looksLikeBundle(p)) ? { format: 'runbundle', description: 'a Runledger run bundle (.runbundle)' } : null;
  },
  read: none,
};

export const spoolImporter: Importer = {
  id: 'spool',
  unsupported: 'importing an offline spool with `runledger import` is not supported yet (issue #3); `runledger sync PATH` imports spools',
  async detect(p) {
    return (await looksLikeSpool(p)) ? { format: 'spool', description: 'a Runledger offline spool (records.jsonl)' } : null;
  },
  read: none,
};
