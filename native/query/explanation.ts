// Builds what the filter bar and `runledger query explain` show: chips for each understood piece
// (with the query that removing it leaves), groups, problems with spans, completions, and the
// problems as one terminal-friendly message with carets under the text.
import type { QueryChip, QueryExplanation, QueryProblem } from '../api/contract';
import type { Expr, Problem, Query } from './ast';
import { exprWords, explainEnglish, rankWords } from './explain-english';
import { exprFormal, renderFormal, sortFormal } from './render-formal';
import { isSystemTag, type Vocabulary } from './vocabulary';
import type { CompiledSelect } from './compile-sql';

const conjuncts = (e: Expr | null): Expr[] => (e === null ? [] : e.kind === 'and' ? e.items : [e]);
const conj = (items: Expr[]): Expr | null => (items.length === 0 ? null : items.length === 1 ? items[0] : { kind: 'and', items });
const without = <T>(list: readonly T[], i: number): T[] => list.filter((_, j) => j !== i);

export function chipsOf(q: Query): QueryChip[] {
  const chips: QueryChip[] = [];
  const conds = conjuncts(q.filter);
  if (q.compare) {
    q.compare.forEach((g, i) => {
      const rest = without(q.compare!, i);
      // Down to one group, it is no longer a comparison but a condition.
      const left: Query = rest.length >= 2 ? { ...q, compare: rest } : { ...q, compare: null, filter: conj([...rest, ...conds]) };
      chips.push({ kind: 'group', label: exprWords(g), formal: exprFormal(g), start: g.span?.start ?? null, end: g.span?.end ?? null, without: renderFormal(left) });
    });
  }
  conds.forEach((c, i) => {
    chips.push({ kind: 'condition', label: exprWords(c), formal: exprFormal(c), start: c.span?.start ?? null, end: c.span?.end ?? null, without: renderFormal({ ...q, filter: conj(without(conds, i)) }) });
  });
  q.sort.forEach((s, i) => {
    chips.push({ kind: 'sort', label: rankWords(s), formal: `order by ${sortFormal(s)}`, start: s.span?.start ?? null, end: s.span?.end ?? null, without: renderFormal({ ...q, sort: without(q.sort, i) }) });
  });
  if (q.limit !== null) {
    chips.push({ kind: 'limit', label: q.limit === 1 ? 'one run' : `at most ${q.limit} runs`, formal: `limit ${q.limit}`, start: null, end: null, without: renderFormal({ ...q, limit: null }) });
  }
  return chips;
}

/** Keys and values present in the store that complete the word at the end of `text`. */
export function completionsFor(text: string, vocab: Vocabulary, max = 10): string[] {
  const m = /[\p{L}\p{N}_.\-/]+$/u.exec(text);
  if (!m) return [];
  const typed = m[0].toLowerCase();
  const dot = typed.indexOf('.');
  const prefixes: Record<string, readonly string[]> = {
    metrics: vocab.metrics,
    params: vocab.params.map((p) => p.key),
    tags: vocab.tags.map((t) => t.key),
  };
  let pool: string[];
  let stem = typed;
  if (dot > 0 && prefixes[typed.slice(0, dot)]) {
    const entity = typed.slice(0, dot);
    stem = typed.slice(dot + 1);
    pool = prefixes[entity].map((k) => `${entity}.${k}`);
    return pool.filter((k) => k.toLowerCase().startsWith(typed) && k.toLowerCase() !== typed).slice(0, max);
  }
  pool = [
    ...vocab.metrics,
    ...vocab.params.map((p) => p.key),
    ...vocab.tags.filter((t) => !isSystemTag(t.key)).map((t) => t.key),
    ...vocab.params.flatMap((p) => p.values ?? []),
    ...vocab.tags.filter((t) => !isSystemTag(t.key)).flatMap((t) => t.values ?? []),
    ...vocab.experiments,
    ...vocab.datasets.map((d) => d.name),
  ];
  const hits = [...new Set(pool)].filter((k) => {
    const lower = k.toLowerCase();
    return lower !== stem && (lower.startsWith(stem) || lower.split(/[^\p{L}\p{N}]+/u).some((seg) => seg.startsWith(stem)));
  });
  return hits.sort((a, b) => Number(!a.toLowerCase().startsWith(stem)) - Number(!b.toLowerCase().startsWith(stem)) || a.length - b.length || a.localeCompare(b)).slice(0, max);
}

export const problemDto = (p: Problem): QueryProblem => ({
  severity: p.severity,
  code: p.code,
  message: p.message,
  start: p.span.start,
  end: p.span.end,
  candidates: p.candidates ?? [],
});

export function explanationOf(text: string, q: Query, problems: Problem[], vocab: Vocabulary, sql: CompiledSelect[]): QueryExplanation {
  const ok = !problems.some((p) => p.severity === 'error');
  return {
    text,
    ok,
    formal: ok ? renderFormal(q) : '',
    explanation: ok ? explainEnglish(q) : `Could not read this query: ${problems.find((p) => p.severity === 'error')!.message}.`,
    chips: ok ? chipsOf(q) : [],
    groups: ok && q.compare ? q.compare.map((g) => ({ label: exprWords(g), formal: exprFormal(g) })) : null,
    problems: problems.map(problemDto),
    completions: completionsFor(text, vocab),
    sql: ok ? sql.map((s) => ({ sql: s.sql, params: s.params })) : [],
  };
}

/**
 * The problems as a message for a terminal: each with the query text and carets under its span.
 *   val_acu > 0.8
 *   ^^^^^^^ 'val_acu' is not a key in this store (did you mean metrics.val_auc?)
 */
export function problemsMessage(text: string, problems: readonly QueryProblem[]): string {
  const lines = problems.map((p) => {
    const width = Math.max(1, p.end - p.start);
    const hint = p.candidates.length === 0 ? '' : p.code === 'ambiguous' ? `: ${p.candidates.join(', ')}` : ` (did you mean ${p.candidates.join(', ')}?)`;
    const caret = `${' '.repeat(Math.min(p.start, text.length))}${'^'.repeat(width)}`;
    return `  ${text}\n  ${caret} ${p.severity === 'warning' ? 'note: ' : ''}${p.message}${hint}`;
  });
  return lines.join('\n');
}
