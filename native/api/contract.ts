// The one typed contract between the core and every client of it (UI, CLI, tests): a map of RPC names
// to handler signatures, served as `POST /api/rpc/<name>` with the argument object as the JSON body.
// Types only, and JSON-safe (no bigint, no Date): the renderer imports this file with `import type`.

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

// ── Runs table, artifact previews, dataset history (issue #4) ──

/** What the runs table shows of a run's provenance; the whole of it is in `runs.get`. */
export interface RunLineage {
  commit: string | null;
  dirty: boolean | null;
  /** Names of the datasets the run read. */
  datasets: string[];
  /** "2× NVIDIA H100 80GB HBM3", or null when no GPU was recorded. */
  gpu: string | null;
}

export interface RunRowSummary extends RunSummary {
  lineage: RunLineage;
}

/** One window of the runs table: rows `offset …` of `total` in the requested order. */
export interface RunPage {
  total: number;
  offset: number;
  runs: RunRowSummary[];
}

/** Keys present in the store (with how many runs have each), for the table's column chooser. */
export interface RunKeys {
  params: { key: string; count: number }[];
  metrics: { key: string; count: number }[];
  tags: { key: string; count: number }[];
}

/** A preview of one artifact, chosen by its extension and read on the server. */
export type ArtifactPreview =
  /** PNG, JPEG, GIF, WebP or SVG: `url` is a same-origin address the page can put in an <img>. */
  | { kind: 'image'; path: string; size: number; media_type: string; url: string }
  | { kind: 'text' | 'json' | 'markdown' | 'diff'; path: string; size: number; text: string; truncated: boolean }
  /** Parquet or CSV read through DuckDB, the first `rows.length` rows of `total_rows`. */
  | { kind: 'table'; path: string; size: number; columns: { name: string; type: string }[]; rows: (string | null)[][]; total_rows: number | null; truncated: boolean }
  | { kind: 'binary'; path: string; size: number; reason: string };

/** One digest a dataset name has had, oldest first: where it first and last appeared. */
export interface DatasetUse {
  name: string;
  digest: string;
  runs: number;
  first_run_id: string;
  first_seen: number;
  last_run_id: string;
  last_seen: number;
}

// ── Compare (native/series): downsampled metric series, and live events (native/events) ──

/** What the Compare charts put on x. Epoch and `{ metric }` are joined to the series by step. */
export type SeriesXAxis = 'step' | 'relative_time' | 'wall_time' | 'epoch' | { metric: string };

/** A typed array as base64 of its little-endian bytes (Float64Array unless said otherwise). */
export type Base64Array = string;

export interface SeriesQueryArgs {
  runIds: string[];
  keys: string[];
  xAxis?: SeriesXAxis;
  /** Chart width in pixels: about one bucket per pixel. */
  width: number;
  /**
   * Per run, only points with step in [min, max] (a zoom, or the new tail for live updates). A range
   * with few enough points comes back at full resolution (bucket_size 1).
   */
  stepRanges?: Record<string, [number, number]>;
  /**
   * Per run, only points after this position in series order (live tails): later segments whole,
   * and in `segment` the steps above `step`. Answered from the points themselves.
   */
  after?: Record<string, { segment: number; step: number }>;
}

/**
 * One downsampled series: each bucket's first, last, min and max finite points in series order, the
 * last point always among them. NaN/±Inf never enter the line: `markers` has, per bucket and kind,
 * the first such point and how many there were.
 */
export interface SeriesData {
  run_id: string;
  key: string;
  step: Base64Array;
  /** Wall-clock milliseconds. */
  ts: Base64Array;
  value: Base64Array;
  /** For an epoch or metric x axis: that metric's latest value at or before each point's step (NaN before its first). */
  x: Base64Array | null;
  markers: { step: Base64Array; ts: Base64Array; x: Base64Array | null; /** Uint8Array: 0 NaN, 1 +Inf, 2 -Inf */ kind: Base64Array; count: Base64Array };
  /** Where each resume segment starts in the columns (segment > 0 is a resume: its step went backwards). */
  segments: { segment: number; index: number; step: number; ts: number }[];
  /** Points in range before downsampling, and how many of them were NaN, +Inf, -Inf. */
  points: number;
  nan: number;
  pos_inf: number;
  neg_inf: number;
  /** Points per bucket; 1: every point in range came back. */
  bucket_size: number;
  source: 'raw' | 'rollup';
}

/** Newest values of a run's metrics after points were committed (coalesced: at most one per run every 500 ms). */
export interface MetricsAppendedEvent {
  run_id: string;
  /** The step of the most recently logged point (a chart asks for points after what it has). */
  last_step: number;
  metrics: Record<string, { step: number; timestamp: number; value: MetricSummary['value']; count: number }>;
}

