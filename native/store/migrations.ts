// Versioned schema. Each migration runs once, in order, inside one transaction with its version row,
// so a crash mid-migration leaves the previous version intact. Never edit a shipped migration: add one.
//
// Why no PRIMARY KEY on the metric tables: DuckDB's Appender aborts a whole chunk on a constraint
// violation, and an ART index over 50M points costs gigabytes of memory. Exact-duplicate points are
// removed when hot rows are compacted into `metrics` and by DISTINCT on reads of the hot table.

import { LATER_MIGRATIONS } from './migrations-later';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE experiments (
  experiment_id     VARCHAR PRIMARY KEY,   -- decimal string, as MLflow's API spells ids
  name              VARCHAR NOT NULL,
  artifact_location VARCHAR NOT NULL,
  lifecycle_stage   VARCHAR NOT NULL DEFAULT 'active',
  creation_time     BIGINT  NOT NULL,
  last_update_time  BIGINT  NOT NULL
);
CREATE TABLE experiment_tags (
  experiment_id VARCHAR NOT NULL,
  key           VARCHAR NOT NULL,
  value         VARCHAR NOT NULL,
  PRIMARY KEY (experiment_id, key)
);
CREATE TABLE runs (
  run_id          VARCHAR PRIMARY KEY,
  experiment_id   VARCHAR NOT NULL,
  run_name        VARCHAR NOT NULL DEFAULT '',
  user_id         VARCHAR NOT NULL DEFAULT '',
  status          VARCHAR NOT NULL,        -- RUNNING | SCHEDULED | FINISHED | FAILED | KILLED
  start_time      BIGINT  NOT NULL,
  end_time        BIGINT,
  lifecycle_stage VARCHAR NOT NULL DEFAULT 'active',
  deleted_at      BIGINT,
  deleted_by      VARCHAR,
  delete_reason   VARCHAR,
  source          VARCHAR,
  git_commit      VARCHAR,
  git_dirty       BOOLEAN,
  origin          VARCHAR NOT NULL DEFAULT 'local',  -- local | bundle digest of an imported run
  signer          VARCHAR,
  trust_state     VARCHAR,
  last_activity   BIGINT  NOT NULL,        -- ms of the last write: drives "interrupted"
  interrupted_at  BIGINT                   -- set while a RUNNING run's process is presumed dead
);
CREATE TABLE params (
  run_id VARCHAR NOT NULL,
  key    VARCHAR NOT NULL,
  value  VARCHAR NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE TABLE tags (
  run_id VARCHAR NOT NULL,
  key    VARCHAR NOT NULL,
  value  VARCHAR NOT NULL,
  PRIMARY KEY (run_id, key)
);
-- One row per (run, metric key): the series id used by the point tables, and the summary that run
-- tables and filters read without touching points. "latest" is the point with the highest
-- (step, ts, value), as MLflow defines it.
CREATE TABLE latest_metrics (
  series_id   INTEGER PRIMARY KEY,
  run_id      VARCHAR NOT NULL,
  key         VARCHAR NOT NULL,
  step        BIGINT  NOT NULL,
  ts          BIGINT  NOT NULL,
  value       DOUBLE  NOT NULL,
  min_value   DOUBLE,                 -- over finite and infinite values; NULL when every value is NaN
  max_value   DOUBLE,
  first_value DOUBLE  NOT NULL,
  count       BIGINT  NOT NULL,
  nan_count   BIGINT  NOT NULL,
  inf_count   BIGINT  NOT NULL,
  last_step   BIGINT  NOT NULL,       -- step of the most recently logged point (segment detection)
  segment     INTEGER NOT NULL        -- resumes so far: a step that goes backwards starts a new one
);
-- Each flush appends the changed summaries here and merges them into latest_metrics in one
-- statement: a multi-row upsert with bound parameters costs tens of milliseconds per flush.
CREATE TABLE latest_metrics_stage AS SELECT * FROM latest_metrics WITH NO DATA;
-- Points: appended to metrics_hot by the write buffer, moved (deduplicated, sorted by series) into
-- metrics when a run ends or the hot table grows, so a series read is a narrow range scan.
CREATE TABLE metrics_hot (
  series_id INTEGER NOT NULL,
  step      BIGINT  NOT NULL,
  ts        BIGINT  NOT NULL,
  value     DOUBLE  NOT NULL,
  segment   INTEGER NOT NULL
);
CREATE TABLE metrics (
  series_id INTEGER NOT NULL,
  step      BIGINT  NOT NULL,
  ts        BIGINT  NOT NULL,
  value     DOUBLE  NOT NULL,
  segment   INTEGER NOT NULL
);
CREATE VIEW metric_points AS
  SELECT l.run_id, l.key, p.step, p.ts, p.value, isnan(p.value) AS is_nan, p.segment
  FROM (SELECT * FROM metrics UNION ALL SELECT DISTINCT * FROM metrics_hot) p
  JOIN latest_metrics l USING (series_id);
CREATE TABLE datasets (
  digest        VARCHAR NOT NULL,
  name          VARCHAR NOT NULL,
  source_type   VARCHAR NOT NULL DEFAULT '',
  source        VARCHAR NOT NULL DEFAULT '',
  schema        VARCHAR NOT NULL DEFAULT '',
  profile       VARCHAR NOT NULL DEFAULT '',
  schema_sha256 VARCHAR,
  rows          BIGINT,
  null_counts   JSON,
  PRIMARY KEY (name, digest)
);
CREATE TABLE run_inputs (
  run_id         VARCHAR NOT NULL,
  dataset_name   VARCHAR NOT NULL,
  dataset_digest VARCHAR NOT NULL,
  tags           JSON NOT NULL,        -- [{"key","value"}], MLflow InputTag list
  context        VARCHAR,              -- the mlflow.data.context input tag
  PRIMARY KEY (run_id, dataset_name, dataset_digest)
);
CREATE TABLE environments (
  run_id          VARCHAR PRIMARY KEY,
  python          VARCHAR,
  platform        VARCHAR,
  cuda            VARCHAR,
  cudnn           VARCHAR,
  driver          VARCHAR,
  gpus            JSON,
  torch           VARCHAR,
  packages_sha256 VARCHAR,
  packages        VARCHAR,
  hostname        VARCHAR,
  cpu             VARCHAR,
  workers         INTEGER,
  mixed_precision VARCHAR
);
CREATE TABLE artifacts (
  run_id     VARCHAR NOT NULL,
  path       VARCHAR NOT NULL,         -- logical path under the run's artifact root, '/'-separated
  sha256     VARCHAR NOT NULL,
  size       BIGINT  NOT NULL,
  media_type VARCHAR,
  created_at BIGINT  NOT NULL,
  PRIMARY KEY (run_id, path)
);
`,
  },
  {
    version: 2,
    name: 'import sources',
    // One row per source run brought in by `runledger import`, keyed by an identity derived from the
    // source's content (or its own run id), so importing the same files again creates nothing new.
    sql: `
CREATE TABLE import_sources (
  identity    VARCHAR PRIMARY KEY,     -- sha256 hex of the source run's identity
  run_id      VARCHAR NOT NULL,
  format      VARCHAR NOT NULL,        -- tensorboard | lightning-csv | mlflow-dir
  source      VARCHAR NOT NULL,        -- the path it was first imported from
  state       VARCHAR NOT NULL,        -- importing | done | failed (an unfinished one is redone)
  imported_at BIGINT  NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'provenance: environment details, code state, dataset profiles, spool imports',
    // Issue #3 (native/provenance). The environment snapshot gains what the Python client captures
    // beyond migration 1's columns; the code state gets its own row (runs keeps git_commit/git_dirty
    // for filters); datasets gain the profile in structured form; spool_imports makes `runledger sync`
    // idempotent: a spool's identity is the hash of its header record, and `records` + `chain` say
    // how much of it is already in the store.
    sql: `
ALTER TABLE environments ADD COLUMN python_implementation VARCHAR;
ALTER TABLE environments ADD COLUMN cpu_count INTEGER;
ALTER TABLE environments ADD COLUMN package_count INTEGER;
ALTER TABLE environments ADD COLUMN env_vars JSON;
ALTER TABLE environments ADD COLUMN command JSON;
ALTER TABLE environments ADD COLUMN nvidia_smi VARCHAR;
ALTER TABLE environments ADD COLUMN extra JSON;
ALTER TABLE environments ADD COLUMN captured_at BIGINT;
CREATE TABLE run_code (
  run_id         VARCHAR PRIMARY KEY,
  git_commit     VARCHAR,
  branch         VARCHAR,
  remote         VARCHAR,            -- credentials stripped
  dirty          BOOLEAN,
  diff_artifact  VARCHAR,            -- artifact path of the uncommitted diff
  diff_sha256    VARCHAR,
  diff_bytes     BIGINT,
  diff_truncated BOOLEAN NOT NULL DEFAULT false,
  untracked      JSON,
  captured_at    BIGINT
);
ALTER TABLE datasets ADD COLUMN size_bytes BIGINT;
ALTER TABLE datasets ADD COLUMN columns JSON;              -- [{"name","type"}]
ALTER TABLE datasets ADD COLUMN format VARCHAR;            -- parquet | csv
ALTER TABLE datasets ADD COLUMN profiled_by VARCHAR;       -- server | client | NULL
ALTER TABLE datasets ADD COLUMN profile_note VARCHAR;      -- why the server did not profile it
ALTER TABLE datasets ADD COLUMN first_seen BIGINT;
CREATE TABLE spool_imports (
  spool_id    VARCHAR PRIMARY KEY,   -- sha256 of the spool's header record
  run_id      VARCHAR NOT NULL,
  folder      VARCHAR,               -- where it was last synced from
  records     BIGINT  NOT NULL,      -- records of the spool now in the store (a prefix)
  chain       VARCHAR NOT NULL,      -- chained sha256 over those records' checksums
  points      BIGINT  NOT NULL DEFAULT 0,
  complete    BOOLEAN NOT NULL DEFAULT false,  -- the end record was imported
  imported_at BIGINT  NOT NULL
);
`,
  },
  ...LATER_MIGRATIONS,
];
