// A file of the bag with its digests, computed once while reading (SHA-256 for the manifest, CRC-32
// for the ZIP headers), so export reads each source file twice at most: hash, then copy.
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';

export interface BagFile {
  /** Path inside the bag: `data/…`, `bagit.txt`, `provenance/…`, `signatures/…`. */
  path: string;
  size: number;
  sha256: string;
  crc32: number;
  source: { file: string } | { data: Buffer };
  /** The name people know it by (an artifact's original path), when it differs. */
  originalName?: string;
  mediaType?: string;
}

export function bufferFile(p: string, data: Buffer | string, extra: Partial<BagFile> = {}): BagFile {
  const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { path: p, size: b.length, sha256: crypto.createHash('sha256').update(b).digest('hex'), crc32: zlib.crc32(b), source: { data: b }, ...extra };
}

export const jsonFile = (p: string, value: unknown): BagFile => bufferFile(p, `${JSON.stringify(value, null, 2)}\n`);

/** Hashes a file on disk in large reads; `onBytes` reports progress. */
export async function diskFile(p: string, file: string, onBytes: (n: number) => void, extra: Partial<BagFile> = {}): Promise<BagFile> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const hash = crypto.createHash('sha256');
    const buf = Buffer.allocUnsafe(8 * 1024 * 1024);
    let crc = 0;
    let size = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      hash.update(chunk);
      crc = zlib.crc32(chunk, crc);
      size += bytesRead;
      onBytes(bytesRead);
    }
    return { path: p, size, sha256: hash.digest('hex'), crc32: crc >>> 0, source: { file }, ...extra };
  } finally {
    await fh.close();
  }
}
