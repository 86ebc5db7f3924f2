// Resolver: the parser's words become fields that exist in the store. `auc` is metrics.val_auc when
// only one key has an `auc` segment; two candidates are an ambiguity reported with both, never a
// guess; a word that fits nothing is reported with its nearest spellings, never dropped.
import type { Expr, Field, FieldKind, MetricAgg, Problem, Query, RawExpr, RawField, RawQuery, RawSort, RawTail, RawValue, SortKey, Span, Word } from './ast';
import { builtinField, builtinKeys, fieldLabel, fieldName, lowerIsBetter } from './fields';
import { KeyIndex } from './key-matcher';
import { convertValue, valueText, type Report } from './resolve-values';
import { MAX_FREE_WORDS, MAX_KEY_WORDS, resolveWords } from './resolve-words';
import { keySegments, unitDimension } from './units';
import type { Vocabulary } from './vocabulary';

export interface Resolved {
  query: Query;
  /** Parser problems first, then the resolver's; any `error` means the query must not run. */
  problems: Problem[];
}

class Resolver {
  readonly problems: Problem[] = [];
  readonly index: KeyIndex;

  constructor(
    vocab: Vocabulary,
    private readonly source: string,
  ) {
    this.index = new KeyIndex(vocab);
  }

  report: Report = (p) => this.problems.push({ severity: 'error', ...p });

  expr(e: RawExpr): Expr | null {
    switch (e.kind) {
      case 'and':
      case 'or': {
        const items = e.items.map((x) => this.expr(x));
        if (items.some((x) => x === null)) return null;
        return { kind: e.kind, items: items as Expr[], span: e.span };
      }
      case 'not': {
        const item = this.expr(e.item);
        return item && { kind: 'not', item, span: e.span };
      }
      case 'fixed':
        return e.expr;
      case 'term':
        return this.term(e.field, e.tail, e.span);
      case 'words':
        return resolveWords(this, e.words, e.quoted, e.span);
      case 'tagged':
        return this.tagged(e.value, e.span);
      case 'on':
        return this.on(e.value, e.span);
      case 'in-scope':
        return this.inScope(e.value, e.span);
    }
  }

  /** A whole phrase as one field; 'none' when no key matches, null after reporting an ambiguity. */
  private phraseField(words: readonly Word[], agg: MetricAgg | null, kinds: ReadonlySet<FieldKind> | undefined, unit: string | null): Field | null | 'none' {
    const m = this.index.match(words.map((w) => w.text), kinds, unit ? unitDimension(unit) : undefined);
    if (!m) return 'none';
    const span = { start: words[0].span.start, end: words[words.length - 1].span.end };
    if (m.fields.length > 1) {
      this.report({ code: 'ambiguous', message: `'${this.source.slice(span.start, span.end)}' could be ${m.fields.length} keys`, span, candidates: m.fields.map(fieldLabel) });
      return null;
    }
    const f = m.fields[0];
    return f.kind === 'metric' && agg ? { ...f, agg } : f;
  }

  private explicitField(f: RawField & { kind: 'explicit' }): Field | null {
    const unknown = (what: string, candidates: string[]): null => {
      this.report({ code: 'unknown-key', message: what, span: f.span, candidates });
      return null;
    };
    if (f.agg && f.entity !== 'metric') return unknown(`${f.agg}( ) applies to metrics, not to ${f.entity} keys`, []);
    if (f.entity === 'metric' || f.entity === 'param' || f.entity === 'tag') {
      const keys = f.entity === 'metric' ? this.index.vocab.metrics : (f.entity === 'param' ? this.index.vocab.params : this.index.vocab.tags).map((k) => k.key);
      if (!keys.includes(f.key)) return unknown(`no run has a ${f.entity} named '${f.key}'`, this.index.suggest([f.key]).filter((s) => s.includes('.')));
      return f.entity === 'metric' ? { kind: 'metric', key: f.key, agg: f.agg ?? 'last' } : { kind: f.entity, key: f.key };
    }
    return builtinField(f.entity, f.key) ?? unknown(`'${f.key}' is not a ${f.entity} key`, builtinKeys(f.entity).map((k) => `${f.entity === 'attribute' ? 'attributes' : f.entity === 'dataset' ? 'datasets' : f.entity}.${k}`));
  }

