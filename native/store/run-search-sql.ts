// Compiles parsed search_runs clauses (native/mlflow/search-filter.ts) into a DuckDB WHERE /
// ORDER BY fragment over `runs r`, with MLflow's SQL-store semantics:
//   * a clause on a metric/param/tag/dataset the run lacks never matches, whatever the
//     comparator (MLflow inner-joins on the key), except `IS NULL`;
//   * metrics compare the latest value, and a NaN latest value matches no comparison;
//   * in ORDER BY, NaN and missing values sort last in both directions, then
//     `start_time DESC` (unless ordered on explicitly) and `run_id` break ties.
//
// Nothing a client wrote is ever spliced into the SQL text: keys and values are `?` parameters,
// and the only identifiers and operators in the text come from the constant tables below.

import { invalidParam } from '../mlflow/errors';
import type { Comparator, FilterClause, OrderByClause } from '../mlflow/search-filter';

export type SqlParam = string | number | boolean | null;

export interface RunSearchSql {
  where: string;
  orderBy: string;
  params: SqlParam[];
}

export type RunViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface RunSearchInput {
  experimentIds?: readonly string[];
  clauses: readonly FilterClause[];
  orderBy: readonly OrderByClause[];
  viewType: RunViewType;
}

// Runs are created by the server, which always stores artifacts under this URI; computing it keeps
// the `runs` table free of a column that could drift from it.
const ARTIFACT_URI_SQL = `('mlflow-artifacts:/' || r.experiment_id || '/' || r.run_id || '/artifacts')`;

const ATTRIBUTE_SQL: ReadonlyMap<string, string> = new Map([
  ['run_id', 'r.run_id'],
  ['run_name', 'r.run_name'],
  ['status', 'r.status'],
  ['user_id', 'r.user_id'],
  ['artifact_uri', ARTIFACT_URI_SQL],
  ['start_time', 'r.start_time'],
  ['end_time', 'r.end_time'],
]);
const NUMERIC_ATTRIBUTES = new Set(['start_time', 'end_time']);

const DATASET_SQL: ReadonlyMap<string, string> = new Map([
  ['name', 'ri.dataset_name'],
  ['digest', 'ri.dataset_digest'],
  ['context', 'ri.context'],
]);

/** Key/value tables: [table, alias]. */
const KV_TABLES = { parameter: ['params', 'p'], tag: ['tags', 't'] } as const;

const BINARY_SQL: Partial<Record<Comparator, string>> = {
  '>': '>',
  '>=': '>=',
  '=': '=',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  LIKE: 'LIKE',
  ILIKE: 'ILIKE',
};
const NUMERIC_COMPARATORS = new Set<Comparator>(['>', '>=', '=', '!=', '<', '<=']);

const unsupported = (c: FilterClause): Error =>
  invalidParam(`Unsupported comparator '${String(c.comparator)}' for ${String(c.type)} '${String(c.key)}'.`);

function numberValue(c: FilterClause): number {
  // Metric values arrive as their literal text ('0.5'); numeric attributes as numbers.
  const n = typeof c.value === 'number' ? c.value : typeof c.value === 'string' ? Number(c.value) : NaN;
  if (Number.isNaN(n) || (typeof c.value === 'string' && c.value.trim() === '')) {
    throw invalidParam(`Expected numeric value type for ${c.type} '${c.key}'. Found ${String(c.value)}`);
  }
  return n;
}

function stringValue(c: FilterClause): string {
  if (typeof c.value !== 'string') {
    throw invalidParam(`Expected a string value for ${c.type} '${c.key}'.`);
  }
  return c.value;
}

/** `expr <op> ?` for a scalar comparator, `expr [NOT] IN (?, …)` for a list. */
function comparison(expr: string, c: FilterClause, params: SqlParam[], numeric: boolean): string {
  if (c.comparator === 'IN' || c.comparator === 'NOT IN') {
    if (!Array.isArray(c.value) || !c.value.every((v) => typeof v === 'string')) {
      throw invalidParam(`Expected a list of strings for ${c.type} '${c.key}' ${c.comparator}.`);
    }
    // `x IN ()` is not valid SQL; an empty list matches nothing (IN) or everything (NOT IN).
    if (c.value.length === 0) return c.comparator === 'IN' ? 'FALSE' : 'TRUE';
    params.push(...c.value);
    return `${expr} ${c.comparator} (${c.value.map(() => '?').join(', ')})`;
  }
  // hasOwn: a hand-built comparator such as 'constructor' must not reach Object.prototype.
  const op = Object.hasOwn(BINARY_SQL, c.comparator) ? BINARY_SQL[c.comparator] : undefined;
  if (!op || (numeric && !NUMERIC_COMPARATORS.has(c.comparator))) throw unsupported(c);
  if (!numeric) {
    params.push(stringValue(c));
    return `${expr} ${op} ?`;
  }
  // Numbers travel as their shortest round-trip text and are read back by CAST: @duckdb/node-api
  // binds an integral JS number as INTEGER/BIGINT and throws for one beyond int64 (`> 1e300`).
  params.push(String(numberValue(c)));
  return `${expr} ${op} CAST(? AS DOUBLE)`;
}

