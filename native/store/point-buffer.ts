// The write buffer's point columns, and their trip into DuckDB through the Appender as data chunks
// copied straight from typed arrays (no JS value per cell).
import duckdb from '@duckdb/node-bindings';
import { BIGINT, DOUBLE, DuckDBDataChunk, INTEGER, type DuckDBAppender } from '@duckdb/node-api';

const CHUNK = 2048; // DuckDB's vector size: the most rows one data chunk holds
const TWO_32 = 4294967296;

/** Column buffers grown by doubling; steps and timestamps as doubles until they are copied into int64. */
export class PointBuffer {
  length = 0;
  series = new Int32Array(4096);
  step = new Float64Array(4096);
  ts = new Float64Array(4096);
  value = new Float64Array(4096);
  segment = new Int32Array(4096);

  push(seriesId: number, step: number, ts: number, value: number, segment: number): void {
    if (this.length === this.series.length) this.grow();
    const i = this.length++;
    this.series[i] = seriesId;
    this.step[i] = step;
    this.ts[i] = ts;
    this.value[i] = value;
    this.segment[i] = segment;
  }

  private grow(): void {
    const n = this.series.length * 2;
    const g = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.series = g(this.series, (k) => new Int32Array(k));
    this.step = g(this.step, (k) => new Float64Array(k));
    this.ts = g(this.ts, (k) => new Float64Array(k));
    this.value = g(this.value, (k) => new Float64Array(k));
    this.segment = g(this.segment, (k) => new Int32Array(k));
  }
}

// Reused across flushes: the int64 columns are written as two int32 halves, so no bigint is made per
// point. Safe to share: appendPoints never yields between filling them and copying them out.
const i64Step = new BigInt64Array(CHUNK);
const i64Ts = new BigInt64Array(CHUNK);

/** Appends every buffered point to `appender` (a metrics_hot appender) in chunks of 2048 rows. */
export function appendPoints(appender: DuckDBAppender, buf: PointBuffer): void {
  const step32 = new Int32Array(i64Step.buffer);
  const ts32 = new Int32Array(i64Ts.buffer);
  for (let off = 0; off < buf.length; off += CHUNK) {
    const n = Math.min(CHUNK, buf.length - off);
    for (let i = 0; i < n; i++) {
      const s = buf.step[off + i];
      const t = buf.ts[off + i];
      step32[2 * i] = s | 0; // ToInt32 keeps the low 32 bits of any safe integer
      step32[2 * i + 1] = Math.floor(s / TWO_32);
      ts32[2 * i] = t | 0;
      ts32[2 * i + 1] = Math.floor(t / TWO_32);
    }
    const chunk = DuckDBDataChunk.create([INTEGER, BIGINT, BIGINT, DOUBLE, INTEGER]);
    chunk.rowCount = n;
    const cols: [Int32Array | Float64Array | BigInt64Array, number][] = [
      [buf.series, off * 4],
      [i64Step, 0],
      [i64Ts, 0],
      [buf.value, off * 8],
      [buf.segment, off * 4],
    ];
    cols.forEach(([arr, byteOff], c) => {
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
      duckdb.copy_data_to_vector(vector, 0, arr.buffer as ArrayBuffer, arr.byteOffset + byteOff, n * arr.BYTES_PER_ELEMENT);
    });
    appender.appendDataChunk(chunk);
  }
}
