import { createCore } from './native/core';
import fs from 'node:fs';
fs.rmSync('/tmp/rl4', { recursive: true, force: true });
const core = await createCore({ dataDir: '/tmp/rl4' });
const id = await core.runs.create({ experimentId: '0', userId: 'u', runName: 'r', startTime: 1, tags: [] });
const N = 100_000;
await core.writer.append(id, Array.from({ length: N }, (_, j) => ({ key: 'loss', step: j, timestamp: 1_764_000_000_000 + j, value: j === 5 ? -0 : j === 7 ? NaN : Math.cos(j) })));
await core.writer.append(id, [{ key: 'loss', step: 3, timestamp: 1_764_000_000_003, value: Math.cos(3) }]); // duplicate
for (const phase of ['hot', 'cold']) {
  if (phase === 'cold') { const run = await core.runs.update(id, { status: 'FINISHED', endTime: 2 }); await core.finalizeRun(run); }
  const times = [];
  let s;
  for (let i = 0; i < 10; i++) { const t = performance.now(); s = await core.metrics.series(id, 'loss'); times.push(performance.now() - t); }
  console.log(phase, s!.step.length, Object.is(s!.value[5], -0), Number.isNaN(s!.value[7]), s!.step[99999], s!.ts[1], times.map(x => x.toFixed(1)).join(' '));
}
await core.close();
