// Decodes TensorBoard Event records (tensorboard/compat/proto/event.proto) of one run: scalar
// points go straight into a columnar PointBatch; text, histograms, hparams and what is not imported
// are collected for the importer. The scalar path allocates nothing per point (tags are interned
// from their bytes), because a run can hold tens of millions of points.
import { PointBatch } from '../point-batch';
import { decodeUtf8, FIXED32, FIXED64, LEN, Wire, WireError } from './protobuf-wire';
import {
  decodeHistogramProto,
  decodeHParamsPluginData,
  decodeTensor,
  histogramFromTensor,
  isNumericDtype,
  tensorText,
  type HistogramPoint,
  type HParamsData,
} from './summary-values';

export interface TextEntry {
  tag: string;
  step: number;
  wallTime: number;
  text: string;
}

/** Interns tag strings by their UTF-8 bytes: one string per distinct tag, not one per event. */
class TagTable {
  readonly names: string[] = [];
  /** Direct-mapped by hash: the few tags a run logs each find their slot without a Map lookup. */
  private readonly slots: ({ bytes: Uint8Array; id: number } | undefined)[] = new Array(1024);
  private readonly buckets = new Map<number, { bytes: Uint8Array; id: number }[]>();

  intern(buf: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5 ^ (end - start);
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    const slot = this.slots[h & 1023];
    if (slot !== undefined && same(slot.bytes, buf, start, end)) return slot.id;
    // Masked to 30 bits: a small integer key, which a Map hashes fastest.
    const key = h & 0x3fffffff;
    let list = this.buckets.get(key);
    if (list) {
      for (const e of list) {
        if (same(e.bytes, buf, start, end)) {
          this.slots[h & 1023] = e;
          return e.id;
        }
      }
    } else {
      list = [];
      this.buckets.set(key, list);
    }
    const bytes = buf.slice(start, end);
    const entry = { bytes, id: this.names.push(decodeUtf8(bytes)) - 1 };
    list.push(entry);
    this.slots[h & 1023] = entry;
    return entry.id;
  }
}

function same(a: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[start + i]) return false;
  return true;
}

export class EventDecoder {
  readonly hparams: HParamsData = { params: new Map(), metricNames: [] };
  readonly texts: TextEntry[] = [];
  readonly histograms = new Map<string, HistogramPoint[]>();
  /** What was seen but not imported, by kind: "image", "audio", "graph", plugin names. */
  readonly ignored = new Map<string, number>();
  firstWall = Infinity;
  lastWall = -Infinity;
  private readonly tags = new TagTable();
  private readonly keyOfTag: number[] = [];
  private readonly pluginOfTag: (string | undefined)[] = [];
  private readonly ev = new Wire();
  private readonly sum = new Wire();
  private readonly val = new Wire();

  constructor(readonly points: PointBatch) {}

  /** Decodes one Event; throws WireError when its bytes are not a valid Event. */
  decode(buf: Uint8Array, start: number, end: number): void {
    const w = this.ev.reset(buf, start, end);
    let wall = 0;
    let step = 0;
    let sumStart = -1;
    let sumEnd = -1;
    while (w.next()) {
      switch (w.field) {
        case 1:
          if (w.type !== FIXED64) throw new WireError(`Event.wall_time has wire type ${w.type}`);
          wall = w.double();
          break;
        case 2:
          step = w.int64();
          break;
        case 5:
          if (w.type !== LEN) throw new WireError(`Event.summary has wire type ${w.type}`);
          w.len();
          sumStart = w.start;
          sumEnd = w.stop;
          break;
        case 4:
        case 9:
          this.ignore('graph');
          w.skip();
          break;
        case 8:
          this.ignore('run metadata');
          w.skip();
          break;
        default:
          w.skip(); // file_version, source_metadata, session_log: nothing to import
      }
    }
    if (wall > 0) {
      if (wall < this.firstWall) this.firstWall = wall;
      if (wall > this.lastWall) this.lastWall = wall;
    }
    if (sumStart < 0) return;
    const s = this.sum.reset(buf, sumStart, sumEnd);
    while (s.next()) {
      if (s.field !== 1 || s.type !== LEN) {
        s.skip();
        continue;
      }
      s.len();
      const after = s.pos;
      this.value(buf, s.start, s.stop, step, wall);
      s.pos = after;
    }
  }

