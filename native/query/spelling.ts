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
export function prepare(toks: Tok[], cur: Cursor): Tok[] {
  const out: Tok[] = [];
  for (const t of toks) {
    const non = t.kind === 'word' ? /^non-(.+)$/.exec(t.value) : null;
    if (non && GRAMMAR.has(non[1])) {
      out.push({ kind: 'not', text: 'non-', value: 'not', span: { start: t.span.start, end: t.span.start + 4 } });
      out.push({ ...t, text: t.text.slice(4), value: non[1], span: { start: t.span.start + 4, end: t.span.end } });
      continue;
    }
    if (t.kind === 'word' && t.value.length >= 5 && /^[a-z]+$/.test(t.value) && !GRAMMAR.has(t.value) && !FILLER.has(t.value) && !BUILTIN_WORDS.has(t.value) && !cur.isStoreWord(t.value) && !cur.options.isKnownText?.(t.value)) {
      const max = t.value.length >= 8 ? 2 : 1;
      const scored = CORRECTABLE.map((g) => [editDistance(t.value, g), g] as const).filter(([d]) => d <= max).sort((a, b) => a[0] - b[0]);
      if (scored.length > 0 && (scored.length === 1 || scored[1][0] > scored[0][0])) {
        const word = scored[0][1];
        cur.problems.push({ severity: 'warning', code: 'corrected', message: `read '${t.text}' as '${word}'`, span: t.span, candidates: [word] });
        out.push({ ...t, value: word });
        continue;
      }
    }
    out.push(t);
  }
  return out;
}
