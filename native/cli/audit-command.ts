// `runledger audit verify|log`: check the tamper-evident log, and read it (whole, or one run's).
import type { AuditEventDto, AuditVerifyReport } from '../api/contract';
import { connect } from './connect';
import { intFlag, parseArgs, stringFlag, UsageError } from './args';
import { formatTable, formatTime } from './format-table';
import type { CliIo } from './io';

export const AUDIT_HELP = `Usage:
  runledger audit verify [--json]                 recompute the Merkle tree from the stored events and
                                                  check every checkpoint; exit 1 naming the first event
                                                  that does not match
  runledger audit log [--run RUN] [--limit N] [--json]   the events, newest first (with --run: that run's,
                                                  also after it was purged)
Every command takes --data DIR. Events are RFC 8785 JSON in an RFC 6962 Merkle tree; checkpoints are
C2SP signed notes (signed once 'runledger keys init' has made a key).`;

export async function auditCommand(argv: string[], dataDir: string, io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const p = parseArgs(rest, { strings: ['run', 'limit', 'data'], booleans: ['json'] });
  if (!sub || sub === '--help' || p.flags.help) {
    io.out(AUDIT_HELP);
    return sub ? 0 : 2;
  }
  const json = p.flags.json === true;
  const conn = await connect(dataDir);
  try {
    switch (sub) {
      case 'verify': {
        const report = await conn.client['audit.verify']({});
        io.out(json ? JSON.stringify(report, null, 2) : verifyText(report));
        return report.ok ? 0 : 1;
      }
      case 'log': {
        const events = await conn.client['audit.log']({ run: stringFlag(p, 'run'), limit: intFlag(p, 'limit') ?? 1000 });
        io.out(json ? JSON.stringify(events, null, 2) : logText(events));
        return 0;
      }
      default:
        throw new UsageError(`unknown command 'audit ${sub}'\n${AUDIT_HELP}`);
    }
  } finally {
    await conn.close();
  }
}

function verifyText(r: AuditVerifyReport): string {
  const lines = [`Audit log: ${r.event_count} event${r.event_count === 1 ? '' : 's'}, ${r.checkpoint_count} checkpoint${r.checkpoint_count === 1 ? '' : 's'} (${r.signed_checkpoint_count} signed)`];
  const cp = r.latest_checkpoint;
  if (cp) lines.push(`Latest checkpoint: size ${cp.tree_size}, root ${cp.root_hash}, ${cp.signed ? `signed by ${cp.signer_fpr}` : 'UNSIGNED'} (${cp.origin})`);
  if (r.uncovered_events > 0) lines.push(`${r.uncovered_events} event${r.uncovered_events === 1 ? ' is' : 's are'} after the latest checkpoint (not yet committed to by one).`);
  for (const f of r.forks) lines.push(`FORK: the log ${f.origin} was seen with an inconsistent history (bundle ${f.bundle_digest ?? '?'}, ${formatTime(f.seen_at)} UTC).`);
  if (!r.ok) {
    const f = r.first_failure!;
    lines.push(`FAILED${f.seq !== null ? ` at event ${f.seq}` : ''}: ${f.reason}`);
    if (r.problems.length > 1) lines.push(`${r.problems.length - 1} more problem${r.problems.length === 2 ? '' : 's'}; --json lists them.`);
  } else if (r.state === 'empty') {
    lines.push('OK: the log is empty.');
  } else if (r.state === 'unsigned') {
    lines.push(`OK: every event matches ${r.checkpoint_count === 0 ? 'its hash (no checkpoint yet)' : 'every checkpoint'}, but not every checkpoint is signed ('runledger keys init' makes a signing key).`);
  } else {
    lines.push('OK: every event matches every checkpoint, and every checkpoint is signed.');
  }
  return lines.join('\n');
}

function logText(events: AuditEventDto[]): string {
  if (events.length === 0) return 'No audit events.';
  const rows = events.map((e) => [String(e.seq), formatTime(e.at), e.action, `${e.target_kind} ${e.target_id}`, e.actor_key_fpr ? `${e.os_user} (${e.actor_key_fpr.slice(0, 15)}…)` : e.os_user, summary(e)]);
  return formatTable(['SEQ', 'WHEN (UTC)', 'ACTION', 'TARGET', 'WHO', 'DETAILS'], rows, 60);
}

/** One line of what changed, for the table; --json has everything. */
export function summary(e: AuditEventDto): string {
  const d = e.details;
  const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
  switch (e.action) {
    case 'run.create':
      return `${str(d.run_name)} in experiment ${str(d.experiment_id)}`;
    case 'experiment.create':
    case 'experiment.delete':
    case 'experiment.restore':
      return str(d.name);
    case 'key.create':
      return str(d.principal);
    case 'run.soft_delete':
      return d.reason ? `reason: ${str(d.reason)}` : '';
    case 'run.purge':
      return `reason: ${str(d.reason)}`;
    case 'run.finish':
    case 'run.status':
    case 'run.rename':
    case 'experiment.rename':
      return `${str(d.from)} → ${str(d.to)}`;
    case 'run.tag.set':
      return Array.isArray(d.tags) ? (d.tags as { key: string; value: string }[]).map((t) => `${t.key}=${t.value}`).join(', ') : '';
    case 'run.tag.delete':
      return str(d.key);
    case 'run.note.edit':
      return str(d.content).slice(0, 60);
    default:
      return Object.keys(d).length === 0 ? '' : JSON.stringify(d).slice(0, 60);
  }
}
