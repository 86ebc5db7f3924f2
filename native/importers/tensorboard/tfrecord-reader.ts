// TFRecord framing, read in large chunks: each record is
//   uint64 length (LE) | uint32 masked CRC-32C of the length bytes | data | uint32 masked CRC-32C of data
// (tensorflow/core/lib/io/record_writer.cc). A record whose data CRC fails is skipped and reported;
// its length was CRC-checked, so the next record is still found. A corrupt length cannot be trusted,
// so the reader scans forward for the next position where a whole record checks out (both CRCs),
// reports the skipped byte range, and goes on. A file cut short reports the torn record and ends.
import fs from 'node:fs';
import { maskedCrc32c } from './crc32c';

export interface Damage {
  /** Byte offset in the file where the damaged record (or damaged range) starts. */
  offset: number;
  reason: string;
}

/** The records found in one chunk of the file: `buf.subarray(starts[i], ends[i])` is record i's data. */
export interface FramedChunk {
  buf: Buffer;
  starts: number[];
  ends: number[];
  /** File offset of each record's header. */
  offsets: number[];
  damaged: Damage[];
  /** File bytes consumed so far (for progress). */
  bytesDone: number;
}

const HEADER = 12;
const FOOTER = 4;

interface ScanState {
  /** File offset of buf[0]. */
  bufOffset: number;
  size: number;
  /** File offset where a corrupt header was met, while looking for the next good record. */
  resyncFrom: number | null;
  /** Bytes the next read must bring in at least (a record longer than a chunk). */
  want: number;
  /** The file ended inside a record: nothing after it can be read. */
  torn: boolean;
}

/**
 * Frames every complete record in buf[pos..]; returns where it stopped. A plain function, not part
 * of the generator: V8 optimises it as a tight loop, which is most of the reader's time.
 */
function scan(buf: Buffer, pos: number, st: ScanState, out: FramedChunk): number {
  const end = buf.length;
  while (end - pos >= HEADER) {
    const len = buf.readUInt32LE(pos) + buf.readUInt32LE(pos + 4) * 4294967296;
    if (maskedCrc32c(buf, pos, pos + 8) !== buf.readUInt32LE(pos + 8)) {
      if (st.resyncFrom === null) st.resyncFrom = st.bufOffset + pos;
      pos++;
      continue;
    }
    const total = HEADER + len + FOOTER;
    if (st.bufOffset + pos + total > st.size) {
      // The length checks out but the file ends first: a torn last record (or, while
      // resynchronising, a false match; keep scanning).
      if (st.resyncFrom !== null) {
        pos++;
        continue;
      }
      out.damaged.push({ offset: st.bufOffset + pos, reason: `truncated record: it needs ${total} bytes, the file ends after ${st.size - st.bufOffset - pos}` });
      st.torn = true;
      return end;
    }
    if (end - pos < total) {
      st.want = total;
      break;
    }
    const dataEnd = pos + HEADER + len;
    const dataOk = maskedCrc32c(buf, pos + HEADER, dataEnd) === buf.readUInt32LE(dataEnd);
    if (st.resyncFrom !== null) {
      if (!dataOk) {
        pos++;
        continue;
      }
      const at = st.bufOffset + pos;
      out.damaged.push({ offset: st.resyncFrom, reason: `corrupt record header: skipped ${at - st.resyncFrom} bytes, resumed at byte ${at}` });
      st.resyncFrom = null;
    }
    if (dataOk) {
      out.starts.push(pos + HEADER);
      out.ends.push(dataEnd);
      out.offsets.push(st.bufOffset + pos);
    } else {
      out.damaged.push({ offset: st.bufOffset + pos, reason: `data CRC mismatch in a ${len}-byte record` });
    }
    pos += total;
  }
  return pos;
}

export async function* readTfRecords(file: string, chunkSize = 8 << 20): AsyncGenerator<FramedChunk> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const st: ScanState = { bufOffset: 0, size, resyncFrom: null, want: chunkSize, torn: false };
    let buf = Buffer.alloc(0);
    let pos = 0;
    let filePos = 0;
    for (;;) {
      // Keep the unread tail, append the next chunk behind it.
      const tail = buf.length - pos;
      const next = Buffer.allocUnsafe(tail + Math.min(Math.max(st.want, chunkSize), size - filePos));
      buf.copy(next, 0, pos);
      const { bytesRead } = await fh.read(next, tail, next.length - tail, filePos);
      filePos += bytesRead;
      st.bufOffset += pos;
      buf = next.subarray(0, tail + bytesRead);
      st.want = chunkSize;
      const eof = filePos >= size || bytesRead === 0;
      const out: FramedChunk = { buf, starts: [], ends: [], offsets: [], damaged: [], bytesDone: filePos };
      pos = scan(buf, 0, st, out);
      if (st.torn || eof) {
        const left = buf.length - pos;
        if (st.torn) {
          /* reported by scan() */
        } else if (st.resyncFrom !== null) {
          out.damaged.push({ offset: st.resyncFrom, reason: `corrupt record header: no valid record after it (${size - st.resyncFrom} bytes skipped)` });
        } else if (left > 0) {
          out.damaged.push({ offset: st.bufOffset + pos, reason: `truncated record header: the file ends ${left} bytes into it` });
        }
        out.bytesDone = size;
        yield out;
        return;
      }
      yield out;
    }
  } finally {
    await fh.close();
  }
}
