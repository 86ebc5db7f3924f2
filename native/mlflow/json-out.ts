// MLflow's response encoding for doubles: NaN and ±Infinity as the strings "NaN", "Infinity",
// "-Infinity" (protobuf JSON), and -0 kept as -0.0 (JSON.stringify would print 0).
const NEG_ZERO = '\u0000-0\u0000';
const NEG_ZERO_JSON = JSON.stringify(NEG_ZERO);

function replacer(_key: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0 && 1 / v < 0) return NEG_ZERO;
  return v;
}

export function toMlflowJson(body: unknown): string {
  const text = JSON.stringify(body, replacer);
  return text.includes(NEG_ZERO_JSON) ? text.replaceAll(NEG_ZERO_JSON, '-0.0') : text;
}
