// The small filter and order_by grammars of MLflow's registry searches (SearchModelUtils,
// SearchModelVersionUtils, and MLflow 3's logged-model search): clauses joined by AND, each
// `<attribute> <op> <value>` or `tags.<key> <op> '<value>'` (logged models add `params.` and
// `metrics.`). Compiled to parameterized SQL; user text never becomes SQL text.
import { invalidParam } from '../mlflow/errors';
import { splitAnd, unquote } from '../mlflow/experiment-search';

export interface FilterSpec {
  /** What the search is over, for messages ("registered model"). */
  what: string;
  /** Attribute name → SQL column, for string and numeric attributes. */
  strings: Readonly<Record<string, string>>;
  numbers: Readonly<Record<string, string>>;
  /** String attributes that also take `IN ('a', 'b')`. */
  inList?: readonly string[];
  /** `tags.k`, `params.k`, `metrics.k` → an SQL condition with `?` for the key then the value. */
  keyed: Partial<Record<'tag' | 'param' | 'metric', (op: string) => string>>;
}

const ENTITY: Record<string, 'tag' | 'param' | 'metric' | 'attribute'> = {
  tag: 'tag', tags: 'tag', param: 'param', params: 'param', parameter: 'param', parameters: 'param',
  metric: 'metric', metrics: 'metric', attribute: 'attribute', attributes: 'attribute', attr: 'attribute',
};
const CLAUSE =
  /^\s*(?:(\w+)\.)?(`[^`]+`|"[^"]+"|[\w.]+)\s*(<=|>=|!=|=|<|>|\bNOT\s+IN\b|\bIN\b|\bILIKE\b|\bLIKE\b)\s*('(?:[^']|'')*'|"[^"]*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\(.*\))\s*$/i;
const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE'];
const NUMBER_OPS = ['=', '!=', '<', '<=', '>', '>='];

function listValues(raw: string, part: string): string[] {
  const inner = raw.slice(1, -1).trim();
  const items = inner.match(/'(?:[^']|'')*'|"[^"]*"/g) ?? [];
  if (items.length === 0 || inner.replace(/'(?:[^']|'')*'|"[^"]*"/g, '').replace(/[\s,]/g, '') !== '') {
    throw invalidParam(`While parsing a list in the query, expected a non-empty list of string values, but got ${raw} in '${part}'`);
  }
  return items.map(unquote);
}

export function compileRegistryFilter(filter: string | undefined, spec: FilterSpec): { where: string; params: (string | number)[] } {
  if (filter !== undefined && typeof filter !== 'string') throw invalidParam('Invalid filter: expected a string.');
  const conds: string[] = [];
  const params: (string | number)[] = [];
  for (const part of splitAnd(filter ?? '')) {
    const m = CLAUSE.exec(part);
    if (!m) throw invalidParam(`Invalid clause(s) in filter string: '${part}'`);
    const [, rawEntity, rawKey, rawOp, rawValue] = m;
    const entity = rawEntity ? ENTITY[rawEntity.toLowerCase()] : 'attribute';
    if (!entity) throw invalidParam(`Invalid entity type '${rawEntity}' in filter string: '${part}'`);
    const key = unquote(rawKey);
    const op = rawOp.toUpperCase().replace(/\s+/g, ' ');
    const isString = rawValue.startsWith("'") || rawValue.startsWith('"');
    const isList = rawValue.startsWith('(');
    if (entity !== 'attribute') {
      const sql = spec.keyed[entity];
      if (!sql) throw invalidParam(`Invalid entity type '${rawEntity}': ${spec.what} search takes no ${entity} clauses.`);
      const numeric = entity === 'metric';
      if (isList || numeric === isString || !(numeric ? NUMBER_OPS : STRING_OPS).includes(op)) {
        throw invalidParam(`Invalid comparison for ${entity} '${key}' in filter string: '${part}'`);
      }
      conds.push(sql(op));
      params.push(key, isString ? unquote(rawValue) : Number(rawValue));
    } else if (key in spec.strings) {
      if (op === 'IN' || op === 'NOT IN') {
        if (!isList || !spec.inList?.includes(key)) throw invalidParam(`Invalid comparator for attribute ${key}: ${op} in filter string: '${part}'`);
        const values = listValues(rawValue, part);
        conds.push(`${spec.strings[key]} ${op} (${values.map(() => '?').join(', ')})`);
        params.push(...values);
      } else {
        if (!isString) throw invalidParam(`Value for attribute '${key}' must be a quoted string in filter string: '${part}'`);
        if (!STRING_OPS.includes(op)) throw invalidParam(`Invalid comparator for attribute ${key}: ${op}`);
        conds.push(`${spec.strings[key]} ${op} ?`);
        params.push(unquote(rawValue));
      }
    } else if (key in spec.numbers) {
      if (isString || isList || !NUMBER_OPS.includes(op)) throw invalidParam(`Expected a numeric value for attribute '${key}' in filter string: '${part}'`);
      conds.push(`${spec.numbers[key]} ${op} ?`);
      params.push(Number(rawValue));
    } else {
      const valid = [...Object.keys(spec.strings), ...Object.keys(spec.numbers)].map((k) => `'${k}'`).join(', ');
      throw invalidParam(`Invalid attribute key '${key}' specified. Valid keys are ${valid}`);
    }
  }
  return { where: conds.length > 0 ? conds.join(' AND ') : 'TRUE', params };
}

export interface OrderSpec {
  /** order_by key → SQL expression. */
  keys: Readonly<Record<string, string>>;
  /** Appended when no clause names them (MLflow's tie-breakers), in this order. */
  tiebreak: readonly { sql: string; dir: 'ASC' | 'DESC' }[];
  /** Used when order_by is empty. */
  defaults: readonly string[];
}

const ORDER = /^\s*(?:(?:attributes?|attr)\.)?(`[^`]+`|[\w.]+)(?:\s+(ASC|DESC))?\s*$/i;

export function compileRegistryOrder(orderBy: readonly unknown[], spec: OrderSpec): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  const clauses = orderBy.length > 0 ? orderBy : spec.defaults;
  for (const o of clauses) {
    if (typeof o !== 'string') throw invalidParam('Invalid order_by: expected a list of strings.');
    const m = ORDER.exec(o);
    const key = m ? unquote(m[1]) : '';
    if (!m || !(key in spec.keys)) {
      throw invalidParam(`Invalid order by key '${o}' specified. Valid keys are ${Object.keys(spec.keys).map((k) => `'${k}'`).join(', ')}`);
    }
    const sql = spec.keys[key];
    // MLflow answers 500 here; a duplicate is the caller's mistake, so 400.
    if (seen.has(sql)) throw invalidParam(`\`order_by\` contains duplicate fields: ${JSON.stringify(orderBy)}`);
    seen.add(sql);
    parts.push(`${sql} ${(m[2] ?? 'ASC').toUpperCase()}`);
  }
  for (const t of spec.tiebreak) if (!seen.has(t.sql)) parts.push(`${t.sql} ${t.dir}`);
  return parts.join(', ');
}

/** `max_results` within 1..max, MLflow's wording. */
export function checkMaxResults(n: number, max: number): number {
  if (!Number.isInteger(n) || n < 1) throw invalidParam(`Invalid value for max_results. It must be a positive integer, but got ${n}`);
  if (n > max) throw invalidParam(`Invalid value for request parameter max_results. It must be at most ${max}, but got value ${n}`);
  return n;
}
