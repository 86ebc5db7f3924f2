// The experiments.list RPC: every view, with run counts.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../native/core';
import { createHandlers } from '../../../native/api/handlers';
import { tempDir } from '../../helpers/test-server';

describe('experiments.list', () => {
  const dir = tempDir();
  let core: Core;
  beforeAll(async () => {
    core = await createCore({ dataDir: dir });
    const a = await core.experiments.create('alpha', undefined, []);
    const b = await core.experiments.create('beta', undefined, []);
    for (const name of ['r1', 'r2']) await core.runs.create({ experimentId: a, userId: 'u', runName: name, startTime: 1, tags: [] });
    await core.experiments.setLifecycle(b, 'deleted');
  });
  afterAll(async () => {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['active', ['Default:0', 'alpha:2']],
    ['deleted', ['beta:0']],
    ['all', ['Default:0', 'alpha:2', 'beta:0']],
  ] as const)('%s', async (view, want) => {
    const list = await createHandlers(core)['experiments.list']({ view });
    expect(list.map((e) => `${e.name}:${e.run_count}`)).toEqual(want);
  });
});
