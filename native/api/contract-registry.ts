// The core's typed contract, the part for the model registry and promotion rules (issue #9).
// native/api/contract.ts re-exports it. Types only and JSON-safe, like the rest of the contract.
import type { MetricSummary, QueryClock, RunDetail } from './contract';

// ── Model registry and promotion rules (native/registry, issue #9) ──

export type ModelStage = 'None' | 'Staging' | 'Production' | 'Archived';

export interface ModelVersionSummary {
  name: string;
  version: number;
  stage: ModelStage;
  aliases: string[];
  /** As registered: runs:/…, models:/<logged model id>, mlflow-artifacts:/… */
  source: string;
  /** Where the files are (what MLflow's get-download-uri answers). */
  storage_location: string;
  run_id: string | null;
  /** The MLflow 3 logged model behind the version, if any. */
  model_id: string | null;
  description: string | null;
  user_id: string | null;
  created: number;
  updated: number;
  tags: Record<string, string>;
}

export interface RegisteredModelSummary {
  name: string;
  description: string | null;
  created: number;
  updated: number;
  tags: Record<string, string>;
  aliases: { alias: string; version: number }[];
  version_count: number;
  /** The newest version in each stage. */
  latest: ModelVersionSummary[];
}

/** A version with the run it came from (its five dimensions: code, data, config, context, metrics). */
export interface ModelVersionDetail extends ModelVersionSummary {
  /** Null when the version names no run, or the run is no longer in this store. */
  source_run: RunDetail | null;
}

export interface RegisteredModelDetail extends RegisteredModelSummary {
  /** Newest first; deleted versions left out. */
  versions: ModelVersionDetail[];
}

/** What a stage change did (promote or demote). */
export interface StageChange {
  model: string;
  version: number;
  from: ModelStage;
  to: ModelStage;
  /** Versions that held the stage and were moved to Archived. */
  archived: number[];
  aliases_set: string[];
  aliases_removed: string[];
}

/** What `registry promote` did, or (dry_run) would do. */
export interface PromotionOutcome {
  dry_run: boolean;
  model: string;
  stage: ModelStage;
  alias: string;
  /** The saved rule it ran as, if any. */
  rule: string | null;
  condition: string;
  /** How the filter language read the condition. */
  formal: string;
  explanation: string;
  /** How the matching runs were ranked, in words. */
  ranking: string;
  /** Runs that satisfy the condition. */
  matched: number;
  run: { run_id: string; run_name: string; experiment: string; metrics: Record<string, MetricSummary['value']> };
  /** Better-ranked matching runs passed over, and why (no model, not finished). */
  skipped: { run_id: string; run_name: string; reason: string }[];
  /** The model version's source: models:/<logged model id> or runs:/<run>/<path>. */
  model_source: string;
  /** Where the model was found, in words. */
  found: string;
  /** The registered model did not exist and was (or would be) created. */
  model_created: boolean;
  version: number;
  /** reused: the run's model was already this version; created: a new version (dry run: would be). */
  version_action: 'reused' | 'created';
  previous_stage: ModelStage | null;
  archived: number[];
  audit: 'recorded' | 'not recorded (dry run)';
}

export interface PromotionRuleSummary {
  name: string;
  model: string;
  stage: ModelStage;
  condition: string;
  experiment: string | null;
  alias: string | null;
  created_at: number;
  updated_at: number;
  last_run_at: number | null;
  last_result: PromotionOutcome | null;
}

export type PromoteArgs = {
  model: string;
  /** staging or production (any case). */
  to: string;
  /** The condition, in the filter language (issue #5). */
  when: string;
  experiment?: string;
  /** Default: the stage's name in lower case (staging, production). */
  alias?: string;
  dryRun?: boolean;
  /** Save the rule under this name (also on a dry run), for `registry rules run NAME`. */
  save?: string;
} & QueryClock;

/** Models page and `runledger registry` (native/api/registry-handlers.ts). */
export interface RegistryApiHandlers {
  'models.list': (a: Record<string, never>) => Promise<RegisteredModelSummary[]>;
  'models.get': (a: { name: string }) => Promise<RegisteredModelDetail>;
  /** Promote (Staging, Production: archives the holder, sets the stage alias) or demote (Archived, None). Audited. */
  'models.setStage': (a: { model: string; version: number; stage: ModelStage }) => Promise<StageChange>;
  /** Picks the best run matching a rule and promotes its model; refused when nothing matches. Audited. */
  'models.promote': (a: PromoteArgs) => Promise<PromotionOutcome>;
  'models.rules': (a: Record<string, never>) => Promise<PromotionRuleSummary[]>;
  'models.runRule': (a: { name: string; dryRun?: boolean } & QueryClock) => Promise<PromotionOutcome>;
}
