// Compiles a resolved Query to DuckDB SQL over `runs r`. Parameterised throughout: keys, values and
// patterns are `?` parameters; the only identifiers in the SQL text come from the tables below, so
// nothing a user typed is ever spliced into it.
//
// Semantics follow MLflow's SQL store where MLflow has the clause (a condition on a metric, param,
// tag or dataset the run lacks never matches, `!=` included; a NaN latest value matches no
// comparison; NaN and missing values sort last). Each condition is an uncorrelated
// `r.run_id IN (SELECT run_id FROM … WHERE key = ? AND …)`: DuckDB runs those as hash semi-joins,
// about twice as fast as correlated EXISTS at 100k runs.
import type { CmpOp, Cond, Expr, Field, MetricAgg, Query, SortKey, Value } from './ast';
import { timeMs, type Clock } from './time-ref';

export type SqlParam = string | number | boolean | null;
export type ViewFilter = 'active' | 'deleted' | 'all';

export interface SelectOptions {
  experimentIds?: readonly string[];
  /** Lifecycle view; undefined: active runs, unless the query itself speaks of deleted runs. */
  view?: ViewFilter;
  /** Page size when the query sets no limit (and the most a query's own limit may return). */
  maxRows: number;
}

export interface CompiledSelect {
  sql: string;
  params: SqlParam[];
}

