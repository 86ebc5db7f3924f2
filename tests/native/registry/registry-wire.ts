// Request builders for the registry conformance tests, over the real test server.
import { afterAll, beforeAll, expect } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { createExperiment, createRun, uniq } from '../mlflow-api/wire';

export async function createModel(srv: TestServer, name = uniq('model'), extra: Record<string, unknown> = {}): Promise<string> {
  const res = await srv.mlflow('POST', 'registered-models/create', { name, ...extra });
  expect(res.status, res.text).toBe(200);
  return name;
}

/** A run with a model's files under `model/` (MLmodel + weights), as log_model leaves them. */
export async function seedRun(srv: TestServer, experimentId?: string): Promise<string> {
  const exp = experimentId ?? (await createExperiment(srv));
  const runId = await createRun(srv, exp);
  for (const [file, body] of [['model/MLmodel', 'artifact_path: model\nflavors: {}\n'], ['model/weights.bin', 'w']]) {
    const put = await fetch(`${srv.origin}/api/2.0/mlflow-artifacts/artifacts/${exp}/${runId}/artifacts/${file}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${srv.token}` },
      body,
    });
    expect(put.status).toBe(200);
  }
  return runId;
}

export async function createVersion(srv: TestServer, name: string, source: string, extra: Record<string, unknown> = {}): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- wire JSON
  const res = await srv.mlflow('POST', 'model-versions/create', { name, source, ...extra });
  expect(res.status, res.text).toBe(200);
  return res.json.model_version;
}

export interface RegistryContext {
  srv: TestServer;
  exp: string;
  runId: string;
}

/** A real server for this test file, with an experiment and a run holding a model (set in beforeAll). */
export function registryServer(): RegistryContext {
  const t = {} as RegistryContext;
  beforeAll(async () => {
    t.srv = await startTestServer();
    t.exp = await createExperiment(t.srv);
    t.runId = await seedRun(t.srv, t.exp);
  });
  afterAll(async () => {
    await t.srv?.stop();
  });
  return t;
}
