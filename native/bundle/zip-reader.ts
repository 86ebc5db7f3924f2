// Reads an untrusted STORE-only ZIP without extracting it: the container checks of BUNDLE.md §4.8
// steps 1–7, in order, from the central directory and the local headers, before any byte of
// content is read. Our own reader rather than a general one: every check here is about refusing
// archives a general reader would happily accept (prepended data, overlaps, links, lying sizes).
import fs from 'node:fs';
import { fail } from './bundle-error';
import { bundlePathProblem } from './bag-paths';
import {
  CENTRAL_HEADER_SIZE, EOCD64_LOCATOR_SIZE, EOCD64_SIZE, EOCD_SIZE, LOCAL_HEADER_SIZE, SAT16, SAT32, SIG_CENTRAL, SIG_DESCRIPTOR, SIG_EOCD,
  SIG_EOCD64, SIG_EOCD64_LOCATOR, SIG_LOCAL, S_IFDIR, S_IFREG, ZIP64_EXTRA_ID,
} from './zip-format';
import type { BundleSource, SourceEntry, SourceLimits } from './bundle-source';

interface CdRecord {
  name: string;
  nameBytes: Buffer;
  madeBy: number;
  flags: number;
  method: number;
  crc32: number;
  csize: number;
  usize: number;
  external: number;
  offset: number;
  dataStart: number;
  /** Sizes are in a ZIP64 extra field (the 32-bit fields say 0xFFFFFFFF). */
  zip64: boolean;
}

const READ_CHUNK = 8 * 1024 * 1024;

function u64(b: Buffer, at: number, what: string): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail('E_ZIP_STRUCTURE', `${what} is beyond 2^53`);
  return Number(v);
}

/** The payload of the ZIP64 extra field (id 0x0001) in `extra`, or null. */
function zip64Field(extra: Buffer): Buffer | null {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (p + 4 + len > extra.length) fail('E_ZIP_STRUCTURE', 'an extra field runs past its record');
    if (id === ZIP64_EXTRA_ID) return extra.subarray(p + 4, p + 4 + len);
    p += 4 + len;
  }
  return null;
}

async function readAt(fh: fs.promises.FileHandle, pos: number, len: number): Promise<Buffer> {
  const b = Buffer.alloc(len);
  const { bytesRead } = await fh.read(b, 0, len, pos);
  return b.subarray(0, bytesRead);
}

export async function openZipSource(file: string, limits: SourceLimits): Promise<BundleSource> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const entries = await checkContainer(fh, (await fh.stat()).size, limits);
    return zipSource(fh, entries);
  } catch (err) {
    await fh.close();
    throw err;
  }
}

