// ZIP record layouts (PKWARE APPNOTE 6.3.x §4.3) for what bundles use: STORE only, no comments, one
// fixed timestamp, no extra fields except the ZIP64 one where a size or offset needs 64 bits (an
// entry of 4 GiB or more, a bundle past 4 GiB, more than 65,535 entries). Shared by the writer, the
// reader and tests that build damaged archives.
export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_EOCD = 0x06054b50;
export const SIG_DESCRIPTOR = 0x08074b50;
export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const EOCD_SIZE = 22;
export const SIG_EOCD64 = 0x06064b50;
export const SIG_EOCD64_LOCATOR = 0x07064b50;
export const EOCD64_SIZE = 56;
export const EOCD64_LOCATOR_SIZE = 20;
/** A 32-bit (or 16-bit) field that says "the real value is in the ZIP64 record". */
export const SAT32 = 0xffffffff;
export const SAT16 = 0xffff;
export const ZIP64_EXTRA_ID = 0x0001;
/** General purpose flag bit 11: names are UTF-8. */
export const FLAG_UTF8 = 0x0800;
/** 1980-01-01 00:00:00 in MS-DOS date/time: the fixed mtime that makes exports byte-identical. */
export const DOS_DATE = (0 << 9) | (1 << 5) | 1;
export const DOS_TIME = 0;
/** Made by Unix (3), spec 2.0: external attributes carry the Unix mode in the high 16 bits. */
export const MADE_BY_UNIX = (3 << 8) | 20;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;

export interface HeaderFields {
  name: Buffer;
  crc32: number;
  size: number;
  flags?: number;
  method?: number;
  /** Sizes in a ZIP64 extra field (required from 4 GiB on; tests force it for small entries). */
  zip64?: boolean;
}

/** The fields local and central headers share, from "version needed" on (APPNOTE 4.3.7 / 4.3.12). */
function commonFields(b: Buffer, at: number, h: HeaderFields): void {
  b.writeUInt16LE(h.zip64 ? 45 : 20, at); // version needed: 4.5 for ZIP64, else 2.0
  b.writeUInt16LE(h.flags ?? FLAG_UTF8, at + 2);
  b.writeUInt16LE(h.method ?? 0, at + 4);
  b.writeUInt16LE(DOS_TIME, at + 6);
  b.writeUInt16LE(DOS_DATE, at + 8);
  b.writeUInt32LE(h.crc32 >>> 0, at + 10);
  b.writeUInt32LE(h.zip64 ? SAT32 : h.size, at + 14); // compressed = uncompressed: STORE
  b.writeUInt32LE(h.zip64 ? SAT32 : h.size, at + 18);
  b.writeUInt16LE(h.name.length, at + 22);
}

/** The ZIP64 extended information extra field with the given 64-bit values, in APPNOTE order. */
function zip64Extra(values: number[]): Buffer {
  if (values.length === 0) return Buffer.alloc(0);
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(ZIP64_EXTRA_ID, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}

export function localHeader(h: HeaderFields): Buffer {
  const b = Buffer.alloc(LOCAL_HEADER_SIZE);
  b.writeUInt32LE(SIG_LOCAL, 0);
  commonFields(b, 4, h);
  const extra = zip64Extra(h.zip64 ? [h.size, h.size] : []);
  b.writeUInt16LE(extra.length, 28);
  return Buffer.concat([b, h.name, extra]);
}

export function centralHeader(h: HeaderFields & { offset: number; mode: number }): Buffer {
  const offset64 = h.zip64 === true || h.offset >= SAT32;
  const b = Buffer.alloc(CENTRAL_HEADER_SIZE);
  b.writeUInt32LE(SIG_CENTRAL, 0);
  b.writeUInt16LE(h.zip64 ? (3 << 8) | 45 : MADE_BY_UNIX, 4);
  commonFields(b, 6, h);
  const extra = zip64Extra([...(h.zip64 ? [h.size, h.size] : []), ...(offset64 ? [h.offset] : [])]);
  b.writeUInt16LE(extra.length, 30);
  // comment length, disk number start, internal attributes: all 0
  b.writeUInt32LE((h.mode << 16) >>> 0, 38);
  b.writeUInt32LE(offset64 ? SAT32 : h.offset, 42);
  return Buffer.concat([b, h.name, extra]);
}

/**
 * The end of the archive after the central directory. With `zip64` (needed past 65,535 entries or
 * 4 GiB) a ZIP64 end record and its locator come first and the classic record's fields saturate,
 * which is how readers know to look for them.
 */
export function endOfCentralDirectory(count: number, cdSize: number, cdOffset: number, zip64 = count >= SAT16 || cdSize >= SAT32 || cdOffset >= SAT32): Buffer {
  const eocd = Buffer.alloc(EOCD_SIZE);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(zip64 ? SAT16 : count, 8);
  eocd.writeUInt16LE(zip64 ? SAT16 : count, 10);
  eocd.writeUInt32LE(zip64 ? SAT32 : cdSize, 12);
  eocd.writeUInt32LE(zip64 ? SAT32 : cdOffset, 16);
  if (!zip64) return eocd;
  const e64 = Buffer.alloc(EOCD64_SIZE);
  e64.writeUInt32LE(SIG_EOCD64, 0);
  e64.writeBigUInt64LE(BigInt(EOCD64_SIZE - 12), 4); // size of the rest of this record
  e64.writeUInt16LE((3 << 8) | 45, 12);
  e64.writeUInt16LE(45, 14);
  e64.writeBigUInt64LE(BigInt(count), 24);
  e64.writeBigUInt64LE(BigInt(count), 32);
  e64.writeBigUInt64LE(BigInt(cdSize), 40);
  e64.writeBigUInt64LE(BigInt(cdOffset), 48);
  const loc = Buffer.alloc(EOCD64_LOCATOR_SIZE);
  loc.writeUInt32LE(SIG_EOCD64_LOCATOR, 0);
  loc.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
  loc.writeUInt32LE(1, 16); // total number of disks
  return Buffer.concat([e64, loc, eocd]);
}