  private term(raw: RawField, tail: RawTail | null, span: Span): Expr | null {
    if (raw.kind === 'explicit') {
      const field = this.explicitField(raw);
      return field && this.cond(field, tail, span);
    }
    const metricOnly = raw.agg !== null || raw.hint === 'metric' || tail?.op === 'nan' || tail?.op === 'inf';
    const kinds: ReadonlySet<FieldKind> | undefined = metricOnly ? new Set(['metric']) : raw.hint ? new Set([raw.hint]) : undefined;
    const unit = tail && 'value' in tail && tail.value.type === 'number' ? tail.value.unit : null;
    const words = raw.words;
    if (words.length > MAX_FREE_WORDS) return resolveWords(this, words, false, raw.span); // reports it
    const whole = this.phraseField(words, raw.agg, kinds, unit);
    if (whole === null) return null;
    if (whole !== 'none') return this.cond(whole, tail, span);
    // `model xgb lr 0.1`: the operator belongs to the longest key at the end; the words before it
    // are read on their own.
    for (let k = Math.max(1, words.length - MAX_KEY_WORDS); k < words.length; k++) {
      const m = this.index.match(words.slice(k).map((w) => w.text), kinds, unit ? unitDimension(unit) : undefined);
      if (!m) continue;
      const rest = this.phraseField(words.slice(k), raw.agg, kinds, unit);
      if (rest === null || rest === 'none') return null;
      const before = resolveWords(this, words.slice(0, k), false, { start: words[0].span.start, end: words[k - 1].span.end });
      const cond = this.cond(rest, tail, { start: words[k].span.start, end: span.end });
      return before && cond && { kind: 'and', items: [before, cond], span };
    }
    const text = this.source.slice(raw.span.start, raw.span.end);
    this.report({ code: 'unknown-word', message: `'${text}' is not a ${metricOnly ? 'metric' : 'key'} in this store`, span: raw.span, candidates: this.index.suggest(words.map((w) => w.text)) });
    return null;
  }

  /** The condition `field tail`; without a tail, the field is present (or true, for flags). */
  cond(field: Field, tail: RawTail | null, span: Span): Expr | null {
    if (!tail) {
      if ((field.kind === 'git' && field.key === 'dirty') || (field.kind === 'dataset' && field.key === 'changed')) {
        return { kind: 'cmp', field, op: '=', value: { type: 'bool', value: true }, span };
      }
      return { kind: 'null', field, negated: true, span };
    }
    const text = (v: RawValue): string => valueText(v, this.source);
    const textual = (): boolean => {
      if (field.kind === 'metric' || (field.kind === 'attribute' && (field.key === 'start_time' || field.key === 'end_time')) || field.key === 'dirty' || field.key === 'changed') {
        this.report({ code: 'value', message: `${fieldName(field)} is not text: use = < > or between`, span: tail.span });
        return false;
      }
      return true;
    };
    switch (tail.op) {
      case 'null':
      case 'not null':
        return { kind: 'null', field, negated: tail.op === 'not null', span };
      case 'nan':
      case 'inf':
        if (field.kind !== 'metric') {
          this.report({ code: 'value', message: `only metrics can be ${tail.op === 'nan' ? 'NaN' : 'infinite'}`, span: tail.span });
          return null;
        }
        return { kind: 'cmp', field: { ...field, agg: tail.op === 'nan' ? 'nan_count' : 'inf_count' }, op: tail.ever ? '>' : '=', value: { type: 'number', value: 0 }, span };
      case 'between': {
        const low = convertValue(field, '>=', tail.low, this.source, this.report);
        const high = convertValue(field, '<=', tail.high, this.source, this.report);
        return low && high && { kind: 'between', field, low, high, span };
      }
      case 'like':
      case 'ilike':
      case 'contains':
        return textual() ? { kind: 'match', field, op: tail.op, pattern: text(tail.value), span } : null;
      case 'starts':
        return textual() ? { kind: 'match', field, op: 'prefix', pattern: text(tail.value), span } : null;
      case 'in':
      case 'not in':
        return textual() ? { kind: 'in', field, values: tail.values.map(text), negated: tail.op === 'not in', span } : null;
    }
    const value = convertValue(field, tail.op, tail.value, this.source, this.report);
    if (!value) return null;
    const negate = (e: Expr): Expr => (tail.op === '!=' ? { kind: 'not', item: e, span } : e);
    if (value.type === 'string' && (tail.op === '=' || tail.op === '!=')) {
      // A GPU list is searched, an abbreviated commit is a prefix (as git reads it), and a bare
      // `named baseline` looks inside names.
      if (field.kind === 'env' && field.key === 'gpu') return negate({ kind: 'match', field, op: 'contains', pattern: value.value, span });
      if (field.kind === 'git' && field.key === 'commit' && value.value.length < 40) return negate({ kind: 'match', field, op: 'prefix', pattern: value.value, span });
      if (field.kind === 'attribute' && field.key === 'run_name' && tail.implicit) return { kind: 'match', field, op: 'contains', pattern: value.value, span };
      if (field.kind === 'dataset' && field.key === 'digest' && tail.implicit) return { kind: 'match', field, op: 'prefix', pattern: value.value, span };
      this.checkListed(field, value, tail.implicit, tail.value.span);
    }
    return { kind: 'cmp', field, op: tail.op, value, span };
  }

