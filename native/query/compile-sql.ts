// Compiles a resolved Query to DuckDB SQL over `runs r`. Parameterised throughout: keys, values and
// patterns are `?` parameters; the only identifiers in the SQL text come from sql-columns.ts, so
// nothing a user typed is ever spliced into it. Conditions: compile-filter.ts; sorting:
// compile-sort.ts.
//
// Semantics follow MLflow's SQL store where MLflow has the clause (a condition on a metric, param,
// tag or dataset the run lacks never matches, `!=` included; a NaN latest value matches no
// comparison; NaN and missing values sort last, then newest first, then by run id).
import type { Expr, Query } from './ast';
import { FilterCompiler } from './compile-filter';
import { SORT_COLUMNS, sortTerms } from './compile-sort';
import type { SqlParam } from './sql-columns';
import type { Clock } from './time-ref';

export type { SqlParam } from './sql-columns';
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

/** Whether the query itself speaks of lifecycle (`deleted`), which then replaces the default view. */
export function mentionsLifecycle(q: Query): boolean {
  const walk = (e: Expr | null): boolean =>
    e !== null && (e.kind === 'and' || e.kind === 'or' ? e.items.some(walk) : e.kind === 'not' ? walk(e.item) : e.field.kind === 'attribute' && e.field.key === 'lifecycle_stage');
  return walk(q.filter) || (q.compare ?? []).some(walk);
}

/**
 * One query per compare group (or one), returning run ids in result order. The filter runs first, in
 * a materialised CTE, and only its runs meet the sort joins: DuckDB otherwise joins the sort key for
 * every run before filtering. Ids only: the page's full rows are fetched by primary key afterwards,
 * which is cheaper than carrying every runs column through the joins and the sort.
 */
export function compileQuery(q: Query, clock: Clock, options: SelectOptions): CompiledSelect[] {
  const groups = q.compare ?? [null];
  return groups.map((group) => {
    const c = new FilterCompiler(clock);
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