function clauseSql(c: FilterClause, params: SqlParam[]): string {
  switch (c.type) {
    case 'metric': {
      if (!NUMERIC_COMPARATORS.has(c.comparator)) throw unsupported(c);
      params.push(c.key);
      // DuckDB orders NaN above every number and NaN = NaN is true, so NaN must be excluded
      // explicitly: MLflow never matches a NaN latest value.
      const cmp = comparison('lm.value', c, params, true);
      return `EXISTS (SELECT 1 FROM latest_metrics lm WHERE lm.run_id = r.run_id AND lm.key = ? AND NOT isnan(lm.value) AND ${cmp})`;
    }
    case 'parameter':
    case 'tag': {
      const [table, a] = KV_TABLES[c.type];
      params.push(c.key);
      const keyed = `SELECT 1 FROM ${table} ${a} WHERE ${a}.run_id = r.run_id AND ${a}.key = ?`;
      if (c.comparator === 'IS NULL') return `NOT EXISTS (${keyed})`;
      if (c.comparator === 'IS NOT NULL') return `EXISTS (${keyed})`;
      if (NUMERIC_COMPARATORS.has(c.comparator) && c.comparator !== '=' && c.comparator !== '!=') throw unsupported(c);
      // `!=` also lives inside EXISTS: a run without the key does not match it (MLflow).
      return `EXISTS (${keyed} AND ${comparison(`${a}.value`, c, params, false)})`;
    }
    case 'attribute': {
      const expr = ATTRIBUTE_SQL.get(c.key);
      if (!expr) throw invalidParam(`Invalid attribute key '${String(c.key)}' specified.`);
      const numeric = NUMERIC_ATTRIBUTES.has(c.key);
      if (!numeric && NUMERIC_COMPARATORS.has(c.comparator) && c.comparator !== '=' && c.comparator !== '!=') {
        throw unsupported(c);
      }
      if ((c.comparator === 'IN' || c.comparator === 'NOT IN') && c.key !== 'run_id') throw unsupported(c);
      // A NULL end_time compares as unknown, so an unfinished run matches no end_time clause.
      return comparison(expr, c, params, numeric);
    }
    case 'dataset': {
      const col = DATASET_SQL.get(c.key);
      if (!col) throw invalidParam(`Invalid dataset key '${String(c.key)}' specified.`);
      if (NUMERIC_COMPARATORS.has(c.comparator) && c.comparator !== '=' && c.comparator !== '!=') throw unsupported(c);
      // "Some dataset input of the run satisfies it", as MLflow's join over inputs does.
      return `EXISTS (SELECT 1 FROM run_inputs ri WHERE ri.run_id = r.run_id AND ${comparison(col, c, params, false)})`;
    }
    default:
      throw invalidParam(`Invalid search expression type '${String((c as FilterClause).type)}'`);
  }
}

function orderBySql(o: OrderByClause, params: SqlParam[]): string[] {
  const dir = o.ascending ? 'ASC' : 'DESC';
  switch (o.type) {
    case 'metric': {
      // max() only guarantees one row; latest_metrics has one row per (run, key).
      const value = '(SELECT max(lm.value) FROM latest_metrics lm WHERE lm.run_id = r.run_id AND lm.key = ?)';
      params.push(o.key, o.key);
      // isnan(): false (a number) < true (NaN) < NULL (missing) — MLflow's 0/1/2 rank column, so
      // NaN and missing sort last in both directions (DuckDB alone would put NaN first in DESC).
      return [`isnan(${value}) ASC NULLS LAST`, `${value} ${dir} NULLS LAST`];
    }
    case 'parameter':
    case 'tag': {
      const [table, a] = KV_TABLES[o.type];
      params.push(o.key);
      return [`(SELECT max(${a}.value) FROM ${table} ${a} WHERE ${a}.run_id = r.run_id AND ${a}.key = ?) ${dir} NULLS LAST`];
    }
    case 'attribute': {
      const expr = ATTRIBUTE_SQL.get(o.key);
      if (!expr) throw invalidParam(`Invalid attribute key '${String(o.key)}' specified.`);
      return [`${expr} ${dir} NULLS LAST`];
    }
    default:
      throw invalidParam(`Invalid order_by entity type '${String((o as OrderByClause).type)}'`);
  }
}

const VIEW_TYPE_SQL: Readonly<Record<RunViewType, string | null>> = {
  ACTIVE_ONLY: "r.lifecycle_stage = 'active'",
  DELETED_ONLY: "r.lifecycle_stage = 'deleted'",
  ALL: null,
};

/**
 * WHERE and ORDER BY for `SELECT … FROM runs r WHERE ${where} ORDER BY ${orderBy}`. `params`
 * holds the WHERE parameters then the ORDER BY ones, in the order their `?` appear.
 */
export function compileRunSearch(input: RunSearchInput): RunSearchSql {
  const params: SqlParam[] = [];
  const conditions: string[] = [];

  const experimentIds = input.experimentIds ?? [];
  if (experimentIds.length > 0) {
    params.push(...experimentIds.map(String));
    conditions.push(`r.experiment_id IN (${experimentIds.map(() => '?').join(', ')})`);
  }
  if (!Object.hasOwn(VIEW_TYPE_SQL, input.viewType)) {
    throw invalidParam(`Invalid run_view_type '${String(input.viewType)}'.`);
  }
  const view = VIEW_TYPE_SQL[input.viewType];
  if (view) conditions.push(view);
  for (const c of input.clauses) conditions.push(clauseSql(c, params));

  const order: string[] = [];
  for (const o of input.orderBy) order.push(...orderBySql(o, params));
  if (!input.orderBy.some((o) => o.type === 'attribute' && o.key === 'start_time')) order.push('r.start_time DESC');
  order.push('r.run_id ASC');

  return {
    where: conditions.length > 0 ? conditions.join('\n  AND ') : 'TRUE',
    orderBy: order.join(', '),
    params,
  };
}
