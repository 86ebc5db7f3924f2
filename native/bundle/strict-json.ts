// A strict JSON reader for untrusted bundle metadata (BUNDLE.md §4.8 D): RFC 8259 grammar only,
// duplicate keys refused (JSON.parse keeps the last one silently, which two readers can disagree
// on), integers beyond 2^53 refused, and objects built without prototypes, so a "__proto__" key
// is a plain key and nothing is ever merged into Object.prototype.
export class StrictJsonError extends Error {}

export function parseStrictJson(text: string): unknown {
  let i = 0;
  const err = (m: string): never => {
    throw new StrictJsonError(`${m} at offset ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const str = (): string => {
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(i, i + 1_000_000 + 2));
    if (!m) return err('bad string');
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (depth: number): unknown => {
    if (depth > 64) err('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = Object.create(null) as Record<string, unknown>;
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') err('expected a key');
        const k = str();
        if (Object.prototype.hasOwnProperty.call(obj, k)) err(`duplicate key ${JSON.stringify(k)}`);
        ws();
        if (text[i++] !== ':') err('expected :');
        obj[k] = value(depth + 1);
        ws();
        const d = text[i++];
        if (d === '}') return obj;
        if (d !== ',') err('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        const d = text[i++];
        if (d === ']') return arr;
        if (d !== ',') err('expected , or ]');
      }
    }
    if (c === '"') return str();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!lit) return err('unexpected character');
    i += lit[0].length;
    if (lit[0] === 'true') return true;
    if (lit[0] === 'false') return false;
    if (lit[0] === 'null') return null;
    const n = Number(lit[0]);
    if (/^-?\d+$/.test(lit[0]) && !Number.isSafeInteger(n)) err('integer beyond 2^53');
    return n;
  };
  const v = value(0);
  ws();
  if (i !== text.length) err('trailing characters');
  return v;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