const METRIC_COLUMN: Readonly<Record<MetricAgg, string>> = {
  last: 'value',
  min: 'min_value',
  max: 'max_value',
  first: 'first_value',
  count: 'count',
  nan_count: 'nan_count',
  inf_count: 'inf_count',
};
const ATTRIBUTE_COLUMN = {
  run_id: 'r.run_id',
  run_name: 'r.run_name',
  user_id: 'r.user_id',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
  lifecycle_stage: 'r.lifecycle_stage',
  // What people see: MLflow's status, except a silent RUNNING run is INTERRUPTED.
  status: "(CASE WHEN r.status = 'RUNNING' AND r.interrupted_at IS NOT NULL THEN 'INTERRUPTED' ELSE r.status END)",
  experiment: '(SELECT e.name FROM experiments e WHERE e.experiment_id = r.experiment_id)',
} as const;
const ENV_COLUMN = {
  gpu: 'CAST(e.gpus AS VARCHAR)',
  torch: 'e.torch',
  cuda: 'e.cuda',
  cudnn: 'e.cudnn',
  python: 'e.python',
  platform: 'e.platform',
  driver: 'e.driver',
  hostname: 'e.hostname',
  cpu: 'e.cpu',
} as const;
const VERSION_KEYS = new Set(['torch', 'cuda', 'cudnn', 'python', 'driver']);
const SQL_OPS: Readonly<Record<CmpOp, string>> = { '=': '=', '!=': '!=', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

// A run whose dataset name an earlier run used with another digest: the same test as the run
// detail's CHANGED mark (native/provenance/dataset-store.ts), so the filter and the page agree.
const CHANGED_DATASET_RUNS = `SELECT i.run_id FROM run_inputs i JOIN runs ri_r ON ri_r.run_id = i.run_id
    JOIN run_inputs i2 ON i2.dataset_name = i.dataset_name AND i2.dataset_digest <> i.dataset_digest AND i2.run_id <> i.run_id
    JOIN runs r2 ON r2.run_id = i2.run_id AND r2.start_time <= ri_r.start_time`;

class Compiler {
  readonly params: SqlParam[] = [];
  constructor(private readonly clock: Clock) {}

  /** A number travels as text read back by CAST: the client binds integral JS numbers as BIGINT. */
  private num(v: number): string {
    this.params.push(String(v));
    return 'CAST(? AS DOUBLE)';
  }
  str(v: string): string {
    this.params.push(v);
    return '?';
  }
  private value(v: Value): string {
    switch (v.type) {
      case 'number':
        return this.num(v.value);
      case 'time':
        return this.num(timeMs(v.ref, this.clock));
      case 'bool':
        this.params.push(v.value);
        return '?';
      case 'string':
        return this.str(v.value);
    }
  }

  /** `col <cond>` for a condition on one text-or-number column. */
  private columnCond(col: string, c: Cond, version = false): string {
    switch (c.kind) {
      case 'cmp': {
        if (version && c.value.type === 'string' && (c.op === '=' || c.op === '!=')) {
          // `torch 2.11` is any 2.11.x build: equal, or continued by a dot or a local-version `+`.
          const v = c.value.value;
          const any = `(${col} = ${this.str(v)} OR starts_with(${col}, ${this.str(`${v}.`)}) OR starts_with(${col}, ${this.str(`${v}+`)}))`;
          return c.op === '=' ? any : `NOT ${any}`;
        }
        const lhs = c.value.type === 'number' && c.field.kind !== 'metric' && c.field.kind !== 'attribute' ? `TRY_CAST(${col} AS DOUBLE)` : col;
        return `${lhs} ${SQL_OPS[c.op]} ${this.value(c.value)}`;
      }
      case 'between': {
        const lhs = c.low.type === 'number' && c.field.kind !== 'metric' ? `TRY_CAST(${col} AS DOUBLE)` : col;
        return `${lhs} BETWEEN ${this.value(c.low)} AND ${this.value(c.high)}`;
      }
      case 'match':
        if (c.op === 'contains') return `contains(lower(${col}), lower(${this.str(c.pattern)}))`;
        if (c.op === 'prefix') return `starts_with(${col}, ${this.str(c.pattern)})`;
        return `${col} ${c.op === 'like' ? 'LIKE' : 'ILIKE'} ${this.str(c.pattern)}`;
      case 'in':
        return `${col} ${c.negated ? 'NOT IN' : 'IN'} (${c.values.map((v) => this.str(v)).join(', ')})`;
      case 'null':
        return `${col} IS ${c.negated ? 'NOT NULL' : 'NULL'}`;
    }
  }

  cond(c: Cond): string {
    const f = c.field;
    switch (f.kind) {
      case 'metric': {
        const key = this.str(f.key);
        if (c.kind === 'null') return `r.run_id ${c.negated ? 'IN' : 'NOT IN'} (SELECT lm.run_id FROM latest_metrics lm WHERE lm.key = ${key})`;
        const col = `lm.${METRIC_COLUMN[f.agg]}`;
        // DuckDB orders NaN above every number and NaN = NaN is true: MLflow never matches a NaN value.
        const finite = f.agg === 'last' || f.agg === 'first' ? `NOT isnan(${col}) AND ` : '';
        return `r.run_id IN (SELECT lm.run_id FROM latest_metrics lm WHERE lm.key = ${key} AND ${finite}${this.columnCond(col, c)})`;
      }
      case 'param':
      case 'tag': {
        const table = f.kind === 'param' ? 'params' : 'tags';
        const key = this.str(f.key);
        const keyed = `SELECT kv.run_id FROM ${table} kv WHERE kv.key = ${key}`;
        if (c.kind === 'null') return `r.run_id ${c.negated ? 'IN' : 'NOT IN'} (${keyed})`;
        return `r.run_id IN (${keyed} AND ${this.columnCond('kv.value', c)})`;
      }
      case 'attribute':
        if (f.key === 'experiment' && c.kind !== 'null') {
          return `r.experiment_id IN (SELECT e.experiment_id FROM experiments e WHERE ${this.columnCond('e.name', c)})`;
        }
        // coalesce: an unfinished run's NULL end_time must read as "no", so that `not` negates it.
        return `coalesce(${this.columnCond(ATTRIBUTE_COLUMN[f.key], c)}, FALSE)`;
      case 'dataset': {
        if (f.key === 'changed') {
          const yes = c.kind === 'cmp' && c.value.type === 'bool' && c.value.value === (c.op === '=');
          return `r.run_id ${yes ? 'IN' : 'NOT IN'} (${CHANGED_DATASET_RUNS})`;
        }
        const col = { name: 'ri.dataset_name', digest: 'ri.dataset_digest', context: 'ri.context' }[f.key];
        if (c.kind === 'null') return `r.run_id ${c.negated ? 'IN' : 'NOT IN'} (SELECT ri.run_id FROM run_inputs ri WHERE ${col} IS NOT NULL)`;
        // "Some dataset input of the run satisfies it", as MLflow's join over inputs does.
        return `r.run_id IN (SELECT ri.run_id FROM run_inputs ri WHERE ${this.columnCond(col, c)})`;
      }
      case 'env':
        // A run without an env snapshot has no GPU either: `gpu is null` includes it.
        if (c.kind === 'null') return `r.run_id ${c.negated ? 'IN' : 'NOT IN'} (SELECT e.run_id FROM environments e WHERE ${ENV_COLUMN[f.key]} IS NOT NULL)`;
        return `r.run_id IN (SELECT e.run_id FROM environments e WHERE ${this.columnCond(ENV_COLUMN[f.key], c, VERSION_KEYS.has(f.key))})`;
      case 'git':
        return `coalesce(${this.columnCond(f.key === 'commit' ? 'r.git_commit' : 'r.git_dirty', c)}, FALSE)`;
    }
  }

  expr(e: Expr): string {
    switch (e.kind) {
      case 'and':
      case 'or':
        return `(${e.items.map((x) => this.expr(x)).join(e.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `NOT (${this.expr(e.item)})`;
      default:
        return this.cond(e);
    }
  }
}

/** The sort value of `f` for run `r`, with the LEFT JOIN it needs (if any). */
function sortTerms(s: SortKey, i: number, params: SqlParam[]): { join: string | null; order: string[] } {
  const f: Field = s.field;
  const dir = s.dir === 'asc' ? 'ASC' : 'DESC';
  const alias = `s${i}`;
  switch (f.kind) {
    case 'metric': {
      params.push(f.key);
      const join = `LEFT JOIN (SELECT run_id, CAST(${METRIC_COLUMN[f.agg]} AS DOUBLE) AS v FROM latest_metrics WHERE key = ?) ${alias} ON ${alias}.run_id = r.run_id`;
      // isnan(): false (a number) < true (NaN) < NULL (missing): NaN and missing last either way.
      return { join, order: [`isnan(${alias}.v) ASC NULLS LAST`, `${alias}.v ${dir} NULLS LAST`] };
    }
    case 'param':
    case 'tag': {
      params.push(f.key);
      const join = `LEFT JOIN (SELECT run_id, value AS v FROM ${f.kind === 'param' ? 'params' : 'tags'} WHERE key = ?) ${alias} ON ${alias}.run_id = r.run_id`;
      // Numbers in numeric order (lr 0.003 before 0.01), then the other values as text.
      return { join, order: [`TRY_CAST(${alias}.v AS DOUBLE) ${dir} NULLS LAST`, `${alias}.v ${dir} NULLS LAST`] };
    }
    case 'attribute':
      return { join: null, order: [`${ATTRIBUTE_COLUMN[f.key]} ${dir} NULLS LAST`] };
    case 'dataset':
      return { join: null, order: [`(SELECT min(ri.dataset_${f.key === 'digest' ? 'digest' : 'name'}) FROM run_inputs ri WHERE ri.run_id = r.run_id) ${dir} NULLS LAST`] };
    case 'env':
      return { join: null, order: [`(SELECT min(${ENV_COLUMN[f.key]}) FROM environments e WHERE e.run_id = r.run_id) ${dir} NULLS LAST`] };
    case 'git':
      return { join: null, order: [`${f.key === 'commit' ? 'r.git_commit' : 'r.git_dirty'} ${dir} NULLS LAST`] };
  }
}

/** Whether the query itself speaks of lifecycle (`deleted`), which then replaces the default view. */
export function mentionsLifecycle(q: Query): boolean {
  const walk = (e: Expr | null): boolean =>
    e !== null && (e.kind === 'and' || e.kind === 'or' ? e.items.some(walk) : e.kind === 'not' ? walk(e.item) : e.field.kind === 'attribute' && e.field.key === 'lifecycle_stage');
  return walk(q.filter) || (q.compare ?? []).some(walk);
}

/** A WHERE expression for `filter` alone, for callers that build their own SELECT. */
export function compileWhere(filter: Expr, clock: Clock): { where: string; params: SqlParam[] } {
  const c = new Compiler(clock);
  return { where: c.expr(filter), params: c.params };
}

// The runs columns a sort key reads (besides run_id and start_time, always carried).
const SORT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'attribute.run_name': ['run_name'],
  'attribute.user_id': ['user_id'],
  'attribute.end_time': ['end_time'],
  'attribute.lifecycle_stage': ['lifecycle_stage'],
  'attribute.status': ['status', 'interrupted_at'],
  'attribute.experiment': ['experiment_id'],
  'git.commit': ['git_commit'],
  'git.dirty': ['git_dirty'],
};

/**
 * One query per compare group (or one), returning run ids in result order. The filter runs first, in
 * a materialised CTE, and only its runs meet the sort joins: DuckDB otherwise joins the sort key for
 * every run before filtering. Ids only: the page's full rows are fetched by primary key afterwards,
 * which is cheaper than carrying every runs column through the joins and the sort.
 */
export function compileQuery(q: Query, clock: Clock, options: SelectOptions): CompiledSelect[] {
  const groups = q.compare ?? [null];
  return groups.map((group) => {
    const c = new Compiler(clock);
    const where: string[] = [];
    const view = options.view ?? (mentionsLifecycle(q) ? 'all' : 'active');
    if (view !== 'all') where.push(`r.lifecycle_stage = ${view === 'active' ? "'active'" : "'deleted'"}`);
    if (options.experimentIds && options.experimentIds.length > 0) {
      where.push(`r.experiment_id IN (${options.experimentIds.map((id) => c.str(id)).join(', ')})`);
    }
    if (q.filter) where.push(c.expr(q.filter));
    if (group) where.push(c.expr(group));

    const joins: string[] = [];
    const order: string[] = [];
    const columns = new Set(['run_id', 'start_time']);
    q.sort.forEach((s, i) => {
      const t = sortTerms(s, i, c.params);
      if (t.join) joins.push(t.join);
      order.push(...t.order);
      for (const col of SORT_COLUMNS[`${s.field.kind}.${s.field.key}`] ?? []) columns.add(col);
    });
    if (!q.sort.some((s) => s.field.kind === 'attribute' && s.field.key === 'start_time')) order.push('r.start_time DESC');
    order.push('r.run_id ASC');
    // An integer computed here, never text from the user, so it may sit in the SQL text.
    const limit = Math.max(1, Math.min(Math.floor(q.limit ?? options.maxRows), Math.floor(options.maxRows)));
    const filtered = `SELECT ${[...columns].map((col) => `r.${col}`).join(', ')} FROM runs r\n  WHERE ${where.length ? where.join('\n    AND ') : 'TRUE'}`;
    const sql = `WITH r AS MATERIALIZED (\n  ${filtered}\n)\nSELECT r.run_id FROM r${joins.map((j) => `\n  ${j}`).join('')}\nORDER BY ${order.join(', ')}\nLIMIT ${limit}`;
    return { sql, params: c.params };
  });
}