async function checkContainer(fh: fs.promises.FileHandle, size: number, limits: SourceLimits): Promise<SourceEntry[]> {
  // Step 1: limits we can see before parsing anything.
  if (size > limits.maxBytes) fail('E_TOO_LARGE', `the bundle is ${size} bytes, more than the limit of ${limits.maxBytes}`);
  if (size < EOCD_SIZE) fail('E_ZIP_STRUCTURE', 'too short to be a ZIP file');

  // Step 2: the end record must be the last 22 bytes (an empty archive comment).
  const eocd = await readAt(fh, size - EOCD_SIZE, EOCD_SIZE);
  if (eocd.readUInt32LE(0) !== SIG_EOCD) {
    const tail = await readAt(fh, Math.max(0, size - 65_557), Math.min(size, 65_557));
    const at = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    fail('E_ZIP_STRUCTURE', at >= 0 ? 'the archive has a comment (bundles have none)' : 'no end-of-central-directory record: truncated, or not a ZIP file');
  }
  if (eocd.readUInt16LE(4) !== 0 || eocd.readUInt16LE(6) !== 0) fail('E_ZIP_STRUCTURE', 'multi-disk archives are not supported');
  let count = eocd.readUInt16LE(10);
  let cdSize = eocd.readUInt32LE(12);
  let cdOffset = eocd.readUInt32LE(16);
  let cdEnd = size - EOCD_SIZE;
  if (eocd.readUInt16LE(20) !== 0) fail('E_ZIP_STRUCTURE', 'the archive has a comment (bundles have none)');
  if (count === SAT16 || cdSize === SAT32 || cdOffset === SAT32) {
    // ZIP64: a locator right before the end record points at the ZIP64 end record, right before it.
    if (size < EOCD_SIZE + EOCD64_LOCATOR_SIZE + EOCD64_SIZE) fail('E_ZIP_STRUCTURE', 'too short for its ZIP64 end records');
    const loc = await readAt(fh, size - EOCD_SIZE - EOCD64_LOCATOR_SIZE, EOCD64_LOCATOR_SIZE);
    if (loc.readUInt32LE(0) !== SIG_EOCD64_LOCATOR || loc.readUInt32LE(4) !== 0 || loc.readUInt32LE(16) !== 1) fail('E_ZIP_STRUCTURE', 'no ZIP64 end-record locator where the end record says there is one');
    cdEnd = u64(loc, 8, 'the ZIP64 end record offset');
    if (cdEnd + EOCD64_SIZE !== size - EOCD_SIZE - EOCD64_LOCATOR_SIZE) fail('E_ZIP_STRUCTURE', 'the ZIP64 end record is not where its locator says, or has extensible data');
    const e64 = await readAt(fh, cdEnd, EOCD64_SIZE);
    if (e64.readUInt32LE(0) !== SIG_EOCD64 || u64(e64, 4, 'size') !== EOCD64_SIZE - 12 || e64.readUInt32LE(16) !== 0 || e64.readUInt32LE(20) !== 0) fail('E_ZIP_STRUCTURE', 'a damaged ZIP64 end record');
    count = u64(e64, 32, 'the entry count');
    if (u64(e64, 24, 'the entry count') !== count) fail('E_ZIP_STRUCTURE', 'multi-disk archives are not supported');
    cdSize = u64(e64, 40, 'the central directory size');
    cdOffset = u64(e64, 48, 'the central directory offset');
  }
  // Step 1: the entry limit, before the directory is read (bounded memory).
  if (count > limits.maxEntries) fail('E_TOO_LARGE', `${count} entries, more than the limit of ${limits.maxEntries}`);
  if (cdOffset + cdSize !== cdEnd) fail('E_ZIP_STRUCTURE', 'the central directory is not where the end record says: data prepended, appended or truncated');
  if (cdSize > limits.maxEntries * (CENTRAL_HEADER_SIZE + 300)) fail('E_TOO_LARGE', 'the central directory is larger than the entry limit allows');

  const cd = await readAt(fh, cdOffset, cdSize);
  const records: CdRecord[] = [];
  for (let p = 0; p < cd.length; ) {
    if (records.length >= limits.maxEntries) fail('E_TOO_LARGE', `more than ${limits.maxEntries} entries`);
    if (p + CENTRAL_HEADER_SIZE > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) fail('E_ZIP_STRUCTURE', 'a damaged central directory record');
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const end = p + CENTRAL_HEADER_SIZE + nameLen + extraLen + commentLen;
    if (end > cd.length) fail('E_ZIP_STRUCTURE', 'a central directory record runs past the directory');
    const nameBytes = cd.subarray(p + CENTRAL_HEADER_SIZE, p + CENTRAL_HEADER_SIZE + nameLen);
    const r: CdRecord = {
      name: nameBytes.toString('utf8'),
      nameBytes,
      madeBy: cd.readUInt16LE(p + 4),
      flags: cd.readUInt16LE(p + 8),
      method: cd.readUInt16LE(p + 10),
      crc32: cd.readUInt32LE(p + 16),
      csize: cd.readUInt32LE(p + 20),
      usize: cd.readUInt32LE(p + 24),
      external: cd.readUInt32LE(p + 38),
      offset: cd.readUInt32LE(p + 42),
      dataStart: 0,
      zip64: false,
    };
    if (r.usize === SAT32 || r.csize === SAT32 || r.offset === SAT32) {
      // APPNOTE 4.5.3: the ZIP64 field holds, in order, only the values whose 32-bit field is saturated.
      const z = zip64Field(cd.subarray(p + CENTRAL_HEADER_SIZE + nameLen, p + CENTRAL_HEADER_SIZE + nameLen + extraLen));
      const wanted = [r.usize, r.csize, r.offset].filter((v) => v === SAT32).length;
      if (!z || z.length < 8 * wanted) fail('E_ZIP_STRUCTURE', `${safeName(r)} has saturated sizes but no ZIP64 field`);
      let at = 0;
      const next = (): number => u64(z!, (at += 8) - 8, 'a ZIP64 value');
      if (r.usize === SAT32) r.usize = next();
      if (r.csize === SAT32) r.csize = next();
      if (r.offset === SAT32) r.offset = next();
      r.zip64 = cd.readUInt32LE(p + 20) === SAT32 || cd.readUInt32LE(p + 24) === SAT32;
    }
    records.push(r);
    if (cd.readUInt16LE(p + 34) !== 0) fail('E_ZIP_STRUCTURE', 'multi-disk entry');
    p = end;
  }
  if (count !== records.length) fail('E_ZIP_STRUCTURE', 'the entry count in the end record does not match the central directory');
  if (records.length === 0) fail('E_ZIP_STRUCTURE', 'the archive is empty');

  // Step 2 per entry: no encryption, STORE only, sizes that fit v1, first entry at offset 0.
  for (const r of records) {
    if (r.flags & 0x0001 || r.flags & 0x0040) fail('E_ZIP_STRUCTURE', `${safeName(r)} is encrypted`);
    if (r.method !== 0) fail('E_ZIP_STRUCTURE', `${safeName(r)} is compressed (method ${r.method}); bundles use STORE only`);
  }
  if (Math.min(...records.map((r) => r.offset)) !== 0) fail('E_ZIP_STRUCTURE', 'data before the first entry (a prepended file)');

  // Step 3: names. Non-ASCII bytes cannot pass the charset; check the bytes, not a lossy decode.
  let root: string | null = null;
  for (const r of records) {
    if (r.nameBytes.some((c) => c >= 0x80)) fail('E_BAD_PATH', `${safeName(r)}: non-ASCII name`);
    const isDir = r.name.endsWith('/');
    const name = isDir ? r.name.slice(0, -1) : r.name;
    const problem = name.includes('/') || !isDir ? bundlePathProblem(name) : bundlePathProblem(`${name}/x`);
    if (problem) fail('E_BAD_PATH', `${safeName(r)}: ${problem}`);
    const top = name.split('/')[0];
    if (root === null) root = top;
    if (top !== root) fail('E_BAD_PATH', `more than one top-level folder (${root}, ${top})`);
  }

  // Step 4: only regular files and directories.
  for (const r of records) {
    if (r.madeBy >> 8 !== 3) continue; // no Unix mode recorded: nothing but files and dirs can be expressed
    const type = (r.external >>> 16) & 0o170000;
    const isDir = r.name.endsWith('/');
    if (type === 0) continue;
    if (isDir ? type !== S_IFDIR : type !== S_IFREG) fail('E_LINK', `${r.name} is a ${type === 0o120000 ? 'symbolic link' : 'special file'}, not a regular file`);
  }

  // Step 5: unique after case folding (the charset is ASCII, so lowercasing is the fold).
  const seen = new Set<string>();
  for (const r of records) {
    const k = r.name.replace(/\/$/, '').toLowerCase();
    if (seen.has(k)) fail('E_DUPLICATE', `${r.name} appears twice (or differs only in case)`);
    seen.add(k);
  }

  // Step 6: entries tile the file from 0 to the central directory, disjoint, and each local header
  // repeats the central record.
  const byOffset = [...records].sort((a, b) => a.offset - b.offset);
  for (let i = 0; i < byOffset.length; i++) {
    const r = byOffset[i];
    const next = i + 1 < byOffset.length ? byOffset[i + 1].offset : cdOffset;
    const minEnd = r.offset + LOCAL_HEADER_SIZE + r.nameBytes.length + r.csize;
    if (minEnd > next) fail('E_OVERLAP', `${r.name} overlaps ${i + 1 < byOffset.length ? byOffset[i + 1].name : 'the central directory'} (or declares more bytes than it has)`);
  }
  for (let i = 0; i < byOffset.length; i++) {
    const r = byOffset[i];
    const head = await readAt(fh, r.offset, LOCAL_HEADER_SIZE);
    if (head.length < LOCAL_HEADER_SIZE || head.readUInt32LE(0) !== SIG_LOCAL) fail('E_ZIP_STRUCTURE', `no local header for ${r.name}`);
    const extraLen = head.readUInt16LE(28);
    const h = Buffer.concat([head, await readAt(fh, r.offset + LOCAL_HEADER_SIZE, r.nameBytes.length + extraLen)]);
    const descriptor = (r.flags & 0x0008) !== 0;
    const sizesMatch = (): boolean => {
      if (!r.zip64) return h.readUInt32LE(18) === r.csize && h.readUInt32LE(22) === r.usize;
      const z = zip64Field(h.subarray(LOCAL_HEADER_SIZE + r.nameBytes.length));
      // The local ZIP64 field holds both sizes: uncompressed, then compressed.
      return h.readUInt32LE(18) === SAT32 && h.readUInt32LE(22) === SAT32 && z !== null && z.length >= 16 && u64(z, 0, 'size') === r.usize && u64(z, 8, 'size') === r.csize;
    };
    const same =
      h.readUInt16LE(6) === r.flags &&
      h.readUInt16LE(8) === r.method &&
      h.readUInt16LE(26) === r.nameBytes.length &&
      h.subarray(LOCAL_HEADER_SIZE, LOCAL_HEADER_SIZE + r.nameBytes.length).equals(r.nameBytes) &&
      (descriptor ? true : h.readUInt32LE(14) === r.crc32 && sizesMatch());
    if (!same) fail('E_ZIP_STRUCTURE', `the local header of ${r.name} differs from its central directory record`);
    r.dataStart = r.offset + LOCAL_HEADER_SIZE + r.nameBytes.length + extraLen;
    let end = r.dataStart + r.csize;
    if (descriptor) {
      const d = await readAt(fh, end, 4);
      end += d.length === 4 && d.readUInt32LE(0) === SIG_DESCRIPTOR ? 16 : 12;
    }
    const next = i + 1 < byOffset.length ? byOffset[i + 1].offset : cdOffset;
    if (end > next) fail('E_OVERLAP', `${r.name} overlaps the next entry`);
    if (end < next) fail('E_ZIP_STRUCTURE', `${next - end} unexplained bytes after ${r.name}`);
  }

  // Step 7: STORE means stored size == real size; the total cannot exceed the archive.
  let total = 0;
  for (const r of records) {
    if (r.csize !== r.usize) fail('E_RATIO', `${r.name} claims ${r.usize} bytes but stores ${r.csize}`);
    total += r.usize;
  }
  if (total > size) fail('E_RATIO', 'the entries claim more bytes than the archive holds');

  return records.filter((r) => !r.name.endsWith('/')).map((r) => ({ name: r.name, size: r.usize, position: r.dataStart }));
}

