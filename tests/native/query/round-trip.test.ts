// Round trip, as a property: for random queries over keys chosen to be awkward (spaces, dashes,
// dots, quotes, backticks, digits first, non-ASCII) and values with quotes, `%`, comment markers and
// semicolons, rendering the formal query and reading it back gives the same query, and rendering
// that gives the same text. Seeded PRNG: a failure names its seed and reproduces.
import { describe, expect, it } from 'vitest';
import type { Cond, Expr, Field, Query, SortKey, TimeRef, Value } from '../../../native/query/ast';
import { parse } from '../../../native/query/parser';
import { resolve } from '../../../native/query/resolver';
import { renderFormal } from '../../../native/query/render-formal';
import { vocabularyOf } from '../../../native/query/vocabulary';
import { KeyIndex } from '../../../native/query/key-matcher';

const METRICS = ['val_auc', 'train/loss', 'weird key', 'has`tick', 'dots.in.key', 'ünïcode_score', '1st_epoch', 'a-b', 'latency_ms'];
const PARAMS = ['lr', 'model', 'my param', "quote'key", 'batch-size'];
const TAGS = ['priority', 'mlflow.runName', 'team'];
const vocab = vocabularyOf({ metrics: METRICS, params: Object.fromEntries(PARAMS.map((k) => [k, null])), tags: Object.fromEntries(TAGS.map((k) => [k, null])), experiments: ['credit-risk'] });
const index = new KeyIndex(vocab);

