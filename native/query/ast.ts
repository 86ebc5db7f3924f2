// The typed AST of Runledger's run-filter language, in two stages:
//   * Raw*: what the parser read, with key phrases still as the user's words ("val auc", "latency");
//   * Query: what the resolver made of them against the keys in the store (metrics.val_auc, …).
// The SQL compiler, the formal renderer and the English explainer all read only `Query`.
// JSON-safe throughout (no bigint, no Date), so explanations can cross the RPC boundary.

export interface Span {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning';
export type ProblemCode =
  | 'syntax' // the text does not parse
  | 'unknown-word' // a word that fits nowhere: no key, value, run name or grammar word
  | 'unknown-key' // an explicit key (`metrics.x`) that no run has
  | 'ambiguous' // a word that fits several keys or values: the candidates are listed
  | 'unit' // a unit that does not fit the key, or a key without a unit
  | 'value' // a value of the wrong kind for its field (`status = 3`)
  | 'corrected'; // a misspelt grammar word read as the word it is closest to

export interface Problem {
  severity: Severity;
  code: ProblemCode;
  message: string;
  span: Span;
  /** For ambiguous and unknown words: what it could mean, as formal field names or values. */
  candidates?: string[];
}

export type MetricAgg = 'last' | 'min' | 'max' | 'first' | 'count' | 'nan_count' | 'inf_count';
export const METRIC_AGGS: readonly MetricAgg[] = ['last', 'min', 'max', 'first', 'count', 'nan_count', 'inf_count'];

export const ATTRIBUTE_KEYS = ['run_id', 'run_name', 'status', 'user_id', 'start_time', 'end_time', 'experiment', 'lifecycle_stage'] as const;
export const DATASET_KEYS = ['name', 'digest', 'context', 'changed'] as const;
export const ENV_KEYS = ['gpu', 'torch', 'cuda', 'cudnn', 'python', 'platform', 'driver', 'hostname', 'cpu'] as const;
export const GIT_KEYS = ['commit', 'dirty'] as const;
export type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];
export type DatasetKey = (typeof DATASET_KEYS)[number];
export type EnvKey = (typeof ENV_KEYS)[number];
export type GitKey = (typeof GIT_KEYS)[number];

/** A resolved field: always one that exists (store keys) or is built in (attributes, env, git). */
export type Field =
  | { kind: 'metric'; key: string; agg: MetricAgg }
  | { kind: 'param'; key: string }
  | { kind: 'tag'; key: string }
  | { kind: 'attribute'; key: AttributeKey }
  | { kind: 'dataset'; key: DatasetKey }
  | { kind: 'env'; key: EnvKey }
  | { kind: 'git'; key: GitKey };
export type FieldKind = Field['kind'];

export type TimeUnit = 'm' | 'h' | 'd';
/** Times stay relative in the AST ("now - 7d"), so a saved query means the same thing tomorrow. */
export type TimeRef =
  | { anchor: 'now'; minus: { amount: number; unit: TimeUnit } | null }
  | { anchor: 'today'; minusDays: number }
  | { anchor: 'date'; date: string } // YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], in the query's UTC offset
  | { anchor: 'epoch'; ms: number };

export type Value =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'time'; ref: TimeRef };

export type CmpOp = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type MatchOp = 'like' | 'ilike' | 'contains' | 'prefix';

export type Cond =
  | { kind: 'cmp'; field: Field; op: CmpOp; value: Value; span?: Span }
  | { kind: 'between'; field: Field; low: Value; high: Value; span?: Span }
  | { kind: 'match'; field: Field; op: MatchOp; pattern: string; span?: Span }
  | { kind: 'in'; field: Field; values: string[]; negated: boolean; span?: Span }
  | { kind: 'null'; field: Field; negated: boolean; span?: Span };

export type Expr =
  | Cond
  | { kind: 'and'; items: Expr[]; span?: Span }
  | { kind: 'or'; items: Expr[]; span?: Span }
  | { kind: 'not'; item: Expr; span?: Span };

export interface SortKey {
  field: Field;
  dir: 'asc' | 'desc';
  span?: Span;
}

export interface Query {
  /** `compare A vs B`: one filter per group, each AND-ed with `filter`. Null for a plain query. */
  compare: Expr[] | null;
  filter: Expr | null;
  sort: SortKey[];
  limit: number | null;
}

// ---- parser output ---------------------------------------------------------------------------

export interface Word {
  text: string;
  span: Span;
}

export type Entity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset' | 'env' | 'git';

export type RawField =
  /** `metrics.val_auc`, `min(metrics.val_loss)`: the user named the kind. */
  | { kind: 'explicit'; entity: Entity; key: string; agg: MetricAgg | null; span: Span }
  /** `val auc`, `latency`, `min val_loss`: words the resolver maps to a key. */
  | { kind: 'phrase'; words: Word[]; agg: MetricAgg | null; hint: 'metric' | 'param' | 'tag' | null; span: Span };

export type RawValue =
  | { type: 'number'; value: number; raw: string; unit: string | null; span: Span }
  | { type: 'string'; value: string; span: Span } // quoted
  | { type: 'word'; value: string; span: Span } // bare word, e.g. `xgb` in `model xgb`
  | { type: 'bool'; value: boolean; span: Span }
  | { type: 'time'; ref: TimeRef; span: Span }
  | { type: 'list'; items: RawValue[]; span: Span };

export type RawTail =
  /** `implicit`: a bare pair such as `dropout 0.2` (no operator written). */
  | { op: CmpOp; value: RawValue; implicit: boolean; span: Span }
  | { op: 'between'; low: RawValue; high: RawValue; span: Span }
  | { op: 'like' | 'ilike' | 'contains' | 'starts'; value: RawValue; span: Span }
  | { op: 'in' | 'not in'; values: RawValue[]; span: Span }
  | { op: 'null' | 'not null'; span: Span }
  /** `ever nan` (ever: true), `never nan` (ever: false). */
  | { op: 'nan' | 'inf'; ever: boolean; span: Span };

export type RawExpr =
  | { kind: 'and' | 'or'; items: RawExpr[]; span: Span }
  | { kind: 'not'; item: RawExpr; span: Span }
  | { kind: 'term'; field: RawField; tail: RawTail | null; span: Span }
  /** Fully decided by grammar words alone: `failed`, `last week`, `deleted`, `dirty code`. */
  | { kind: 'fixed'; expr: Expr; span: Span }
  | { kind: 'tagged'; value: RawValue; span: Span }
  | { kind: 'on'; value: RawValue; span: Span }
  | { kind: 'in-scope'; value: RawValue; span: Span }
  /**
   * Words the grammar could not place (`model xgb`, `xgb`, `baseline`): keys, values or run-name
   * text, decided by the resolver. `quoted`: one 'quoted' text, matched against run names only.
   */
  | { kind: 'words'; words: Word[]; quoted: boolean; span: Span };

export interface RawSort {
  field: RawField | { kind: 'fixed'; field: Field; span: Span };
  /** best/worst follow the metric's direction (loss: lower is better). */
  dir: 'asc' | 'desc' | 'best' | 'worst';
  span: Span;
}

export interface RawQuery {
  compare: RawExpr[] | null;
  filter: RawExpr | null;
  sort: RawSort[];
  limit: number | null;
  limitSpan: Span | null;
  problems: Problem[];
}

export const fieldEquals = (a: Field, b: Field): boolean =>
  a.kind === b.kind && a.key === b.key && (a.kind !== 'metric' || a.agg === (b as typeof a).agg);
