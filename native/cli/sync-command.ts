// `runledger sync PATH`: imports offline spools written by the Python client (a spool root, or one
// run's folder). Through the running server when one owns the data dir (it reads PATH itself: both
// live on this machine), else in this process. Safe to repeat: a second sync imports nothing new.
import path from 'node:path';
import type { SpoolSyncReport, SpoolSyncRun } from '../api/contract';
import { connect } from './connect';
import { parseArgs, UsageError } from './args';
import type { CliIo } from './io';

export const SYNC_HELP = `Usage: runledger sync PATH [--data DIR] [--json]
Imports the offline spool at PATH (default root: ~/.runledger/spool, or RUNLEDGER_SPOOL_DIR) written by
the Python client when no server was reachable. PATH is the spool root or one run's folder. Syncing
again imports only what is new; a last record torn by a crash is reported and the rest imported.
Exit status: 0 when everything readable was imported (a torn last record included), 1 when a run
failed or a spool is damaged before its end.`;

const fmt = (n: number): string => n.toLocaleString('en-US');

export function describeRun(r: SpoolSyncRun): string {
  const name = `${r.run_name ?? path.basename(r.folder)}${r.run_id ? ` (${r.run_id})` : ''}`;
  const lines: string[] = [];
  if (r.outcome === 'failed') lines.push(`FAILED    ${name}: ${r.error}`);
  else if (r.outcome === 'up-to-date') lines.push(`up to date ${name}: all ${fmt(r.records_total)} records were imported before`);
  else {
    const parts = [`${fmt(r.records_new)} new records`, `${fmt(r.points_new)} points`];
    if (r.artifacts_new > 0) parts.push(`${fmt(r.artifacts_new)} artifacts`);
    lines.push(`imported  ${name}: ${parts.join(', ')}; status ${r.status ?? '?'}`);
  }
  if (r.problem) {
    lines.push(
      r.problem.kind === 'torn'
        ? `          torn record: ${r.problem.message}; imported the ${fmt(r.problem.record)} records before it`
        : `          DAMAGED: ${r.problem.message}; imported the ${fmt(r.problem.record)} records before it`,
    );
  }
  return lines.join('\n');
}

export function syncFailed(report: SpoolSyncReport): boolean {
  return report.runs.some((r) => r.outcome === 'failed' || r.problem?.kind === 'corrupt');
}

export async function syncCommand(argv: string[], dataDir: string, io: CliIo): Promise<number> {
  const p = parseArgs(argv, { strings: ['data'], booleans: ['json'] });
  if (p.flags.help) {
    io.out(SYNC_HELP);
    return 0;
  }
  if (p.positionals.length !== 1) throw new UsageError(`give exactly one PATH\n${SYNC_HELP}`);
  const spool = path.resolve(p.positionals[0]);
  const conn = await connect(dataDir);
  try {
    const report = await conn.client['spool.sync']({ path: spool });
    if (p.flags.json === true) io.out(JSON.stringify(report, null, 2));
    else {
      for (const r of report.runs) io.out(describeRun(r));
      const imported = report.runs.filter((r) => r.outcome === 'imported').length;
      io.out(`${report.runs.length} spooled run${report.runs.length === 1 ? '' : 's'}: ${imported} with new data, ${report.runs.length - imported} without (${conn.via === 'server' ? 'through the running server' : 'store opened directly'})`);
    }
    return syncFailed(report) ? 1 : 0;
  } finally {
    await conn.close();
  }
}
