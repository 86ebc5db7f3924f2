// What follows a field: an operator and its value(s) (`> 0.85`, `between 0.1 and 0.3`,
// `in (xgb, mlp)`, `like 'x%'`), `is null`, `ever nan`, or a bare value (`dropout 0.2`). Values keep
// the text as typed next to the number, so `torch 2.10` stays '2.10'.
import type { RawTail, RawValue, Span } from './ast';
import { BOOL_WORDS, CMP_PHRASES, EVER_WORDS, INF_WORDS, MATCH_PHRASES, NAN_WORDS, NEVER_WORDS, NULL_PHRASES, STATUS_WORDS, SYMBOL_OPS, grammarWords } from './lexicon';
import type { Cursor } from './parse-cursor';
import { takeTimeValue } from './parse-time';
import { valueUnit } from './units';

const GRAMMAR = new Set(grammarWords());

/** A value after an operator; `what` names the operator in the error when there is none. */
export function takeValue(cur: Cursor, what: string): RawValue {
  const start = cur.i;
  const t = cur.peek();
  if (!t) cur.fail(`expected a value after ${what}`);
  const time = takeTimeValue(cur);
  if (time) return { type: 'time', ref: time, span: cur.spanFrom(start) };
  if (t.kind === 'minus' && cur.peek(1)?.kind === 'number' && cur.peek(1)!.span.start === t.span.end) {
    cur.i += 1;
    const n = takeNumber(cur);
    return { ...n, value: -n.value, raw: `-${n.raw}`, span: cur.spanFrom(start) };
  }
  if (t.kind === 'number') return takeNumber(cur);
  if (t.kind === 'string') {
    if (t.unterminated) cur.fail(`unterminated ${t.quote} quote`, t.span);
    cur.i += 1;
    return { type: 'string', value: t.value, span: t.span };
  }
  if (t.kind === 'lparen') return takeList(cur);
  if (t.kind === 'word') {
    cur.i += 1;
    const b = BOOL_WORDS.get(t.value);
    return b === undefined ? { type: 'word', value: t.text, span: t.span } : { type: 'bool', value: b, span: t.span };
  }
  return cur.fail(`expected a value after ${what}, found '${t.text}'`, t.span);
}

/** A number, with its unit glued (`50ms`) or as the next word (`50 ms`, `2 seconds`). */
function takeNumber(cur: Cursor): RawValue & { type: 'number' } {
  const t = cur.next();
  let unit = t.unit ?? null;
  let end = t.span.end;
  const w = cur.peek();
  if (!unit && w?.kind === 'word' && valueUnit(w.text) && !GRAMMAR.has(w.value)) {
    unit = w.text;
    end = w.span.end;
    cur.i += 1;
  }
  return { type: 'number', value: t.num ?? Number(t.value), raw: t.value, unit, span: { start: t.span.start, end } };
}

function takeList(cur: Cursor): RawValue {
  const start = cur.i;
  cur.i += 1;
  const items: RawValue[] = [];
  while (cur.peek()?.kind !== 'rparen') {
    if (cur.atEnd()) cur.fail("expected ')' to close the list", cur.spanFrom(start));
    items.push(takeValue(cur, 'a list'));
    if (cur.peek()?.kind === 'comma') cur.i += 1;
  }
  cur.i += 1;
  if (items.length === 0) cur.fail('an empty list matches nothing: give at least one value', cur.spanFrom(start));
  return { type: 'list', items, span: cur.spanFrom(start) };
}

/** Whether a value could start at offset k (for `model not xgb`, `dropout of 0.2`). */
function valueAhead(cur: Cursor, k: number): boolean {
  const t = cur.peek(k);
  if (!t) return false;
  if (t.kind === 'number' || t.kind === 'string' || t.kind === 'date') return true;
  if (t.kind === 'minus') return cur.peek(k + 1)?.kind === 'number';
  return t.kind === 'word' && (!GRAMMAR.has(t.value) || BOOL_WORDS.has(t.value) || STATUS_WORDS.has(t.value) || t.value === 'today' || t.value === 'yesterday' || t.value === 'now');
}

