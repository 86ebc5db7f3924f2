// The grammar above single conditions: `and`/`or`/`not` and parentheses, juxtaposition, orderings
// (`highest auc`, `top 5 by val_f1`, `order by …`), `limit`, and `compare A vs B on D`.
//
// Precedence, loosest first: juxtaposition and clause words (`failed or killed runs last week` is
// `(failed or killed) and last week`; so is `… with …`), then `or`, then `and`, then `not`. The
// formal rendering writes every `and` and brackets where needed, so what was understood is visible.
import type { RawExpr, RawQuery } from './ast';
import { AND_WORDS, COMPARE_WORDS, NOT_WORDS, OR_WORDS, ORDER_PHRASES, VERSUS_WORDS } from './lexicon';
import { Cursor, ParseFailure, type ParseOptions } from './parse-cursor';
import { takeTerm } from './parse-terms';
import { tokenize, type Tok } from './tokenizer';
import { Orderings } from './parse-ordering';
import { prepare } from './spelling';

export type { ParseOptions } from './parse-cursor';

/** Longer queries and deeper brackets are refused, not recursed into: no input can exhaust the stack. */
export const MAX_QUERY_LENGTH = 10_000;
const MAX_DEPTH = 64;

class Grammar {
  readonly order: Orderings;
  private depth = 0;

  constructor(private readonly cur: Cursor) {
    this.order = new Orderings(cur);
  }

  query(): { compare: RawExpr[] | null; filter: RawExpr | null } {
    const cur: Cursor = this.cur;
    cur.skipFillers();
    let compare: RawExpr[] | null = null;
    if (COMPARE_WORDS.has(cur.word() ?? '')) {
      cur.i += 1;
      compare = this.compareGroups();
    }
    const items = this.sequence(() => false, true);
    return { compare, filter: conj(items, cur) };
  }

  /** Items side by side, AND-ed: conditions, and (when `ordering`) orderings and limits. */
  private sequence(stop: () => boolean, ordering: boolean): RawExpr[] {
    const cur: Cursor = this.cur;
    const items: RawExpr[] = [];
    for (;;) {
      this.skipJoiners(stop);
      if (cur.atEnd() || stop()) return items;
      if (ordering && (this.order.tryOrdering() || this.order.tryLimit())) {
        items.push(...this.order.pending.splice(0));
        continue;
      }
      const e = this.or(stop);
      if (!e) {
        const t = cur.peek()!;
        if (t.kind === 'rparen') cur.fail("unmatched ')'", t.span);
        if (t.kind === 'or' || OR_WORDS.has(cur.word() ?? '')) cur.fail(`'${t.text}' needs a condition before it`, t.span);
        if (cur.isWord('by')) cur.fail("'by' goes with an ordering or a field: 'sorted by val_auc', 'top 5 by val_f1', 'user ana'", t.span);
        cur.fail(`did not expect '${t.text}' here`, t.span);
      }
      items.push(e);
    }
  }

  private skipJoiners(stop: () => boolean): void {
    const cur: Cursor = this.cur;
    let last: Tok | null = null;
    for (;;) {
      cur.skipFillers();
      if (stop()) return;
      const t = cur.peek();
      if (t && (t.kind === 'comma' || t.kind === 'and' || (t.kind === 'word' && AND_WORDS.has(t.value) && !cur.isStoreWord(t.value)))) {
        last = t;
        cur.i += 1;
      } else break;
    }
    // `val_auc > 0.8 and`: a dangling connective is reported, not dropped.
    if (last && cur.atEnd()) cur.fail(`expected a condition after '${last.text}'`, last.span);
  }

  private or(stop: () => boolean): RawExpr | null {
    const cur: Cursor = this.cur;
    const start = cur.i;
    const first = this.and(stop);
    if (!first) return null;
    const items = [first];
    for (;;) {
      const save = cur.i;
      cur.skipFillers();
      const t = cur.peek();
      if (t && !stop() && (t.kind === 'or' || (t.kind === 'word' && OR_WORDS.has(t.value)))) {
        cur.i += 1;
        const e = this.and(stop);
        if (!e) cur.fail(`expected a condition after '${t.text}'`);
        items.push(e);
        continue;
      }
      cur.i = save;
      break;
    }
    return items.length === 1 ? first : { kind: 'or', items, span: cur.spanFrom(start) };
  }

  private and(stop: () => boolean): RawExpr | null {
    const cur: Cursor = this.cur;
    const start = cur.i;
    const first = this.unary(stop);
    if (!first) return null;
    const items = [first];
    for (;;) {
      const save = cur.i;
      cur.skipFillers();
      const t = cur.peek();
      // Only a written `and` binds tighter than `or`. `with`, `where`, `that` and commas start a new
      // clause, like juxtaposition: `killed or failed runs with auc > 0.9` is `(killed or failed) and …`.
      const joiner = t && (t.kind === 'and' || (t.kind === 'word' && t.value === 'and' && !cur.isStoreWord(t.value)));
      if (!joiner || stop()) {
        cur.i = save;
        break;
      }
      cur.i += 1;
      cur.skipFillers();
      // `… with latency under 50ms and highest auc`: the ordering belongs to the sequence.
      if (cur.atEnd() || stop() || this.orderingAhead()) {
        cur.i = save;
        break;
      }
      const e = this.unary(stop);
      if (!e) {
        cur.i = save;
        break;
      }
      items.push(e);
    }
    return items.length === 1 ? first : { kind: 'and', items, span: cur.spanFrom(start) };
  }

