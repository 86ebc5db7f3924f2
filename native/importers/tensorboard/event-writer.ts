// Writes TensorBoard event files: TFRecord framing around Event protos with scalar summaries, in
// both spellings (simple_value as torch's SummaryWriter writes it, a float tensor with the scalars
// plugin as tf.summary v2 does). The tests build damaged files with it and the import benchmark
// builds its 10M-point file; it is the inverse of tfrecord-reader.ts and event-decoder.ts.
import { maskedCrc32c } from './crc32c';

class Encoder {
  private buf = Buffer.allocUnsafe(256);
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  varint(v: number): this {
    this.room(10);
    if (v < 0) {
      // int64 two's complement: always ten bytes
      let big = BigInt.asUintN(64, BigInt(v));
      for (let i = 0; i < 10; i++) {
        const b = Number(big & 0x7fn);
        big >>= 7n;
        this.buf[this.len++] = big > 0n ? b | 0x80 : b;
      }
      return this;
    }
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
    return this;
  }

  key(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  double(field: number, v: number): this {
    this.key(field, 1).room(8);
    this.buf.writeDoubleLE(v, this.len);
    this.len += 8;
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, 5).room(4);
    this.buf.writeFloatLE(v, this.len);
    this.len += 4;
    return this;
  }

  bytes(field: number, b: Uint8Array | string): this {
    const data = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
    this.key(field, 2).varint(data.length).room(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

export const message = (fill: (e: Encoder) => void): Buffer => {
  const e = new Encoder();
  fill(e);
  return e.done();
};

/** Event { wall_time, step, summary { value { tag, simple_value } } } */
export function scalarEvent(tag: string, step: number, wallTime: number, value: number): Buffer {
  const v = message((e) => e.bytes(1, tag).float(2, value));
  const summary = message((e) => e.bytes(1, v));
  return message((e) => e.double(1, wallTime).key(2, 0).varint(step).bytes(5, summary));
}

/** tf.summary v2: the value is a rank-0 DT_FLOAT tensor; the first event of a tag names the plugin. */
export function tensorScalarEvent(tag: string, step: number, wallTime: number, value: number, withMetadata: boolean): Buffer {
  const content = Buffer.alloc(4);
  content.writeFloatLE(value);
  const tensor = message((e) => e.key(1, 0).varint(1).bytes(2, Buffer.alloc(0)).bytes(4, content));
  const metadata = message((e) => e.bytes(1, message((p) => p.bytes(1, 'scalars'))));
  const v = message((e) => {
    e.bytes(1, tag).bytes(8, tensor);
    if (withMetadata) e.bytes(9, metadata);
  });
  return message((e) => e.double(1, wallTime).key(2, 0).varint(step).bytes(5, message((s) => s.bytes(1, v))));
}

export function fileVersionEvent(wallTime: number): Buffer {
  return message((e) => e.double(1, wallTime).bytes(3, 'brain.Event:2'));
}

/** uint64 length | masked CRC of it | data | masked CRC of data */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(16 + data.length);
  out.writeUInt32LE(data.length % 2 ** 32, 0);
  out.writeUInt32LE(Math.floor(data.length / 2 ** 32), 4);
  out.writeUInt32LE(maskedCrc32c(out, 0, 8), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}
