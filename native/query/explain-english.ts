// One line of plain English for a Query, shown under the filter bar and by `runledger query explain`:
// "The run with the highest val_auc among runs where latency_ms is below 50."
import type { CmpOp, Cond, Expr, Field, Query, SortKey, TimeRef, Value } from './ast';
import { fieldName } from './fields';
import { numberText } from './render-formal';
import { addDays } from './parse-time';

const OP_WORDS: Readonly<Record<CmpOp, string>> = {
  '>': 'is above',
  '>=': 'is at least',
  '<': 'is below',
  '<=': 'is at most',
  '=': 'is',
  '!=': 'is not',
};
const TIME_OP_WORDS: Readonly<Record<CmpOp, string>> = {
  '>': 'after',
  '>=': 'on or after',
  '<': 'before',
  '<=': 'on or before',
  '=': 'at',
  '!=': 'not at',
};
const UNIT_WORDS = { m: 'minutes', h: 'hours', d: 'days' } as const;

function timeWords(t: TimeRef): string {
  switch (t.anchor) {
    case 'epoch':
      return new Date(t.ms).toISOString().replace('T', ' ').slice(0, 19);
    case 'date':
      return t.date.replace('T', ' ');
    case 'now':
      return t.minus ? `${numberText(t.minus.amount)} ${UNIT_WORDS[t.minus.unit]} ago` : 'now';
    case 'today':
      return t.minusDays === 0 ? 'the start of today' : t.minusDays === 1 ? 'the start of yesterday' : `the start of the day ${t.minusDays} days ago`;
  }
}

function valueWords(v: Value): string {
  switch (v.type) {
    case 'number':
      return numberText(v.value);
    case 'string':
      return v.value;
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'time':
      return timeWords(v.ref);
  }
}

const started = (f: Field): string => (f.kind === 'attribute' && f.key === 'end_time' ? 'it ended' : 'it started');

function cmpWords(c: Cond & { kind: 'cmp' }): string {
  const { field: f, op, value } = c;
  if (value.type === 'time') {
    if (op === '>=' && value.ref.anchor === 'now' && value.ref.minus) return `${started(f)} in the last ${numberText(value.ref.minus.amount)} ${UNIT_WORDS[value.ref.minus.unit]}`;
    if (op === '>=' && value.ref.anchor === 'today' && value.ref.minusDays === 0) return `${started(f)} today`;
    return `${started(f)} ${TIME_OP_WORDS[op]} ${timeWords(value.ref)}`;
  }
  if (f.kind === 'metric' && (f.agg === 'nan_count' || f.agg === 'inf_count') && value.type === 'number' && value.value === 0 && (op === '>' || op === '=')) {
    const what = f.agg === 'nan_count' ? 'NaN' : 'infinite';
    return op === '>' ? `${f.key} was ${what} at some point` : `${f.key} was never ${what}`;
  }
  if (f.kind === 'attribute' && f.key === 'status') return `status ${op === '=' ? 'is' : 'is not'} ${String(valueWords(value)).toLowerCase()}`;
  if (f.kind === 'attribute' && f.key === 'lifecycle_stage') return (value.type === 'string' && value.value === 'deleted') === (op === '=') ? 'the run is deleted' : 'the run is not deleted';
  if (f.kind === 'git' && f.key === 'dirty') return (value.type === 'bool' && value.value) === (op === '=') ? 'its code had uncommitted changes' : 'its code was committed';
  if (f.kind === 'dataset' && f.key === 'changed') return 'its dataset differs from the one an earlier run used under the same name';
  if (f.kind === 'env' && ['torch', 'cuda', 'cudnn', 'python', 'driver'].includes(f.key) && value.type === 'string') return `${fieldName(f)} ${op === '=' ? 'is' : 'is not'} ${value.value} (any ${value.value}.x)`;
  const subject = f.kind === 'tag' ? `tag ${f.key}` : f.kind === 'metric' && f.agg !== 'last' ? `the ${fieldName(f)}` : fieldName(f);
  return `${subject} ${OP_WORDS[op]} ${valueWords(value)}`;
}