  /** Warns when a listed key never had this value; a bare pair takes the stored spelling (`XGB` → xgb). */
  private checkListed(field: Field, value: { type: 'string'; value: string }, implicit: boolean, span: Span): void {
    const known = this.knownValues(field);
    if (!known || known.includes(value.value)) return;
    const same = known.filter((k) => k.toLowerCase() === value.value.toLowerCase());
    if (implicit && same.length === 1) {
      value.value = same[0];
      return;
    }
    this.report({ code: 'value', severity: 'warning', message: `no run has ${fieldName(field)} = '${value.value}'`, span, candidates: known.slice(0, 8) });
  }

  private knownValues(f: Field): readonly string[] | null {
    const v = this.index.vocab;
    if (f.kind === 'param' || f.kind === 'tag') return (f.kind === 'param' ? v.params : v.tags).find((k) => k.key === f.key)?.values ?? null;
    if (f.kind === 'attribute' && f.key === 'experiment') return v.experiments;
    if (f.kind === 'dataset' && f.key === 'name') return v.datasets.map((d) => d.name);
    return null;
  }

  /** `tagged p0`: a tag named p0, or any tag whose value is p0. */
  private tagged(raw: RawValue, span: Span): Expr | null {
    const word = valueText(raw, this.source);
    const tags = this.index.vocab.tags.filter((t) => !t.key.startsWith('mlflow.'));
    const named: Expr[] = tags.filter((t) => t.key.toLowerCase() === word.toLowerCase()).map((t) => ({ kind: 'null', field: { kind: 'tag', key: t.key }, negated: true, span }));
    const valued: Expr[] = tags.flatMap((t) => {
      const v = t.values?.find((x) => x.toLowerCase() === word.toLowerCase());
      return v === undefined ? [] : [{ kind: 'cmp', field: { kind: 'tag', key: t.key }, op: '=', value: { type: 'string', value: v }, span } as Expr];
    });
    const items = [...named, ...valued];
    if (items.length === 0) {
      const tagWords = this.index.vocab.tags.filter((t) => !t.key.startsWith('mlflow.')).flatMap((t) => [t.key, ...(t.values ?? [])]);
      this.report({ code: 'unknown-word', message: `no tag is named or set to '${word}'`, span: raw.span, candidates: [...new Set(tagWords)].filter((c) => c.toLowerCase().includes(word.toLowerCase()) || word.toLowerCase().includes(c.toLowerCase())).slice(0, 8) });
      return null;
    }
    return items.length === 1 ? items[0] : { kind: 'or', items, span };
  }

