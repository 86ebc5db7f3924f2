// The one typed contract between the core and every client of it (UI, CLI, tests): a map of RPC names
// to handler signatures, served as `POST /api/rpc/<name>` with the argument object as the JSON body.
// Types only, and JSON-safe (no bigint, no Date): the renderer imports this file with `import type`.
// The larger domains' types live in contract-*.ts beside it and are re-exported here.

import type { AuditEventDto, AuditVerifyReport, RunTombstoneDto } from './contract-audit';
import type { BundleApiHandlers } from './contract-bundles';
import type { RegistryApiHandlers } from './contract-registry';
import type { ArtifactPreview, DatasetUse, RunKeys, RunPage, RunRowSummary } from './contract-runs-table';
import type { SeriesData, SeriesQueryArgs } from './contract-series';
export * from './contract-runs-table';
export * from './contract-series';
export * from './contract-audit';
export * from './contract-bundles';
export * from './contract-registry';

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
/** What people see: MLflow's status, except a RUNNING run whose process went silent is "INTERRUPTED". */
export type DisplayStatus = RunStatus | 'INTERRUPTED';
export type ViewType = 'active' | 'deleted' | 'all';

export interface MetricSummary {
  key: string;
  /** Latest value: the point with the highest (step, timestamp, value). NaN/±Infinity as strings. */
  value: number | 'NaN' | 'Infinity' | '-Infinity';
  step: number;
  timestamp: number;
  min: number | null;
  max: number | null;
  count: number;
}

export interface RunSummary {
  run_id: string;
  run_name: string;
  experiment_id: string;
  experiment: string;
  status: DisplayStatus;
  lifecycle_stage: 'active' | 'deleted';
  start_time: number;
  end_time: number | null;
  user_id: string;
  /** The last step logged, shown with INTERRUPTED runs ("interrupted at step N"). */
  last_step: number | null;
  params: Record<string, string>;
  metrics: Record<string, MetricSummary['value']>;
  tags: Record<string, string>;
}

export interface RunDetail extends RunSummary {
  metric_summaries: MetricSummary[];
  artifacts: { path: string; size: number; sha256: string }[];
  inputs: { name: string; digest: string; source: string; context: string | null }[];
  deleted_at: number | null;
  deleted_by: string | null;
  delete_reason: string | null;
  /** Where the run came from: environment snapshot, code state, datasets (issue #3). */
  provenance: RunProvenance;
  /** Set when the run was imported from a signed run bundle (issue #6): read-only, with its signer and trust state. */
  bundle?: { digest: string; signer: string | null; trust_state: 'trusted' | 'unverified' | null } | null;
}

// ── Provenance (native/provenance): what the Python client captures, as `runs show` presents it ──

export interface GpuDetail {
  index: number;
  name: string;
  memory_total_mib: number | null;
  uuid: string | null;
  bus_id: string | null;
  compute_capability: string | null;
}

export interface RunEnvironment {
  python: string | null;
  python_implementation: string | null;
  platform: string | null;
  hostname: string | null;
  cpu: string | null;
  cpu_count: number | null;
  /** CUDA the framework was built with (torch.version.cuda), else the driver's from nvidia-smi. */
  cuda: string | null;
  cudnn: string | null;
  driver: string | null;
  gpus: GpuDetail[];
  torch: string | null;
  /** sha256 over the sorted `name==version` lines: equal digests, equal package sets. */
  packages_sha256: string | null;
  package_count: number | null;
  packages: { name: string; version: string | null }[];
  workers: number | null;
  mixed_precision: string | null;
  /** Selected variables (CUDA_VISIBLE_DEVICES and similar); secret-looking names are never stored. */
  env_vars: Record<string, string>;
  command: string[] | null;
  captured_at: number | null;
}

export interface RunCode {
  commit: string | null;
  branch: string | null;
  remote: string | null;
  dirty: boolean | null;
  /** Artifact path of the uncommitted diff (size-capped by the client). */
  diff_artifact: string | null;
  diff_sha256: string | null;
  diff_bytes: number | null;
  diff_truncated: boolean;
  untracked: string[];
}

export interface DatasetProvenance {
  name: string;
  digest: string;
  source: string;
  context: string | null;
  size_bytes: number | null;
  format: 'parquet' | 'csv' | null;
  rows: number | null;
  columns: { name: string; type: string }[] | null;
  null_counts: Record<string, number> | null;
  schema_sha256: string | null;
  /** server: profiled with DuckDB from the file; client: as the client sent it; null: no profile. */
  profiled_by: 'server' | 'client' | null;
  /** Why the server did not profile it, when it did not. */
  profile_note: string | null;
  /** An earlier run used this dataset name with another digest. */
  digest_changed: boolean;
  previous_digest: string | null;
  previous_run_id: string | null;
}

