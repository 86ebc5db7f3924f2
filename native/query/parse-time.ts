// Time phrases: `today`, `yesterday`, `last week`, `in the last 3 hours`, `since 2026-11-01`,
// `before yesterday`, `on 2026-11-03`, and time values (`now - 7d`, `today`, a date). They become
// comparisons on start_time (end_time after `ended`), with times kept relative (see TimeRef).
import type { AttributeKey, Expr, Span, TimeRef, TimeUnit } from './ast';
import { RELATIVE_WORDS, TIME_UNITS } from './lexicon';
import type { Cursor } from './parse-cursor';

const DAY_MS = 86_400_000;

export function isValidDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(iso);
  if (!m) return false;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1);
  const t = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  return t.getUTCFullYear() === +y && t.getUTCMonth() === +mo - 1 && t.getUTCDate() === +d && +h < 24 && +mi < 60 && +s < 60;
}

/** The date `days` after a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

const cmp = (key: AttributeKey, op: '>=' | '<' | '<=' | '>', ref: TimeRef, span: Span): Expr => ({
  kind: 'cmp',
  field: { kind: 'attribute', key },
  op,
  value: { type: 'time', ref },
  span,
});
const range = (key: AttributeKey, from: TimeRef, to: TimeRef, span: Span): Expr => ({
  kind: 'and',
  items: [cmp(key, '>=', from, span), cmp(key, '<', to, span)],
  span,
});

/** `3 hours`, `24h`, `week` (one), `2 weeks`, at the cursor; consumed when found. */
function takeDuration(cur: Cursor, numberRequired: boolean): { amount: number; unit: TimeUnit } | null {
  const t = cur.peek();
  if (t?.kind === 'number' && t.unit && ['m', 'min', 'mins', 'h', 'hr', 'hrs', 'd', 'w'].includes(t.unit)) {
    cur.i += 1;
    const u = t.unit === 'w' ? { unit: 'd' as const, times: 7 } : TIME_UNITS.get(t.unit) ?? { unit: t.unit as TimeUnit, times: 1 };
    return { amount: (t.num ?? 0) * u.times, unit: u.unit };
  }
  let amount = 1;
  let k = 0;
  if (t?.kind === 'number' && !t.unit) {
    amount = t.num ?? 1;
    k = 1;
  } else if (numberRequired) return null;
  const w = cur.word(k);
  const u = w ? TIME_UNITS.get(w) : undefined;
  if (!u) return null;
  cur.i += k + 1;
  return { amount: amount * u.times, unit: u.unit };
}

/** A time value: a date, `now`, `now - 3h`, `today`, `today - 1d`, `yesterday`. Null if none here. */
export function takeTimeValue(cur: Cursor): TimeRef | null {
  const t = cur.peek();
  if (!t) return null;
  if (t.kind === 'date') {
    if (!isValidDate(t.value)) cur.fail(`'${t.text}' is not a date`, t.span);
    cur.i += 1;
    return { anchor: 'date', date: t.value };
  }
  if (t.kind !== 'word') return null;
  if (t.value === 'yesterday') {
    cur.i += 1;
    return { anchor: 'today', minusDays: 1 };
  }
  // `now-7d` is one word to the tokenizer (a hyphen inside a word).
  const glued = /^(now|today)-(\d+(?:\.\d+)?)(m|h|d|w)$/.exec(t.value);
  if (glued) {
    cur.i += 1;
    return relative(glued[1], Number(glued[2]), glued[3], t.span, cur);
  }
  if (t.value !== 'now' && t.value !== 'today') return null;
  cur.i += 1;
  if (cur.peek()?.kind === 'minus') {
    const n = cur.peek(1);
    if (n?.kind !== 'number' || !n.unit) cur.fail(`expected a duration such as 7d after '${t.value} -'`, n?.span ?? cur.endSpan());
    cur.i += 2;
    return relative(t.value, n.num ?? 0, n.unit, n.span, cur);
  }
  return t.value === 'now' ? { anchor: 'now', minus: null } : { anchor: 'today', minusDays: 0 };
}

