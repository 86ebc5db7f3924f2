// One condition: `val_auc > 0.85`, `dropout 0.2`, `min(metrics.val_loss) < 0.3`, `failed`,
// `tagged p0`, `on credit_risk_v2.1`, `val_loss ever nan`, `gpu H100`. Key words are collected as
// a phrase and left for the resolver; only grammar words are decided here.
import type { Field, MetricAgg, RawExpr, RawField, Span, Value, Word } from './ast';
import {
  AGG_FUNCTIONS, AGG_WORDS, AND_WORDS, CHANGED_WORDS, CLEAN_WORDS, CMP_PHRASES, DATASET_WORDS, DELETED_WORDS, DIRTY_WORDS,
  FILLER, MATCH_PHRASES, OR_WORDS, STATUS_WORDS, TAGGED_WORDS, grammarWords,
} from './lexicon';
import type { Cursor } from './parse-cursor';
import { TIME_FIELD_WORDS, takeTimePhrase } from './parse-time';
import { BUILTIN_WORDS } from './fields';
import { normalize } from './key-matcher';
import { takeTail, takeValue } from './parse-tail';

const GRAMMAR = new Set(grammarWords());
// Words that end a key phrase even though they are not grammar words elsewhere.
const PHRASE_STOP = new Set(['by', 'on', 'in', 'since', 'before', 'after', 'until', 'within', 'between', 'today', 'yesterday', 'limit', 'tagged', 'ago']);

/** Whether the word at offset k may be part of a key phrase (`val`, `auc`, `dropout`). */
export function isPhraseWord(cur: Cursor, k = 0): boolean {
  const w = cur.word(k);
  if (w === null) return false;
  if (FILLER.has(w) && !cur.isStoreWord(w)) return false;
  // `dataset credit_risk_v2.0`, `data v2`: built-in field names that are also grammar words (but
  // `started yesterday` and `dirty` read better as the terms they start).
  if (BUILTIN_WORDS.has(w) && !PHRASE_STOP.has(w) && !AND_WORDS.has(w) && !TIME_FIELD_WORDS.has(w) && !DIRTY_WORDS.has(w)) return true;
  if (cur.isStoreWord(w) && !AND_WORDS.has(w) && !OR_WORDS.has(w) && !PHRASE_STOP.has(w) && !isTailStart(cur, k)) return true;
  return !GRAMMAR.has(w) && !PHRASE_STOP.has(w);
}

/** Whether an operator starts at offset k (`>`, `at least`, `like`, `starts with`). */
export function isTailStart(cur: Cursor, k: number): boolean {
  const save = cur.i;
  cur.i += k;
  const yes = cur.peek()?.kind === 'op' || CMP_PHRASES.some(([ph]) => ph.length > 1 && cur.matches(ph)) || MATCH_PHRASES.some(([ph]) => cur.matches(ph));
  cur.i = save;
  return yes;
}

/** Consecutive phrase words (fillers inside are skipped: `val_auc value > 0.8`). */
export function takePhraseWords(cur: Cursor): Word[] {
  const words: Word[] = [];
  for (;;) {
    // `model mlp lr 0.1`: a phrase that already holds a key and a value ends where the next key begins.
    if (words.length >= 2 && cur.options.isKeyName?.(cur.word() ?? '')) return words;
    if (isPhraseWord(cur)) {
      const t = cur.next();
      words.push({ text: t.text, span: t.span });
    } else if (cur.isFiller() && words.length > 0 && isPhraseWord(cur, 1)) {
      cur.i += 1;
    } else return words;
  }
}

const spanOf = (words: Word[]): Span => ({ start: words[0].span.start, end: words[words.length - 1].span.end });

/** `min(metrics.val_loss)`, `nan_count(val_loss)`: a function call naming a metric aggregate. */
function takeAggCall(cur: Cursor): RawField | null {
  const w = cur.word();
  if (!w || !AGG_FUNCTIONS.has(w) || cur.peek(1)?.kind !== 'lparen') return null;
  const start = cur.i;
  cur.i += 2;
  const inner = cur.peek();
  let field: RawField;
  if (inner?.kind === 'key') {
    cur.i += 1;
    field = { kind: 'explicit', entity: inner.entity!, key: inner.value, agg: w as MetricAgg, span: inner.span };
  } else {
    const words = takePhraseWords(cur);
    if (words.length === 0) cur.fail(`expected a metric inside ${w}( )`);
    field = { kind: 'phrase', words, agg: w as MetricAgg, hint: 'metric', span: spanOf(words) };
  }
  if (cur.peek()?.kind !== 'rparen') cur.fail(`expected ')' to close ${w}(`);
  cur.i += 1;
  return { ...field, span: cur.spanFrom(start) };
}

/** A field at the cursor: explicit key, aggregate call, `min val_loss`, or a key phrase. */
export function takeField(cur: Cursor, hint: 'metric' | 'param' | 'tag' | null = null): RawField | null {
  const t = cur.peek();
  if (!t) return null;
  if (t.kind === 'key') {
    cur.i += 1;
    if (t.unterminated) cur.fail(`unterminated ${t.quote} quote in key`, t.span);
    return { kind: 'explicit', entity: t.entity!, key: t.value, agg: null, span: t.span };
  }
  const call = takeAggCall(cur);
  if (call) return call;
  if (t.kind === 'string' && t.quote !== "'") {
    // "my key" > 1 / `my key` > 1: a quoted key phrase.
    cur.i += 1;
    return { kind: 'phrase', words: [{ text: t.value, span: t.span }], agg: null, hint, span: t.span };
  }
  const start = cur.i;
  const agg = t.kind === 'word' ? AGG_WORDS.get(t.value) : undefined;
  if (agg && isPhraseWord(cur, 1)) {
    cur.i += 1;
    const words = takePhraseWords(cur);
    return { kind: 'phrase', words, agg, hint: 'metric', span: cur.spanFrom(start) };
  }
  const words = takePhraseWords(cur);
  if (words.length === 0) return null;
  return { kind: 'phrase', words, agg: null, hint, span: spanOf(words) };
}

