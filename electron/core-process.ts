// Forks the Node core (`runledger serve`) as an Electron utility process and waits for the one
// RUNLEDGER_READY line that says where it listens. The shell holds no core logic: everything the
// CLI can do lives in the core, and the window reaches it over HTTP like any browser.
import { utilityProcess } from 'electron';
import path from 'node:path';

export interface CoreEndpoint {
  url: string;
  port: number;
  token: string;
}

export interface CoreProcess {
  endpoint: CoreEndpoint;
  /** Asks the core to shut down (SIGTERM, so DuckDB closes cleanly); resolves once it exited. */
  stop(timeoutMs?: number): Promise<void>;
  /** Called when the core exits, expectedly or not. */
  onExit(listener: (code: number) => void): void;
}

/** The subset of Electron's UtilityProcess we use, so tests can pass a fake child. */
export interface CoreChild {
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
  kill(): boolean;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

export type ForkCore = (modulePath: string, args: string[]) => CoreChild;

const READY_PREFIX = 'RUNLEDGER_READY ';

/** Parses the ready line; tolerant of output glued in front of it, strict about the payload. */
export function parseReadyLine(line: string): CoreEndpoint | null {
  const at = line.indexOf(READY_PREFIX);
  if (at < 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(at + READY_PREFIX.length));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { url, port, token } = value as Record<string, unknown>;
  if (typeof url !== 'string' || typeof token !== 'string' || token === '') return null;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  } catch {
    return null;
  }
  return { url, port, token };
}

/** Splits a byte stream into lines however the chunks fall, UTF-8 sequences included. */
export class LineSplitter {
  private readonly decoder = new TextDecoder();
  private pending = '';

  push(chunk: Uint8Array | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    // A runaway line without newline must not grow memory forever.
    if (this.pending.length > 1 << 20) this.pending = this.pending.slice(-(1 << 16));
    return lines.map(stripCr);
  }

  /** The unterminated rest, e.g. a last message written without a newline. */
  flush(): string[] {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    return rest ? [stripCr(rest)] : [];
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Only `--data DIR` / `--data=DIR` from the app's own argv is passed on to the core. */
export function coreArgs(argv: readonly string[]): string[] {
  const args = ['serve', '--port', '0', '--ready-json'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--data' && i + 1 < argv.length) args.push('--data', argv[++i]);
    else if (arg.startsWith('--data=')) args.push('--data', arg.slice('--data='.length));
  }
  return args;
}

export function coreEntry(appRoot: string): string {
  return path.join(appRoot, 'bin', 'runledger.mjs');
}

export class CoreStartError extends Error {
  constructor(message: string, readonly stderr: string) {
    super(stderr.trim() ? `${message}\n\n${stderr.trim()}` : message);
    this.name = 'CoreStartError';
  }
}

const defaultFork: ForkCore = (modulePath, args) =>
  utilityProcess.fork(modulePath, args, { stdio: 'pipe', serviceName: 'Runledger core' });

export interface StartCoreOptions {
  entry: string;
  args: string[];
  timeoutMs?: number;
  fork?: ForkCore;
  /** Where the core's own output goes (the ready line, which holds the token, is never echoed). */
  echo?: (stream: 'stdout' | 'stderr', line: string) => void;
}

export function startCore(options: StartCoreOptions): Promise<CoreProcess> {
  const fork = options.fork ?? defaultFork;
  const echo = options.echo ?? ((stream, line) => process[stream].write(`${line}\n`));
  const child = fork(options.entry, options.args);
  const exitListeners: ((code: number) => void)[] = [];
  let exitCode: number | null = null;
  let stderrTail = '';

  const stop = (timeoutMs = 5000) =>
    new Promise<void>((resolve) => {
      if (exitCode !== null) return resolve();
      const timer = setTimeout(resolve, timeoutMs); // never let a stuck core block quitting
      exitListeners.push(() => {
        clearTimeout(timer);
        resolve();
      });
      child.kill();
    });

  return new Promise<CoreProcess>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (exitCode === null) child.kill();
      reject(error);
    };
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timer = setTimeout(
      () => fail(new CoreStartError(`The core did not report ready within ${timeoutMs / 1000} s.`, stderrTail)),
      timeoutMs,
    );

    const stdout = new LineSplitter();
    child.stdout?.on('data', (chunk: Uint8Array | string) => {
      for (const line of stdout.push(chunk)) {
        const endpoint = settled ? null : parseReadyLine(line);
        if (!endpoint) {
          echo('stdout', line);
          continue;
        }
        settled = true;
        clearTimeout(timer);
        resolve({ endpoint, stop, onExit: (listener) => exitListeners.push(listener) });
      }
    });
    const stderr = new LineSplitter();
    const onStderrLines = (lines: string[]) => {
      for (const line of lines) {
        echo('stderr', line);
        stderrTail = `${stderrTail}${line}\n`.slice(-4000);
      }
    };
    let stderrEnded = child.stderr === null;
    child.stderr?.on('data', (chunk: Uint8Array | string) => onStderrLines(stderr.push(chunk)));
    child.stderr?.on('end', () => {
      stderrEnded = true;
      onStderrLines(stderr.flush());
    });
    child.on('exit', (code) => {
      exitCode = code;
      for (const listener of exitListeners.splice(0)) listener(code);
      // The exit can overtake the last stderr bytes, which say why (e.g. "data dir owned by pid N").
      const report = () => {
        onStderrLines(stderr.flush());
        fail(new CoreStartError(`The core exited with code ${code} before it was ready.`, stderrTail));
      };
      if (stderrEnded) report();
      else {
        child.stderr?.on('end', report);
        setTimeout(report, 250);
      }
    });
  });
}
