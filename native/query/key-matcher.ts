// Maps the words people type to the keys that exist, ignoring case and separators: `val_auc`,
// `val-auc`, `val auc` and `valAuc` are one key; `auc` is `val_auc` when only one key has an `auc`
// segment; `latency` is `latency_ms` (the unit suffix is optional). Several keys at the best level
// of match is an ambiguity the caller reports; this module never picks one of them.
import type { Field, FieldKind } from './ast';
import { BUILTIN_WORDS, fieldLabel } from './fields';
import { keySegments, keyUnit, type Dimension } from './units';
import { isSystemTag, type Vocabulary } from './vocabulary';

interface Entry {
  field: Field;
  norm: string;
  /** The normalised name without its unit suffix (`latencyms` → `latency`); null without one. */
  normNoUnit: string | null;
  segs: string[];
  unitDim: Dimension | null;
}

export type MatchLevel = 'exact' | 'unit' | 'segment';
const LEVELS: readonly MatchLevel[] = ['exact', 'unit', 'segment'];

export interface KeyMatch {
  level: MatchLevel;
  fields: Field[];
}

export const normalize = (words: readonly string[]): string => words.flatMap(keySegments).join('');

function entry(field: Field & { key: string }): Entry {
  const segs = keySegments(field.key);
  const unit = keyUnit(field.key);
  return {
    field,
    norm: segs.join(''),
    normNoUnit: unit ? segs.slice(0, -1).join('') : null,
    segs,
    unitDim: unit ? unit.dim : null,
  };
}

export class KeyIndex {
  private readonly entries: Entry[];

  /** Lower-cased value → the fields that have it (listed param and tag values, experiments, datasets). */
  private readonly values = new Map<string, { field: Field; value: string }[]>();

  constructor(readonly vocab: Vocabulary) {
    const addValue = (field: Field, value: string): void => {
      const key = value.toLowerCase();
      this.values.set(key, [...(this.values.get(key) ?? []), { field, value }]);
    };
    for (const [kind, infos] of [['param', vocab.params], ['tag', vocab.tags]] as const) {
      for (const info of infos) {
        if (kind === 'tag' && isSystemTag(info.key)) continue;
        for (const v of firstSpellings(info.values ?? [])) addValue({ kind, key: info.key }, v);
      }
    }
    for (const e of firstSpellings(vocab.experiments)) addValue({ kind: 'attribute', key: 'experiment' }, e);
    for (const d of firstSpellings(vocab.datasets.map((x) => x.name))) addValue({ kind: 'dataset', key: 'name' }, d);
    this.entries = [
      ...vocab.metrics.map((key) => entry({ kind: 'metric', key, agg: 'last' })),
      ...vocab.params.map((p) => entry({ kind: 'param', key: p.key })),
      ...vocab.tags.map((t) => entry({ kind: 'tag', key: t.key })),
    ];
  }

  /**
   * The keys `words` name, at the best level any key matches. `kinds` narrows the search (a
   * superlative wants metrics or params); `unitDim` prefers keys in that unit (`latency < 50ms`).
   */
  match(words: readonly string[], kinds?: ReadonlySet<FieldKind>, unitDim?: Dimension): KeyMatch | null {
    const memo = `${words.join('\u0000')}\u0001${kinds ? [...kinds].join(',') : ''}\u0001${unitDim ?? ''}`;
    if (!this.matches.has(memo)) this.matches.set(memo, this.matchUncached(words, kinds, unitDim));
    return this.matches.get(memo)!;
  }

  private readonly matches = new Map<string, KeyMatch | null>();

  private matchUncached(words: readonly string[], kinds?: ReadonlySet<FieldKind>, unitDim?: Dimension): KeyMatch | null {
    const segs = words.flatMap(keySegments);
    const norm = segs.join('');
    if (norm === '') return null;
    const allowed = (f: Field): boolean => !kinds || kinds.has(f.kind);
    const byLevel: Record<MatchLevel, Field[]> = { exact: [], unit: [], segment: [] };
    const units: Record<MatchLevel, (Dimension | null)[]> = { exact: [], unit: [], segment: [] };
    const builtin = BUILTIN_WORDS.get(norm);
    if (builtin && allowed(builtin)) {
      byLevel.exact.push(builtin);
      units.exact.push(null);
    }
    for (const e of this.entries) {
      if (!allowed(e.field)) continue;
      const level: MatchLevel | null =
        e.norm === norm ? 'exact' : e.normNoUnit === norm ? 'unit' : containsRun(e.segs, segs) ? 'segment' : null;
      if (!level) continue;
      byLevel[level].push(e.field);
      units[level].push(e.unitDim);
    }
    for (const level of LEVELS) {
      let fields = byLevel[level];
      if (fields.length === 0) continue;
      if (unitDim && unitDim !== 'count' && fields.length > 1) {
        const fitting = fields.filter((_, i) => units[level][i] === unitDim);
        if (fitting.length > 0) fields = fitting;
      }
      return { level, fields };
    }
    return null;
  }

  /** Whether `word` alone is some key's whole name (`code`, `version`): such words are never filler. */
  isKeyWord(word: string): boolean {
    const n = normalize([word]);
    return n !== '' && this.entries.some((e) => e.norm === n);
  }

  /** Fields whose listed values include `word` (case-insensitive), for a bare `xgb` → model = xgb. */
  valueFields(word: string): { field: Field; value: string }[] {
    return this.values.get(word.toLowerCase()) ?? [];
  }

  /** Suggestions made so far: a query full of unknown words gets candidates for the first few only. */
  private suggested = 0;

  /** Keys (formal names) and values spelt like `words`, closest first, for "did you mean". */
  suggest(words: readonly string[], limit = 5): string[] {
    const norm = normalize(words);
    if (norm.length < 2 || ++this.suggested > 20) return [];
    const max = norm.length <= 4 ? 1 : norm.length <= 8 ? 2 : 3;
    const scored: [number, string][] = [];
    for (const e of this.entries) {
      const d = Math.min(editDistance(norm, e.norm), ...e.segs.map((s) => (s.length >= 3 ? editDistance(norm, s) : Infinity)));
      if (d <= max) scored.push([d, fieldLabel(e.field)]);
    }
    for (const [w, f] of BUILTIN_WORDS) {
      if (w.length >= 3 && editDistance(norm, w) <= Math.min(max, 1)) scored.push([editDistance(norm, w), fieldLabel(f)]);
    }
    const values = [...this.vocab.params, ...this.vocab.tags.filter((t) => !isSystemTag(t.key))].flatMap((i) => i.values ?? []);
    for (const v of [...values, ...this.vocab.experiments, ...this.vocab.datasets.map((d) => d.name)]) {
      const d = editDistance(norm, normalize([v]));
      if (d <= max) scored.push([d, v]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    return [...new Set(scored.map(([, s]) => s))].slice(0, limit);
  }
}

/** One spelling per lower-cased value, the first one listed (`XGB` and `xgb` count once). */
function firstSpellings(values: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const v of values) if (!seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
  return [...seen.values()];
}

/** Whether `needle` occurs as a contiguous run of segments in `hay`. */
function containsRun(hay: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0 || needle.length > hay.length) return false;
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Optimal-string-alignment distance: edits, with a swap of two neighbours counted as one. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > 3) return Math.abs(a.length - b.length);
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
