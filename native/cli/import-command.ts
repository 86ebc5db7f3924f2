// `runledger import PATH`: detects the format, imports through the running server when one owns the
// data dir (else in this process), shows progress on stderr and prints a summary.
// Exit codes: 0 everything imported (or already there), 4 imported what it could but skipped damaged
// records or failed runs, 1 nothing could be imported.
import fs from 'node:fs';
import path from 'node:path';
import type { ImportProgress, ImportSummary } from '../api/contract';
import { connect } from './connect';
import { parseArgs, stringFlag, UsageError } from './args';
import { formatTable } from './format-table';
import { processIo, type CliIo } from './io';
import { looksLikeBundle, looksLikeSpool } from '../importers/unsupported-importers';
import { bundleImportCommand } from './bundle-import-command';
import { syncCommand } from './sync-command';

export const IMPORT_HELP = `Usage: runledger import PATH [--experiment NAME] [--json] [--data DIR]

Imports run files other tools wrote. PATH is detected as one of:
  a folder of TensorBoard event files   one run per folder with events.out.tfevents.* files
                                        (torch's add_hparams <run>/<timestamp>/ folder joins its run)
  a PyTorch Lightning CSVLogger folder  version_N/ with metrics.csv and hparams.yaml (or a folder of them)
  an MLflow file store                  mlruns/ (or one experiment or run folder in it)
  a Runledger client spool              what 'runledger sync PATH' imports (it does the same here)
  a signed run bundle (.runbundle)       verified first; an untrusted signer is refused unless
                                        --trust [--principal NAME] (adds the key) or --unverified
                                        (quarantined, read-only); exit 3 when refused as untrusted
TensorBoard and Lightning runs go into experiment NAME (created if needed; default "Default");
MLflow runs keep their experiments. Importing the same files again creates nothing new.

Progress goes to stderr, the summary to stdout (--json: the summary as JSON).
Exit codes: 0 all imported or already there; 4 imported what it could, skipped damaged records
(each listed with file and byte offset); 1 nothing could be imported.`;

const POLL_MS = 150;
const PLAIN_EVERY_MS = 5000;

export const EXIT: Record<ImportSummary['outcome'], number> = { complete: 0, partial: 4, nothing: 1 };

export async function importCommand(argv: string[], dataDir: string, io: CliIo): Promise<number> {
  const p = parseArgs(argv, { strings: ['experiment', 'data', 'principal'], booleans: ['json', 'trust', 'unverified'] });
  if (p.flags.help) {
    io.out(IMPORT_HELP);
    return 0;
  }
  if (p.positionals.length !== 1) throw new UsageError(`give exactly one PATH to import\n\n${IMPORT_HELP}`);
  // Absolute: a server reading the files does not share this shell's working directory.
  const target = path.resolve(p.positionals[0]);
  if (!fs.existsSync(target)) {
    io.err(`runledger: ${target} does not exist`);
    return 1;
  }
  // The Python client's offline spool has its own, resumable importer.
  if (await looksLikeSpool(target)) return syncCommand([target, ...(p.flags.json ? ['--json'] : [])], dataDir, io);
  // A signed run bundle is verified first, fail closed (issue #6).
  if (await looksLikeBundle(target)) return bundleImportCommand(target, p, dataDir, io);
  if (p.flags.trust || p.flags.unverified || p.flags.principal) throw new UsageError('--trust, --unverified and --principal apply to .runbundle files only');
  const conn = await connect(dataDir);
  const bar = progressPrinter(io);
  let summary: ImportSummary;
  try {
    let progress = await conn.client['import.start']({ path: target, experiment: stringFlag(p, 'experiment') });
    while (progress.state === 'running') {
      bar.update(progress);
      await new Promise((r) => setTimeout(r, POLL_MS));
      progress = await conn.client['import.status']({ import_id: progress.import_id });
    }
    bar.done();
    if (progress.state === 'failed' || !progress.summary) {
      io.err(`runledger: the import failed: ${progress.error ?? 'no summary'}`);
      return 1;
    }
    summary = progress.summary;
  } finally {
    bar.done();
    await conn.close();
  }
  if (p.flags.json === true) io.out(JSON.stringify(summary, null, 2));
  else if (summary.outcome === 'nothing') io.err(`runledger: nothing imported: ${summary.message ?? 'no runs found'}${problemLines(summary)}`);
  else io.out(summaryText(summary, conn.via));
  return EXIT[summary.outcome];
}