function relative(anchor: string, amount: number, unit: string, span: Span, cur: Cursor): TimeRef {
  const u = unit === 'w' ? { unit: 'd' as const, times: 7 } : TIME_UNITS.get(unit) ?? (['m', 'h', 'd'].includes(unit) ? { unit: unit as TimeUnit, times: 1 } : null);
  if (!u) cur.fail(`'${unit}' is not a time unit here: use m, h or d`, span);
  if (anchor === 'today') {
    if (u.unit !== 'd') cur.fail('today counts in whole days: today - 1d', span);
    return { anchor: 'today', minusDays: amount * u.times };
  }
  return { anchor: 'now', minus: { amount: amount * u.times, unit: u.unit } };
}

/**
 * A time phrase at the cursor, as conditions on `key` (start_time unless the caller read `ended`).
 * Null, with nothing consumed, when the cursor is not at one.
 */
export function takeTimePhrase(cur: Cursor, key: AttributeKey = 'start_time'): Expr | null {
  const start = cur.i;
  const w = cur.word();
  const span = (): Span => cur.spanFrom(start);
  if (w === 'today') {
    cur.i += 1;
    return cmp(key, '>=', { anchor: 'today', minusDays: 0 }, span());
  }
  if (w === 'yesterday') {
    cur.i += 1;
    return range(key, { anchor: 'today', minusDays: 1 }, { anchor: 'today', minusDays: 0 }, span());
  }
  // in the last 3 hours / within the past week / over the last 2 days / last week / past 24h
  let k = 0;
  if ((w === 'in' || w === 'within' || w === 'over' || w === 'during') && (cur.word(1) === 'the' ? RELATIVE_WORDS.has(cur.word(2) ?? '') : RELATIVE_WORDS.has(cur.word(1) ?? ''))) {
    k = cur.word(1) === 'the' ? 2 : 1;
  } else if (w === 'within') {
    cur.i += 1;
    const d = takeDuration(cur, false);
    if (d) return cmp(key, '>=', { anchor: 'now', minus: d }, span());
    cur.i = start;
    return null;
  }
  if (RELATIVE_WORDS.has(cur.word(k) ?? '')) {
    cur.i += k + 1;
    const d = takeDuration(cur, false);
    if (d) return cmp(key, '>=', { anchor: 'now', minus: d }, span());
    cur.i = start;
    return null;
  }
  if (w === 'since' || w === 'after' || w === 'before' || w === 'until') {
    cur.i += 1;
    const ref = takeTimeValue(cur) ?? sinceRelative(cur);
    if (!ref) cur.fail(`expected a date, 'yesterday' or 'last week' after '${w}'`);
    if (w === 'since') return cmp(key, '>=', ref, span());
    if (w === 'before' || w === 'until') return cmp(key, '<', ref, span());
    // `after 2026-11-01` means from the next day on; `after now - 3h` is a moment.
    if (ref.anchor === 'date' && ref.date.length === 10) return cmp(key, '>=', { anchor: 'date', date: addDays(ref.date, 1) }, span());
    if (ref.anchor === 'today') return cmp(key, '>=', { anchor: 'today', minusDays: ref.minusDays - 1 }, span());
    return cmp(key, '>', ref, span());
  }
  if (w === 'on' && cur.peek(1)?.kind === 'date') {
    cur.i += 1;
    const ref = takeTimeValue(cur) as TimeRef & { anchor: 'date' };
    const day = ref.date.slice(0, 10);
    return range(key, { anchor: 'date', date: day }, { anchor: 'date', date: addDays(day, 1) }, span());
  }
  return null;
}

/** `since last week` / `since 3 days ago`: a relative start. */
function sinceRelative(cur: Cursor): TimeRef | null {
  const start = cur.i;
  if (RELATIVE_WORDS.has(cur.word() ?? '')) {
    cur.i += 1;
    const d = takeDuration(cur, false);
    if (d) return { anchor: 'now', minus: d };
  }
  cur.i = start;
  const d = takeDuration(cur, true);
  if (d && cur.isWord('ago')) {
    cur.i += 1;
    return { anchor: 'now', minus: d };
  }
  cur.i = start;
  return null;
}

export const TIME_FIELD_WORDS: ReadonlyMap<string, AttributeKey> = new Map([
  ['started', 'start_time'],
  ['created', 'start_time'],
  ['launched', 'start_time'],
  ['ended', 'end_time'],
]);