  /** `on credit_risk_v2.1`, `on v2.1` (a version in a dataset's name), `on H100` (a GPU seen in env). */
  private on(raw: RawValue, span: Span): Expr | null {
    const word = valueText(raw, this.source);
    const lower = word.toLowerCase();
    const { datasets, gpus } = this.index.vocab;
    const exact = datasets.filter((d) => d.name.toLowerCase() === lower);
    const segs = keySegments(word);
    const named = exact.length > 0 ? exact : datasets.filter((d) => containsRun(keySegments(d.name), segs));
    const dataset = (name: string): Expr => ({ kind: 'cmp', field: { kind: 'dataset', key: 'name' }, op: '=', value: { type: 'string', value: name }, span });
    if (named.length === 1) return dataset(named[0].name);
    if (named.length > 1) {
      this.report({ code: 'ambiguous', message: `'${word}' is in the names of ${named.length} datasets`, span: raw.span, candidates: named.map((d) => d.name) });
      return null;
    }
    if (/^[0-9a-f]{4,}$/i.test(word) && datasets.some((d) => d.digests.some((g) => g.startsWith(lower)))) {
      return { kind: 'match', field: { kind: 'dataset', key: 'digest' }, op: 'prefix', pattern: lower, span };
    }
    if (gpus.some((g) => g.toLowerCase().includes(lower))) return { kind: 'match', field: { kind: 'env', key: 'gpu' }, op: 'contains', pattern: word, span };
    this.report({ code: 'unknown-word', message: `no dataset${gpus.length ? ' or GPU' : ''} is called '${word}'`, span: raw.span, candidates: this.index.suggest([word]).filter((c) => datasets.some((d) => d.name === c)) });
    return null;
  }

  /** `in credit-risk`: an experiment. */
  private inScope(raw: RawValue, span: Span): Expr | null {
    const word = valueText(raw, this.source);
    const exp = this.index.vocab.experiments.find((e) => e.toLowerCase() === word.toLowerCase());
    if (exp !== undefined) return { kind: 'cmp', field: { kind: 'attribute', key: 'experiment' }, op: '=', value: { type: 'string', value: exp }, span };
    this.report({ code: 'unknown-word', message: `no experiment is called '${word}'`, span: raw.span, candidates: this.index.suggest([word]).filter((c) => this.index.vocab.experiments.includes(c)) });
    return null;
  }

  sort(s: RawSort): SortKey | null {
    let field: Field | null;
    if (s.field.kind === 'fixed') field = s.field.field;
    else if (s.field.kind === 'explicit') field = this.explicitField(s.field);
    else {
      const f = this.phraseField(s.field.words, s.field.agg, undefined, null);
      if (f === 'none') {
        const text = this.source.slice(s.field.span.start, s.field.span.end);
        this.report({ code: 'unknown-word', message: `'${text}' is not a key to rank by`, span: s.field.span, candidates: this.index.suggest(s.field.words.map((w) => w.text)) });
        return null;
      }
      field = f;
    }
    if (!field) return null;
    const better = lowerIsBetter(field) ? 'asc' : 'desc';
    const dir = s.dir === 'best' ? better : s.dir === 'worst' ? (better === 'asc' ? 'desc' : 'asc') : s.dir;
    return { field, dir, span: s.span };
  }
}

function containsRun(hay: readonly string[], needle: readonly string[]): boolean {
  for (let i = 0; i + needle.length <= hay.length; i++) if (needle.every((s, j) => hay[i + j] === s)) return needle.length > 0;
  return false;
}

/** and(and(a, b), c) → and(a, b, c): one shape per meaning, so the formal rendering round-trips. */
export function flatten(e: Expr): Expr {
  if (e.kind === 'not') return { ...e, item: flatten(e.item) };
  if (e.kind !== 'and' && e.kind !== 'or') return e;
  const items = e.items.map(flatten).flatMap((x) => (x.kind === e.kind ? x.items : [x]));
  return items.length === 1 ? items[0] : { ...e, items };
}

export function resolve(raw: RawQuery, vocab: Vocabulary, source: string): Resolved {
  const r = new Resolver(vocab, source);
  const filter = raw.filter ? r.expr(raw.filter) : null;
  const compare = raw.compare ? raw.compare.map((g) => r.expr(g)) : null;
  const sort = raw.sort.map((s) => r.sort(s)).filter((s): s is SortKey => s !== null);
  const query: Query = {
    compare: compare && compare.every((g) => g !== null) ? compare.map((g) => flatten(g as Expr)) : null,
    filter: filter && flatten(filter),
    sort,
    limit: raw.limit,
  };
  return { query, problems: [...raw.problems, ...r.problems] };
}
