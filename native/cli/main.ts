// `runledger` command line. Each command is a function returning an exit code; errors a user can
// act on are printed as one clear message, never a stack trace.
import { resolveDataDir } from '../config/data-dir';
import { MlflowError } from '../mlflow/errors';
import { VERSION } from '../version';
import { parseArgs, intFlag, stringFlag, UsageError } from './args';
import { processIo, type CliIo } from './io';
import { runsCommand, RUNS_HELP } from './runs-command';
import { importCommand } from './import-command';
import { registryCommand } from './registry-command';
import { queryCommand } from './query-command';
import { syncCommand, SYNC_HELP } from './sync-command';
import { keysCommand } from './keys-command';
import { trustCommand } from './trust-command';
import { exportCommand, EXPORT_HELP } from './export-command';
import { verifyCommand, VERIFY_HELP } from './verify-command';
import { KeyError, TrustError } from '../keys';
import { auditCommand, AUDIT_HELP } from './audit-command';
import { serve, ServeError } from '../entry/serve';
import { liveInstance } from '../server/running-instance';
import { readToken } from '../server/connection-token';

export const HELP = `Runledger ${VERSION}: an offline experiment tracker with an MLflow-compatible ingest endpoint.

Usage: runledger <command> [options]

Commands:
  serve [--port 5917] [--host 127.0.0.1] [--data DIR]   run the server (MLflow REST API + UI) and print its URL
  env [--data DIR]                                       print the shell lines that point MLflow clients here
  runs ls|show|delete|restore ...                        list and inspect what was logged (runledger runs --help)
  query explain "QUERY" [--json]                         how a filter is read: formal query, meaning, problems
  import PATH [--experiment NAME] [--json] [--data DIR]  import TensorBoard, Lightning CSV or MLflow mlruns files (runledger import --help)
  registry promote|rules|ls|show ...                     model registry: promote the best run's model by a rule (runledger registry --help)
  sync PATH [--data DIR]                                 import the Python client's offline spool (idempotent)
  keys init|show|export-identity                         this workstation's signing key (runledger keys --help)
  trust add|list|revoke                                  whose bundles you accept (runledger trust --help)
  export RUN... -o FILE.runbundle [--folder]             a signed run bundle for auditors and colleagues
  export --model NAME/VERSION -o FILE.runbundle          the same, with a registered model version and its run
  verify FILE [--json]                                   check a bundle: exit 0 valid+trusted, 3 untrusted signer, 1 invalid
  open FILE                                              browse a bundle read-only: verification report and runs
  audit verify|log [--run RUN] [--json]                  check the tamper-evident audit log; read who changed what (runledger audit --help)

Data lives in ~/.runledger unless RUNLEDGER_HOME or --data DIR says otherwise. Commands go through the
running server when one owns the data dir, else open the store themselves.`;

function dataFlagOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data') return argv[i + 1];
    if (argv[i].startsWith('--data=')) return argv[i].slice('--data='.length);
  }
  return undefined;
}

