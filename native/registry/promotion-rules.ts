// Saved promotion rules (`registry promote … --save NAME`, `registry rules ls|run NAME`): the rule as
// typed, kept in DuckDB so a CI job re-runs exactly what a person checked with --dry-run.
import { type Database, exec, inTransaction, queryRows } from '../store/open-database';
import { invalidParam, notFound } from '../mlflow/errors';
import type { PromotionRuleSummary } from '../api/contract';

/** A saved rule as the RPCs answer it; `last_result` is what its last non-dry run did. */
export type PromotionRule = PromotionRuleSummary;

const RULE_NAME = /^[\w.-]{1,100}$/;

export class PromotionRules {
  constructor(private readonly db: Database) {}

  async list(): Promise<PromotionRule[]> {
    const rows = await queryRows<PromotionRule>(this.db.reader, 'SELECT * FROM promotion_rules ORDER BY name');
    return rows.map(parseResult);
  }

  async get(name: string): Promise<PromotionRule> {
    const [row] = await queryRows<PromotionRule>(this.db.reader, 'SELECT * FROM promotion_rules WHERE name = ?', [name]);
    if (!row) throw notFound(`No promotion rule named '${name}' (runledger registry rules ls lists them)`);
    return parseResult(row);
  }

  /** Saves (or replaces) a rule; the creation time of a replaced rule is kept. */
  async save(r: Pick<PromotionRule, 'name' | 'model' | 'stage' | 'condition' | 'experiment' | 'alias'>): Promise<PromotionRule> {
    if (!RULE_NAME.test(r.name)) throw invalidParam(`Invalid rule name '${r.name}': use 1-100 letters, digits, '_', '-' or '.'.`);
    const now = Date.now();
    await inTransaction(this.db, (con) =>
      exec(
        con,
        `INSERT INTO promotion_rules (name, model, stage, condition, experiment, alias, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET model = excluded.model, stage = excluded.stage, condition = excluded.condition,
           experiment = excluded.experiment, alias = excluded.alias, updated_at = excluded.updated_at`,
        [r.name, r.model, r.stage, r.condition, r.experiment, r.alias, now, now],
      ),
    );
    return this.get(r.name);
  }

  async recordRun(name: string, result: unknown): Promise<void> {
    await inTransaction(this.db, (con) =>
      exec(con, 'UPDATE promotion_rules SET last_run_at = ?, last_result = ? WHERE name = ?', [Date.now(), JSON.stringify(result), name]),
    );
  }
}

function parseResult(row: PromotionRule): PromotionRule {
  const raw: unknown = row.last_result;
  return { ...row, last_result: typeof raw === 'string' ? (JSON.parse(raw) as PromotionRule['last_result']) : ((raw as PromotionRule['last_result']) ?? null) };
}