  private value(buf: Uint8Array, start: number, end: number, step: number, wall: number): void {
    const v = this.val.reset(buf, start, end);
    let tagStart = start;
    let tagEnd = start;
    let kind = 0;
    let kStart = 0;
    let kEnd = 0;
    let simple = 0;
    let metaStart = -1;
    let metaEnd = -1;
    while (v.next()) {
      const f = v.field;
      if (f === 2 && v.type === FIXED32) {
        simple = v.float();
        kind = 2;
      } else if ((f === 1 || f === 9 || (f >= 3 && f <= 6) || f === 8) && v.type === LEN) {
        v.len();
        if (f === 1) {
          tagStart = v.start;
          tagEnd = v.stop;
        } else if (f === 9) {
          metaStart = v.start;
          metaEnd = v.stop;
        } else {
          kind = f;
          kStart = v.start;
          kEnd = v.stop;
        }
      } else v.skip();
    }
    const id = this.tags.intern(buf, tagStart, tagEnd);
    if (metaStart >= 0) this.metadata(id, buf, metaStart, metaEnd);
    switch (kind) {
      case 2:
        this.points.push(this.keyOf(id), step, Math.round(wall * 1000), simple);
        return;
      case 8:
        this.tensor(id, buf, kStart, kEnd, step, wall);
        return;
      case 5:
        this.addHistogram(id, decodeHistogramProto(buf, kStart, kEnd, step, wall));
        return;
      case 3:
        this.ignore('old-style histogram');
        return;
      case 4:
        this.ignore('image');
        return;
      case 6:
        this.ignore('audio');
        return;
    }
  }

  private tensor(id: number, buf: Uint8Array, start: number, end: number, step: number, wall: number): void {
    const plugin = this.pluginOfTag[id];
    if (plugin === 'hparams') return; // its data is the metadata's content, decoded already
    const t = decodeTensor(buf, start, end);
    if (plugin === 'scalars') {
      if (t.numbers.length === 0 || !isNumericDtype(t.dtype)) throw new WireError(`scalar summary '${this.tags.names[id]}' holds no number`);
      this.points.push(this.keyOf(id), step, Math.round(wall * 1000), t.numbers[0]);
    } else if (plugin === 'text') {
      this.texts.push({ tag: this.tags.names[id], step, wallTime: wall, text: tensorText(t) });
    } else if (plugin === 'histograms') {
      this.addHistogram(id, histogramFromTensor(t, step, wall));
    } else {
      this.ignore(plugin ? `${plugin} summary` : 'tensor summary without a plugin');
    }
  }

  private metadata(id: number, buf: Uint8Array, start: number, end: number): void {
    const m = new Wire(buf, start, end);
    while (m.next()) {
      if (m.field !== 1 || m.type !== LEN) {
        m.skip();
        continue;
      }
      m.len();
      const p = new Wire(buf, m.start, m.stop);
      let name = '';
      let content: Uint8Array | null = null;
      while (p.next()) {
        if (p.field === 1) name = p.string();
        else if (p.field === 2) content = p.bytes();
        else p.skip();
      }
      this.pluginOfTag[id] = name;
      if (name === 'hparams' && content) decodeHParamsPluginData(content, this.hparams);
    }
  }

  private keyOf(id: number): number {
    let k = this.keyOfTag[id];
    if (k === undefined) {
      k = this.points.keyId(this.tags.names[id]);
      this.keyOfTag[id] = k;
    }
    return k;
  }

  private addHistogram(id: number, h: HistogramPoint): void {
    const tag = this.tags.names[id];
    const list = this.histograms.get(tag) ?? [];
    list.push(h);
    this.histograms.set(tag, list);
  }

  ignore(what: string): void {
    this.ignored.set(what, (this.ignored.get(what) ?? 0) + 1);
  }
}
