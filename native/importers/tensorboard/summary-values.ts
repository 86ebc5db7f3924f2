// Decoders for the pieces inside a Summary.Value that are not plain scalars: TensorProto numbers and
// strings, HistogramProto, and the HParams plugin's data. Field numbers are from TensorBoard's
// tensorboard/compat/proto/{tensor,tensor_shape,histogram}.proto and plugins/hparams/*.proto.
import { decodeUtf8, FIXED64, Wire } from './protobuf-wire';

// DataType values (tensorboard/compat/proto/types.proto).
const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_INT32 = 3;
const DT_UINT8 = 4;
const DT_INT16 = 5;
const DT_INT8 = 6;
const DT_STRING = 7;
const DT_INT64 = 9;
const DT_BOOL = 10;
const DT_BFLOAT16 = 14;
const DT_UINT16 = 17;
const DT_HALF = 19;
const DT_UINT32 = 22;
const DT_UINT64 = 23;

export interface Tensor {
  dtype: number;
  shape: number[];
  /** Numeric elements (row-major), whichever representation the writer used. */
  numbers: number[];
  strings: Uint8Array[];
}

const w = new Wire();
const sub = new Wire();

export function decodeTensor(buf: Uint8Array, start: number, end: number): Tensor {
  const t: Tensor = { dtype: 0, shape: [], numbers: [], strings: [] };
  let content: Uint8Array | null = null;
  const half: number[] = [];
  w.reset(buf, start, end);
  while (w.next()) {
    switch (w.field) {
      case 1: t.dtype = w.varint(); break;
      case 2:
        w.len();
        t.shape = decodeShape(buf, w.start, w.stop);
        break;
      case 4: content = w.bytes(); break;
      case 5: w.packed(t.numbers, (r) => r.float()); break;
      case 6: w.packed(t.numbers, (r) => r.double()); break;
      case 7: case 16: w.packed(t.numbers, (r) => r.int64()); break;
      case 10: w.packed(t.numbers, (r) => r.int64()); break;
      case 11: w.packed(t.numbers, (r) => r.varint()); break;
      case 13: w.packed(half, (r) => r.varint()); break;
      case 17: w.packed(t.numbers, (r) => r.varint()); break;
      case 8: t.strings.push(w.bytes()); break;
      default: w.skip();
    }
  }
  if (half.length > 0) t.numbers = half.map((h) => (t.dtype === DT_BFLOAT16 ? bfloat16(h) : float16(h)));
  if (content && content.length > 0) t.numbers = fromContent(t.dtype, content);
  return t;
}

function decodeShape(buf: Uint8Array, start: number, end: number): number[] {
  const dims: number[] = [];
  sub.reset(buf, start, end);
  while (sub.next()) {
    if (sub.field !== 2) {
      sub.skip();
      continue;
    }
    sub.len();
    const d = new Wire(buf, sub.start, sub.stop);
    let size = 0;
    while (d.next()) {
      if (d.field === 1) size = d.int64();
      else d.skip();
    }
    dims.push(size);
  }
  return dims;
}

/** `tensor_content`: the raw little-endian element bytes. */
function fromContent(dtype: number, c: Uint8Array): number[] {
  const v = new DataView(c.buffer, c.byteOffset, c.byteLength);
  const read = (size: number, get: (at: number) => number): number[] => {
    const out: number[] = [];
    for (let at = 0; at + size <= c.length; at += size) out.push(get(at));
    return out;
  };
  switch (dtype) {
    case DT_FLOAT: return read(4, (a) => v.getFloat32(a, true));
    case DT_DOUBLE: return read(8, (a) => v.getFloat64(a, true));
    case DT_INT32: return read(4, (a) => v.getInt32(a, true));
    case DT_UINT32: return read(4, (a) => v.getUint32(a, true));
    case DT_INT64: return read(8, (a) => Number(v.getBigInt64(a, true)));
    case DT_UINT64: return read(8, (a) => Number(v.getBigUint64(a, true)));
    case DT_INT16: return read(2, (a) => v.getInt16(a, true));
    case DT_UINT16: return read(2, (a) => v.getUint16(a, true));
    case DT_INT8: return read(1, (a) => v.getInt8(a));
    case DT_UINT8: case DT_BOOL: return read(1, (a) => v.getUint8(a));
    case DT_HALF: return read(2, (a) => float16(v.getUint16(a, true)));
    case DT_BFLOAT16: return read(2, (a) => bfloat16(v.getUint16(a, true)));
    default: return [];
  }
}

function float16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function bfloat16(h: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setUint32(0, (h & 0xffff) << 16);
  return v.getFloat32(0);
}

export function isNumericDtype(dtype: number): boolean {
  return dtype !== DT_STRING && dtype !== 0;
}

export function tensorText(t: Tensor): string {
  const cells = t.strings.map((s) => decodeUtf8(s));
  // A rank-2 string tensor is a table in TensorBoard's text plugin: keep it one, in Markdown.
  if (t.shape.length === 2 && t.shape[1] > 0 && cells.length === t.shape[0] * t.shape[1]) {
    const rows: string[] = [];
    for (let r = 0; r < t.shape[0]; r++) rows.push(`| ${cells.slice(r * t.shape[1], (r + 1) * t.shape[1]).join(' | ')} |`);
    rows.splice(1, 0, `|${' --- |'.repeat(t.shape[1])}`);
    return rows.join('\n');
  }
  return cells.join('\n\n');
}