const FORMAT_NAMES: Record<string, string> = { tensorboard: 'TensorBoard', 'lightning-csv': 'Lightning CSV', 'mlflow-dir': 'MLflow file store' };
const n = (x: number): string => x.toLocaleString('en-US');
const plural = (x: number, one: string, many = `${one}s`): string => `${n(x)} ${x === 1 ? one : many}`;

function problemLines(s: ImportSummary): string {
  return s.problems.map((m) => `\n  ${m}`).join('');
}

export function summaryText(s: ImportSummary, via: 'server' | 'store' = 'store'): string {
  const c = s.counts;
  const what = `${s.path} (${FORMAT_NAMES[s.format ?? ''] ?? s.format})`;
  const how = `in ${s.seconds.toFixed(1)} s${via === 'server' ? ', through the running server' : ''}`;
  const lines = [
    c.runs_imported === 0 && c.runs_already_there > 0
      ? `Nothing new in ${what}: ${plural(c.runs_already_there, 'run was', 'runs were')} imported before (${how})`
      : `Imported ${plural(c.runs_imported, 'run')} from ${what} ${how}`,
    `  runs       ${n(c.runs_imported)} imported, ${n(c.runs_already_there)} already there, ${n(c.runs_failed)} failed${c.experiments_created ? `; ${plural(c.experiments_created, 'experiment')} created` : ''}`,
    `  points     ${n(c.points)}${s.seconds > 0 && c.points > 0 ? ` (${n(Math.round(c.points / s.seconds))} points/s)` : ''}`,
    `  params     ${n(c.params)}, tags ${n(c.tags)}, artifacts ${n(c.artifacts)}${c.texts || c.histograms ? ` (${plural(c.texts, 'text')}, ${plural(c.histograms, 'histogram')})` : ''}`,
  ];
  for (const i of s.ignored) lines.push(`  not imported: ${n(i.count)} × ${i.what}`);
  if (c.damaged_records > 0) {
    lines.push(`  damaged    ${plural(c.damaged_records, 'record')} skipped, the rest of each file imported:`);
    for (const d of s.damaged) lines.push(`    ${d.file} at byte ${d.offset}: ${d.reason}`);
    if (s.damaged.length < c.damaged_records) lines.push(`    … and ${n(c.damaged_records - s.damaged.length)} more`);
  }
  for (const m of s.problems) lines.push(`  problem    ${m}`);
  if (s.runs.length > 0) {
    const rows = s.runs.map((r) => [r.run_id ?? '-', r.name, r.experiment, r.outcome, n(r.points)]);
    lines.push('', formatTable(['RUN ID', 'NAME', 'EXPERIMENT', 'OUTCOME', 'POINTS'], rows, 60));
  }
  return lines.join('\n');
}

/** One line rewritten in place on a terminal; plain lines (a new run, or every few seconds) otherwise. */
function progressPrinter(io: CliIo): { update(p: ImportProgress): void; done(): void } {
  const tty = io === processIo && process.stderr.isTTY === true;
  let lastRun: string | null = null;
  let lastPlain = Date.now();
  let shown = false;
  const line = (p: ImportProgress): string => {
    if (p.runs_total === 0) return `importing: reading ${p.path}…`;
    const pct = p.bytes_total > 0 ? ` ${Math.min(100, Math.floor((100 * p.bytes_done) / p.bytes_total))}%` : '';
    const run = p.run ? ` ${p.run}` : '';
    const damaged = p.damaged_records ? `, ${plural(p.damaged_records, 'damaged record')}` : '';
    return `importing run ${Math.min(p.runs_done + 1, Math.max(p.runs_total, 1))}/${p.runs_total}${run}${pct}: ${n(p.points)} points${damaged}`;
  };
  return {
    update(p) {
      if (tty) {
        const width = process.stderr.columns || 100;
        process.stderr.write(`\r\x1b[2K${line(p).slice(0, width - 1)}`);
        shown = true;
      } else if (p.run !== lastRun || Date.now() - lastPlain >= PLAIN_EVERY_MS) {
        if (p.run !== null || p.points > 0) io.err(line(p));
        lastRun = p.run;
        lastPlain = Date.now();
      }
    },
    done() {
      if (tty && shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
