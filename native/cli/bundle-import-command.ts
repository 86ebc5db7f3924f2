// `runledger import FILE.runbundle [--trust [--principal NAME] | --unverified]`: verify first (fail
// closed), then import through the running server or the store opened here. Exit codes: 0 imported
// or already there; 3 valid but the signer is untrusted (nothing imported); 1 invalid or refused.
import { connect } from './connect';
import { UsageError, stringFlag, type ParsedArgs } from './args';
import type { CliIo } from './io';
import { reportText, runsText } from './bundle-report-text';

export async function bundleImportCommand(target: string, p: ParsedArgs, dataDir: string, io: CliIo): Promise<number> {
  if (p.flags.trust && p.flags.unverified) throw new UsageError('--trust and --unverified exclude each other');
  const mode = p.flags.trust ? 'trust' : p.flags.unverified ? 'unverified' : 'verified';
  const conn = await connect(dataDir);
  try {
    const r = await conn.client['bundle.import']({ path: target, mode, principal: stringFlag(p, 'principal') });
    if (p.flags.json) io.out(JSON.stringify(r, null, 2));
    else {
      io.err(reportText(r.report));
      if (r.outcome === 'refused') io.err(`runledger: not imported: ${r.message}`);
      else io.out(`${r.message}${r.trust_state === 'unverified' ? '\n  the runs are QUARANTINED: read-only, marked unverified' : '\n  imported runs are read-only'}\n${runsText(r.report)}`);
    }
    if (r.outcome !== 'refused') return 0;
    return r.report.valid && r.report.signer?.trust_state === 'untrusted' ? 3 : 1;
  } finally {
    await conn.close();
  }
}
