// RFC 8785 JSON Canonicalization Scheme (JCS): the exact bytes an audit event's leaf hash covers.
// Small enough to own rather than depend on: ES2015+ Number→String *is* the RFC's number format,
// JSON.stringify's string escaping *is* its string format, and keys sort by UTF-16 code units,
// which is JavaScript's default string order. What we add is refusing anything I-JSON forbids,
// so a value that cannot round-trip never gets hashed.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class CanonicalJsonError extends Error {}

// In 'u' mode a surrogate pair is one code point outside this range, so only lone halves match.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const MAX_DEPTH = 64;

/** The canonical (RFC 8785) JSON text of `value`; throws CanonicalJsonError on what I-JSON forbids. */
export function canonicalize(value: unknown): string {
  return write(value, 0, '$');
}

function write(value: unknown, depth: number, where: string): string {
  if (depth > MAX_DEPTH) throw new CanonicalJsonError(`${where}: nested deeper than ${MAX_DEPTH} levels`);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${where}: ${value} has no JSON form`);
      // -0 serialises as "0" (RFC 8785 §3.2.2.3); String(-0) already says "0".
      return String(value);
    case 'string':
      return writeString(value, where);
    case 'object':
      break;
    default:
      // bigint, undefined, functions, symbols: no I-JSON form (a bigint beyond 2^53 would lose digits).
      throw new CanonicalJsonError(`${where}: a ${typeof value} has no JSON form`);
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => write(v, depth + 1, `${where}[${i}]`)).join(',')}]`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // Dates, Buffers, Maps: their JSON.stringify forms are conventions, not data. Convert first.
    throw new CanonicalJsonError(`${where}: only plain objects and arrays can be canonicalized`);
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${writeString(k, where)}:${write(obj[k], depth + 1, `${where}.${k}`)}`).join(',')}}`;
}

function writeString(s: string, where: string): string {
  if (LONE_SURROGATE.test(s)) throw new CanonicalJsonError(`${where}: string holds a lone surrogate (not valid Unicode)`);
  return JSON.stringify(s);
}

/** True when `text` is exactly the canonical form of what it parses to. */
export function isCanonical(text: string): boolean {
  try {
    return canonicalize(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}
