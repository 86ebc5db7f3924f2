// Secure by default: `serve` with no --host binds 127.0.0.1 only, the token file is 0600 in a
// private data dir, and the token is not copied into files other processes read.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { serve } from '../../../native/entry/serve';
import { startServer } from '../../../native/server/http-server';
import { tokenFile } from '../../../native/server/connection-token';
import { tempDir } from '../../helpers/test-server';

type Served = Awaited<ReturnType<typeof serve>>;
let served: Served;
let base: string;
let dataDir: string;

beforeAll(async () => {
  base = tempDir('runledger-defaults-');
  dataDir = path.join(base, 'data'); // does not exist yet: serve creates it
  const quiet = (): void => undefined;
  served = await serve({ dataDir, port: 0, out: quiet, err: quiet });
});
afterAll(async () => {
  await served?.stop();
  fs.rmSync(base, { recursive: true, force: true });
});

/** A non-loopback IPv4 address of this machine, if it has one. */
function externalIPv4(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 2000 });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

describe('server defaults', () => {
  it('serve without --host listens on 127.0.0.1 only', () => {
    const addr = served.server.server.address() as AddressInfo;
    expect(addr.address).toBe('127.0.0.1');
    expect(addr.family).toBe('IPv4');
    expect(served.server.host).toBe('127.0.0.1');
    expect(served.server.url).toBe(`http://127.0.0.1:${addr.port}/`);
  });

  it('startServer without a host also binds 127.0.0.1', async () => {
    const other = await startServer({ core: served.core, token: served.token, port: 0, uiDir: base, log: () => undefined });
    try {
      expect((other.server.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      await other.close();
    }
  });

  it.skipIf(!externalIPv4())('is not reachable on a non-loopback address of this machine', async () => {
    const port = (served.server.server.address() as AddressInfo).port;
    expect(await connects('127.0.0.1', port)).toBe(true);
    expect(await connects(externalIPv4()!, port)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('the token file is created 0600 in a 0700 data dir', () => {
    expect(fs.statSync(tokenFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dataDir).mode & 0o077).toBe(0);
    expect(fs.readFileSync(tokenFile(dataDir), 'utf8').trim()).toBe(served.token);
  });

  it('running-instance.json tells clients where the server is, not its token', () => {
    const text = fs.readFileSync(path.join(dataDir, 'running-instance.json'), 'utf8');
    expect(JSON.parse(text).port).toBe((served.server.server.address() as AddressInfo).port);
    expect(text).not.toContain(served.token);
  });

  it('the token in the file is the one the server accepts', async () => {
    const port = (served.server.server.address() as AddressInfo).port;
    const token = fs.readFileSync(tokenFile(dataDir), 'utf8').trim();
    const ok = await fetch(`http://127.0.0.1:${port}/version`, { headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    const refused = await fetch(`http://127.0.0.1:${port}/version`);
    expect(refused.status).toBe(401);
  });
});
