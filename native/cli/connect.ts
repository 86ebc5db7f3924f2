// Every CLI command goes through the running server when one owns the data dir (DuckDB allows one
// read-write process per file), else opens the store in this process for the command's duration.
import { createApiClient, httpTransport, inProcess, type ApiClient } from '../api/api-client';
import { createHandlers } from '../api/handlers';
import { createCore } from '../core';
import { ensureDataDir } from '../config/data-dir';
import { readToken } from '../server/connection-token';
import { liveInstance } from '../server/running-instance';

export interface Connection {
  client: ApiClient;
  via: 'server' | 'store';
  close(): Promise<void>;
}

export async function connect(dataDir: string): Promise<Connection> {
  const owner = await liveInstance(dataDir);
  if (owner) {
    const token = readToken(dataDir);
    if (!token) throw new Error(`${dataDir} is served by process ${owner.pid}, but its token file is unreadable`);
    return { client: createApiClient(httpTransport(owner.url, token)), via: 'server', close: async () => undefined };
  }
  const core = await createCore({ dataDir: ensureDataDir(dataDir) });
  return { client: createApiClient(inProcess(createHandlers(core))), via: 'store', close: () => core.close() };
}
