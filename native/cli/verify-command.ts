// `runledger verify FILE [--json]` and `runledger open FILE`: verification needs only the bundle and
// the trust store (files), not the run store, so both run in this process even while a server owns
// the data dir. `open` is the read-only browse: the report, then the runs and model versions inside.
import fs from 'node:fs';
import path from 'node:path';
import { TrustStore } from '../keys';
import { verifyBundle } from '../bundle/verify-bundle';
import { publicReport } from '../bundle/bundle-handlers';
import { parseArgs, stringFlag, UsageError } from './args';
import type { CliIo } from './io';
import { modelsText, reportExitCode, reportText, runsText } from './bundle-report-text';

export const VERIFY_HELP = `Usage: runledger verify FILE.runbundle [--json] [--data DIR]
       runledger open FILE.runbundle [--json] [--data DIR]

verify runs every check of the bundle format in order (container, signature, manifests, payload
digests, provenance Statements, metadata) and prints each, the signer and its trust state.
open also lists the runs and model versions inside (read-only; nothing is imported: use
'runledger import FILE').
A bundle folder written by 'export --folder' verifies the same way.
Exit codes: 0 valid and signed by a trusted key; 3 valid but the signer is not trusted;
1 invalid (the error code, E_…, says which check failed).`;

export async function verifyCommand(argv: string[], dataDir: string, io: CliIo, mode: 'verify' | 'open'): Promise<number> {
  const p = parseArgs(argv, { strings: ['data', 'max-bytes'], booleans: ['json'] });
  if (p.flags.help) {
    io.out(VERIFY_HELP);
    return 0;
  }
  if (p.positionals.length !== 1) throw new UsageError(`give exactly one bundle\n\n${VERIFY_HELP}`);
  if (!fs.existsSync(p.positionals[0])) {
    io.err(`runledger: ${path.resolve(p.positionals[0])} does not exist`);
    return 1;
  }
  const maxBytes = stringFlag(p, 'max-bytes');
  const report = publicReport((await verifyBundle(path.resolve(p.positionals[0]), { trust: new TrustStore(dataDir), maxBytes: maxBytes ? Number(maxBytes) : undefined })) as never);
  if (p.flags.json) io.out(JSON.stringify(report, null, 2));
  else {
    io.out(reportText(report));
    if (mode === 'open' && report.valid) {
      io.out(`\n${runsText(report)}`);
      if (report.models?.length) io.out(`\nModel versions (imported as new versions, tagged with these numbers):\n${modelsText(report)}`);
      io.out(`\nTo import: runledger import ${p.positionals[0]}${report.signer?.trust_state === 'trusted' ? '' : ' --trust (after checking the fingerprint) or --unverified'}`);
    }
  }
  return reportExitCode(report);
}
