// Migrations 4 and later (registry, audit log, rollups, bundle imports): the rules in migrations.ts
// apply. Never edit a shipped migration: add one at the end.
import type { Migration } from './migrations';

export const LATER_MIGRATIONS: readonly Migration[] = [
  {
    version: 4,
    name: 'model registry, logged models, promotion rules',
    // Issue #9 (native/registry). MLflow's registry: registered models with tags and aliases, model
    // versions (a deleted version keeps its row, flagged, so its number is never handed out again,
    // as MLflow does), MLflow 3 logged models with params and tags (their files live in `artifacts`
    // with the model id as owner), and saved promotion rules.
    sql: `
CREATE TABLE registered_models (
  name                   VARCHAR PRIMARY KEY,
  creation_timestamp     BIGINT  NOT NULL,
  last_updated_timestamp BIGINT  NOT NULL,
  user_id                VARCHAR,
  description            VARCHAR
);
CREATE TABLE registered_model_tags (
  name  VARCHAR NOT NULL,
  key   VARCHAR NOT NULL,
  value VARCHAR NOT NULL,
  PRIMARY KEY (name, key)
);
CREATE TABLE model_versions (
  name                   VARCHAR NOT NULL,
  version                INTEGER NOT NULL,
  creation_timestamp     BIGINT  NOT NULL,
  last_updated_timestamp BIGINT  NOT NULL,
  user_id                VARCHAR,
  current_stage          VARCHAR NOT NULL DEFAULT 'None',  -- None | Staging | Production | Archived
  description            VARCHAR,
  source                 VARCHAR NOT NULL,   -- as the client gave it: runs:/, models:/, mlflow-artifacts:/
  storage_location       VARCHAR NOT NULL,   -- where the files are: what get-download-uri answers
  run_id                 VARCHAR,
  run_link               VARCHAR,
  model_id               VARCHAR,            -- MLflow 3 logged model behind the version
  status                 VARCHAR NOT NULL DEFAULT 'READY',
  status_message         VARCHAR,
  deleted                BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (name, version)
);
CREATE TABLE model_version_tags (
  name    VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  key     VARCHAR NOT NULL,
  value   VARCHAR NOT NULL,
  PRIMARY KEY (name, version, key)
);
CREATE TABLE registered_model_aliases (
  name    VARCHAR NOT NULL,
  alias   VARCHAR NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (name, alias)
);
CREATE TABLE logged_models (
  model_id                  VARCHAR PRIMARY KEY,   -- m-<32 hex>, as MLflow 3 names them
  experiment_id             VARCHAR NOT NULL,
  name                      VARCHAR NOT NULL,
  creation_timestamp_ms     BIGINT  NOT NULL,
  last_updated_timestamp_ms BIGINT  NOT NULL,
  status                    VARCHAR NOT NULL,      -- LOGGED_MODEL_PENDING | _READY | _UPLOAD_FAILED
  status_message            VARCHAR,
  model_type                VARCHAR,
  source_run_id             VARCHAR,
  deleted                   BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE logged_model_params (
  model_id VARCHAR NOT NULL,
  key      VARCHAR NOT NULL,
  value    VARCHAR NOT NULL,
  PRIMARY KEY (model_id, key)
);
CREATE TABLE logged_model_tags (
  model_id VARCHAR NOT NULL,
  key      VARCHAR NOT NULL,
  value    VARCHAR NOT NULL,
  PRIMARY KEY (model_id, key)
);
CREATE TABLE promotion_rules (
  name        VARCHAR PRIMARY KEY,
  model       VARCHAR NOT NULL,
  stage       VARCHAR NOT NULL,
  condition   VARCHAR NOT NULL,      -- the filter-language text, kept as typed
  experiment  VARCHAR,
  alias       VARCHAR,
  created_at  BIGINT  NOT NULL,
  updated_at  BIGINT  NOT NULL,
  last_run_at BIGINT,
  last_result JSON
);
`,
  },
  {
    version: 5,
    name: 'audit log: events, checkpoints, witnessed checkpoints, run tombstones',
    // Issue #7 (native/audit, BUNDLE.md §4.9). Append-only by convention of the data layer: the code
    // has INSERTs for these tables and nothing else (DuckDB triggers cannot enforce it yet). Tampering
    // is caught by the Merkle tree and the signed checkpoints, not by the database.
    // Times are epoch milliseconds (BIGINT), as everywhere else in this schema.
    sql: `
CREATE TABLE audit_event (
  seq             BIGINT  PRIMARY KEY,   -- leaf index in the log's Merkle tree, from 0, no gaps
  "at"            BIGINT  NOT NULL,      -- quoted: AT is a keyword in DuckDB's grammar
  os_user         VARCHAR NOT NULL,
  actor_key_fpr   VARCHAR,               -- signing-key fingerprint, NULL before a key exists
  actor_principal VARCHAR,
  action          VARCHAR NOT NULL,      -- run.create, run.soft_delete, bundle.export, ...
  target_kind     VARCHAR NOT NULL,      -- run | experiment | bundle | trust | key | log
  target_id       VARCHAR NOT NULL,
  details         JSON    NOT NULL,
  event_json      VARCHAR NOT NULL,      -- the RFC 8785 bytes the leaf hash covers (all columns above)
  leaf_hash       BLOB    NOT NULL       -- SHA-256(0x00 || event_json)
);
CREATE TABLE audit_checkpoint (
  checkpoint_id BIGINT  PRIMARY KEY,
  tree_size     BIGINT  NOT NULL,
  root_hash     BLOB    NOT NULL,
  origin        VARCHAR NOT NULL,
  note          VARCHAR NOT NULL,        -- the signed note exactly as issued (bare note text if unsigned)
  signer_fpr    VARCHAR,
  public_key    VARCHAR,                 -- base64 of the raw Ed25519 key that signed: a hint to check against
  reason        VARCHAR NOT NULL,        -- interval | export | manual
  created_at    BIGINT  NOT NULL
);
-- Checkpoints of other workstations' logs seen in imported bundles: this store is their witness.
CREATE TABLE audit_witness (
  witness_id    BIGINT  PRIMARY KEY,
  origin        VARCHAR NOT NULL,
  tree_size     BIGINT  NOT NULL,
  root_hash     BLOB    NOT NULL,
  note          VARCHAR NOT NULL,
  bundle_digest VARCHAR,
  seen_at       BIGINT  NOT NULL,
  verdict       VARCHAR NOT NULL,        -- first | consistent | older | unproven | fork
  evidence      JSON                     -- for a fork: both checkpoints and the proof that failed
);
-- What is left of a purged run: enough to say it existed, who removed it, when and why.
CREATE TABLE run_tombstone (
  audit_seq     BIGINT  PRIMARY KEY,     -- the run.purge event that removed it
  run_id        VARCHAR NOT NULL,
  run_name      VARCHAR NOT NULL,
  experiment_id VARCHAR NOT NULL,
  bundle_digest VARCHAR,                 -- its last exported bundle, if any
  purged_at     BIGINT  NOT NULL,
  purged_by     VARCHAR NOT NULL,
  key_fpr       VARCHAR,
  reason        VARCHAR NOT NULL
);
`,
  },
  {
    version: 6,
    name: 'metric rollups',
    // Multi-resolution aggregates of compacted series (native/series/rollup-levels.ts): level k has one
    // row per 64·4^k consecutive points of a segment with its first/last/min/max finite points and its
    // NaN/±Inf counts, so a chart of a 1M-point series reads ~2,000 rows. Written in the same
    // transaction as the compaction that moves the points, so they never disagree with `metrics`.
    sql: `
CREATE TABLE metric_rollups (
  series_id INTEGER NOT NULL,
  level     INTEGER NOT NULL,
  segment DOUBLE, start DOUBLE, count DOUBLE, stepLo DOUBLE, stepHi DOUBLE,
  fStep DOUBLE, fTs DOUBLE, fVal DOUBLE, lStep DOUBLE, lTs DOUBLE, lVal DOUBLE,
  nStep DOUBLE, nTs DOUBLE, nVal DOUBLE, xStep DOUBLE, xTs DOUBLE, xVal DOUBLE,
  nanN DOUBLE, nanStep DOUBLE, nanTs DOUBLE, pinfN DOUBLE, pinfStep DOUBLE, pinfTs DOUBLE,
  ninfN DOUBLE, ninfStep DOUBLE, ninfTs DOUBLE
);
`,
  },
  {
    version: 7,
    name: 'run bundles: imports',
    // Issue #6 (native/bundle, BUNDLE.md §4.8 E). One row per imported bundle, keyed by its digest
    // (sha256 of tagmanifest-sha256.txt): importing the same bundle again is a no-op. The runs it
    // brought carry origin = 'rb1:sha256:<digest>', signer and trust_state on the runs table itself.
    sql: `
CREATE TABLE bundle_imports (
  bundle_digest    VARCHAR PRIMARY KEY,   -- rb1:sha256:<hex>
  run_ids          JSON    NOT NULL,
  signer_fpr       VARCHAR NOT NULL,
  signer_principal VARCHAR,               -- of the trust entry that verified it; NULL when unverified
  trust_state      VARCHAR NOT NULL,      -- trusted | unverified
  source_path      VARCHAR NOT NULL,
  imported_at      BIGINT  NOT NULL,
  importer         VARCHAR NOT NULL       -- OS user who imported it
);
`,
  },
];
