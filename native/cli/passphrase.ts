// Where the CLI gets the signing key's passphrase (BUNDLE.md §4.5): --passphrase-file, else
// RUNLEDGER_KEY_PASSPHRASE, else a prompt on the terminal with echo off. Without a terminal and
// without either, it says how to give one instead of hanging on stdin.
import fs from 'node:fs';
import readline from 'node:readline';
import { UsageError } from './args';

export async function promptHidden(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput(s: string): void; output: NodeJS.WritableStream };
  let asked = false;
  // Echo the question once, then nothing the user types.
  out._writeToOutput = (s: string): void => {
    if (!asked) {
      process.stderr.write(s);
      asked = true;
    }
  };
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    process.stderr.write('\n');
    rl.close();
  }
}

export interface PassphraseSource {
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Asked twice and compared (key creation). */
  confirm?: boolean;
  /** Tests and non-interactive callers: no prompt. */
  interactive?: boolean;
}

export async function readPassphrase(s: PassphraseSource): Promise<string> {
  if (s.file) {
    try {
      return fs.readFileSync(s.file, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new UsageError(`cannot read the passphrase file ${s.file}`);
    }
  }
  const env = (s.env ?? process.env).RUNLEDGER_KEY_PASSPHRASE;
  if (env !== undefined) return env;
  if (!(s.interactive ?? (process.stdin.isTTY && process.stderr.isTTY))) {
    throw new UsageError('the signing key needs a passphrase: give --passphrase-file FILE or set RUNLEDGER_KEY_PASSPHRASE (no terminal to ask on)');
  }
  const first = await promptHidden('Passphrase for the signing key: ');
  if (s.confirm) {
    const again = await promptHidden('Same passphrase again: ');
    if (again !== first) throw new UsageError('the passphrases differ');
  }
  return first;
}
