// Before parsing: `non-deleted` becomes `not deleted`, and a misspelt grammar word (`faild`,
// `hihgest`, `yesterdy`) is read as the word it is one edit from (two for long words), with a
// warning. Words the store knows (keys, values, run-name text) are never "corrected".
import { FILLER, grammarWords } from './lexicon';
import type { Cursor } from './parse-cursor';
import type { Tok } from './tokenizer';
import { editDistance } from './key-matcher';
import { BUILTIN_WORDS } from './fields';

const GRAMMAR = new Set(grammarWords());
const CORRECTABLE = [...GRAMMAR].filter((w) => w.length >= 5 && !FILLER.has(w) && /^[a-z]+$/.test(w));

/** `non-deleted` → not deleted; misspelt grammar words (`faild`, `hihgest`) read as the word meant. */
/** The grammar word `word` is a misspelling of: the unique closest within one edit (two if long). */
function correction(word: string): string | null {
  const max = word.length >= 8 ? 2 : 1;
  let best: string | null = null;
  let bestD = Infinity;
  let tie = false;
  for (const g of CORRECTABLE) {
    if (Math.abs(g.length - word.length) > max) continue;
    const d = editDistance(word, g);
    if (d > max || d > bestD) continue;
    tie = d === bestD;
    if (d < bestD) [best, bestD] = [g, d];
  }
  return tie ? null : best;
}

export function prepare(toks: Tok[], cur: Cursor): Tok[] {
  const out: Tok[] = [];
  const corrections = new Map<string, string | null>();
  for (const t of toks) {
    const non = t.kind === 'word' ? /^non-(.+)$/.exec(t.value) : null;
    if (non && GRAMMAR.has(non[1])) {
      out.push({ kind: 'not', text: 'non-', value: 'not', span: { start: t.span.start, end: t.span.start + 4 } });
      out.push({ ...t, text: t.text.slice(4), value: non[1], span: { start: t.span.start + 4, end: t.span.end } });
      continue;
    }
    if (t.kind === 'word' && t.value.length >= 5 && /^[a-z]+$/.test(t.value) && !GRAMMAR.has(t.value) && !FILLER.has(t.value) && !BUILTIN_WORDS.has(t.value) && !cur.isStoreWord(t.value) && !cur.options.isKnownText?.(t.value)) {
      if (!corrections.has(t.value)) corrections.set(t.value, correction(t.value));
      const word = corrections.get(t.value);
      if (word) {
        cur.problems.push({ severity: 'warning', code: 'corrected', message: `read '${t.text}' as '${word}'`, span: t.span, candidates: [word] });
        out.push({ ...t, value: word });
        continue;
      }
    }
    out.push(t);
  }
  return out;
}
