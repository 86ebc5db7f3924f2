import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ utilityProcess: { fork: () => { throw new Error('tests pass their own fork'); } } }));

import {
  coreArgs,
  CoreStartError,
  LineSplitter,
  parseReadyLine,
  startCore,
  type CoreChild,
} from '../../electron/core-process';

const READY = 'RUNLEDGER_READY {"url":"http://127.0.0.1:41234/","port":41234,"token":"s3cret"}';

class FakeChild extends EventEmitter implements CoreChild {
  stdout = new PassThrough();
  stderr = new PassThrough();
  killed = false;
  kill = vi.fn(() => {
    this.killed = true;
    setImmediate(() => this.exit(0));
    return true;
  });
  exit(code: number) {
    this.stderr.end();
    this.emit('exit', code);
  }
}

function start(child: FakeChild, timeoutMs = 2000) {
  const echoed: string[] = [];
  const fork = vi.fn(() => child);
  const promise = startCore({
    entry: '/repo/bin/runledger.mjs',
    args: coreArgs([]),
    fork,
    timeoutMs,
    echo: (stream, line) => echoed.push(`${stream}: ${line}`),
  });
  return { promise, echoed, fork };
}

describe('parseReadyLine', () => {
  it.each([
    [READY, { url: 'http://127.0.0.1:41234/', port: 41234, token: 's3cret' }],
    [`warning: no newline before it ${READY}`, { url: 'http://127.0.0.1:41234/', port: 41234, token: 's3cret' }],
    ['RUNLEDGER_READY', null],
    ['RUNLEDGER_READY {not json', null],
    ['RUNLEDGER_READY null', null],
    ['RUNLEDGER_READY {"url":"http://127.0.0.1:1/","port":1}', null],
    ['RUNLEDGER_READY {"url":"http://127.0.0.1:1/","port":1,"token":""}', null],
    ['RUNLEDGER_READY {"url":"http://127.0.0.1:1/","port":"1","token":"t"}', null],
    ['RUNLEDGER_READY {"url":"http://127.0.0.1:1/","port":70000,"token":"t"}', null],
    ['RUNLEDGER_READY {"url":"file:///etc/passwd","port":1,"token":"t"}', null],
    ['RUNLEDGER_READY {"url":"not a url","port":1,"token":"t"}', null],
    ['listening on http://127.0.0.1:5917/', null],
  ])('%s', (line, expected) => {
    expect(parseReadyLine(line)).toEqual(expected);
  });
});

describe('LineSplitter', () => {
  it('joins lines split across chunks, CRLF included, and UTF-8 split mid-character', () => {
    const splitter = new LineSplitter();
    const bytes = Buffer.from('héllo\r\nwor');
    expect(splitter.push(bytes.subarray(0, 2))).toEqual([]); // "h" + half of "é"
    expect(splitter.push(bytes.subarray(2))).toEqual(['héllo']);
    expect(splitter.push('ld\npartial')).toEqual(['world']);
    expect(splitter.flush()).toEqual(['partial']);
  });
});

describe('coreArgs', () => {
  it('always serves on a free port with a ready line, and passes only --data on', () => {
    expect(coreArgs(['/electron', 'main.js'])).toEqual(['serve', '--port', '0', '--ready-json']);
    expect(coreArgs(['main.js', '--data', '/d', '--port', '80', '--data=/e', '--inspect'])).toEqual([
      'serve', '--port', '0', '--ready-json', '--data', '/d', '--data', '/e',
    ]);
  });
});

describe('startCore', () => {
  it('forks bin/runledger.mjs serve --port 0 --ready-json and resolves on the ready line', async () => {
    const child = new FakeChild();
    const { promise, echoed, fork } = start(child);
    child.stdout.write('Debugger attached.\nsome garbage {"url":1}\nRUNLEDGER_READY {"url":"http://127.0.0.1:41234/",');
    child.stdout.write('"port":41234,"tok');
    child.stdout.write('en":"s3cret"}\nafter ready\n');
    const core = await promise;
    expect(fork).toHaveBeenCalledWith('/repo/bin/runledger.mjs', ['serve', '--port', '0', '--ready-json']);
    expect(core.endpoint).toEqual({ url: 'http://127.0.0.1:41234/', port: 41234, token: 's3cret' });
    await new Promise((r) => setImmediate(r));
    // The ready line carries the token: never echoed; everything else is.
    expect(echoed).toEqual(['stdout: Debugger attached.', 'stdout: some garbage {"url":1}', 'stdout: after ready']);
  });

  it('rejects with the core stderr when it exits before ready (e.g. data dir owned elsewhere)', async () => {
    const child = new FakeChild();
    const { promise } = start(child);
    child.stderr.write('runledger: data dir /d is owned by pid 4242\n');
    child.stderr.write('(no newline at the end)');
    child.emit('exit', 3); // exit overtakes the stderr end on purpose
    setTimeout(() => child.stderr.end(), 20);
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoreStartError);
    expect((error as Error).message).toContain('exited with code 3');
    expect((error as Error).message).toContain('owned by pid 4242');
    expect((error as Error).message).toContain('(no newline at the end)');
  });

  it('times out and kills a core that never says ready', async () => {
    const child = new FakeChild();
    const { promise } = start(child, 50);
    child.stdout.write('starting…\n');
    await expect(promise).rejects.toThrow(/did not report ready/);
    expect(child.kill).toHaveBeenCalled();
  });

  it('stop() terminates the core and reports its exit; unexpected exits reach onExit', async () => {
    const child = new FakeChild();
    const { promise } = start(child);
    child.stdout.write(`${READY}\n`);
    const core = await promise;
    const exits: number[] = [];
    core.onExit((code) => exits.push(code));
    await core.stop();
    expect(child.kill).toHaveBeenCalledOnce();
    expect(exits).toEqual([0]);
    await core.stop(); // already gone: resolves at once, no second kill
    expect(child.kill).toHaveBeenCalledOnce();
  });

  it('stop() does not hang on a core that ignores the signal', async () => {
    const child = new FakeChild();
    child.kill = vi.fn(() => true);
    const { promise } = start(child);
    child.stdout.write(`${READY}\n`);
    const core = await promise;
    await core.stop(30);
    expect(child.kill).toHaveBeenCalled();
  });
});