function safeName(r: CdRecord): string {
  return JSON.stringify(r.name.slice(0, 200));
}

function zipSource(fh: fs.promises.FileHandle, entries: SourceEntry[]): BundleSource {
  return {
    kind: 'zip',
    entries,
    async read(e) {
      return readAt(fh, e.position, e.size);
    },
    async stream(e, onChunk) {
      // Two buffers: the next read runs on the I/O threads while this chunk is hashed, so verify is
      // bound by SHA-256, not by waiting for the disk between chunks.
      const size = Math.min(READ_CHUNK, Math.max(e.size, 1));
      const bufs = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
      let pos = e.position;
      let left = e.size;
      let i = 0;
      let pending = left > 0 ? fh.read(bufs[0], 0, Math.min(size, left), pos) : null;
      while (pending) {
        const { bytesRead } = await pending;
        if (bytesRead === 0) fail('E_SIZE', `${e.name} ended early`);
        const cur = bufs[i];
        pos += bytesRead;
        left -= bytesRead;
        i ^= 1;
        pending = left > 0 ? fh.read(bufs[i], 0, Math.min(size, left), pos) : null;
        try {
          await onChunk(cur.subarray(0, bytesRead));
        } catch (err) {
          await pending?.catch(() => undefined);
          throw err;
        }
      }
    },
    close: () => fh.close(),
  };
}
