// Words for audit events and verification results: pure, so the page and the run history only
// render, and the tests read sentences, not markup.
import type { AuditEventDto, AuditVerifyReport } from '../../../native/api/contract';

const quote = (v: unknown): string => (typeof v === 'string' ? `“${v}”` : JSON.stringify(v));

/** One event as a sentence: "Deleted: “leaked labels”". */
export function describeEvent(e: AuditEventDto): string {
  const d = e.details;
  switch (e.action) {
    case 'run.create':
      return `Created run ${quote(d.run_name)}`;
    case 'run.finish':
      return `Finished as ${String(d.to)}`;
    case 'run.status':
      return `Status ${String(d.from)} → ${String(d.to)}`;
    case 'run.rename':
      return `Renamed ${quote(d.from)} → ${quote(d.to)}`;
    case 'run.tag.set':
      return `Tags set: ${(d.tags as { key: string; value: string }[]).map((t) => `${t.key}=${t.value}`).join(', ')}`;
    case 'run.tag.delete':
      return `Tag ${quote(d.key)} removed`;
    case 'run.note.edit':
      return d.previous === null ? 'Note added' : 'Note edited';
    case 'run.soft_delete':
      return d.reason ? `Deleted: ${quote(d.reason)}` : 'Deleted (no reason given)';
    case 'run.restore':
      return 'Restored';
    case 'run.purge':
      return `Purged for good: ${quote(d.reason)}`;
    case 'experiment.create':
      return `Experiment ${quote(d.name)} created`;
    case 'experiment.rename':
      return `Experiment renamed ${quote(d.from)} → ${quote(d.to)}`;
    case 'experiment.delete':
      return `Experiment ${quote(d.name)} deleted, with ${(d.run_ids as unknown[]).length} run(s)`;
    case 'experiment.restore':
      return `Experiment ${quote(d.name)} restored`;
    case 'bundle.export':
    case 'bundle.exported':
      return 'Exported in a bundle';
    case 'bundle.import':
      return 'Imported from a bundle';
    case 'audit.fork':
      return `FORK in another workstation's log: ${String(d.reason)}`;
    default:
      return e.action;
  }
}

/** Who did it: the OS user, and the short key fingerprint when the workstation has a key. */
export function actorOf(e: AuditEventDto): string {
  return e.actor_key_fpr ? `${e.os_user} · ${e.actor_key_fpr.slice(0, 15)}…` : `${e.os_user} · no signing key`;
}

export interface VerifyStateText {
  tone: 'ok' | 'warn' | 'bad';
  headline: string;
  lines: string[];
}

export function verifyStateText(r: AuditVerifyReport): VerifyStateText {
  const lines: string[] = [`${r.event_count} events, ${r.checkpoint_count} checkpoints (${r.signed_checkpoint_count} signed).`];
  if (r.latest_checkpoint) lines.push(`Latest checkpoint: ${r.latest_checkpoint.tree_size} events, ${r.latest_checkpoint.signed ? `signed by ${r.latest_checkpoint.signer_fpr}` : 'unsigned'}.`);
  if (r.uncovered_events > 0) lines.push(`${r.uncovered_events} newer event(s) not yet in a checkpoint.`);
  for (const f of r.forks) lines.push(`Fork seen in ${f.origin} (bundle ${f.bundle_digest ?? 'unknown'}).`);
  if (!r.ok) {
    const f = r.first_failure!;
    return { tone: 'bad', headline: `Verification FAILED${f.seq !== null ? ` at event ${f.seq}` : ''}: ${f.reason}`, lines };
  }
  if (r.forks.length > 0) return { tone: 'bad', headline: 'This log verifies, but another workstation’s log was seen to fork', lines };
  if (r.state === 'verified') return { tone: 'ok', headline: 'Verified: every event matches every signed checkpoint', lines };
  if (r.state === 'empty') return { tone: 'ok', headline: 'No events yet', lines };
  return { tone: 'warn', headline: 'Events match, but checkpoints are not all signed (no signing key yet)', lines };
}
