// A minimal protocol-buffers wire-format reader (https://protobuf.dev/programming-guides/encoding/):
// enough to decode TensorBoard's Event, Summary, TensorProto and HParams messages without a
// protobuf dependency or generated code. Zero-copy: length-delimited fields are positions into the
// caller's buffer. Malformed input throws WireError; the record reader turns that into a reported
// damaged record, never a failed import.

export class WireError extends Error {}

export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const FIXED32 = 5;

export class Wire {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  /** Field number and wire type of the field that next() just read. */
  field = 0;
  type = 0;
  /** Bounds of the last length-delimited value read by len(). */
  start = 0;
  stop = 0;
  private view: DataView = new DataView(new ArrayBuffer(0));

  constructor(buf?: Uint8Array, start = 0, end = buf?.length ?? 0) {
    if (buf) this.reset(buf, start, end);
  }

  reset(buf: Uint8Array, start: number, end: number): this {
    if (buf !== this.buf) {
      this.buf = buf;
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    this.pos = start;
    this.end = end;
    return this;
  }

  /** Reads the next field's key; false at the end of the message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    const key = this.varint();
    this.field = Math.floor(key / 8);
    this.type = key & 7;
    if (this.field === 0) throw new WireError(`field number 0 at byte ${this.pos}`);
    return true;
  }

  /** An unsigned varint (up to 2^53 exactly; larger ones lose precision, as any JS number does). */
  varint(): number {
    const buf = this.buf;
    let b = buf[this.pos++];
    if (b < 0x80 && this.pos <= this.end) return b;
    let result = b & 0x7f;
    let mul = 128;
    for (let i = 1; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('varint runs past the end of its message');
      b = buf[this.pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** An int64 varint: negative numbers are ten bytes of two's complement. */
  int64(): number {
    const at = this.pos;
    const v = this.varint();
    if (this.pos - at < 10) return v;
    let big = 0n;
    for (let i = this.pos - 1; i >= at; i--) big = (big << 7n) | BigInt(this.buf[i] & 0x7f);
    return Number(BigInt.asIntN(64, big));
  }

  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  float(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A length-delimited value: sets `start`/`stop` to its bounds and moves past it. */
  len(): void {
    const n = this.varint();
    this.need(n);
    this.start = this.pos;
    this.stop = this.pos + n;
    this.pos = this.stop;
  }

  bytes(): Uint8Array {
    this.len();
    return this.buf.subarray(this.start, this.stop);
  }

  string(): string {
    this.len();
    return utf8.decode(this.buf.subarray(this.start, this.stop));
  }

  /** Skips the value of the field next() just read. */
  skip(): void {
    switch (this.type) {
      case VARINT:
        this.varint();
        return;
      case FIXED64:
        this.need(8);
        this.pos += 8;
        return;
      case LEN:
        this.len();
        return;
      case FIXED32:
        this.need(4);
        this.pos += 4;
        return;
      default:
        // Groups (3, 4) are proto2-only and never appear in TensorBoard's proto3 messages.
        throw new WireError(`unsupported wire type ${this.type} for field ${this.field}`);
    }
  }

  /** Numbers of a repeated numeric field, packed (LEN) or one per occurrence. */
  packed(out: number[], read: (w: Wire) => number): void {
    if (this.type !== LEN) {
      out.push(read(this));
      return;
    }
    this.len();
    const end = this.end;
    const after = this.pos;
    this.pos = this.start;
    this.end = this.stop;
    while (this.pos < this.end) out.push(read(this));
    this.end = end;
    this.pos = after;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.end) throw new WireError(`field ${this.field} runs past the end of its message`);
  }
}

const utf8 = new TextDecoder('utf-8');

export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
