// Units on numbers (`50ms`, `2s`, `1.5GB`, `5%`, `1k`) and on keys (`latency_ms`, `gpu_mem_gb`).
// A value's unit is converted into the unit its key's name ends in: `latency < 2s` against
// `latency_ms` compares with 2000. Factors are exact integers of the smallest unit (ns, bytes), so
// `50ms` against a `_ms` key is exactly 50, never 50.00000000000001.

export type Dimension = 'time' | 'bytes' | 'percent' | 'count';

interface UnitDef {
  dim: Dimension;
  /** In the dimension's smallest unit: ns for time, bytes for sizes; a plain multiplier for counts. */
  factor: number;
  name: string;
}

const NS = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12, d: 8.64e13, w: 6.048e14 };

const TIME: readonly (readonly [string[], number, string])[] = [
  [['ns', 'nanoseconds'], NS.ns, 'nanoseconds'],
  [['us', 'µs', 'microseconds'], NS.us, 'microseconds'],
  [['ms', 'msec', 'millis', 'milliseconds', 'millisecond'], NS.ms, 'milliseconds'],
  [['s', 'sec', 'secs', 'second', 'seconds'], NS.s, 'seconds'],
  [['m', 'min', 'mins', 'minute', 'minutes'], NS.m, 'minutes'],
  [['h', 'hr', 'hrs', 'hour', 'hours'], NS.h, 'hours'],
  [['d', 'day', 'days'], NS.d, 'days'],
];
const BYTES: readonly (readonly [string[], number, string])[] = [
  [['bytes', 'byte'], 1, 'bytes'],
  [['kb'], 1e3, 'kilobytes'],
  [['mb'], 1e6, 'megabytes'],
  [['gb'], 1e9, 'gigabytes'],
  [['tb'], 1e12, 'terabytes'],
  [['kib'], 2 ** 10, 'kibibytes'],
  [['mib'], 2 ** 20, 'mebibytes'],
  [['gib'], 2 ** 30, 'gibibytes'],
  [['tib'], 2 ** 40, 'tebibytes'],
];

/** Units written after a number. Case matters only where it must: `M` is a million, `m` minutes. */
const VALUE_UNITS = new Map<string, UnitDef>();
/** Units a key name may end in (`_ms`, `_gb`, `_pct`), lower-case. */
const KEY_UNITS = new Map<string, UnitDef>();

for (const [names, factor, name] of TIME) {
  for (const n of names) {
    VALUE_UNITS.set(n, { dim: 'time', factor, name });
    if (n !== 'm' && n !== 'd') KEY_UNITS.set(n, { dim: 'time', factor, name });
  }
}
KEY_UNITS.set('days', { dim: 'time', factor: NS.d, name: 'days' });
for (const [names, factor, name] of BYTES) {
  for (const n of names) {
    const def: UnitDef = { dim: 'bytes', factor, name };
    VALUE_UNITS.set(n, def);
    VALUE_UNITS.set(n.toUpperCase(), def);
    if (n.length > 1) VALUE_UNITS.set(n[0].toUpperCase() + n.slice(1), def); // Gb, Kib
    KEY_UNITS.set(n, def);
  }
}
VALUE_UNITS.set('KiB', { dim: 'bytes', factor: 2 ** 10, name: 'kibibytes' });
VALUE_UNITS.set('MiB', { dim: 'bytes', factor: 2 ** 20, name: 'mebibytes' });
VALUE_UNITS.set('GiB', { dim: 'bytes', factor: 2 ** 30, name: 'gibibytes' });
VALUE_UNITS.set('TiB', { dim: 'bytes', factor: 2 ** 40, name: 'tebibytes' });
for (const n of ['%', 'pct', 'percent']) VALUE_UNITS.set(n, { dim: 'percent', factor: 1, name: 'percent' });
for (const n of ['pct', 'percent', 'perc']) KEY_UNITS.set(n, { dim: 'percent', factor: 1, name: 'percent' });
// `7B` is how people write model sizes (seven billion), so B is a count here, not bytes.
for (const [n, f] of [['k', 1e3], ['K', 1e3], ['M', 1e6], ['B', 1e9], ['b', 1e9], ['bn', 1e9]] as const) VALUE_UNITS.set(n, { dim: 'count', factor: f, name: n });

export function valueUnit(unit: string): UnitDef | undefined {
  return VALUE_UNITS.get(unit) ?? VALUE_UNITS.get(unit.toLowerCase());
}

/** The unit a key's name ends in: `latency_ms` → ms, `gpuMemGb` → gb, `accuracy` → none. */
export function keyUnit(key: string): (UnitDef & { suffix: string }) | undefined {
  const segs = keySegments(key);
  if (segs.length < 2) return undefined;
  const last = segs[segs.length - 1];
  const def = KEY_UNITS.get(last);
  return def ? { ...def, suffix: last } : undefined;
}

/** Lower-case name segments: `val_auc` → [val, auc]; `trainLoss` → [train, loss]; `train/loss` → [train, loss]. */
export function keySegments(key: string): string[] {
  return key
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((s) => s.length > 0)
    .map((s) => s.toLowerCase());
}

export type Conversion =
  | { ok: true; value: number; note: string | null }
  | { ok: false; message: string };

const tidy = (n: number): number => Number(n.toPrecision(12));

/**
 * `amount unit` expressed for a key: converted into the key's unit, or left as written with a note
 * when the key has no unit to convert into. Counts (`1k`) only scale.
 */
export function convertForKey(amount: number, unit: string, key: string): Conversion {
  const from = valueUnit(unit);
  if (!from) return { ok: false, message: `'${unit}' is not a unit this language knows` };
  if (from.dim === 'count') return { ok: true, value: tidy(amount * from.factor), note: null };
  const to = keyUnit(key);
  if (from.dim === 'percent') {
    if (!to) return { ok: true, value: tidy(amount / 100), note: `${amount}% compared with ${key} as the fraction ${tidy(amount / 100)}` };
    if (to.dim === 'percent') return { ok: true, value: amount, note: null };
    return { ok: false, message: `${key} is in ${to.name}, but ${amount}% is a percentage` };
  }
  if (!to) return { ok: true, value: amount, note: `${key} has no unit in its name: ${amount}${unit} compared as ${amount}` };
  if (to.dim !== from.dim) return { ok: false, message: `${key} is in ${to.name}, but ${amount}${unit} is in ${from.name}` };
  return { ok: true, value: from.factor === to.factor ? amount : tidy((amount * from.factor) / to.factor), note: null };
}

export const unitDimension = (unit: string): Dimension | undefined => valueUnit(unit)?.dim;