const STRINGS = ['xgb', "it's", "a''b", 'x` y', '50%_off', "'; DROP TABLE runs; --", '/* c */', 'ünï', '', ' spaced ', 'back\\slash', 'semi;colon', 'line\nbreak'];
const NUMBERS = [0, -1.5, 0.85, 1e-7, 1e21, 123456789, 3e-4, -0, 42];
const TIMES: TimeRef[] = [
  { anchor: 'now', minus: { amount: 7, unit: 'd' } },
  { anchor: 'now', minus: { amount: 90, unit: 'm' } },
  { anchor: 'now', minus: null },
  { anchor: 'today', minusDays: 0 },
  { anchor: 'today', minusDays: 3 },
  { anchor: 'date', date: '2026-11-01' },
  { anchor: 'date', date: '2026-11-01T12:30:45' },
  { anchor: 'epoch', ms: 1764158400000 },
];

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(private readonly rnd: () => number) {}
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  num(): Value {
    return { type: 'number', value: this.pick(NUMBERS) };
  }
  str(): Value {
    return { type: 'string', value: this.pick(STRINGS) };
  }
  time(): Value {
    return { type: 'time', ref: this.pick(TIMES) };
  }
  textConds(field: Field): Cond[] {
    const s = this.pick(STRINGS);
    return [
      { kind: 'cmp', field, op: this.pick(['=', '!='] as const), value: { type: 'string', value: s } },
      { kind: 'match', field, op: this.pick(['like', 'ilike', 'contains', 'prefix'] as const), pattern: s },
      { kind: 'in', field, values: [s, this.pick(STRINGS)], negated: this.chance(0.5) },
      { kind: 'null', field, negated: this.chance(0.5) },
    ];
  }
  cond(): Cond {
    const op = this.pick(['=', '!=', '>', '>=', '<', '<='] as const);
    switch (this.pick(['metric', 'param', 'tag', 'time', 'status', 'text', 'dataset', 'env', 'git'])) {
      case 'metric': {
        const field: Field = { kind: 'metric', key: this.pick(METRICS), agg: this.pick(['last', 'min', 'max', 'first', 'count', 'nan_count', 'inf_count'] as const) };
        return this.pick<Cond>([{ kind: 'cmp', field, op, value: this.num() }, { kind: 'between', field, low: this.num(), high: this.num() }, { kind: 'null', field, negated: this.chance(0.5) }]);
      }
      case 'param':
      case 'tag': {
        const field: Field = this.chance(0.5) ? { kind: 'param', key: this.pick(PARAMS) } : { kind: 'tag', key: this.pick(TAGS) };
        // Tags are text: `tags.x = 3` compares with '3', so only inequalities take numbers there.
        const numOp = field.kind === 'tag' ? this.pick(['>', '>=', '<', '<='] as const) : op;
        return this.pick<Cond>([{ kind: 'cmp', field, op: numOp, value: this.num() }, { kind: 'between', field, low: this.num(), high: this.num() }, ...this.textConds(field)]);
      }
      case 'time': {
        const field: Field = { kind: 'attribute', key: this.pick(['start_time', 'end_time'] as const) };
        return this.pick<Cond>([{ kind: 'cmp', field, op, value: this.time() }, { kind: 'between', field, low: this.time(), high: this.time() }]);
      }
      case 'status':
        return this.chance(0.5)
          ? { kind: 'cmp', field: { kind: 'attribute', key: 'status' }, op: this.pick(['=', '!='] as const), value: { type: 'string', value: this.pick(['FAILED', 'RUNNING', 'INTERRUPTED']) } }
          : { kind: 'cmp', field: { kind: 'attribute', key: 'lifecycle_stage' }, op: '=', value: { type: 'string', value: this.pick(['active', 'deleted']) } };
      case 'text':
        return this.pick(this.textConds({ kind: 'attribute', key: this.pick(['run_name', 'run_id', 'user_id', 'experiment'] as const) }));
      case 'dataset':
        return this.chance(0.3)
          ? { kind: 'cmp', field: { kind: 'dataset', key: 'changed' }, op: '=', value: { type: 'bool', value: this.chance(0.5) } }
          : this.pick(this.textConds({ kind: 'dataset', key: this.pick(['name', 'digest', 'context'] as const) }));
      case 'env': {
        const key = this.pick(['gpu', 'torch', 'cuda', 'python', 'hostname'] as const);
        // `env.gpu = x` is read as "contains": only the canonical spellings round-trip.
        const conds = this.textConds({ kind: 'env', key });
        return this.pick(key === 'gpu' ? conds.filter((c) => c.kind !== 'cmp') : conds);
      }
      default:
        return this.chance(0.5)
          ? { kind: 'cmp', field: { kind: 'git', key: 'dirty' }, op: '=', value: { type: 'bool', value: this.chance(0.5) } }
          : { kind: 'match', field: { kind: 'git', key: 'commit' }, op: 'prefix', pattern: this.pick(['8a3f', "x'y"]) };
    }
  }
  /** An expression in the shape the resolver produces: and/or flattened, at least two items. */
  expr(depth: number, parent: 'and' | 'or' | 'not' | null = null): Expr {
    if (depth === 0 || this.chance(0.35)) return this.cond();
    const kinds = (['and', 'or', 'not'] as const).filter((k) => k !== parent || k === 'not');
    const kind = this.pick(kinds);
    if (kind === 'not') return { kind, item: this.expr(depth - 1, 'not') };
    const n = 2 + Math.floor(this.rnd() * 3);
    return { kind, items: Array.from({ length: n }, () => this.expr(depth - 1, kind)) };
  }
  sort(): SortKey {
    const field = this.pick<Field>([
      { kind: 'metric', key: this.pick(METRICS), agg: this.pick(['last', 'min'] as const) },
      { kind: 'param', key: this.pick(PARAMS) },
      { kind: 'tag', key: this.pick(TAGS) },
      { kind: 'attribute', key: 'start_time' },
    ]);
    return { field, dir: this.pick(['asc', 'desc'] as const) };
  }
  query(): Query {
    const compare = this.chance(0.2) ? Array.from({ length: 2 + Math.floor(this.rnd() * 2) }, () => this.expr(2)) : null;
    const sort = this.chance(0.4) ? Array.from({ length: 1 + Math.floor(this.rnd() * 2) }, () => this.sort()) : [];
    return { compare, filter: this.chance(compare ? 0.5 : 0.95) ? this.expr(3) : null, sort, limit: this.chance(0.3) ? 1 + Math.floor(this.rnd() * 50) : null };
  }
}

/** The AST without source spans (they differ between the original text and the formal one). */
function strip<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === 'span' ? undefined : v)), (_k, v) => v) as T;
}

function readBack(formal: string): { query: Query; errors: string[] } {
  const { query, problems } = resolve(parse(formal, { isKeyName: (w) => index.isKeyWord(w) }), vocab, formal);
  return { query, errors: problems.filter((p) => p.severity === 'error').map((p) => p.message) };
}

describe('formal rendering round-trips', () => {
  const seeds = Array.from({ length: 400 }, (_, i) => i + 1);
  it.each(seeds)('random query, seed %i', (seed) => {
    const q = new Gen(prng(seed)).query();
    const formal = renderFormal(q);
    const back = readBack(formal);
    expect(back.errors, formal).toEqual([]);
    expect(strip(back.query), formal).toEqual(strip(q));
    expect(renderFormal(back.query)).toBe(formal);
    // -0 survives (JSON above would hide it).
    expect(JSON.stringify(back.query, (_k, v) => (Object.is(v, -0) ? '-0' : v)).includes('"-0"')).toBe(JSON.stringify(q, (_k, v) => (Object.is(v, -0) ? '-0' : v)).includes('"-0"'));
  });
});
