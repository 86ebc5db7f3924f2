// `runledger export [--model NAME/VERSION]... RUN... -o FILE.runbundle [--folder]`: signs with this
// workstation's key and writes a bundle through the running server (or the store opened here), with
// progress on stderr.
import path from 'node:path';
import type { BundleExportJob, BundleModelRef } from '../api/contract';
import { loadSigner, readKeyFile } from '../keys';
import { connect } from './connect';
import { parseArgs, shortOutputFlag, stringFlag, UsageError } from './args';
import { processIo, type CliIo } from './io';
import { readPassphrase } from './passphrase';

export const EXPORT_HELP = `Usage: runledger export [RUN...] [--model NAME/VERSION | --model NAME@ALIAS]... -o FILE.runbundle
                        [--folder] [--passphrase-file FILE] [--fixed-clock ISO] [--data DIR]

Writes the runs (ids or unique names) as a signed run bundle: params, metrics (Parquet), summary,
artifacts, code state, environment, datasets, a readable summary.md with charts, an in-toto/SLSA
provenance Statement per run, signed with this workstation's key (runledger keys init) three ways:
SSHSIG, raw Ed25519 and DSSE. --folder writes the same tree as a folder. Auditors verify it with
sha256sum, ssh-keygen and openssl alone (docs/auditing.md). The key's passphrase is asked for
unless --passphrase-file or RUNLEDGER_KEY_PASSPHRASE gives it. Each export is an audit event, and
the bundle carries the runs' audit events with proofs and a signed checkpoint (data/audit/).
--model (repeatable) adds a registered model version with its source run: the registry record
(registered model, version, stage, tags, aliases, MLflow 3 logged model) and the model's own files,
under the run's models/ folder, hashed and signed like everything else. 'runledger import' on
another workstation recreates it as a new version there, tagged runledger.origin_version.
--fixed-clock 2026-01-01T00:00:00Z makes the output byte-identical across exports of the same runs;
it leaves the audit section out (that section records the export itself).`;

/** `--model` may repeat, which parseArgs does not do: take those out first. */
function takeModelFlags(argv: readonly string[]): { rest: string[]; models: BundleModelRef[] } {
  const rest: string[] = [];
  const models: BundleModelRef[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a !== '--model' && !a.startsWith('--model=')) {
      rest.push(a);
      continue;
    }
    const spec = a === '--model' ? argv[++i] : a.slice('--model='.length);
    if (spec === undefined) throw new UsageError('--model needs NAME/VERSION or NAME@ALIAS');
    models.push(parseModelSpec(spec));
  }
  return { rest, models };
}

/** NAME/VERSION or NAME@ALIAS, split at the last separator (a model name may hold either). */
function parseModelSpec(spec: string): BundleModelRef {
  const byVersion = /^(.+)\/(\d+)$/.exec(spec);
  if (byVersion) return { name: byVersion[1], version: Number(byVersion[2]) };
  const byAlias = /^(.+)@([\w-]+)$/.exec(spec);
  if (byAlias) return { name: byAlias[1], alias: byAlias[2] };
  throw new UsageError(`--model wants NAME/VERSION or NAME@ALIAS, got '${spec}'`);
}

const POLL_MS = 150;

export async function exportCommand(argv: string[], dataDir: string, io: CliIo): Promise<number> {
  const { rest, models } = takeModelFlags(shortOutputFlag(argv));
  const p = parseArgs(rest, { strings: ['data', 'output', 'passphrase-file', 'fixed-clock'], booleans: ['folder', 'json'] });
  if (p.flags.help) {
    io.out(EXPORT_HELP);
    return 0;
  }
  const out = stringFlag(p, 'output');
  if (!out || (p.positionals.length === 0 && models.length === 0)) throw new UsageError(`give at least one RUN or --model, and -o FILE.runbundle\n\n${EXPORT_HELP}`);
  const key = readKeyFile(dataDir);
  const passphrase = key.protection === 'none' ? undefined : await readPassphrase({ file: stringFlag(p, 'passphrase-file') });
  // Unlock here first: a wrong passphrase is said at once, before any store is opened.
  loadSigner(dataDir, passphrase ?? null);
  const clock = stringFlag(p, 'fixed-clock');
  if (clock !== undefined && Number.isNaN(Date.parse(clock))) throw new UsageError(`--fixed-clock needs an ISO time such as 2026-01-01T00:00:00Z, got '${clock}'`);
  const conn = await connect(dataDir);
  const bar = progressBar(io);
  try {
    const runs: string[] = [];
    for (const ref of p.positionals) runs.push((await conn.client['runs.get']({ run: ref })).run_id);
    let job: BundleExportJob = await conn.client['bundle.exportStart']({
      runs, models, output: path.resolve(out), folder: p.flags.folder === true, passphrase, fixed_clock: clock ? Date.parse(clock) : undefined,
    });
    while (job.state === 'running') {
      bar(job);
      await new Promise((r) => setTimeout(r, POLL_MS));
      job = await conn.client['bundle.exportStatus']({ job_id: job.job_id });
    }
    bar(null);
    if (job.state === 'failed' || !job.result) {
      io.err(`runledger: export failed: ${job.error ?? 'unknown error'}`);
      return 1;
    }
    const r = job.result;
    if (p.flags.json) io.out(JSON.stringify(r, null, 2));
    else io.out(`Exported ${r.run_ids.length} run${r.run_ids.length === 1 ? '' : 's'}${r.models.map((m) => `, model ${m.name} version ${m.version}`).join('')} to ${r.path}\n  ${r.files} files, ${r.bytes.toLocaleString('en-US')} bytes, signed by ${key.principal} (${key.fingerprint})\n  bundle digest ${r.digest}`);
    return 0;
  } finally {
    bar(null);
    await conn.close();
  }
}

/** A bar rewritten in place on a terminal; a line per phase otherwise. Pass null to clear. */
function progressBar(io: CliIo): (job: BundleExportJob | null) => void {
  const tty = io === processIo && process.stderr.isTTY === true;
  let lastPhase = '';
  let shown = false;
  const names = { collect: 'hashing', write: 'writing', verify: 'verifying', done: 'done' } as const;
  return (job) => {
    if (!job) {
      if (tty && shown) process.stderr.write('\r\x1b[2K');
      shown = false;
      return;
    }
    const pct = job.bytes_total > 0 ? Math.min(100, Math.floor((100 * job.bytes_done) / job.bytes_total)) : 0;
    if (tty) {
      const width = 30;
      const fill = Math.round((pct / 100) * width);
      process.stderr.write(`\r\x1b[2K${names[job.phase].padEnd(9)} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct}%  ${(job.bytes_done / 1e6).toFixed(1)}/${(job.bytes_total / 1e6).toFixed(1)} MB`);
      shown = true;
    } else if (job.phase !== lastPhase) {
      io.err(`export: ${names[job.phase]}…`);
      lastPhase = job.phase;
    }
  };
}