export interface RunProvenance {
  environment: RunEnvironment | null;
  code: RunCode | null;
  datasets: DatasetProvenance[];
}

/** One run folder of an offline spool, after `runledger sync`. */
export interface SpoolSyncRun {
  folder: string;
  spool_id: string | null;
  run_id: string | null;
  run_name: string | null;
  /** imported: new records stored; up-to-date: nothing new since the last sync; failed: see error. */
  outcome: 'imported' | 'up-to-date' | 'failed';
  records_total: number;
  records_new: number;
  points_new: number;
  artifacts_new: number;
  /** The run's status after the sync (RUNNING when the spool has no end record). */
  status: RunStatus | null;
  /** A torn last record (expected after a crash) or a damaged one; the records before it are imported. */
  problem: { kind: 'torn' | 'corrupt'; record: number; offset: number; message: string } | null;
  error: string | null;
}

export interface SpoolSyncReport {
  path: string;
  runs: SpoolSyncRun[];
}

export interface ExperimentSummary {
  experiment_id: string;
  name: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  run_count: number;
}

export interface ServerInfo {
  version: string;
  data_dir: string;
  pid: number;
  url: string;
}

export type ImportFormatName = 'tensorboard' | 'lightning-csv' | 'mlflow-dir' | 'spool' | 'runbundle';

/** One source run an import met, and what became of it. */
export interface ImportedRun {
  run_id: string | null;
  name: string;
  experiment: string;
  source: string;
  outcome: 'imported' | 'already-there' | 'failed';
  points: number;
}

export interface ImportSummary {
  path: string;
  format: ImportFormatName | null;
  /**
   * complete: everything was imported or was already there (CLI exit 0); partial: imported what it
   * could, skipped damaged records or failed runs (exit 4); nothing: nothing could be imported (exit 1).
   */
  outcome: 'complete' | 'partial' | 'nothing';
  /** Why nothing was imported, in words (unknown format, not supported yet, no runs found). */
  message: string | null;
  runs: ImportedRun[];
  counts: {
    runs_imported: number;
    runs_already_there: number;
    runs_failed: number;
    experiments_created: number;
    points: number;
    params: number;
    tags: number;
    artifacts: number;
    texts: number;
    histograms: number;
    damaged_records: number;
  };
  /** Damaged records skipped, with file and byte offset (the first 1000). */
  damaged: { file: string; offset: number; reason: string }[];
  /** Data seen but not imported (images, graphs, checkpoints), by kind. */
  ignored: { what: string; count: number }[];
  problems: string[];
  seconds: number;
  /**
   * Where the seconds went: reading and decoding the files, waiting for point commits, finalizing
   * runs (compaction and metrics.parquet), everything else (params, tags, artifacts, lookups).
   */
  timings: { reading: number; committing: number; finalizing: number; other: number };
}

/** Progress of an import started with `import.start`, polled with `import.status`. */
export interface ImportProgress {
  import_id: string;
  state: 'running' | 'done' | 'failed';
  path: string;
  format: ImportFormatName | null;
  runs_total: number;
  runs_done: number;
  /** Name of the run being read now. */
  run: string | null;
  bytes_total: number;
  bytes_done: number;
  points: number;
  damaged_records: number;
  summary: ImportSummary | null;
  error: string | null;
}

/** One thing the filter language could not place, or placed with a caveat; `start`/`end` index the text. */
export interface QueryProblem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  start: number;
  end: number;
  /** What it could have meant: formal field names (`metrics.val_auc`) or values. */
  candidates: string[];
}

/** A removable piece of what the filter bar understood. */
export interface QueryChip {
  kind: 'condition' | 'sort' | 'limit' | 'group';
  /** In words: "val_auc is above 0.85". */
  label: string;
  /** Formal syntax: "metrics.val_auc > 0.85". */
  formal: string;
  /** Where it came from in the text, when it came from one place. */
  start: number | null;
  end: number | null;
  /** The whole formal query without this chip: what removing it leaves. */
  without: string;
}

export interface QueryExplanation {
  text: string;
  /** False when a problem is an error: the query does not run. */
  ok: boolean;
  /** Canonical formal query; the parser reads it back to the same query. Empty when not ok. */
  formal: string;
  /** One line of English. */
  explanation: string;
  chips: QueryChip[];
  /** `compare A vs B`: the groups, for the Compare view. */
  groups: { label: string; formal: string }[] | null;
  problems: QueryProblem[];
  /** Keys and values present in the store that complete the word being typed at the end of `text`. */
  completions: string[];
  /** The parameterised SQL it runs: one statement per group. */
  sql: { sql: string; params: (string | number | boolean | null)[] }[];
}

export interface QueryResult {
  explanation: QueryExplanation;
  /** Matching runs in result order (for `compare`: group by group, each run once). */
  runs: RunSummary[];
  groups: { label: string; formal: string; run_ids: string[] }[] | null;
}

