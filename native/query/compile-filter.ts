// WHERE for a filter expression over `runs r`. Every key, value and pattern is a `?` parameter.
//
// Cost model (DuckDB, 100k runs, 2M param rows): a semi-join with the runs table costs about as much
// as a scan of a narrow table (params, tags, latest_metrics). So the id sets of an and/or's
// conditions on narrow tables meet each other first (INTERSECT / UNION of one scan each, each scan
// filtering on `key = ?`, which DuckDB pushes into the scan), and meet runs once, as an uncorrelated
// `r.run_id IN (…)`: a hash semi-join, about twice as fast as correlated EXISTS. Sharing one scan
// between conditions on the same table (`key IN (…)` grouped by run) measured slower: OR-ed
// predicates are not pushed into the scan, and grouping 100k run ids costs more than a hash set.
import type { Cond, Expr, Value } from './ast';
import { ATTRIBUTE_COLUMN, CHANGED_DATASET_RUNS, ENV_COLUMN, METRIC_COLUMN, SQL_OPS, VERSION_KEYS, type SqlParam } from './sql-columns';
import { timeMs, type Clock } from './time-ref';

/** A condition on one narrow table: "the run has a row in `from` with `key` where `pred`". */
interface Narrow {
  from: string;
  alias: string;
  /** The key the row must have; null for tables without keys (inputs, env snapshots). */
  key: string | null;
  /** SQL over the row (with `params`), or null for "has a row with that key". */
  pred: string | null;
  params: SqlParam[];
  /** true: the run is in the set (`IN`); false: it is not (`NOT IN`). */
  member: boolean;
}

interface IdSet {
  sql: string;
  params: SqlParam[];
}

/** `SELECT run_id …` for one narrow condition. */
function idsOf(n: Narrow): IdSet {
  const where = [n.key !== null ? `${n.alias}.key = ?` : null, n.pred].filter((x) => x !== null);
  return { sql: `SELECT ${n.alias}.run_id FROM ${n.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, params: [...(n.key !== null ? [n.key] : []), ...n.params] };
}

export class FilterCompiler {
  params: SqlParam[] = [];
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

  /** SQL built aside with its own parameters, so pieces can be placed in another order. */
  private aside<T>(build: () => T): { value: T; params: SqlParam[] } {
    const outer = this.params;
    this.params = [];
    try {
      return { value: build(), params: this.params };
    } finally {
      this.params = outer;
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

  /** The narrow-table reading of `c`, or null for conditions on the runs row itself. */
  private narrow(c: Cond): Narrow | null {
    const f = c.field;
    const pred = (col: string, version = false): { pred: string; params: SqlParam[] } => {
      const built = this.aside(() => this.columnCond(col, c, version));
      return { pred: built.value, params: built.params };
    };
    switch (f.kind) {
      case 'metric': {
        const base = { from: 'latest_metrics lm', alias: 'lm', key: f.key };
        if (c.kind === 'null') return { ...base, pred: null, params: [], member: c.negated };
        const col = `lm.${METRIC_COLUMN[f.agg]}`;
        const p = pred(col);
        // DuckDB orders NaN above every number and NaN = NaN is true: MLflow never matches a NaN value.
        const finite = f.agg === 'last' || f.agg === 'first' ? `NOT isnan(${col}) AND ` : '';
        return { ...base, pred: `${finite}${p.pred}`, params: p.params, member: true };
      }
      case 'param':
      case 'tag': {
        const base = { from: f.kind === 'param' ? 'params kv' : 'tags kv', alias: 'kv', key: f.key };
        // `!=` is "has the key with another value", as in MLflow: a run without the key does not match.
        return c.kind === 'null' ? { ...base, pred: null, params: [], member: c.negated } : { ...base, ...pred('kv.value'), member: true };
      }
      case 'dataset': {
        if (f.key === 'changed') {
          return { from: `(${CHANGED_DATASET_RUNS}) ch`, alias: 'ch', key: null, pred: null, params: [], member: c.kind === 'cmp' && c.value.type === 'bool' && c.value.value === (c.op === '=') };
        }
        const col = { name: 'ri.dataset_name', digest: 'ri.dataset_digest', context: 'ri.context' }[f.key];
        const base = { from: 'run_inputs ri', alias: 'ri', key: null };
        if (c.kind === 'null') return { ...base, pred: `${col} IS NOT NULL`, params: [], member: c.negated };
        // "Some dataset input of the run satisfies it", as MLflow's join over inputs does.
        return { ...base, ...pred(col), member: true };
      }
      case 'env': {
        const base = { from: 'environments e', alias: 'e', key: null };
        // A run without an env snapshot has no GPU either: `gpu is null` includes it.
        if (c.kind === 'null') return { ...base, pred: `${ENV_COLUMN[f.key]} IS NOT NULL`, params: [], member: c.negated };
        return { ...base, ...pred(ENV_COLUMN[f.key], VERSION_KEYS.has(f.key)), member: true };
      }
      default:
        return null;
    }
  }

  private rowCond(c: Cond): string {
    const f = c.field;
    if (f.kind === 'attribute' && f.key === 'experiment' && c.kind !== 'null') {
      return `r.experiment_id IN (SELECT e.experiment_id FROM experiments e WHERE ${this.columnCond('e.name', c)})`;
    }
    // coalesce: an unfinished run's NULL end_time must read as "no", so that `not` negates it.
    if (f.kind === 'attribute') return `coalesce(${this.columnCond(ATTRIBUTE_COLUMN[f.key], c)}, FALSE)`;
    return `coalesce(${this.columnCond(f.key === 'commit' ? 'r.git_commit' : 'r.git_dirty', c)}, FALSE)`;
  }

  private membership(sets: IdSet[], and: boolean, member = true): string {
    for (const s of sets) this.params.push(...s.params);
    return `r.run_id ${member ? 'IN' : 'NOT IN'} (${sets.map((s) => s.sql).join(and ? ' INTERSECT ' : ' UNION ')})`;
  }

  expr(e: Expr): string {
    if (e.kind === 'not') return `NOT (${this.expr(e.item)})`;
    if (e.kind !== 'and' && e.kind !== 'or') {
      const n = this.narrow(e);
      return n ? this.membership([idsOf(n)], true, n.member) : this.rowCond(e);
    }
    const and = e.kind === 'and';
    const narrows: Narrow[] = [];
    const rest: { value: string; params: SqlParam[] }[] = [];
    for (const item of e.items) {
      const n = item.kind === 'and' || item.kind === 'or' || item.kind === 'not' ? null : this.narrow(item);
      if (n?.member) narrows.push(n);
      else rest.push(this.aside(() => this.expr(item)));
    }
    const out: string[] = narrows.length > 0 ? [this.membership(narrows.map(idsOf), and)] : [];
    for (const r of rest) {
      out.push(r.value);
      this.params.push(...r.params);
    }
    return out.length === 1 ? out[0] : `(${out.join(and ? ' AND ' : ' OR ')})`;
  }
}