  private unary(stop: () => boolean): RawExpr | null {
    const cur: Cursor = this.cur;
    cur.skipFillers();
    if (cur.atEnd() || stop()) return null;
    const t = cur.peek()!;
    if (t.kind === 'not' || (t.kind === 'word' && NOT_WORDS.has(t.value) && !cur.isStoreWord(t.value))) {
      const start = cur.i;
      cur.i += 1;
      if (++this.depth > MAX_DEPTH) cur.fail(`more than ${MAX_DEPTH} nested 'not'`, t.span);
      const item = this.unary(stop);
      this.depth -= 1;
      if (!item) cur.fail(`expected a condition after '${t.text}'`);
      return { kind: 'not', item, span: cur.spanFrom(start) };
    }
    return this.primary(stop);
  }

  private primary(stop: () => boolean): RawExpr | null {
    const cur: Cursor = this.cur;
    if (cur.isWord('either')) cur.i += 1;
    const t = cur.peek();
    if (!t || stop()) return null;
    if (t.kind !== 'lparen') return takeTerm(cur);
    const start = cur.i;
    cur.i += 1;
    if (++this.depth > MAX_DEPTH) cur.fail(`brackets nest deeper than ${MAX_DEPTH}`, t.span);
    const items = this.sequence(() => cur.peek()?.kind === 'rparen', false);
    this.depth -= 1;
    if (cur.peek()?.kind !== 'rparen') cur.fail("'(' is never closed", t.span);
    cur.i += 1;
    if (items.length === 0) cur.fail('empty parentheses', cur.spanFrom(start));
    const e = conj(items, cur)!;
    return { ...e, span: cur.spanFrom(start) };
  }

  private orderingAhead(): boolean {
    const save = this.cur.i;
    const undo = this.order.snapshot();
    const yes = this.order.tryOrdering() || this.order.tryLimit();
    this.cur.i = save;
    undo();
    return yes;
  }


  /** `compare A and B`, `compare A vs B vs C`: the groups, up to `on …`/`where …`. */
  private compareGroups(): RawExpr[] {
    const cur: Cursor = this.cur;
    let depth = 0;
    let versus = false;
    for (let j = cur.i; j < cur.toks.length; j++) {
      const t = cur.toks[j];
      if (t.kind === 'lparen') depth++;
      else if (t.kind === 'rparen') depth--;
      else if (depth === 0 && t.kind === 'word' && VERSUS_WORDS.has(t.value)) versus = true;
    }
    const shared = (): boolean =>
      cur.isWord('on') || cur.isWord('where') || cur.isWord('across') || ORDER_PHRASES.some((ph) => cur.matches(ph)) || (cur.isWord('limit') && cur.peek(1)?.kind === 'number');
    const groups: RawExpr[] = [];
    for (;;) {
      cur.skipFillers();
      const g = versus ? conj(this.sequence(() => VERSUS_WORDS.has(cur.word() ?? '') || shared(), false), cur) : this.unary(shared);
      if (!g) cur.fail('expected a group to compare, e.g. compare lr=1e-3 and lr=3e-4');
      groups.push(g);
      cur.skipFillers();
      const t = cur.peek();
      const sep = versus
        ? VERSUS_WORDS.has(cur.word() ?? '')
        : t?.kind === 'comma' || t?.kind === 'and' || cur.isWord('and') || cur.isWord('with') || cur.isWord('to');
      if (!sep) break;
      cur.i += 1;
    }
    if (groups.length < 2) cur.fail('compare needs at least two groups: compare A and B', groups[0]?.span);
    return groups;
  }
}

function conj(items: RawExpr[], cur: Cursor): RawExpr | null {
  if (items.length === 0) return null;
  if (items.length === 1) return items[0];
  return { kind: 'and', items, span: { start: items[0].span.start, end: items[items.length - 1].span.end } };
}

export function parse(text: string, options: ParseOptions = {}): RawQuery {
  if (text.length > MAX_QUERY_LENGTH) {
    const span = { start: MAX_QUERY_LENGTH, end: text.length };
    return { compare: null, filter: null, sort: [], limit: null, limitSpan: null, problems: [{ severity: 'error', code: 'syntax', message: `a query is at most ${MAX_QUERY_LENGTH} characters`, span }] };
  }
  const cur = new Cursor(text, [], options);
  const toks = prepare(tokenize(text), cur);
  cur.toks.push(...toks);
  const empty: RawQuery = { compare: null, filter: null, sort: [], limit: null, limitSpan: null, problems: cur.problems };
  const bad = toks.find((t) => t.kind === 'other');
  try {
    if (bad) cur.fail(`'${bad.text}' has no meaning here`, bad.span);
    const g = new Grammar(cur);
    const { compare, filter } = g.query();
    return { compare, filter, sort: g.order.sort, limit: g.order.limit, limitSpan: g.order.limitSpan, problems: cur.problems };
  } catch (err) {
    if (!(err instanceof ParseFailure)) throw err;
    cur.problems.push(err.problem);
    return empty;
  }
}
