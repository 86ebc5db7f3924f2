// `runledger trust add|list|revoke`: the trust store (allowed_signers + revoked_keys). Goes through
// the running server when one owns the data dir, so every change is an audit event in its log.
import fs from 'node:fs';
import type { TrustedKeyInfo } from '../api/contract';
import { connect } from './connect';
import { parseArgs, stringFlag, UsageError } from './args';
import { formatTable } from './format-table';
import type { CliIo } from './io';

export const TRUST_HELP = `Usage: runledger trust <command> [--data DIR]

  add FILE|LINE [--principal NAME]   trust keys: an allowed_signers file or line, or an OpenSSH .pub
                                     file or line (its principal: --principal, else its comment).
                                     Compare the fingerprint with its owner out of band first.
  list [--json]                      trusted keys, with revoked ones marked
  revoke FINGERPRINT                 refuse bundles signed by this key from now on (SHA256:…)`;

export async function trustCommand(argv: string[], dataDir: string, io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const p = parseArgs(rest, { strings: ['data', 'principal'], booleans: ['json'] });
  if (p.flags.help || sub === undefined || sub === '--help') {
    io.out(TRUST_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (!['add', 'list', 'revoke'].includes(sub)) throw new UsageError(`unknown trust command '${sub}'\n\n${TRUST_HELP}`);
  const conn = await connect(dataDir);
  try {
    let keys: TrustedKeyInfo[];
    if (sub === 'add') {
      if (p.positionals.length !== 1) throw new UsageError('give one FILE or quoted LINE to trust');
      const arg = p.positionals[0];
      const text = fs.existsSync(arg) && fs.statSync(arg).isFile() ? fs.readFileSync(arg, 'utf8') : arg;
      keys = await conn.client['trust.add']({ text, principal: stringFlag(p, 'principal') });
      if (keys.length === 0) {
        io.out('Nothing new: every key given is already trusted.');
        return 0;
      }
      io.out(`Trusted ${keys.length} key${keys.length === 1 ? '' : 's'}:`);
    } else if (sub === 'revoke') {
      if (p.positionals.length !== 1) throw new UsageError('give the FINGERPRINT (SHA256:…) to revoke');
      keys = await conn.client['trust.revoke']({ fingerprint: p.positionals[0] });
      io.out(`Revoked ${p.positionals[0]}: bundles signed by it are refused from now on.`);
    } else keys = await conn.client['trust.list']({});
    if (p.flags.json) io.out(JSON.stringify(keys, null, 2));
    else if (keys.length === 0) io.out('No trusted keys yet. Add one with: runledger trust add FILE');
    else {
      io.out(formatTable(['FINGERPRINT', 'PRINCIPALS', 'NAMESPACES', 'STATE'], keys.map((k) => [k.fingerprint, k.principals.join(','), k.namespaces?.join(',') ?? '*', k.revoked ? 'REVOKED' : k.own ? 'trusted (own key)' : 'trusted']), 60));
    }
    return 0;
  } finally {
    await conn.close();
  }
}
