// Turns the value a user wrote into the value a field compares with: units converted for metrics
// and numeric params (`latency < 2s` → 2000 against latency_ms), statuses upper-cased, times kept
// relative, strings kept exactly as written (`torch 2.10` is '2.10', never the number 2.1).
import type { CmpOp, Field, Problem, RawValue, Value } from './ast';
import { DISPLAY_STATUSES, STATUS_WORDS } from './lexicon';
import { fieldName } from './fields';
import { isValidDate } from './parse-time';
import { convertForKey } from './units';

export type Report = (p: Omit<Problem, 'severity'> & { severity?: Problem['severity'] }) => void;

/** The value as text, the way it was typed (`2.10`, `True`, `8a3f`). */
export function valueText(v: RawValue, source: string): string {
  switch (v.type) {
    case 'string':
    case 'word':
      return v.value;
    case 'number':
      return v.unit ? source.slice(v.span.start, v.span.end).replace(/\s+/g, '') : v.raw;
    default:
      return source.slice(v.span.start, v.span.end);
  }
}

const NUMERIC_OPS = new Set<CmpOp>(['>', '>=', '<', '<=']);

/** Kinds of field compared as numbers. */
export function isNumericField(f: Field): boolean {
  return f.kind === 'metric' || (f.kind === 'attribute' && (f.key === 'start_time' || f.key === 'end_time'));
}

/**
 * The comparison value for `field op raw`, or null after reporting why there is none. `op` decides
 * between text and number for params and tags: `lr = 1e-3` compares numbers (it matches '0.001'),
 * `model = xgb` text; tags compare text unless the operator is an inequality.
 */
export function convertValue(field: Field, op: CmpOp, raw: RawValue, source: string, report: Report): Value | null {
  const text = valueText(raw, source);
  const bad = (message: string): null => {
    report({ code: 'value', message, span: raw.span });
    return null;
  };
  if (raw.type === 'list') return bad('a list needs in ( … )');
  switch (field.kind) {
    case 'metric': {
      if (raw.type !== 'number') return bad(`${fieldName(field)} is a number; '${text}' is not`);
      return numberFor(field.key, raw, field.agg === 'last' || field.agg === 'min' || field.agg === 'max' || field.agg === 'first', report);
    }
    case 'param':
    case 'tag': {
      if (raw.type === 'time') return bad(`${fieldName(field)} is not a time`);
      const numeric = raw.type === 'number' && (field.kind === 'param' || NUMERIC_OPS.has(op));
      if (numeric) return numberFor(field.key, raw, true, report);
      if (NUMERIC_OPS.has(op)) return bad(`'${op}' compares numbers; '${text}' is not one`);
      return { type: 'string', value: text };
    }
    case 'attribute': {
      if (field.key === 'start_time' || field.key === 'end_time') {
        if (raw.type === 'time') return { type: 'time', ref: raw.ref };
        if (raw.type === 'number' && !raw.unit) return { type: 'time', ref: { anchor: 'epoch', ms: raw.value } };
        if ((raw.type === 'string' || raw.type === 'word') && isValidDate(raw.value.replace(' ', 'T'))) return { type: 'time', ref: { anchor: 'date', date: raw.value.replace(' ', 'T') } };
        return bad(`${fieldName(field)} needs a time: a date (2026-11-01), today, yesterday or now - 7d`);
      }
      if (NUMERIC_OPS.has(op)) return bad(`${fieldName(field)} is text: use = or !=`);
      if (field.key === 'status') {
        const status = STATUS_WORDS.get(text.toLowerCase()) ?? text.toUpperCase();
        if (!DISPLAY_STATUSES.includes(status)) {
          report({ code: 'value', message: `'${text}' is not a status`, span: raw.span, candidates: DISPLAY_STATUSES.map((s) => s.toLowerCase()) });
          return null;
        }
        return { type: 'string', value: status };
      }
      if (field.key === 'lifecycle_stage') {
        const stage = text.toLowerCase();
        if (stage !== 'active' && stage !== 'deleted') return bad(`'${text}' is not a lifecycle stage: active or deleted`);
        return { type: 'string', value: stage };
      }
      return { type: 'string', value: text };
    }
    case 'dataset':
    case 'git': {
      if (field.key === 'changed' || field.key === 'dirty') {
        if (raw.type === 'bool') return { type: 'bool', value: raw.value };
        return bad(`${fieldName(field)} is true or false`);
      }
      if (NUMERIC_OPS.has(op)) return bad(`${fieldName(field)} is text: use = or !=`);
      return { type: 'string', value: text };
    }
    case 'env': {
      if (NUMERIC_OPS.has(op)) return bad(`${fieldName(field)} is compared as text or version: use = or !=`);
      return { type: 'string', value: text };
    }
  }
}

function numberFor(key: string, raw: RawValue & { type: 'number' }, convertUnits: boolean, report: Report): Value | null {
  if (!raw.unit || !convertUnits) {
    if (raw.unit) report({ code: 'unit', message: `a count has no unit: '${raw.unit}' ignored`, span: raw.span, severity: 'warning' });
    return { type: 'number', value: raw.value };
  }
  const c = convertForKey(raw.value, raw.unit, key);
  if (!c.ok) {
    report({ code: 'unit', message: c.message, span: raw.span });
    return null;
  }
  if (c.note) report({ code: 'unit', message: c.note, span: raw.span, severity: 'warning' });
  return { type: 'number', value: c.value };
}