/** One condition at the cursor, or null (nothing consumed) when the cursor is not at one. */
export function takeTerm(cur: Cursor): RawExpr | null {
  const start = cur.i;
  const t = cur.peek();
  if (!t) return null;
  const span = (): Span => cur.spanFrom(start);
  const w = t.kind === 'word' ? t.value : null;
  const store = w !== null && cur.isStoreWord(w) && isTailStart(cur, 1);

  if (w && !store) {
    const status = STATUS_WORDS.get(w);
    if (status) {
      cur.i += 1;
      const cond: RawExpr = { kind: 'fixed', expr: { kind: 'cmp', field: { kind: 'attribute', key: 'status' }, op: '=', value: { type: 'string', value: status }, span: span() }, span: span() };
      // `finished yesterday`: when it finished, not when it started.
      const when = status === 'FINISHED' ? takeTimePhrase(cur, 'end_time') : null;
      return when ? { kind: 'and', items: [cond, { kind: 'fixed', expr: when, span: when.span! }], span: span() } : cond;
    }
    if (DELETED_WORDS.has(w)) {
      cur.i += 1;
      return fixedCmp({ kind: 'attribute', key: 'lifecycle_stage' }, { type: 'string', value: 'deleted' }, span());
    }
    if ((DATASET_WORDS.has(w) && CHANGED_WORDS.has(cur.word(1) ?? '')) || (CHANGED_WORDS.has(w) && DATASET_WORDS.has(cur.word(1) ?? ''))) {
      cur.i += 2;
      return fixedCmp({ kind: 'dataset', key: 'changed' }, { type: 'bool', value: true }, span());
    }
    if (DIRTY_WORDS.has(w) || CLEAN_WORDS.has(w)) {
      cur.i += 1;
      if (cur.isWord('code') || cur.isWord('changes') || cur.isWord('tree') || cur.isWord('worktree')) cur.i += 1;
      return fixedCmp({ kind: 'git', key: 'dirty' }, { type: 'bool', value: !CLEAN_WORDS.has(w) }, span());
    }
    if (TAGGED_WORDS.has(w) || ((w === 'tag' || w === 'tags') && !isTailStart(cur, 2) && cur.peek(1)?.kind !== 'op')) {
      cur.i += 1;
      if (cur.isWord('with') || cur.isWord('as')) cur.i += 1;
      return { kind: 'tagged', value: takeValue(cur, `'${t.text}'`), span: span() };
    }
    const timeKey = TIME_FIELD_WORDS.get(w);
    if (timeKey) {
      cur.i += 1;
      const when = takeTimePhrase(cur, timeKey);
      if (when) return { kind: 'fixed', expr: when, span: span() };
      // `started between …`, `ended > 2026-11-01`: the word names the time field itself.
      const tail = takeTail(cur);
      if (tail) return { kind: 'term', field: { kind: 'phrase', words: [{ text: t.text, span: t.span }], agg: null, hint: null, span: t.span }, tail, span: span() };
      cur.i = start;
    }
    const when = takeTimePhrase(cur);
    if (when) return { kind: 'fixed', expr: when, span: span() };
    if (w === 'on' || w === 'in') {
      const next = cur.peek(1);
      // `on gpu H100`, `in experiment churn`: the next words name the field themselves.
      if (next?.kind === 'word' && BUILTIN_WORDS.has(normalize([next.text])) && cur.peek(2) && !AND_WORDS.has(cur.word(2) ?? '')) {
        cur.i += 1;
        return takeTerm(cur);
      }
      if (next && (next.kind === 'word' || next.kind === 'string' || next.kind === 'number')) {
        cur.i += 1;
        return { kind: w === 'on' ? 'on' : 'in-scope', value: takeValue(cur, `'${w}'`), span: span() };
      }
      cur.fail(`expected a ${w === 'on' ? 'dataset or date' : 'experiment'} after '${w}'`, next?.span ?? cur.endSpan());
    }
    if (w === 'tag' || w === 'tags' || w === 'param' || w === 'params' || w === 'metric' || w === 'metrics') {
      cur.i += 1;
      const hint = w.startsWith('tag') ? 'tag' : w.startsWith('param') ? 'param' : 'metric';
      const field = takeField(cur, hint);
      if (!field) cur.fail(`expected a ${hint} name after '${t.text}'`);
      return { kind: 'term', field, tail: takeTail(cur), span: span() };
    }
  }
  if (t.kind === 'string' && t.quote === "'") {
    if (t.unterminated) cur.fail("unterminated ' quote", t.span);
    cur.i += 1;
    return { kind: 'words', words: [{ text: t.value, span: t.span }], quoted: true, span: t.span };
  }
  const field = takeField(cur);
  if (!field) return null;
  const tail = takeTail(cur);
  if (!tail && field.kind === 'phrase' && field.agg === null && field.hint === null) {
    return { kind: 'words', words: field.words, quoted: false, span: field.span };
  }
  return { kind: 'term', field, tail, span: span() };
}

function fixedCmp(field: Field, value: Value, span: Span): RawExpr {
  return { kind: 'fixed', expr: { kind: 'cmp', field, op: '=', value, span }, span };
}
