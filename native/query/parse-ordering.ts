// Orderings and limits inside a query: `highest auc`, `top 5 runs by val_f1`, `best 2 xgb runs by auc`,
// `order by lr desc, val_auc asc`, `newest failed run`, `limit 20`. A superlative without a number
// means one run, unless the words around it say "runs".
import type { RawExpr, RawSort, Span } from './ast';
import { AGG_WORDS, AND_WORDS, DIRECTION_PHRASES, ORDER_PHRASES, RECENCY, SUPERLATIVES } from './lexicon';
import type { Cursor } from './parse-cursor';
import { isPhraseWord, takeField } from './parse-terms';
import { takeTail } from './parse-tail';
import { takeTimePhrase } from './parse-time';

export class Orderings {
  /** Conditions read inside an ordering (`best 2 xgb runs by auc`): AND-ed into the sequence. */
  readonly pending: RawExpr[] = [];
  readonly sort: RawSort[] = [];
  limit: number | null = null;
  limitSpan: Span | null = null;

  constructor(private readonly cur: Cursor) {}

  /** Undoes whatever a lookahead adds. */
  snapshot(): () => void {
    const [sort, pending, limit, limitSpan] = [this.sort.length, this.pending.length, this.limit, this.limitSpan];
    return () => {
      this.sort.length = sort;
      this.pending.length = pending;
      this.limit = limit;
      this.limitSpan = limitSpan;
    };
  }

  private setLimit(n: number, span: Span): void {
    if (!Number.isInteger(n) || n < 1) this.cur.fail(`a limit must be a whole number of runs, got ${n}`, span);
    this.limit = this.limit === null ? n : Math.min(this.limit, n);
    this.limitSpan = span;
  }

  /** `limit 10`, `first 10`. */
  tryLimit(): boolean {
    const cur: Cursor = this.cur;
    const n = cur.peek(1);
    if (!(cur.isWord('limit') || cur.isWord('first')) || n?.kind !== 'number' || n.unit) return false;
    const start = cur.i;
    cur.i += 2;
    this.setLimit(n.num ?? 0, cur.spanFrom(start));
    return true;
  }

  /** Whether the next few words say "runs" (a list) rather than "run" (one). */
  private plural(): boolean | null {
    for (let k = 0; k < 5; k++) {
      const w = this.cur.word(k);
      if (w === 'runs') return true;
      if (w === 'run') return false;
      if (w === null || AND_WORDS.has(w) || w === 'by') return null;
    }
    return null;
  }

  tryOrdering(): boolean {
    const cur: Cursor = this.cur;
    const start = cur.i;
    if (cur.matches(['most', 'recent'])) return this.tryRecency();
    for (const ph of ORDER_PHRASES) {
      if (cur.matches(ph)) {
        cur.i += ph.length;
        this.sortKeys();
        return true;
      }
    }
    const lead = cur.peek();
    const k = lead?.kind === 'number' && !lead.unit && SUPERLATIVES.has(cur.word(1) ?? '') ? 1 : 0;
    const w = cur.word(k);
    const dir = w ? SUPERLATIVES.get(w) : undefined;
    // `max(metrics.val_loss) > 1` is an aggregate call, not an ordering.
    if (dir && !cur.isStoreWord(w!) && cur.peek(k + 1)?.kind !== 'lparen') {
      cur.i += k + 1;
      let n = k === 1 ? (lead!.num ?? null) : null;
      const after = cur.peek();
      if (n === null && after?.kind === 'number' && !after.unit) {
        n = after.num ?? null;
        cur.i += 1;
      }
      const plural = this.plural();
      while (cur.isWord('runs') || cur.isWord('run') || cur.isWord('by') || cur.isWord('for') || cur.isWord('in') || cur.isWord('of') || cur.isWord('the')) cur.i += 1;
      const fieldAt = cur.i;
      let field = takeField(cur);
      if (!field) cur.fail(`'${w}' needs a metric to rank by, e.g. '${w} val_auc'`, cur.spanFrom(start));
      // `best 2 xgb runs by auc`: the words before "runs by" say which runs, the key comes after.
      if (field.kind === 'phrase' && (cur.isWord('runs') || cur.isWord('run')) && cur.isWord('by', 1)) {
        this.pending.push({ kind: 'words', words: field.words, quoted: false, span: field.span });
        cur.i += 2;
        const key = takeField(cur);
        if (!key) cur.fail(`expected a metric to rank by after 'by'`);
        field = key;
      }
      // `min val_loss < 0.3`, `lowest val_loss below 0.3`: an aggregate condition, not an ordering.
      if (n === null && k === 0 && AGG_WORDS.has(w!) && fieldAt === start + 1) {
        const save = cur.i;
        const tail = takeTail(cur);
        cur.i = save;
        if (tail) {
          cur.i = start;
          return false;
        }
      }
      this.sort.push({ field, dir, span: cur.spanFrom(start) });
      if (n !== null) this.setLimit(n, cur.spanFrom(start));
      else if (plural !== true) this.setLimit(1, cur.spanFrom(start));
      return true;
    }
    return this.tryRecency();
  }

  /** `newest`, `latest 5 runs`, `oldest first`, `most recent failed run`. */
  private tryRecency(): boolean {
    const cur: Cursor = this.cur;
    const start = cur.i;
    const rec = RECENCY.find(([ph]) => cur.matches(ph));
    if (!rec || cur.isStoreWord(rec[0][0])) return false;
    // `latest val_loss < 0.3` is a condition on the last value; `recent 3 days` a time phrase.
    if (isPhraseWord(cur, rec[0].length) || takeTimePhrase(cur)) {
      cur.i = start;
      return false;
    }
    cur.i += rec[0].length;
    let n: number | null = null;
    const t = cur.peek();
    if (t?.kind === 'number' && !t.unit) {
      n = t.num ?? null;
      cur.i += 1;
    }
    const plural = this.plural();
    if (cur.isWord('first')) cur.i += 1;
    this.sort.push({ field: { kind: 'fixed', field: { kind: 'attribute', key: 'start_time' }, span: cur.spanFrom(start) }, dir: rec[1], span: cur.spanFrom(start) });
    if (n !== null) this.setLimit(n, cur.spanFrom(start));
    else if (plural === false) this.setLimit(1, cur.spanFrom(start));
    return true;
  }

  /** After `order by`: `key [asc|desc]`, comma-separated. */
  private sortKeys(): void {
    const cur: Cursor = this.cur;
    for (;;) {
      const start = cur.i;
      const field = takeField(cur);
      if (!field) cur.fail('expected a key to order by');
      const dir = cur.take(DIRECTION_PHRASES)?.value ?? 'asc';
      this.sort.push({ field, dir, span: cur.spanFrom(start) });
      if (cur.peek()?.kind !== 'comma' && !(cur.isWord('then') || (cur.isWord('and') && isPhraseWord(cur, 1) && !this.conditionAhead(1)))) return;
      cur.i += 1;
    }
  }

  /** Whether a condition (a field with an operator) starts at offset k. */
  private conditionAhead(k: number): boolean {
    const save = this.cur.i;
    this.cur.i += k;
    const f = takeField(this.cur);
    const yes = f !== null && takeTail(this.cur) !== null;
    this.cur.i = save;
    return yes;
  }
}