export interface HistogramPoint {
  step: number;
  wall_time: number;
  min?: number;
  max?: number;
  num?: number;
  sum?: number;
  sum_squares?: number;
  bucket_limit?: number[];
  bucket?: number[];
  /** tf.summary v2 histograms: [left edge, right edge, count] per bucket. */
  buckets?: number[][];
}

export function decodeHistogramProto(buf: Uint8Array, start: number, end: number, step: number, wallTime: number): HistogramPoint {
  const h: HistogramPoint = { step, wall_time: wallTime, min: 0, max: 0, num: 0, sum: 0, sum_squares: 0, bucket_limit: [], bucket: [] };
  const r = new Wire(buf, start, end);
  while (r.next()) {
    if (r.field >= 1 && r.field <= 5 && r.type === FIXED64) {
      const v = r.double();
      if (r.field === 1) h.min = v;
      else if (r.field === 2) h.max = v;
      else if (r.field === 3) h.num = v;
      else if (r.field === 4) h.sum = v;
      else h.sum_squares = v;
    } else if (r.field === 6) r.packed(h.bucket_limit!, (x) => x.double());
    else if (r.field === 7) r.packed(h.bucket!, (x) => x.double());
    else r.skip();
  }
  return h;
}

export function histogramFromTensor(t: Tensor, step: number, wallTime: number): HistogramPoint {
  const buckets: number[][] = [];
  for (let i = 0; i + 3 <= t.numbers.length; i += 3) buckets.push(t.numbers.slice(i, i + 3));
  return { step, wall_time: wallTime, buckets };
}

/** What the HParams plugin recorded (plugins/hparams/plugin_data.proto, api.proto). */
export interface HParamsData {
  params: Map<string, string>;
  metricNames: string[];
  /** SessionEndInfo.status: 1 success, 2 failure, 3 running. */
  status?: number;
  startTimeSecs?: number;
  endTimeSecs?: number;
}

export function decodeHParamsPluginData(content: Uint8Array, into: HParamsData): void {
  const r = new Wire(content, 0, content.length);
  while (r.next()) {
    if (r.field < 2 || r.field > 4 || r.type !== 2) {
      r.skip();
      continue;
    }
    r.len();
    const m = new Wire(content, r.start, r.stop);
    const kind = r.field;
    while (m.next()) {
      if (kind === 2 && m.field === 5) {
        // Experiment.metric_infos → MetricInfo.name → MetricName { group, tag }
        m.len();
        const info = new Wire(content, m.start, m.stop);
        while (info.next()) {
          if (info.field !== 1) { info.skip(); continue; }
          info.len();
          const name = new Wire(content, info.start, info.stop);
          let group = '';
          let tag = '';
          while (name.next()) {
            if (name.field === 1) group = name.string();
            else if (name.field === 2) tag = name.string();
            else name.skip();
          }
          const full = group ? `${group}/${tag}` : tag;
          if (!into.metricNames.includes(full)) into.metricNames.push(full);
        }
      } else if (kind === 3 && m.field === 1) {
        // SessionStartInfo.hparams: map<string, google.protobuf.Value>, entries { key = 1; value = 2 }
        m.len();
        const entry = new Wire(content, m.start, m.stop);
        let key = '';
        let value: unknown = null;
        while (entry.next()) {
          if (entry.field === 1) key = entry.string();
          else if (entry.field === 2) { entry.len(); value = decodeProtobufValue(content, entry.start, entry.stop); }
          else entry.skip();
        }
        into.params.set(key, paramText(value));
      } else if (kind === 3 && m.field === 5 && m.type === FIXED64) into.startTimeSecs = m.double();
      else if (kind === 4 && m.field === 1) into.status = m.varint();
      else if (kind === 4 && m.field === 2 && m.type === FIXED64) into.endTimeSecs = m.double();
      else m.skip();
    }
  }
}

/** google.protobuf.Value (struct.proto): null 1, number 2, string 3, bool 4, struct 5, list 6. */
function decodeProtobufValue(buf: Uint8Array, start: number, end: number): unknown {
  const r = new Wire(buf, start, end);
  let out: unknown = null;
  while (r.next()) {
    if (r.field === 1) { r.varint(); out = null; }
    else if (r.field === 2 && r.type === FIXED64) out = r.double();
    else if (r.field === 3) out = r.string();
    else if (r.field === 4) out = r.varint() !== 0;
    else if (r.field === 6) {
      r.len();
      const list: unknown[] = [];
      const l = new Wire(buf, r.start, r.stop);
      while (l.next()) {
        if (l.field === 1) { l.len(); list.push(decodeProtobufValue(buf, l.start, l.stop)); }
        else l.skip();
      }
      out = list;
    } else if (r.field === 5) {
      r.len();
      const obj: Record<string, unknown> = {};
      const s = new Wire(buf, r.start, r.stop);
      while (s.next()) {
        if (s.field !== 1) { s.skip(); continue; }
        s.len();
        const e = new Wire(buf, s.start, s.stop);
        let k = '';
        let v: unknown = null;
        while (e.next()) {
          if (e.field === 1) k = e.string();
          else if (e.field === 2) { e.len(); v = decodeProtobufValue(buf, e.start, e.stop); }
          else e.skip();
        }
        obj[k] = v;
      }
      out = obj;
    } else r.skip();
  }
  return out;
}

function paramText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

