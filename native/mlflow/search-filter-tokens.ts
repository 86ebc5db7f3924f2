// Tokenizer for MLflow's search_runs filter and order_by strings.
//
// MLflow feeds these strings to sqlparse; this is a small hand-written lexer that reproduces the
// sqlparse token classes the grammar depends on (names, single-quoted strings, double-quoted and
// backticked "symbols", numbers, comparison operators, punctuation) and nothing more. It is pure
// and linear in the input length; every failure is an MlflowError(INVALID_PARAMETER_VALUE).

import { invalidParam } from './errors';

export type TokenKind =
  | 'word' // bare name or keyword: metrics, m1, and, LIKE, 10k, ...
  | 'number' // -2, .5, 1e-3, 1.
  | 'string' // '...'
  | 'dquoted' // "..."
  | 'backtick' // `...`
  | 'op' // a run of <>=~! (validated by the parser, so `<>` or `==` give a clear error)
  | 'dot'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'semicolon'
  | 'other'; // any other single character: garbage the parser reports

export interface Token {
  kind: TokenKind;
  /** The token exactly as written, quotes included (used in error messages, like MLflow's). */
  raw: string;
  /** Quoted kinds: the content with the quotes removed and doubled quotes collapsed; else = raw. */
  value: string;
  start: number;
  end: number;
}

const WHITESPACE = /\s+/uy;
// Letters, digits and marks of any script, plus sqlparse's extra name characters.
const WORD = /[\p{L}\p{N}\p{M}_$#]+/uy;
// The negative lookahead keeps `10k` or `1e5x` a single word, as sqlparse does.
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?![\p{L}\p{N}\p{M}_$#])/uy;
const OPERATOR = /[<>=~!]+/y;
const ANY_CHAR = /[\s\S]/uy;

const PUNCTUATION: Readonly<Record<string, TokenKind>> = {
  '(': 'lparen',
  ')': 'rparen',
  ',': 'comma',
  ';': 'semicolon',
};

function matchAt(re: RegExp, text: string, pos: number): string | null {
  re.lastIndex = pos;
  const m = re.exec(text);
  return m ? m[0] : null;
}

const QUOTE_KIND: Readonly<Record<string, TokenKind>> = { "'": 'string', '"': 'dquoted', '`': 'backtick' };
const QUOTE_NAME: Readonly<Record<string, string>> = { "'": 'single', '"': 'double', '`': 'backtick' };

/**
 * Scans a quoted token starting at `start`. Like sqlparse, a doubled quote and (except for
 * backticks) a backslash-escaped quote do not end the token. The value collapses doubled quotes
 * (SQL's own escape) but keeps backslash sequences verbatim, as MLflow does.
 */
function scanQuoted(text: string, start: number, context: string): Token {
  const q = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && q !== '`' && i + 1 < text.length) {
      value += ch + text[i + 1];
      i += 2;
      continue;
    }
    if (ch === q) {
      if (text[i + 1] === q) {
        value += q;
        i += 2;
        continue;
      }
      return { kind: QUOTE_KIND[q], raw: text.slice(start, i + 1), value, start, end: i + 1 };
    }
    value += ch;
    i += 1;
  }
  throw invalidParam(
    `Invalid ${context}: unterminated ${QUOTE_NAME[q]} quote starting at character ${start + 1}.`,
  );
}

/** Tokens of `text`, whitespace dropped. `context` names the input in error messages. */
export function tokenize(text: string, context: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const push = (kind: TokenKind, raw: string): void => {
    tokens.push({ kind, raw, value: raw, start: pos, end: pos + raw.length });
    pos += raw.length;
  };
  while (pos < text.length) {
    const ws = matchAt(WHITESPACE, text, pos);
    if (ws) {
      pos += ws.length;
      continue;
    }
    const ch = text[pos];
    if (ch === "'" || ch === '"' || ch === '`') {
      const tok = scanQuoted(text, pos, context);
      tokens.push(tok);
      pos = tok.end;
      continue;
    }
    const prev = tokens[tokens.length - 1];
    const prevIsNamePart =
      prev !== undefined &&
      prev.end === pos &&
      (prev.kind === 'word' || prev.kind === 'dquoted' || prev.kind === 'backtick');
    if (ch === '.' && prevIsNamePart) {
      // `metrics.5` or `m.x`: a dot glued to a name separates identifier parts; only a dot
      // elsewhere may start a number such as `.5`.
      push('dot', '.');
      continue;
    }
    const afterDot = prev !== undefined && prev.end === pos && prev.kind === 'dot';
    if (!afterDot) {
      const num = matchAt(NUMBER, text, pos);
      if (num) {
        push('number', num);
        continue;
      }
    }
    const word = matchAt(WORD, text, pos);
    if (word) {
      // After a glued dot everything name-like is a key part (`metrics.1st`, `tags.10`).
      push('word', word);
      continue;
    }
    if (ch === '.') {
      push('dot', '.');
      continue;
    }
    const op = matchAt(OPERATOR, text, pos);
    if (op) {
      push('op', op);
      continue;
    }
    const punct = PUNCTUATION[ch];
    if (punct) {
      push(punct, ch);
      continue;
    }
    // One whole code point, so an astral character is never split into lone surrogates.
    push('other', matchAt(ANY_CHAR, text, pos) ?? ch);
  }
  return tokens;
}

/** True when `tok` is the bare word `word`, compared case-insensitively (SQL keywords). */
export function isKeyword(tok: Token | undefined, word: string): boolean {
  return tok !== undefined && tok.kind === 'word' && tok.value.toLowerCase() === word;
}

/** A position in a token list, with helpers that quote source text back in error messages. */
export class Cursor {
  i = 0;
  constructor(
    readonly src: string,
    readonly toks: readonly Token[],
  ) {}
  peek(offset = 0): Token | undefined {
    return this.toks[this.i + offset];
  }
  next(): Token | undefined {
    return this.toks[this.i++];
  }
  atEnd(): boolean {
    return this.i >= this.toks.length;
  }
  /** Source text from token index `from` through the last consumed token. */
  textFrom(from: number, through = this.i - 1): string {
    const a = this.toks[from];
    const b = this.toks[Math.min(Math.max(through, from), this.toks.length - 1)];
    return a && b ? this.src.slice(a.start, b.end) : '';
  }
  /** Source text of the token at index `at`, or of the whole parenthesised group it opens. */
  groupText(at: number): string {
    const first = this.toks[at];
    if (!first) return '';
    if (first.kind !== 'lparen') return first.raw;
    let depth = 0;
    for (let j = at; j < this.toks.length; j++) {
      if (this.toks[j].kind === 'lparen') depth++;
      else if (this.toks[j].kind === 'rparen' && --depth === 0) return this.src.slice(first.start, this.toks[j].end);
    }
    return this.src.slice(first.start);
  }
}

/** A token that touches the previous one and cannot start a comparator, like `-` in `my-param`. */
export function isGlued(prev: Token | undefined, tok: Token | undefined): boolean {
  return (
    prev !== undefined &&
    tok !== undefined &&
    tok.start === prev.end &&
    (tok.kind === 'other' || tok.kind === 'word' || tok.kind === 'number' || tok.kind === 'dot')
  );
}
