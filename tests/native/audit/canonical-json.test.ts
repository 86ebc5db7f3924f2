// RFC 8785 (JCS): the cyberphone reference inputs and outputs, the RFC's number serialisation
// examples (Appendix B, ES6 Number→String), key order by UTF-16 code units, and what I-JSON forbids.
import { describe, expect, it } from 'vitest';
import { canonicalize, CanonicalJsonError, isCanonical } from '../../../native/audit/canonical-json';
import { JCS_VECTORS } from './jcs-vectors';

const fromBits = (hex: string): number => Buffer.from(hex.padStart(16, '0'), 'hex').readDoubleBE(0);

describe('RFC 8785 canonical JSON', () => {
  for (const v of JCS_VECTORS) {
    it(`reference vector ${v.name}`, () => {
      expect(Buffer.from(canonicalize(JSON.parse(v.input)), 'utf8').toString('hex')).toBe(v.outputHex);
    });
  }

  it('serialises numbers as the RFC (Appendix B) and the ES6 test file say', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'], // -0
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4340000000000001', '9007199254740994'],
      ['4340000000000002', '9007199254740996'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, text] of cases) expect(canonicalize(fromBits(bits)), bits).toBe(text);
  });

  it('orders keys by UTF-16 code units, not by code point or locale', () => {
    // By code point U+FB33 < U+1F602, but in UTF-16 the emoji's first unit 0xD83D < 0xFB33: it sorts first.
    const text = canonicalize({ '\ufb33': 1, '\u{1f602}': 2, '\u00f6': 3, '\u20ac': 4, a: 5, A: 6, '': 7 });
    expect(text).toBe('{"":7,"A":6,"a":5,"ö":3,"€":4,"\u{1f602}":2,"דּ":1}');
  });

  it('escapes only what JSON requires, with lowercase hex', () => {
    expect(canonicalize('\u0000\u001f\b\t\n\f\r"\\/\u007f\u2028')).toBe('"\\u0000\\u001f\\b\\t\\n\\f\\r\\"\\\\/\u007f\u2028"');
  });

  it('refuses what I-JSON forbids', () => {
    for (const bad of [NaN, Infinity, -Infinity, 10n, undefined, () => 1, Symbol('x'), '\ud800', 'a\udc00b', new Date(0), new Map(), Buffer.from('x')]) {
      expect(() => canonicalize(bad), String(typeof bad)).toThrow(CanonicalJsonError);
    }
    expect(() => canonicalize({ nested: [1, { bad: NaN }] })).toThrow(/\$\.nested\[1\]\.bad/);
    const deep: unknown[] = [];
    let cur = deep;
    for (let i = 0; i < 100; i++) cur.push((cur = []));
    expect(() => canonicalize(deep)).toThrow(/deeper/);
  });

  it('keeps valid surrogate pairs and drops undefined members as JSON does', () => {
    expect(canonicalize({ s: '\ud83d\ude02', u: undefined })).toBe('{"s":"\u{1f602}"}');
  });

  it('tells canonical text from non-canonical', () => {
    expect(isCanonical('{"a":1,"b":[true,null]}')).toBe(true);
    expect(isCanonical('{"b":1,"a":2}')).toBe(false);
    expect(isCanonical('{"a": 1}')).toBe(false);
    expect(isCanonical('{"a":1.0}')).toBe(false);
    expect(isCanonical('not json')).toBe(false);
  });
});
