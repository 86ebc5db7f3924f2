// The core's typed contract, the part for the audit log (issue #7).
// native/api/contract.ts re-exports it. Types only and JSON-safe, like the rest of the contract.

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
