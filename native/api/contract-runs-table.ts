// The core's typed contract, the part for the runs table, artifact previews and dataset history (issue #4).
// native/api/contract.ts re-exports it. Types only and JSON-safe, like the rest of the contract.
import type { RunSummary } from './contract';

// ── Runs table, artifact previews, dataset history (issue #4) ──

/** What the runs table shows of a run's provenance; the whole of it is in `runs.get`. */
export interface RunLineage {
  commit: string | null;
  dirty: boolean | null;
  /** Names of the datasets the run read. */
  datasets: string[];
  /** "2× NVIDIA H100 80GB HBM3", or null when no GPU was recorded. */
  gpu: string | null;
  /** Runs imported from a signed bundle (read-only): whether its signer was trusted. Null for local runs. */
  bundle: 'trusted' | 'unverified' | null;
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