function condWords(c: Cond): string {
  const f = c.field;
  const subject = f.kind === 'tag' ? `tag ${f.key}` : f.kind === 'param' ? `param ${f.key}` : fieldName(f);
  switch (c.kind) {
    case 'cmp':
      return cmpWords(c);
    case 'between':
      return `${subject} is between ${valueWords(c.low)} and ${valueWords(c.high)}`;
    case 'match':
      if (c.op === 'prefix') return `${subject} starts with '${c.pattern}'`;
      return c.op === 'contains' ? `${subject} contains '${c.pattern}'` : `${subject} matches the pattern '${c.pattern}'${c.op === 'ilike' ? ' (any case)' : ''}`;
    case 'in':
      return `${subject} is ${c.negated ? 'none' : 'one'} of ${c.values.join(', ')}`;
    case 'null':
      if (f.kind === 'metric' && f.agg === 'last') return c.negated ? `it logged ${f.key}` : `it never logged ${f.key}`;
      return `${subject} is ${c.negated ? 'set' : 'not set'}`;
  }
}

/** `>= today - 1d and < today` reads "it started yesterday"; `>= D and < D+1` "it started on D". */
function dayPair(a: Expr, b: Expr | undefined): string | null {
  if (a.kind !== 'cmp' || b?.kind !== 'cmp' || a.op !== '>=' || b.op !== '<' || a.field.key !== b.field.key) return null;
  if (a.value.type !== 'time' || b.value.type !== 'time') return null;
  const [x, y] = [a.value.ref, b.value.ref];
  if (x.anchor === 'today' && y.anchor === 'today' && x.minusDays === y.minusDays + 1) {
    return `${started(a.field)} ${y.minusDays === 0 ? 'yesterday' : `on the day ${x.minusDays} days ago`}`;
  }
  if (x.anchor === 'date' && y.anchor === 'date' && x.date.length === 10 && y.date === addDays(x.date, 1)) return `${started(a.field)} on ${x.date}`;
  return null;
}

export function exprWords(e: Expr, nested = false): string {
  switch (e.kind) {
    case 'and': {
      const words: string[] = [];
      for (let i = 0; i < e.items.length; i++) {
        const day = dayPair(e.items[i], e.items[i + 1]);
        if (day) i += 1;
        words.push(day ?? exprWords(e.items[i], true));
      }
      return words.join(' and ');
    }
    case 'or': {
      const text = e.items.map((x) => exprWords(x, true)).join(' or ');
      return nested ? `(${text})` : text;
    }
    case 'not':
      // `not deleted` reads as "the run is not deleted", not "not (the run is deleted)".
      if (e.item.kind === 'cmp' && (e.item.op === '=' || e.item.op === '!=') && e.item.field.kind === 'attribute' && (e.item.field.key === 'lifecycle_stage' || e.item.field.key === 'status')) {
        return cmpWords({ ...e.item, op: e.item.op === '=' ? '!=' : '=' });
      }
      return `not (${exprWords(e.item)})`;
    default:
      return condWords(e);
  }
}

export function rankWords(s: SortKey): string {
  const name = fieldName(s.field);
  if (s.field.kind === 'attribute' && s.field.key === 'start_time') return s.dir === 'desc' ? 'newest' : 'oldest';
  return `${s.dir === 'desc' ? 'highest' : 'lowest'} ${name}`;
}

export function explainEnglish(q: Query): string {
  const where = q.filter ? exprWords(q.filter) : null;
  if (q.compare) {
    const groups = q.compare.map((g) => exprWords(g, true)).join(' vs ');
    return `Compare ${q.compare.length} groups: ${groups}${where ? `, each among runs where ${where}` : ''}${q.sort.length ? `, ranked by ${q.sort.map(rankWords).join(', then ')}` : ''}${q.limit ? `, at most ${q.limit} runs each` : ''}.`;
  }
  const among = where ? ` among runs where ${where}` : '';
  if (q.sort.length > 0) {
    const [first, ...rest] = q.sort;
    const then = rest.length ? `, then ${rest.map(rankWords).join(', then ')}` : '';
    const rank = rankWords(first);
    const isTime = first.field.kind === 'attribute' && first.field.key === 'start_time';
    if (q.limit === 1) return `The ${isTime ? `${rank} run` : `run with the ${rank}`}${then}${among}.`;
    if (q.limit !== null) return `The ${q.limit} ${isTime ? `${rank} runs` : `runs with the ${rank}`}${then}${among}.`;
    return `${where ? `Runs where ${where}` : 'All runs'}, sorted ${isTime ? `${rank} first` : `by ${rank}`}${then}.`;
  }
  if (q.limit !== null) return `The ${q.limit} newest runs${where ? ` where ${where}` : ''}.`;
  return where ? `Runs where ${where}.` : 'All runs.';
}
