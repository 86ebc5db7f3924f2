// ORDER BY for sort keys: a LEFT JOIN per metric/param/tag key (latest_metrics and params hold one
// row per run and key), NaN and missing values last in both directions as in MLflow.
import type { Field, SortKey } from './ast';
import { ATTRIBUTE_COLUMN, ENV_COLUMN, METRIC_COLUMN, type SqlParam } from './sql-columns';

/** The sort value of `f` for run `r`, with the LEFT JOIN it needs (if any). */
export function sortTerms(s: SortKey, i: number, params: SqlParam[]): { join: string | null; order: string[] } {
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

// The runs columns a sort key reads (besides run_id and start_time, always carried).
export const SORT_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  'attribute.run_name': ['run_name'],
  'attribute.user_id': ['user_id'],
  'attribute.end_time': ['end_time'],
  'attribute.lifecycle_stage': ['lifecycle_stage'],
  'attribute.status': ['status', 'interrupted_at'],
  'attribute.experiment': ['experiment_id'],
  'git.commit': ['git_commit'],
  'git.dirty': ['git_dirty'],
};
