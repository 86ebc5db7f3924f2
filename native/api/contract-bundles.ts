// The core's typed contract, the part for signed run bundles, keys and trust (issue #6).
// native/api/contract.ts re-exports it. Types only and JSON-safe, like the rest of the contract.
import type { ArtifactPreview } from './contract-runs-table';
import type { SeriesData } from './contract-series';

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
