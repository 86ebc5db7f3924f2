// MLflow's response encoding for doubles: NaN and ±Infinity as the strings "NaN", "Infinity",
// "-Infinity" (protobuf JSON), and -0 kept as -0.0 (JSON.stringify would print 0).
import crypto from 'node:crypto';

/**
 * -0 goes through a placeholder string that is swapped for the literal -0.0 afterwards. The
 * placeholder carries a random nonce, and if the text holds it more often than we wrote it (user data
 * that happens to contain it), the body is encoded again with a fresh one: user text is never rewritten.
 */
export function toMlflowJson(body: unknown): string {
  for (;;) {
    const placeholder = `\u0000-0:${crypto.randomBytes(8).toString('hex')}\u0000`;
    let written = 0;
    const text = JSON.stringify(body, (_key, v: unknown) => {
      if (typeof v !== 'number') return v;
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return 'Infinity';
      if (v === -Infinity) return '-Infinity';
      if (v === 0 && 1 / v < 0) {
        written++;
        return placeholder;
      }
      return v;
    });
    if (written === 0) return text;
    const parts = text.split(JSON.stringify(placeholder));
    if (parts.length - 1 === written) return parts.join('-0.0');
  }
}