/**
 * Live events, `GET /api/events` (server-sent events: `event: <topic>`, `data: <json payload>`), and
 * the in-process bus they come from (native/events/event-bus.ts). Add a topic here, then publish it.
 */
export interface ServerEventMap {
  /** Runs created, updated, ended, deleted, restored, imported or marked interrupted. */
  'runs.changed': { run_ids: string[] };
  'metrics.appended': MetricsAppendedEvent;
  /** A running import's progress, a few times a second, and once more when it ends (issue #8). */
  'import.progress': ImportProgress;
}

// ── Audit log (native/audit, issue #7) ──

/** One event of the tamper-evident audit log. */
export interface AuditEventDto {
  seq: number;
  at: number;
  action: string;
  target_kind: string;
  target_id: string;
  os_user: string;
  /** Signing-key fingerprint of the actor; null while the workstation has no key. */
  actor_key_fpr: string | null;
  actor_principal: string | null;
  details: Record<string, unknown>;
  /** Hex SHA-256 leaf hash (RFC 6962, over the event's RFC 8785 JSON). */
  leaf_hash: string;
}

export interface AuditProblem {
  seq: number | null;
  checkpoint_size: number | null;
  reason: string;
}

/** `audit verify`: the stored events recomputed against every checkpoint. */
export interface AuditVerifyReport {
  ok: boolean;
  /** verified: every checkpoint signed and matching; unsigned: matching, not all signed; failed; empty. */
  state: 'verified' | 'unsigned' | 'failed' | 'empty';
  event_count: number;
  checkpoint_count: number;
  signed_checkpoint_count: number;
  latest_checkpoint: { tree_size: number; root_hash: string; origin: string; signed: boolean; signer_fpr: string | null; created_at: number } | null;
  /** Events after the latest checkpoint (not yet committed to by one). */
  uncovered_events: number;
  first_failure: AuditProblem | null;
  problems: AuditProblem[];
  signers: string[];
  /** Other workstations' logs seen to fork in imported bundles. */
  forks: { origin: string; seen_at: number; bundle_digest: string | null }[];
  checked_at: number;
}

