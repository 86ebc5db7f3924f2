import { createCore } from './native/core';
import fs from 'node:fs';
fs.rmSync('/tmp/rl3', { recursive: true, force: true });
const core = await createCore({ dataDir: '/tmp/rl3' });
const exp = await core.experiments.create('x', undefined, []);
const runs = [];
for (let i = 0; i < 10; i++) runs.push(await core.runs.create({ experimentId: exp, userId: 'u', runName: 'r' + i, startTime: 1, tags: [] }));
const t0 = performance.now();
for (let round = 0; round < 200; round++) {
  await Promise.all(runs.map((id) => core.writer.append(id, [{ key: 'single', step: round, timestamp: 5, value: round }])));
}
console.log('200 flushes of 10 points:', (performance.now() - t0).toFixed(0), 'ms');
const T = (globalThis as any).T as number[][]; const U = (globalThis as any).U as number[][];
const avg = (a: number[][], i: number) => (a.reduce((s, r) => s + r[i], 0) / a.length).toFixed(2);
console.log('begin', avg(T,0), 'append', avg(T,1), 'summaries', avg(T,2), 'commit', avg(T,3), '| insert-or-replace', avg(U,0), 'delete', avg(U,1));
await core.close();
