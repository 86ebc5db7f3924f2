// Runledger's extension endpoints under `/api/2.0/runledger/`: provenance in structured form for the
// Python client. Same conventions as the MLflow routes (JSON bodies, `{error_code, message}` errors,
// 400/404 for client mistakes), and served behind the same Host/Origin/token checks.
import { invalidParam } from '../mlflow/errors';
import { runIdOf } from '../mlflow/request-fields';
import type { MlflowRoutes } from '../mlflow/route-types';
import { RUN_ID_PATTERN } from '../store/ids';
import { decodeProvenance } from './env-snapshot';
import { saveProvenance } from './provenance-store';
import { decodeDatasetInput, logDataset } from './dataset-store';
import { loadProvenance } from './run-provenance';
import type { Fields } from '../mlflow/request-fields';

export const RUNLEDGER_PREFIX = '/api/2.0/runledger/';

function runId(input: Fields): string {
  const id = runIdOf(input);
  if (!RUN_ID_PATTERN.test(id)) throw invalidParam(`Invalid run ID: '${id}'`);
  return id;
}

/** Keyed `"METHOD path"` relative to `/api/2.0/runledger/`, like the MLflow route table. */
export const provenanceRoutes: MlflowRoutes = {
  /** Environment snapshot and/or code state; replaces what the run had. The git diff travels as an artifact. */
  async 'POST runs/log-provenance'(input, { core }) {
    const id = runId(input);
    const { environment, code } = decodeProvenance(input);
    await core.runs.assertWritable(id);
    await saveProvenance(core.db, id, environment, code);
    core.events.emit('runs.changed', [id]);
    return { provenance: await loadProvenance(core, id) };
  },

  /** A dataset fingerprint (and the client's profile, used when the server cannot read the file). */
  async 'POST runs/log-dataset'(input, { core }) {
    const id = runId(input);
    const dataset = await logDataset(core, id, decodeDatasetInput(input));
    core.events.emit('runs.changed', [id]);
    return { dataset };
  },

  async 'GET runs/get-provenance'(input, { core }) {
    const id = runId(input);
    await core.runs.mustGet(id);
    return { provenance: await loadProvenance(core, id) };
  },
};
