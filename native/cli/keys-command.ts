// `runledger keys init|show|export-identity`: the workstation signing key (native/keys). Works on
// the data dir's key file directly: no store needed, so it works while a server runs.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SCRYPT, KeyError, TrustStore, identityOf, initKey, parseOpenSshLine, readKeyFile, type ScryptParams } from '../keys';
import { SSH_NAMESPACE } from '../bundle/bundle-constants';
import { parseArgs, shortOutputFlag, stringFlag, UsageError } from './args';
import type { CliIo } from './io';
import { readPassphrase } from './passphrase';

export const KEYS_HELP = `Usage: runledger keys <command> [--data DIR]

  init [--principal alice@lab.example] [--no-passphrase] [--passphrase-file FILE]
        create this workstation's Ed25519 signing key (keys/signing-key.json, mode 0600; the seed is
        wrapped with scrypt N=2^17,r=8,p=1 + AES-256-GCM under the passphrase). Your own key is
        trusted in this data dir from then on. The passphrase is asked for unless --no-passphrase,
        --passphrase-file or RUNLEDGER_KEY_PASSPHRASE gives it.
  show [--json]
        the fingerprint, exactly as 'ssh-keygen -lf' prints it, and the principal
  export-identity [-o DIR]
        write <principal>.pub (OpenSSH), <principal>.pub.pem (SPKI, for openssl) and
        <principal>.allowed_signers (the line a lab admin adds to the lab's allowed_signers)`;

export async function keysCommand(argv: string[], dataDir: string, io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const p = parseArgs(shortOutputFlag(rest), { strings: ['data', 'principal', 'passphrase-file', 'output', 'scrypt-n'], booleans: ['no-passphrase', 'json'] });
  if (p.flags.help || sub === undefined || sub === '--help') {
    io.out(KEYS_HELP);
    return sub === undefined ? 2 : 0;
  }
  try {
    switch (sub) {
      case 'init': {
        const passphrase = p.flags['no-passphrase'] === true ? null : await readPassphrase({ file: stringFlag(p, 'passphrase-file'), confirm: true });
        // --scrypt-n: tests only (2^17 costs 128 MiB and a few hundred ms per unlock); recorded in the file.
        const n = stringFlag(p, 'scrypt-n');
        const scrypt: ScryptParams = n ? { ...DEFAULT_SCRYPT, N: Number(n) } : DEFAULT_SCRYPT;
        if (!Number.isInteger(scrypt.N) || scrypt.N < 2 || (scrypt.N & (scrypt.N - 1)) !== 0) throw new UsageError('--scrypt-n must be a power of two');
        const k = initKey(dataDir, { principal: stringFlag(p, 'principal'), passphrase, scrypt });
        const id = identityOf(parseOpenSshLine(k.public_key)!.blob, k.principal, SSH_NAMESPACE);
        new TrustStore(dataDir).add(id.allowedSigners, 'keys init');
        io.out(`Created the signing key for ${k.principal}\n  fingerprint ${k.fingerprint}\n  ${passphrase === null ? 'stored WITHOUT a passphrase (file mode 0600)' : 'protected by your passphrase (scrypt + AES-256-GCM)'}\n  trusted in ${dataDir} from now on`);
        return 0;
      }
      case 'show': {
        const k = readKeyFile(dataDir);
        if (p.flags.json) io.out(JSON.stringify({ fingerprint: k.fingerprint, principal: k.principal, public_key: k.public_key, protection: k.protection, created_at: k.created_at, scrypt: k.kdf }, null, 2));
        else io.out(`256 ${k.fingerprint} ${k.principal} (ED25519)`);
        return 0;
      }
      case 'export-identity': {
        const k = readKeyFile(dataDir);
        const dir = path.resolve(stringFlag(p, 'output') ?? '.');
        fs.mkdirSync(dir, { recursive: true });
        const id = identityOf(parseOpenSshLine(k.public_key)!.blob, k.principal, SSH_NAMESPACE);
        const base = path.join(dir, k.principal);
        fs.writeFileSync(`${base}.pub`, `${id.openssh}\n`);
        fs.writeFileSync(`${base}.pub.pem`, id.pem);
        fs.writeFileSync(`${base}.allowed_signers`, `${id.allowedSigners}\n`);
        io.out(`Fingerprint (read it out, or compare on paper):\n\n    ${k.fingerprint}\n\nWrote ${base}.pub, ${base}.pub.pem and ${base}.allowed_signers\nallowed_signers line:\n${id.allowedSigners}`);
        return 0;
      }
      default:
        throw new UsageError(`unknown keys command '${sub}'\n\n${KEYS_HELP}`);
    }
  } catch (err) {
    if (err instanceof KeyError) {
      io.err(`runledger: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
