// Everything Runledger knows about where a run came from, in the shape `runs show` and the
// `runs/get-provenance` endpoint return: environment snapshot, code state, datasets.
import type { Core } from '../core';
import type { RunProvenance } from '../api/contract';
import { loadCode, loadEnvironment } from './provenance-store';
import { loadDatasets } from './dataset-store';

export async function loadProvenance(core: Core, runId: string): Promise<RunProvenance> {
  const [environment, code, datasets] = await Promise.all([loadEnvironment(core.db, runId), loadCode(core.db, runId), loadDatasets(core, runId)]);
  return { environment, code, datasets };
}
