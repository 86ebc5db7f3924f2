// The canonical formal rendering of a Query: one spelling per meaning, which the parser reads back
// to the same Query (the round-trip property the tests check). It is MLflow's filter syntax where
// MLflow has one (`metrics.val_auc > 0.85 and params.model = 'xgb'`), extended with or/not,
// aggregates (`min(metrics.val_loss)`), relative times (`now - 7d`), `order by` and `compare`.
import type { Cond, Expr, Query, SortKey, TimeRef, Value } from './ast';
import { fieldLabel } from './fields';

export function numberText(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

export const quoteString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export function timeText(t: TimeRef): string {
  switch (t.anchor) {
    case 'epoch':
      return numberText(t.ms);
    case 'date':
      return t.date;
    case 'now':
      return t.minus ? `now - ${numberText(t.minus.amount)}${t.minus.unit}` : 'now';
    case 'today':
      return t.minusDays ? `today - ${numberText(t.minusDays)}d` : 'today';
  }
}

export function valueFormal(v: Value): string {
  switch (v.type) {
    case 'number':
      return numberText(v.value);
    case 'string':
      return quoteString(v.value);
    case 'bool':
      return String(v.value);
    case 'time':
      return timeText(v.ref);
  }
}

function condFormal(c: Cond): string {
  const f = fieldLabel(c.field);
  switch (c.kind) {
    case 'cmp':
      return `${f} ${c.op} ${valueFormal(c.value)}`;
    case 'between':
      return `${f} between ${valueFormal(c.low)} and ${valueFormal(c.high)}`;
    case 'match':
      return `${f} ${c.op === 'prefix' ? 'starts with' : c.op} ${quoteString(c.pattern)}`;
    case 'in':
      return `${f} ${c.negated ? 'not in' : 'in'} (${c.values.map(quoteString).join(', ')})`;
    case 'null':
      return `${f} is ${c.negated ? 'not null' : 'null'}`;
  }
}

const PREC = { or: 1, and: 2, not: 3 } as const;

export function exprFormal(e: Expr, parent = 0): string {
  if (e.kind !== 'and' && e.kind !== 'or' && e.kind !== 'not') return condFormal(e);
  const own = PREC[e.kind];
  const text = e.kind === 'not' ? `not ${exprFormal(e.item, own)}` : e.items.map((x) => exprFormal(x, own)).join(` ${e.kind} `);
  // `not` binds tighter than `and`, which binds tighter than `or`; anything looser is bracketed.
  return parent > own || (parent === own && e.kind === 'not') ? `(${text})` : text;
}

export const sortFormal = (s: SortKey): string => `${fieldLabel(s.field)} ${s.dir}`;

export function renderFormal(q: Query): string {
  const parts: string[] = [];
  if (q.compare) {
    parts.push(`compare ${q.compare.map((g) => `(${exprFormal(g)})`).join(' vs ')}`);
    if (q.filter) parts.push(`where ${exprFormal(q.filter)}`);
  } else if (q.filter) {
    // A top-level `or` needs no brackets: everything after it (order by, limit) is not a condition.
    parts.push(exprFormal(q.filter));
  }
  if (q.sort.length > 0) parts.push(`order by ${q.sort.map(sortFormal).join(', ')}`);
  if (q.limit !== null) parts.push(`limit ${q.limit}`);
  return parts.join(' ');
}
