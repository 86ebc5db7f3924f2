// CRC-32C (Castagnoli), as TFRecord framing uses it, and TensorFlow's "masked" form of it.
// Node has no CRC-32C (zlib.crc32 is the IEEE polynomial), so this is slicing-by-8 over a table:
// eight table lookups per 8 bytes keeps the check at well over 1 GB/s, far from the import's bottleneck.

const POLY = 0x82f63b78; // reflected Castagnoli polynomial
// Int32Array, not Uint32Array: entries above 2^31 would come back as heap doubles, and every XOR
// would convert them; int32 entries stay small integers in optimised code.
const T = new Int32Array(8 * 256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  T[i] = c;
}
for (let t = 1; t < 8; t++) {
  for (let i = 0; i < 256; i++) {
    const prev = T[(t - 1) * 256 + i];
    T[t * 256 + i] = (prev >>> 8) ^ T[prev & 0xff];
  }
}

export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  let crc = -1;
  let i = start;
  while (end - i >= 8) {
    crc ^= buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
    const hi = buf[i + 4] | (buf[i + 5] << 8) | (buf[i + 6] << 16) | (buf[i + 7] << 24);
    crc =
      T[1792 + (crc & 0xff)] ^
      T[1536 + ((crc >>> 8) & 0xff)] ^
      T[1280 + ((crc >>> 16) & 0xff)] ^
      T[1024 + (crc >>> 24)] ^
      T[768 + (hi & 0xff)] ^
      T[512 + ((hi >>> 8) & 0xff)] ^
      T[256 + ((hi >>> 16) & 0xff)] ^
      T[hi >>> 24];
    i += 8;
  }
  while (i < end) crc = T[(crc ^ buf[i++]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

/**
 * TFRecord stores CRCs "masked" (rotated and offset) because a CRC computed over data that itself
 * contains CRCs is weak; see tensorflow/core/lib/hash/crc32c.h.
 */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

export function maskedCrc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  return maskCrc(crc32c(buf, start, end));
}