/** What follows a field: an operator and value(s), `is null`, `ever nan`, or a bare value. */
export function takeTail(cur: Cursor): RawTail | null {
  const start = cur.i;
  const span = (): Span => cur.spanFrom(start);
  const nul = cur.take(NULL_PHRASES);
  if (nul) return { op: nul.value, span: nul.span };
  const match = cur.take(MATCH_PHRASES);
  if (match) return { op: match.value, value: takeValue(cur, `'${cur.text.slice(match.span.start, match.span.end)}'`), span: span() };
  if ((cur.isWord('in') || (cur.isWord('not') && cur.isWord('in', 1))) && cur.peek(cur.isWord('not') ? 2 : 1)?.kind === 'lparen') {
    const negated = cur.isWord('not');
    cur.i += negated ? 2 : 1;
    const list = takeList(cur) as RawValue & { type: 'list' };
    return { op: negated ? 'not in' : 'in', values: list.items, span: span() };
  }
  if (cur.isWord('between')) {
    cur.i += 1;
    const low = takeValue(cur, "'between'");
    if (!cur.isWord('and') && !cur.isWord('to') && cur.peek()?.kind !== 'minus') cur.fail("expected 'and' in 'between … and …'");
    cur.i += 1;
    return { op: 'between', low, high: takeValue(cur, "'between … and'"), span: span() };
  }
  const flag = takeNanInf(cur);
  if (flag) return { ...flag, span: span() };
  const t = cur.peek();
  if (t?.kind === 'op') {
    const op = SYMBOL_OPS.get(t.value);
    if (!op) cur.fail(`'${t.text}' is not an operator: use > >= < <= = !=`, t.span);
    cur.i += 1;
    return { op, value: takeValue(cur, `'${t.text}'`), implicit: false, span: span() };
  }
  // `is above 0.8`: the `is` adds nothing.
  if (cur.isWord('is') && CMP_PHRASES.some(([ph, op]) => op !== '=' && ph[0] !== 'is' && cur.matches(ph, 1))) cur.i += 1;
  const save = cur.i;
  const cmp = cur.take(CMP_PHRASES);
  if (cmp) {
    const single = cur.text.slice(cmp.span.start, cmp.span.end).toLowerCase();
    // `not`, `is`, `of` and `over` read as operators only when a value follows: `not deleted` is a
    // negation, `over the last week` a time phrase.
    const weak = ['not', 'is', 'of', 'is not', 'over'].includes(single);
    if (weak && (!valueAhead(cur, 0) || (single === 'over' && cur.isWord('the')))) {
      cur.i = start;
      return null;
    }
    return { op: cmp.value, value: takeValue(cur, `'${single}'`), implicit: false, span: span() };
  }
  cur.i = save;
  if (t && (t.kind === 'number' || t.kind === 'string' || t.kind === 'date' || (t.kind === 'minus' && cur.peek(1)?.kind === 'number'))) {
    if (t.kind === 'string' && t.quote !== "'") return null;
    return { op: '=', value: takeValue(cur, 'the key'), implicit: true, span: span() };
  }
  return null;
}

/** `ever nan`, `any inf`, `went nan`, `never nan`, `nan` right after a metric. */
function takeNanInf(cur: Cursor): { op: 'nan' | 'inf'; ever: boolean } | null {
  const start = cur.i;
  let ever = true;
  const w = cur.word();
  if (w && NEVER_WORDS.has(w)) {
    ever = false;
    cur.i += 1;
  } else if (w && EVER_WORDS.has(w)) cur.i += 1;
  if (cur.isWord('a') || cur.isWord('an')) cur.i += 1;
  const v = cur.word();
  if (v && (NAN_WORDS.has(v) || INF_WORDS.has(v))) {
    cur.i += 1;
    if (cur.isWord('values')) cur.i += 1;
    return { op: NAN_WORDS.has(v) ? 'nan' : 'inf', ever };
  }
  cur.i = start;
  return null;
}