/** What is left of a purged run. */
export interface RunTombstoneDto {
  audit_seq: number;
  run_id: string;
  run_name: string;
  experiment_id: string;
  bundle_digest: string | null;
  purged_at: number;
  purged_by: string;
  key_fpr: string | null;
  reason: string;
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

/** Bundles, keys and trust (issue #6): native/bundle/bundle-handlers.ts. */
export interface BundleApiHandlers {
  /** This data dir's signing key (public parts), or null before `runledger keys init`. */
  'keys.show': (a: Record<string, never>) => Promise<SigningKeyInfo | null>;
  'trust.list': (a: Record<string, never>) => Promise<TrustedKeyInfo[]>;
  /** `text`: allowed_signers lines or OpenSSH .pub lines (those need `principal`, else their comment). Audited. */
  'trust.add': (a: { text: string; principal?: string }) => Promise<TrustedKeyInfo[]>;
  /** By fingerprint (SHA256:…) or OpenSSH public key line. Audited. */
  'trust.revoke': (a: { fingerprint: string }) => Promise<TrustedKeyInfo[]>;
  /** Verifies a bundle (absolute path on the server's machine) without importing: the open/verify view. */
  'bundle.verify': (a: { path: string }) => Promise<BundleReport>;
  /** Verifies and imports; an untrusted signer is refused unless mode is 'trust' or 'unverified'. Idempotent. */
  'bundle.import': (a: { path: string; mode?: 'verified' | 'trust' | 'unverified'; principal?: string }) => Promise<BundleImportResult>;
  /**
   * Starts an export (poll bundle.exportStatus). `fixed_clock`: epoch ms for byte-identical output.
   * `models`: model versions (by number or alias) to carry with their source runs, which are added to `runs`.
   */
  'bundle.exportStart': (a: { runs: string[]; output: string; folder?: boolean; passphrase?: string; fixed_clock?: number; models?: BundleModelRef[] }) => Promise<BundleExportJob>;
  'bundle.exportStatus': (a: { job_id: string }) => Promise<BundleExportJob>;
  /**
   * Browse a bundle read-only without importing: verifies it (staging a copy under the data dir,
   * cached per path and mtime) and lists its runs with their metric series. Refused with the
   * bundle's error code (E_…) when it does not verify; never touches the store.
   */
  'bundle.browse': (a: { path: string }) => Promise<BundleBrowse>;
  /** One metric of one run in a browsed bundle, downsampled from its metrics.parquet like `series.query`. */
  'bundle.series': (a: { path: string; run: string; key: string; width: number }) => Promise<SeriesData>;
  /** A preview of one artifact of a run in a browsed bundle (`artifact`: its path as run.json lists it). */
  'bundle.artifact': (a: { path: string; run: string; artifact: string; maxRows?: number; maxBytes?: number }) => Promise<ArtifactPreview>;
}

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

export type ApiName = keyof ApiHandlers;
export type ApiArgs<N extends ApiName> = Parameters<ApiHandlers[N]>[0];
export type ApiResult<N extends ApiName> = Awaited<ReturnType<ApiHandlers[N]>>;

/** Error body of `/api/rpc/*`: the same shape as MLflow's, so one error reader serves both. */
export interface ApiErrorBody {
  error_code: string;
  message: string;
}

// ── Signed run bundles (issue #6; native/bundle, native/keys; BUNDLE.md) ──

/** trusted: the key is in the trust store; untrusted: valid signature, unknown key; revoked: refused. */
export type BundleTrustState = 'trusted' | 'untrusted' | 'revoked';

/** One verification step of BUNDLE.md §4.8, in the order they run. */
export interface BundleCheck {
  step: number;
  name: string;
  ok: boolean;
  detail: string;
}

export interface BundleSigner {
  fingerprint: string;
  /** The principal of the trust entry that verified the key; null when the key is not trusted. */
  principal: string | null;
  /** What the bundle itself claims (signer.pub comment, bag-info): unverified. */
  claimed_principal: string | null;
  trust_state: BundleTrustState;
}

export interface BundleRunInfo {
  run_id: string;
  run_name: string;
  experiment: string;
  status: string;
  start_time: number;
  end_time: number | null;
  params: Record<string, string>;
  metrics: { key: string; value: number | string; step: number }[];
  artifacts: { path: string; size: number; sha256: string }[];
  /** Bag paths of the chart PNGs (data/…). */
  charts: string[];
}

/** A model version to export: `version` or `alias`. */
export interface BundleModelRef {
  name: string;
  version?: number;
  alias?: string;
}

export interface BundleModelInfo {
  name: string;
  /** The version number in the exporting store (an import numbers it anew and tags this one). */
  version: number;
  stage: string;
  aliases: string[];
  run_id: string;
  source: string;
  /** The model's own files carried beside the record (not counting the run's artifacts). */
  files: number;
}

export interface BundleReport {
  path: string;
  format: 'zip' | 'folder' | null;
  valid: boolean;
  /** BUNDLE.md error code (E_…) when not valid. */
  code: string | null;
  message: string | null;
  /** `rb1:sha256:<hex>`: sha256 of tagmanifest-sha256.txt. */
  digest: string | null;
  signer: BundleSigner | null;
  checks: BundleCheck[];
  warnings: string[];
  runs: BundleRunInfo[];
  /** Model versions the bundle carries (issue #9), as the exporting store numbered them (absent: none). */
  models?: BundleModelInfo[];
  payload_files: number;
  payload_bytes: number;
}

/** What `bundle.browse` answers: the verification report, and per run the metrics its Parquet holds. */
export interface BundleBrowse {
  report: BundleReport;
  /** By run id: each metric key with its number of points, in key order. */
  series: Record<string, { key: string; points: number }[]>;
}

export interface BundleImportResult {
  report: BundleReport;
  /** imported; already-imported (same digest: nothing changed); refused (see message). */
  outcome: 'imported' | 'already-imported' | 'refused';
  run_ids: string[];
  /** How the runs are marked: trusted, or unverified (quarantined, read-only, badged). */
  trust_state: 'trusted' | 'unverified' | null;
  message: string;
}

export interface BundleExportJob {
  job_id: string;
  state: 'running' | 'done' | 'failed';
  phase: 'collect' | 'write' | 'verify' | 'done';
  bytes_done: number;
  bytes_total: number;
  result: { path: string; digest: string; bytes: number; files: number; run_ids: string[]; models: { name: string; version: number }[] } | null;
  error: string | null;
}

export interface TrustedKeyInfo {
  fingerprint: string;
  principals: string[];
  namespaces: string[] | null;
  valid_after: number | null;
  valid_before: number | null;
  revoked: boolean;
  /** This data dir's own signing key. */
  own: boolean;
  line: string;
}

export interface SigningKeyInfo {
  fingerprint: string;
  principal: string;
  public_key: string;
  protection: 'scrypt-aes-256-gcm' | 'none';
  created_at: string;
}