async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parseArgs(argv, { strings: ['port', 'host', 'data', 'interrupt-after', 'max-artifact-bytes'], booleans: ['ready-json'] });
  if (p.flags.help) {
    io.out(
      'Usage: runledger serve [--port 5917] [--host 127.0.0.1] [--data DIR] [--interrupt-after SECONDS] [--max-artifact-bytes N]\n' +
        'Binds 127.0.0.1 unless --host says otherwise; every request except /health needs the token.\n' +
        '--interrupt-after: a RUNNING run silent this long is shown as interrupted (default 600).\n' +
        '--max-artifact-bytes: largest artifact upload accepted (default 5368709120, 5 GiB).',
    );
    return 0;
  }
  const host = stringFlag(p, 'host') ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    io.err(`warning: binding ${host} exposes the server beyond this machine; the token is the only protection.`);
  }
  const interrupt = intFlag(p, 'interrupt-after');
  // Signal handlers go in before the server announces itself: a supervisor may stop it right away.
  let stopRequested: NodeJS.Signals | null = null;
  let wake: () => void = () => undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    stopRequested = sig;
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const running = await serve({
      dataDir: resolveDataDir(stringFlag(p, 'data')),
      host,
      port: intFlag(p, 'port') ?? 5917,
      readyJson: p.flags['ready-json'] === true,
      interruptAfterMs: interrupt === undefined ? undefined : interrupt * 1000,
      maxArtifactBytes: intFlag(p, 'max-artifact-bytes'),
      out: io.out,
      err: io.err,
    });
    if (!stopRequested) await new Promise<void>((resolve) => (wake = resolve));
    io.err(`runledger: ${stopRequested}, flushing and closing the store…`);
    await running.stop();
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function envCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parseArgs(argv, { strings: ['data'] });
  const dataDir = resolveDataDir(stringFlag(p, 'data'));
  const owner = await liveInstance(dataDir);
  const token = readToken(dataDir);
  if (!token) {
    io.err(`No server has run on ${dataDir} yet, so it has no token. Start one with: runledger serve${stringFlag(p, 'data') ? ` --data ${dataDir}` : ''}`);
    return 1;
  }
  const uri = owner ? owner.url.replace(/\/$/, '') : 'http://127.0.0.1:5917';
  io.out(`export MLFLOW_TRACKING_URI=${uri}`);
  io.out(`export MLFLOW_TRACKING_TOKEN=${token}`);
  if (!owner) io.err(`# note: no server is running on ${dataDir} now; start it with 'runledger serve'.`);
  return 0;
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      case '--version':
      case 'version':
        io.out(VERSION);
        return 0;
      case 'serve':
        return await serveCommand(rest, io);
      case 'env':
        return await envCommand(rest, io);
      case 'sync':
        if (rest.length === 0) {
          io.out(SYNC_HELP);
          return 2;
        }
        return await syncCommand(rest, resolveDataDir(dataFlagOf(rest)), io);
      case 'runs':
        if (rest.length === 0 || rest[0] === '--help') {
          io.out(RUNS_HELP);
          return rest.length === 0 ? 2 : 0;
        }
        return await runsCommand(rest, resolveDataDir(dataFlagOf(rest)), io);
      case 'query':
        return await queryCommand(rest, resolveDataDir(dataFlagOf(rest)), io);
      case 'audit':
        if (rest.length === 0 || rest[0] === '--help') {
          io.out(AUDIT_HELP);
          return rest.length === 0 ? 2 : 0;
        }
        return await auditCommand(rest, resolveDataDir(dataFlagOf(rest)), io);
      case 'registry':
        return await registryCommand(rest, resolveDataDir(dataFlagOf(rest)), io);
      case 'import':
        return await importCommand(rest, resolveDataDir(dataFlagOf(rest)), io);
      case 'keys':
        return await keysCommand(rest, resolveDataDir(dataFlagOf(rest)), io);
      case 'trust':
        return await trustCommand(rest, resolveDataDir(dataFlagOf(rest)), io);
      case 'export':
        if (rest.length === 0) {
          io.out(EXPORT_HELP);
          return 2;
        }
        return await exportCommand(rest, resolveDataDir(dataFlagOf(rest)), io);
      case 'verify':
      case 'open':
        if (rest.length === 0) {
          io.out(VERIFY_HELP);
          return 2;
        }
        return await verifyCommand(rest, resolveDataDir(dataFlagOf(rest)), io, command);
      default:
        io.err(`runledger: unknown command '${command}'\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`runledger: ${err.message}`);
      return 2;
    }
    if (err instanceof ServeError) {
      io.err(`runledger: ${err.message}`);
      return 1;
    }
    if (err instanceof MlflowError || err instanceof KeyError || err instanceof TrustError) {
      io.err(`runledger: ${err.message}`);
      return 1;
    }
    io.err(`runledger: ${(err as Error)?.stack ?? String(err)}`);
    return 1;
  }
}
