// Versioned schema. Each migration runs once, in order, inside one transaction with its version row,
// so a crash mid-migration leaves the previous version intact. Never edit a shipped migration: add one.
//
// Why no PRIMARY KEY on the metric tables: DuckDB's Appender aborts a whole chunk on a constraint
// violation, and an ART index over 50M points costs gigabytes of memory. Exact-duplicate points are
// removed when hot rows are compacted into `metrics` and by DISTINCT on reads of the hot table.

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
];
