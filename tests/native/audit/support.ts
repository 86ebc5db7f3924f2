// Shared by the audit tests: a store with history of every kind, and the in-process CLI runner.
import type { Core } from '../../../native/core';

export { runCli } from '../../helpers/run-cli';

/** Mutations of every kind through the repositories (the same calls the MLflow routes make). */
export async function makeHistory(core: Core): Promise<{ experimentId: string; runIds: string[] }> {
  const experimentId = await core.experiments.create('credit-risk', undefined, [{ key: 'team', value: 'risk' }]);
  const runIds: string[] = [];
  for (const name of ['baseline', 'deep']) {
    const id = await core.runs.create({ experimentId, userId: 'alice', runName: name, startTime: 1_764_000_000_000, tags: [] });
    await core.runs.setTags(id, [{ key: 'priority', value: 'p0' }]);
    await core.runs.update(id, { status: 'FINISHED', endTime: 1_764_000_100_000 });
    runIds.push(id);
  }
  await core.runs.setTags(runIds[0], [{ key: 'mlflow.note.content', value: 'leaked labels?' }]);
  await core.runs.setLifecycle(runIds[0], 'deleted', 'alice', 'leaked test labels');
  await core.experiments.rename(experimentId, 'credit-risk-v2');
  return { experimentId, runIds };
}
