// A deterministic STORE-only ZIP writer (BUNDLE.md §4.1): entries in the order given (callers sort),
// a fixed 1980-01-01 mtime, the UTF-8 flag, no comments, no directory entries, and no extra fields
// except ZIP64's, exactly where a size or offset needs it (so small bundles carry none). The same
// entries give the same bytes.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { SAT32, S_IFREG, centralHeader, endOfCentralDirectory, localHeader } from './zip-format';

export interface ZipInput {
  name: string;
  size: number;
  crc32: number;
  source: { file: string } | { data: Buffer };
}

const CHUNK = 8 * 1024 * 1024;

export interface ZipOptions {
  /** ZIP64 records on every entry and at the end, needed or not (tests of the reader's ZIP64 path). */
  forceZip64?: boolean;
}

/** Streams the entries into `out` (created exclusively); `onBytes` reports payload bytes copied. */
export async function writeZip(out: string, entries: readonly ZipInput[], onBytes: (n: number) => void = () => undefined, o: ZipOptions = {}): Promise<void> {
  const fh = await fs.promises.open(out, 'wx', 0o644);
  const central: Buffer[] = [];
  let offset = 0;
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    for (const e of entries) {
      const name = Buffer.from(e.name, 'utf8');
      const zip64 = o.forceZip64 === true || e.size >= SAT32;
      const header = localHeader({ name, crc32: e.crc32, size: e.size, zip64 });
      await fh.write(header, 0, header.length, offset);
      central.push(centralHeader({ name, crc32: e.crc32, size: e.size, offset, mode: S_IFREG | 0o644, zip64 }));
      offset += header.length;
      if ('data' in e.source) {
        if (e.source.data.length !== e.size) throw new Error(`${e.name}: size changed while writing`);
        await fh.write(e.source.data, 0, e.size, offset);
        offset += e.size;
        onBytes(e.size);
        continue;
      }
      const src = await fs.promises.open(e.source.file, 'r');
      try {
        let left = e.size;
        let crc = 0;
        while (left > 0) {
          const { bytesRead } = await src.read(buf, 0, Math.min(CHUNK, left), null);
          if (bytesRead === 0) throw new Error(`${e.name}: the source file shrank while writing`);
          crc = zlib.crc32(buf.subarray(0, bytesRead), crc);
          await fh.write(buf, 0, bytesRead, offset);
          offset += bytesRead;
          left -= bytesRead;
          onBytes(bytesRead);
        }
        // A source changed between hashing and copying would make a zip that lies: stop here.
        if (crc >>> 0 !== e.crc32 >>> 0) throw new Error(`${e.name}: the file changed while it was being exported`);
      } finally {
        await src.close();
      }
    }
    const cd = Buffer.concat(central);
    await fh.write(cd, 0, cd.length, offset);
    const eocd = o.forceZip64 ? endOfCentralDirectory(entries.length, cd.length, offset, true) : endOfCentralDirectory(entries.length, cd.length, offset);
    await fh.write(eocd, 0, eocd.length, offset + cd.length);
  } finally {
    await fh.close();
  }
}

export interface RawZipEntry {
  name: string;
  data: Buffer;
  mode?: number;
}

/** An in-memory zip with no limits checked: for building test fixtures (damaged ones included). */
export function zipFromBuffers(entries: readonly RawZipEntry[], o: ZipOptions = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc32 = zlib.crc32(e.data);
    const zip64 = o.forceZip64 === true;
    const header = localHeader({ name, crc32, size: e.data.length, zip64 });
    central.push(centralHeader({ name, crc32, size: e.data.length, offset, mode: e.mode ?? S_IFREG | 0o644, zip64 }));
    parts.push(header, e.data);
    offset += header.length + e.data.length;
  }
  const cd = Buffer.concat(central);
  const end = o.forceZip64 ? endOfCentralDirectory(entries.length, cd.length, offset, true) : endOfCentralDirectory(entries.length, cd.length, offset);
  return Buffer.concat([...parts, cd, end]);
}
