// Metric points gathered in columns for MetricWriter.appendColumns: typed arrays, no object per
// point, so an importer can hand over millions of points without the garbage collector noticing.
import type { MetricColumns } from '../store/metric-writer';

export const BATCH_POINTS = 1 << 16;

export class PointBatch {
  /** Keys of the run, in first-seen order; shared by every batch of the run (indices never change). */
  readonly keys: string[];
  private readonly keyIds = new Map<string, number>();
  private keyIndex = new Int32Array(BATCH_POINTS);
  private step = new Float64Array(BATCH_POINTS);
  private ts = new Float64Array(BATCH_POINTS);
  private value = new Float64Array(BATCH_POINTS);
  length = 0;
  /** Full batches, waiting for the importer to hand them on. */
  private ready: MetricColumns[] = [];

  constructor(keys: string[] = []) {
    this.keys = keys;
    keys.forEach((k, i) => this.keyIds.set(k, i));
  }

  keyId(key: string): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.keys.push(key) - 1;
      this.keyIds.set(key, id);
    }
    return id;
  }

  push(keyId: number, step: number, ts: number, value: number): void {
    const i = this.length++;
    this.keyIndex[i] = keyId;
    this.step[i] = step;
    this.ts[i] = ts;
    this.value[i] = value;
    if (this.length === BATCH_POINTS) this.seal();
  }

  /** Full batches plus (when `all`) the partial one; each is handed over once. */
  take(all: boolean): MetricColumns[] {
    if (all && this.length > 0) this.seal();
    const out = this.ready;
    this.ready = [];
    return out;
  }

  private seal(): void {
    const n = this.length;
    // The writer keeps references until it commits: hand over these arrays and start fresh ones.
    this.ready.push({
      keys: this.keys.slice(), // a snapshot: the writer reads it after an await, while more keys may arrive
      keyIndex: n === BATCH_POINTS ? this.keyIndex : this.keyIndex.slice(0, n),
      step: n === BATCH_POINTS ? this.step : this.step.slice(0, n),
      ts: n === BATCH_POINTS ? this.ts : this.ts.slice(0, n),
      value: n === BATCH_POINTS ? this.value : this.value.slice(0, n),
    });
    this.keyIndex = new Int32Array(BATCH_POINTS);
    this.step = new Float64Array(BATCH_POINTS);
    this.ts = new Float64Array(BATCH_POINTS);
    this.value = new Float64Array(BATCH_POINTS);
    this.length = 0;
  }
}
