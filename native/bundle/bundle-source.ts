// A bundle to verify: a `.runbundle` ZIP (zip-reader.ts) or the same tree as a folder (`export
// --folder`). Both list their files under one top-level `run-…/` folder; the signature covers the
// content, not the container, so the checks after the container ones are the same for both.
import fs from 'node:fs';
import path from 'node:path';
import { fail } from './bundle-error';
import { bundlePathProblem } from './bag-paths';
import { openZipSource } from './zip-reader';

export interface SourceEntry {
  /** Full path including the top-level folder: `run-…/data/…`. */
  name: string;
  size: number;
  /** Byte offset of the data in the zip; unused for folders. */
  position: number;
}

export interface BundleSource {
  kind: 'zip' | 'folder';
  entries: SourceEntry[];
  /** The whole entry (callers check the size first: tag files are capped). */
  read(e: SourceEntry): Promise<Buffer>;
  /** Exactly `e.size` bytes in large chunks; a chunk buffer is reused after `onChunk` returns. */
  stream(e: SourceEntry, onChunk: (chunk: Buffer) => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface SourceLimits {
  maxBytes: number;
  maxEntries: number;
}

export async function openBundleSource(p: string, limits: SourceLimits): Promise<BundleSource> {
  const st = await fs.promises.lstat(p).catch(() => null);
  if (!st) throw new Error(`${p} does not exist`);
  if (st.isDirectory()) return openFolderSource(p, limits);
  if (!st.isFile()) fail('E_LINK', `${p} is not a regular file`);
  return openZipSource(p, limits);
}

async function openFolderSource(dir: string, limits: SourceLimits): Promise<BundleSource> {
  // The folder given is the bag itself, or a folder holding exactly one bag.
  let bag = dir;
  if (!fs.existsSync(path.join(dir, 'bagit.txt'))) {
    const kids = await fs.promises.readdir(dir);
    if (kids.length !== 1) fail('E_BAD_PATH', `${dir} is neither a bag (no bagit.txt) nor a folder holding exactly one`);
    bag = path.join(dir, kids[0]);
  }
  const root = path.basename(bag);
  const entries: SourceEntry[] = [];
  const files = new Map<string, string>();
  let total = 0;
  const seen = new Set<string>();
  const walk = async (abs: string, rel: string): Promise<void> => {
    for (const d of (await fs.promises.readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const name = `${rel}/${d.name}`;
      const full = path.join(abs, d.name);
      const st = await fs.promises.lstat(full);
      if (st.isSymbolicLink() || (!st.isFile() && !st.isDirectory())) fail('E_LINK', `${name} is not a regular file or folder`);
      const problem = bundlePathProblem(st.isDirectory() ? `${name}/x` : name);
      if (problem) fail('E_BAD_PATH', `${name}: ${problem}`);
      if (seen.has(name.toLowerCase())) fail('E_DUPLICATE', `${name} differs from another name only in case`);
      seen.add(name.toLowerCase());
      if (st.isDirectory()) {
        await walk(full, name);
        continue;
      }
      if (st.nlink > 1) fail('E_LINK', `${name} is a hard link`);
      if (entries.length >= limits.maxEntries) fail('E_TOO_LARGE', `more than ${limits.maxEntries} files`);
      total += st.size;
      if (total > limits.maxBytes) fail('E_TOO_LARGE', `the bundle is more than the limit of ${limits.maxBytes} bytes`);
      entries.push({ name, size: st.size, position: 0 });
      files.set(name, full);
    }
  };
  await walk(bag, root);
  const open = async (e: SourceEntry): Promise<fs.promises.FileHandle> => fs.promises.open(files.get(e.name)!, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  return {
    kind: 'folder',
    entries,
    async read(e) {
      const fh = await open(e);
      try {
        const b = Buffer.alloc(e.size + 1);
        const { bytesRead } = await fh.read(b, 0, e.size + 1, 0);
        if (bytesRead !== e.size) fail('E_SIZE', `${e.name} changed size while being read`);
        return b.subarray(0, e.size);
      } finally {
        await fh.close();
      }
    },
    async stream(e, onChunk) {
      const fh = await open(e);
      try {
        const buf = Buffer.allocUnsafe(8 * 1024 * 1024);
        let done = 0;
        for (;;) {
          const { bytesRead } = await fh.read(buf, 0, buf.length, null);
          if (bytesRead === 0) break;
          done += bytesRead;
          // Enforce the size as bytes arrive: a file growing under us is refused, not read on.
          if (done > e.size) fail('E_SIZE', `${e.name} grew while being read`);
          await onChunk(buf.subarray(0, bytesRead));
        }
        if (done !== e.size) fail('E_SIZE', `${e.name} shrank while being read`);
      } finally {
        await fh.close();
      }
    },
    close: async () => undefined,
  };
}
