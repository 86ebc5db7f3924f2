// Rows of the model registry (migration 4) as the repositories hand them out: JSON-safe, int64 as
// numbers, with their tags and aliases attached. MLflow's wire shapes are made from these in
// native/mlflow/registry-json.ts; the UI's DTOs in native/api/contract.ts.
import type { KeyValue } from '../store/run-repository';

export type Stage = 'None' | 'Staging' | 'Production' | 'Archived';
export const STAGES: readonly Stage[] = ['None', 'Staging', 'Production', 'Archived'];
/** The stages MLflow calls active: get-latest-versions' default and the only ones that archive others. */
export const ACTIVE_STAGES: readonly Stage[] = ['Staging', 'Production'];

export interface ModelVersion {
  name: string;
  version: number;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id: string | null;
  current_stage: Stage;
  description: string | null;
  source: string;
  storage_location: string;
  run_id: string | null;
  run_link: string | null;
  model_id: string | null;
  status: 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';
  status_message: string | null;
  tags: KeyValue[];
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id: string | null;
  description: string | null;
  tags: KeyValue[];
  aliases: { alias: string; version: number }[];
  /** The newest version in each stage (deleted versions never count). */
  latest_versions: ModelVersion[];
}

export type LoggedModelStatus = 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';

export interface LoggedModel {
  model_id: string;
  experiment_id: string;
  name: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
  status: LoggedModelStatus;
  status_message: string | null;
  model_type: string | null;
  source_run_id: string | null;
  artifact_uri: string;
  params: KeyValue[];
  tags: KeyValue[];
  /** Model versions made from it (MLflow 3's `registrations`). */
  registrations: { name: string; version: number }[];
}

/** `SELECT … ORDER BY … LIMIT … OFFSET …` pieces a search compiles to. */
export interface SearchSql {
  where: string;
  params: (string | number)[];
  orderBy: string;
  limit: number;
  offset: number;
}
