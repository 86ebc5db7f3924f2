// A position in the token list plus the helpers every grammar rule needs: multi-word phrase
// matching, spans, and the one way a rule gives up (ParseFailure, caught once in parser.ts).
import type { Problem, Span } from './ast';
import { FILLER, type Phrase } from './lexicon';
import type { Tok } from './tokenizer';

export class ParseFailure extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

export interface ParseOptions {
  /** Words that name keys or values in the store: never skipped as filler or "corrected". */
  isStoreWord?: (word: string) => boolean;
  /** Whether a word is a key's whole name (`lr`): it starts a new pair in `model mlp lr 0.1`. */
  isKeyName?: (word: string) => boolean;
  /** Words the store knows in any way (run names too): never "corrected" into grammar words. */
  isKnownText?: (word: string) => boolean;
}

export class Cursor {
  i = 0;
  readonly problems: Problem[] = [];

  constructor(
    readonly text: string,
    readonly toks: Tok[],
    readonly options: ParseOptions,
  ) {}

  peek(k = 0): Tok | undefined {
    return this.toks[this.i + k];
  }
  next(): Tok {
    const t = this.toks[this.i];
    if (!t) this.fail('the query ends too early', this.endSpan());
    this.i += 1;
    return t;
  }
  atEnd(): boolean {
    return this.i >= this.toks.length;
  }

  /** The word at offset k, lower-cased, or null when that token is not a word. */
  word(k = 0): string | null {
    const t = this.toks[this.i + k];
    return t?.kind === 'word' ? t.value : null;
  }
  isWord(w: string, k = 0): boolean {
    return this.word(k) === w;
  }
  isStoreWord(w: string): boolean {
    return this.options.isStoreWord?.(w) ?? false;
  }
  /** Filler: a word that means nothing here ("runs", "the") unless the store uses it as a name. */
  isFiller(k = 0): boolean {
    const w = this.word(k);
    return w !== null && FILLER.has(w) && !this.isStoreWord(w);
  }
  skipFillers(): void {
    while (this.isFiller()) this.i += 1;
  }

  /** Whether the words at offset k spell `phrase`. */
  matches(phrase: Phrase, k = 0): boolean {
    return phrase.every((w, j) => this.word(k + j) === w);
  }
  /** The longest phrase of `table` at the cursor, consumed; null (nothing consumed) when none. */
  take<T>(table: readonly (readonly [Phrase, T])[]): { value: T; span: Span } | null {
    let best: readonly [Phrase, T] | null = null;
    for (const row of table) if (this.matches(row[0]) && (!best || row[0].length > best[0].length)) best = row;
    if (!best) return null;
    const start = this.toks[this.i].span.start;
    this.i += best[0].length;
    return { value: best[1], span: { start, end: this.toks[this.i - 1].span.end } };
  }

  spanFrom(startIndex: number): Span {
    const a = this.toks[startIndex];
    const b = this.toks[Math.max(startIndex, this.i - 1)];
    if (!a) return this.endSpan();
    return { start: a.span.start, end: (b ?? a).span.end };
  }
  endSpan(): Span {
    return { start: this.text.length, end: this.text.length };
  }
  here(): Span {
    return this.peek()?.span ?? this.endSpan();
  }

  fail(message: string, span: Span = this.here()): never {
    throw new ParseFailure({ severity: 'error', code: 'syntax', message, span });
  }
}
