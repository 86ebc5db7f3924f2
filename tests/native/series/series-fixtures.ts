// Generated metric series for the downsampling tests: a seeded random walk with planted spikes,
// NaN/±Inf points and resume segments (a step going backwards), sorted as the store returns them.
import type { SeriesColumns } from '../../../native/store/metric-repository';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PlantedSeries {
  cols: SeriesColumns;
  /** Indices of planted spikes (values far above and below the walk). */
  spikes: number[];
  nan: number;
  posInf: number;
  negInf: number;
}

export function plantedSeries(n: number, seed: number, opts: { spikes?: number; nonFinite?: number; segments?: number } = {}): PlantedSeries {
  const r = rng(seed);
  const step = new Float64Array(n);
  const ts = new Float64Array(n);
  const value = new Float64Array(n);
  const segment = new Int32Array(n);
  const segCount = opts.segments ?? 1;
  const perSeg = Math.ceil(n / segCount);
  let v = 0;
  for (let i = 0; i < n; i++) {
    const seg = Math.floor(i / perSeg);
    segment[i] = seg;
    // A resume restarts a little before where the previous segment ended.
    step[i] = (i - seg * perSeg) + seg * Math.floor(perSeg * 0.8);
    ts[i] = 1_700_000_000_000 + i * 10;
    v += r() - 0.5;
    value[i] = v;
  }
  const spikes = new Set<number>();
  while (spikes.size < Math.min(n, opts.spikes ?? 0)) spikes.add(Math.floor(r() * n));
  for (const i of spikes) value[i] = (r() < 0.5 ? -1 : 1) * (1e6 + r() * 1e6);
  let nan = 0, posInf = 0, negInf = 0;
  for (let k = 0; k < (opts.nonFinite ?? 0); k++) {
    const i = Math.floor(r() * n);
    if (spikes.has(i) || !Number.isFinite(value[i])) continue;
    const kind = k % 3;
    value[i] = kind === 0 ? NaN : kind === 1 ? Infinity : -Infinity;
    if (kind === 0) nan++;
    else if (kind === 1) posInf++;
    else negInf++;
  }
  return { cols: { step, ts, value, segment }, spikes: [...spikes].sort((a, b) => a - b), nan, posInf, negInf };
}
