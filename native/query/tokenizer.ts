// Tokenizer for the filter language. Every token keeps its character span so errors can point at
// the text. It never throws: an unterminated quote or a stray character becomes a token the parser
// reports. Units stay glued to their number (`50ms`, `1.5GB`, `5%`); dates (`2026-11-01`) are one
// token; `metrics.val_auc` and metrics.`my key` are one `key` token with the entity split off.
import type { Entity, Span } from './ast';
import { valueUnit } from './units';

export type TokKind = 'word' | 'key' | 'number' | 'date' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'and' | 'or' | 'not' | 'minus' | 'other';

export interface Tok {
  kind: TokKind;
  /** The source text of the token, quotes included. */
  text: string;
  /** word: lower-cased text; string/key: the unquoted content; op: the operator; number: the digits. */
  value: string;
  span: Span;
  /** number: its value; unit: the unit glued to it, as written (`ms`, `GB`, `%`). */
  num?: number;
  unit?: string | null;
  /** key: the entity before the dot (`metrics` → metric). */
  entity?: Entity;
  /** string: which quote delimited it; `unterminated` when the closing one is missing. */
  quote?: string;
  unterminated?: boolean;
}

export const ENTITY_PREFIXES: ReadonlyMap<string, Entity> = new Map([
  ['metric', 'metric'],
  ['metrics', 'metric'],
  ['param', 'param'],
  ['params', 'param'],
  ['parameter', 'param'],
  ['parameters', 'param'],
  ['tag', 'tag'],
  ['tags', 'tag'],
  ['attribute', 'attribute'],
  ['attributes', 'attribute'],
  ['attr', 'attribute'],
  ['run', 'attribute'],
  ['dataset', 'dataset'],
  ['datasets', 'dataset'],
  ['env', 'env'],
  ['environment', 'env'],
  ['git', 'git'],
]);

// Letters, digits and marks of any script; inside a word also - . + / when a letter or digit follows
// (`val-auc`, `credit_risk_v2.1`, `2.11.0+cu130`, `train/loss`).
const WORD = /[\p{L}\p{N}\p{M}_$#@']+(?:[-.+/][\p{L}\p{N}\p{M}_]+)*/uy;
const NUMBER = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const DATE = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?![\p{L}\p{N}_])/uy;
const UNIT_TAIL = /(?:%|[\p{L}]+)(?![\p{L}\p{N}_.])/uy;
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const OPERATOR = /(?:>=|<=|!=|<>|==|[<>=:≥≤≠])/y;

function at(re: RegExp, text: string, pos: number): string | null {
  re.lastIndex = pos;
  const m = re.exec(text);
  return m ? m[0] : null;
}

/** A quoted run starting at `start`; a doubled quote inside stands for one quote (SQL's escape). */
function scanQuoted(text: string, start: number): Tok {
  const q = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === q) {
      if (text[i + 1] === q) {
        value += q;
        i += 2;
        continue;
      }
      return { kind: 'string', text: text.slice(start, i + 1), value, quote: q, span: { start, end: i + 1 } };
    }
    value += text[i];
    i += 1;
  }
  return { kind: 'string', text: text.slice(start), value, quote: q, unterminated: true, span: { start, end: text.length } };
}

export function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  let pos = 0;
  const push = (kind: TokKind, raw: string, value = raw, extra: Partial<Tok> = {}): void => {
    toks.push({ kind, text: raw, value, span: { start: pos, end: pos + raw.length }, ...extra });
    pos += raw.length;
  };
  while (pos < text.length) {
    const ch = text[pos];
    if (/\s/u.test(ch)) {
      pos += 1;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const t = scanQuoted(text, pos);
      toks.push(t);
      pos = t.span.end;
      continue;
    }
    const date = at(DATE, text, pos);
    if (date) {
      push('date', date, date.replace(' ', 'T'));
      continue;
    }
    const num = /[\d.]/.test(ch) ? at(NUMBER, text, pos) : null;
    if (num && (ch !== '.' || /\d/.test(text[pos + 1] ?? ''))) {
      const after = pos + num.length;
      const unit = at(UNIT_TAIL, text, after);
      const next = text[after] ?? '';
      if (unit && isUnit(unit)) {
        push('number', num + unit, num, { num: Number(num), unit });
        continue;
      }
      // `8a3f`, `2.11.0`, `3d_model`: a digit-led word, not a number.
      if (!(WORD_CHAR.test(next) || (/[-.+/]/.test(next) && WORD_CHAR.test(text[after + 1] ?? '')))) {
        push('number', num, num, { num: Number(num), unit: null });
        continue;
      }
    }
    const word = at(WORD, text, pos);
    if (word) {
      const dot = word.indexOf('.');
      const head = dot > 0 ? word.slice(0, dot).toLowerCase() : word.toLowerCase();
      const entity = ENTITY_PREFIXES.get(head);
      if (entity && dot > 0 && dot < word.length - 1) {
        push('key', word, word.slice(dot + 1), { entity });
        continue;
      }
      const quoteAfter = text[pos + word.length + 1];
      if (entity && dot < 0 && text[pos + word.length] === '.' && (quoteAfter === '`' || quoteAfter === '"')) {
        // metrics.`my key` / params."my key": one key token spanning prefix and quotes.
        const q = scanQuoted(text, pos + word.length + 1);
        const raw = text.slice(pos, q.span.end);
        push('key', raw, q.value, { entity, quote: q.quote, unterminated: q.unterminated });
        continue;
      }
      push('word', word, word.toLowerCase());
      continue;
    }
    if (ch === '(') push('lparen', ch);
    else if (ch === ')') push('rparen', ch);
    else if (ch === ',') push('comma', ch);
    else if (text.startsWith('&&', pos)) push('and', '&&');
    else if (ch === '&') push('and', ch);
    else if (text.startsWith('||', pos)) push('or', '||');
    else if (ch === '|') push('or', ch);
    else if (ch === '!' && text[pos + 1] !== '=') push('not', ch);
    else if (ch === '-' || ch === '−') push('minus', ch);
    else {
      const op = at(OPERATOR, text, pos);
      if (op) push('op', op);
      // One whole code point, so an astral character is never split into lone surrogates.
      else push('other', String.fromCodePoint(text.codePointAt(pos) ?? 0));
    }
  }
  return toks;
}

const isUnit = (unit: string): boolean => valueUnit(unit) !== undefined;
