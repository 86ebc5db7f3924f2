// search_experiments' own small grammar (SearchExperimentsUtils): `name`, `creation_time`,
// `last_update_time` and `tags.<key>` clauses joined by AND; order by name, experiment_id,
// creation_time, last_update_time. Compiled to parameterized SQL over `experiments e`.
import { invalidParam } from './errors';

const CLAUSE = /^\s*(?:(attributes?|attr|tags?)\.)?(`[^`]+`|"[^"]+"|[\w.]+)\s*(<=|>=|!=|=|<|>|\bNOT\s+ILIKE\b|\bNOT\s+LIKE\b|\bILIKE\b|\bLIKE\b)\s*('(?:[^']|'')*'|"[^"]*"|-?\d+(?:\.\d+)?)\s*$/i;

/** Splits a filter on top-level AND (outside quotes); the registry searches share it. */
export function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (quote) {
      if (c === quote) quote = null;
      cur += c;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      cur += c;
      continue;
    }
    if (/^\sand\s/i.test(filter.slice(i, i + 5))) {
      parts.push(cur);
      cur = '';
      i += 3;
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export const unquote = (s: string): string =>
  s.startsWith("'") ? s.slice(1, -1).replaceAll("''", "'") : s.startsWith('"') || s.startsWith('`') ? s.slice(1, -1) : s;

export function compileExperimentFilter(filter: string | undefined): { where: string; params: (string | number)[] } {
  const conds: string[] = [];
  const params: (string | number)[] = [];
  for (const part of splitAnd(filter ?? '')) {
    const m = CLAUSE.exec(part);
    if (!m) throw invalidParam(`Invalid clause(s) in filter string: '${part}'`);
    const [, entity, rawKey, rawOp, rawValue] = m;
    const key = unquote(rawKey);
    const op = rawOp.toUpperCase().replace(/\s+/g, ' ');
    const isString = rawValue.startsWith("'") || rawValue.startsWith('"');
    const value = isString ? unquote(rawValue) : Number(rawValue);
    if (entity && /^tags?$/i.test(entity)) {
      if (!isString || !['=', '!=', 'LIKE', 'ILIKE'].includes(op)) throw invalidParam(`Invalid comparison for tag '${key}' in filter string: '${part}'`);
      conds.push(`EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ? AND t.value ${op} ?)`);
      params.push(key, value);
    } else if (key === 'name') {
      if (!isString || ['<', '>', '<=', '>='].includes(op)) throw invalidParam(`Invalid comparison for attribute 'name' in filter string: '${part}'`);
      conds.push(`e.name ${op} ?`);
      params.push(value);
    } else if (key === 'creation_time' || key === 'last_update_time') {
      if (isString || op.includes('LIKE')) throw invalidParam(`Expected a numeric value for attribute '${key}' in filter string: '${part}'`);
      conds.push(`e.${key} ${op} ?`);
      params.push(value);
    } else {
      throw invalidParam(`Invalid attribute key '${key}' specified. Valid keys are 'name', 'creation_time', 'last_update_time'`);
    }
  }
  return { where: conds.length > 0 ? conds.join(' AND ') : 'TRUE', params };
}

const ORDER = /^\s*(?:(?:attributes?|attr)\.)?(name|experiment_id|creation_time|last_update_time)(?:\s+(ASC|DESC))?\s*$/i;

export function compileExperimentOrder(orderBy: readonly string[]): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const o of orderBy) {
    const m = ORDER.exec(o);
    if (!m) throw invalidParam(`Invalid order_by clause '${o}'. Valid keys are 'name', 'experiment_id', 'creation_time', 'last_update_time'.`);
    const key = m[1].toLowerCase();
    if (seen.has(key)) throw invalidParam(`\`order_by\` contains duplicate fields: ${key}`);
    seen.add(key);
    const dir = (m[2] ?? 'ASC').toUpperCase();
    parts.push(key === 'experiment_id' ? `CAST(e.experiment_id AS BIGINT) ${dir}` : `e.${key} ${dir}`);
  }
  // MLflow's default: newest first, then id.
  if (!seen.has('creation_time')) parts.push('e.creation_time DESC');
  parts.push('CAST(e.experiment_id AS BIGINT) DESC');
  return parts.join(', ');
}
