// Free words with no operator: `model xgb`, `gpu H100 team risk`, `xgb`, `baseline`. Each way of
// cutting them into key-value pairs, lone keys, known values and run-name text has a cost; the
// cheapest reading wins, and a word that fits nothing is reported with what it might have meant.
import type { Expr, Field, RawTail, Span, Word } from './ast';
import { fieldLabel } from './fields';
import type { KeyIndex } from './key-matcher';
import type { Report } from './resolve-values';

export interface WordsContext {
  index: KeyIndex;
  report: Report;
  /** The condition `field tail` (no tail: the field is present / true). */
  cond(field: Field, tail: RawTail | null, span: Span): Expr | null;
}

interface Reading {
  cost: number;
  end: number;
  build: () => Expr | null;
}

const spanOf = (words: readonly Word[]): Span => ({ start: words[0].span.start, end: words[words.length - 1].span.end });
const BOOLEAN_FIELDS = new Set(['git.dirty', 'datasets.changed']);
export const MAX_KEY_WORDS = 6;
/** More free words than this in one run is not a filter anyone means; reading them costs O(n × keys). */
export const MAX_FREE_WORDS = 32;

function readingsAt(ctx: WordsContext, words: readonly Word[], i: number): Reading[] {
  const out: Reading[] = [];
  const n = words.length;
  // Key names run a few words at most (`val auc`, `gpu mem gb`): a cap keeps a long query linear.
  for (let j = i + 1; j <= Math.min(n, i + MAX_KEY_WORDS); j++) {
    const keyWords = words.slice(i, j);
    const m = ctx.index.match(keyWords.map((w) => w.text));
    if (!m) continue;
    const keySpan = spanOf(keyWords);
    if (m.fields.length > 1) {
      const ambiguous = (): null => {
        ctx.report({ code: 'ambiguous', message: `'${words.slice(i, j).map((w) => w.text).join(' ')}' could be ${m.fields.length} keys`, span: keySpan, candidates: m.fields.map(fieldLabel) });
        return null;
      };
      out.push({ cost: 5, end: j, build: ambiguous });
      if (j < n) out.push({ cost: 4, end: j + 1, build: ambiguous });
      continue;
    }
    const field = m.fields[0];
    const fuzzy = m.level === 'segment' ? 0.5 : 0;
    out.push({ cost: 2 + fuzzy, end: j, build: () => ctx.cond(field, null, keySpan) });
    if (j < n && !BOOLEAN_FIELDS.has(fieldLabel(field))) {
      const v = words[j];
      const listed = ctx.index.valueFields(v.text).some((x) => x.field.kind === field.kind && x.field.key === field.key);
      const tail: RawTail = { op: '=', value: { type: 'word', value: v.text, span: v.span }, implicit: true, span: v.span };
      out.push({ cost: 1 + fuzzy + (listed ? 0 : 0.3), end: j + 1, build: () => ctx.cond(field, tail, spanOf(words.slice(i, j + 1))) });
    }
  }
  const w = words[i];
  const values = ctx.index.valueFields(w.text);
  if (values.length === 1) {
    const { field, value } = values[0];
    out.push({ cost: 2, end: i + 1, build: () => ({ kind: 'cmp', field, op: '=', value: { type: 'string', value }, span: w.span }) });
  } else if (values.length > 1) {
    // Cheaper than a run-name match: a word that is a value of two fields must be asked about.
    out.push({
      cost: 2.5,
      end: i + 1,
      build: () => {
        ctx.report({ code: 'ambiguous', message: `'${w.text}' is a value of ${values.length} fields`, span: w.span, candidates: values.map((v) => `${fieldLabel(v.field)} = '${v.value}'`) });
        return null;
      },
    });
  }
  if (ctx.index.vocab.nameContains(w.text)) {
    out.push({ cost: 3, end: i + 1, build: () => ({ kind: 'match', field: { kind: 'attribute', key: 'run_name' }, op: 'contains', pattern: w.text, span: w.span }) });
  }
  out.push({
    cost: 10,
    end: i + 1,
    build: () => {
      const candidates = ctx.index.suggest([w.text]);
      ctx.report({
        code: 'unknown-word',
        message: `'${w.text}' is not a key, a value or part of a run name in this store${candidates.length ? '' : ', nor a word this language knows'}`,
        span: w.span,
        candidates,
      });
      return null;
    },
  });
  return out;
}

/** The cheapest reading of `words`, AND-ed; null after reporting when part of it fits nothing. */
export function resolveWords(ctx: WordsContext, words: readonly Word[], quoted: boolean, span: Span): Expr | null {
  if (quoted) {
    const text = words[0].text;
    if (!ctx.index.vocab.nameContains(text)) ctx.report({ code: 'unknown-word', message: `no run name contains '${text}'`, span, severity: 'warning' });
    return { kind: 'match', field: { kind: 'attribute', key: 'run_name' }, op: 'contains', pattern: text, span };
  }
  const n = words.length;
  if (n > MAX_FREE_WORDS) {
    ctx.report({ code: 'syntax', message: `${n} words in a row with no operator: join conditions with and/or, and quote free text`, span });
    return null;
  }
  const best: { cost: number; path: Reading[] }[] = new Array(n + 1);
  best[n] = { cost: 0, path: [] };
  for (let i = n - 1; i >= 0; i--) {
    for (const r of readingsAt(ctx, words, i)) {
      const rest = best[r.end];
      const cost = r.cost + rest.cost;
      // Ties go to fewer, longer pieces: `val auc` is one key, not two words.
      if (!best[i] || cost < best[i].cost || (cost === best[i].cost && rest.path.length + 1 < best[i].path.length)) {
        best[i] = { cost, path: [r, ...rest.path] };
      }
    }
  }
  const parts = best[0].path.map((r) => r.build());
  if (parts.some((p) => p === null)) return null;
  const items = parts as Expr[];
  return items.length === 1 ? items[0] : { kind: 'and', items, span };
}
