// A real core seeded with N runs (bench/seed-ui-runs.ts) behind the in-process transport, for the
// runs table's component tests: the table talks to the real runs.page/runs.keys handlers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedUiRuns } from '../../bench/seed-ui-runs';
import { createCore, type Core } from '../../native/core';
import { createHandlers } from '../../native/api/handlers';
import type { ApiName } from '../../native/api/contract';
import { createApiClient, type ApiClient } from '../../renderer/api/api-client';
import { inProcessTransport } from '../../renderer/api/in-process-transport';

export interface SeededStore {
  core: Core;
  client: ApiClient;
  /** RPC names called so far, in order. */
  calls: ApiName[];
  close(): Promise<void>;
}

export async function seededStore(runs: number): Promise<SeededStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-table-'));
  await seedUiRuns(dir, runs);
  const core = await createCore({ dataDir: dir });
  const transport = inProcessTransport(createHandlers(core));
  const calls: ApiName[] = [];
  const client = createApiClient((name, args, options) => {
    calls.push(name);
    return transport(name, args, options);
  });
  return {
    core,
    client,
    calls,
    async close() {
      await core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** jsdom has no layout: give the table's scroller a viewport height and a writable scrollTop. */
export function fakeViewport(height: number): () => void {
  const proto = HTMLElement.prototype;
  const original = Object.getOwnPropertyDescriptor(proto, 'clientHeight');
  Object.defineProperty(proto, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('runs-scroll') ? height : 0;
    },
  });
  return () => {
    if (original) Object.defineProperty(proto, 'clientHeight', original);
  };
}