/** Options for reading "today", dates and "last week" as the user means them. */
export interface QueryClock {
  /** Epoch ms that "now" means (default: the server's clock). */
  now?: number;
  /** The user's offset from UTC in minutes east (CET: 60); calendar words use it. Default 0. */
  utc_offset_minutes?: number;
}

export interface ApiHandlers extends BundleApiHandlers, RegistryApiHandlers {
  'server.info': (a: Record<string, never>) => Promise<ServerInfo>;
  'experiments.list': (a: { view?: ViewType }) => Promise<ExperimentSummary[]>;
  /** `filter`: the filter language (native/query), MLflow's search syntax included. */
  'runs.list': (a: {
    experiment?: string;
    filter?: string;
    view?: ViewType;
    orderBy?: string[];
    limit?: number;
  } & QueryClock) => Promise<RunSummary[]>;
  /** A run by id, or by name when the name is unique. */
  'runs.get': (a: { run: string }) => Promise<RunDetail>;
  'runs.delete': (a: { run: string; reason?: string; actor?: string }) => Promise<RunSummary>;
  'runs.restore': (a: { run: string; actor?: string }) => Promise<RunSummary>;
  /** Removes a soft-deleted run's data for good; keeps a tombstone and the run's audit history. */
  'runs.purge': (a: { run: string; reason: string }) => Promise<RunTombstoneDto>;
  /** Audit events, newest first; with `run`, the events about that run (also after it was purged). */
  'audit.log': (a: { run?: string; limit?: number; before?: number }) => Promise<AuditEventDto[]>;
  /** Recomputes the Merkle tree from the stored events and checks every checkpoint. */
  'audit.verify': (a: Record<string, never>) => Promise<AuditVerifyReport>;
  /** Tombstones of purged runs (with `run`: that run id's). */
  'audit.tombstones': (a: { run?: string }) => Promise<RunTombstoneDto[]>;
  /** Imports an offline spool (its root, or one run's folder; absolute, on the server's machine). Idempotent. */
  'spool.sync': (a: { path: string }) => Promise<SpoolSyncReport>;
  /** What `path` (absolute, on the server's machine) holds, or null when no importer recognises it. */
  'import.detect': (a: { path: string }) => Promise<{ format: ImportFormatName; description: string; supported: boolean } | null>;
  /** Starts importing `path` in the background; poll `import.status` for progress and the summary. */
  'import.start': (a: { path: string; experiment?: string }) => Promise<ImportProgress>;
  'import.status': (a: { import_id: string }) => Promise<ImportProgress>;
  /** Imports `path` and answers with the summary when done (long imports: import.start, then poll). */
  'import.run': (a: { path: string; experiment?: string }) => Promise<ImportSummary>;
  /** Parses and resolves a filter-language query without running it. */
  'query.explain': (a: { text: string } & QueryClock) => Promise<QueryExplanation>;
  /** Runs a filter-language query; a query with errors is refused with the problems in the message. */
  'query.run': (a: { text: string; experiment?: string; view?: ViewType; limit?: number } & QueryClock) => Promise<QueryResult>;
  /**
   * One window of the runs table in the requested order (`orderBy` as MLflow's order_by strings),
   * optionally filtered with the filter language. Ordered ids are cached per query between calls.
   */
  'runs.page': (a: {
    experiment?: string;
    filter?: string;
    view?: ViewType;
    orderBy?: string[];
    offset?: number;
    limit?: number;
  } & QueryClock) => Promise<RunPage>;
  /** Table rows for these runs (live updates refresh rows in place); unknown ids are left out. */
  'runs.rows': (a: { ids: string[] }) => Promise<RunRowSummary[]>;
  /** Param, metric and tag keys in the store, most common first. */
  'runs.keys': (a: { experiment?: string; view?: ViewType }) => Promise<RunKeys>;
  /** A preview of one artifact of a run: image URL, text (capped), or a table through DuckDB. */
  'artifacts.preview': (a: { run: string; path: string; maxRows?: number; maxBytes?: number }) => Promise<ArtifactPreview>;
  /** Every digest a dataset name has had, oldest first. */
  'datasets.history': (a: { name: string }) => Promise<DatasetUse[]>;
  /** Downsampled series of these runs × keys for the Compare charts (runs or keys without data are left out). */
  'series.query': (a: SeriesQueryArgs) => Promise<SeriesData[]>;
}

export type ApiName = keyof ApiHandlers;
export type ApiArgs<N extends ApiName> = Parameters<ApiHandlers[N]>[0];
export type ApiResult<N extends ApiName> = Awaited<ReturnType<ApiHandlers[N]>>;

/** Error body of `/api/rpc/*`: the same shape as MLflow's, so one error reader serves both. */
export interface ApiErrorBody {
  error_code: string;
  message: string;
}
