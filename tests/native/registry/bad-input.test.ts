// Every registry and logged-model endpoint, fed wrong types and junk: each answers an MLflow-style
// 4xx JSON error (or a 200 where the junk is harmless), never a 5xx that the client would retry.
import { describe, expect, it } from 'vitest';
import { registryRoutes } from '../../../native/mlflow/routes-registry';
import { loggedModelRoutes } from '../../../native/mlflow/routes-logged-models';
import { createModel, createVersion, registryServer } from './registry-wire';

const t = registryServer();

const JUNK: Record<string, unknown>[] = [
  {},
  { name: 7, version: { a: 1 }, source: [], key: 5, value: 6, alias: ['x'], stage: 3, archive_existing_versions: 'x' },
  { name: 'x'.repeat(2000), version: '99999999999999999999', filter: "name = 'a' or 1=1; DROP TABLE runs", order_by: [{}], max_results: -1, page_token: 'eyJvZmZzZXQiOiAtMX0=' },
  { name: 'model', version: '1', tags: [{ key: null }], stages: [5], description: 9, experiment_id: 3, params: 'x', status: 'BOGUS', model_id: 'm-../../etc' },
  { name: 'model', version: '1', tags: 'not-a-list', order_by: 'name', filter: "tags.`x` = 'y' and name IN ('a'", experiment_ids: [{}], datasets: [1] },
];

describe('registry endpoints never answer 5xx to bad input', () => {
  it('every route × every junk body', async () => {
    const name = await createModel(t.srv, 'model');
    await createVersion(t.srv, name, `runs:/${t.runId}/model`);
    const routes = [...Object.keys(registryRoutes), ...Object.keys(loggedModelRoutes)];
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const [method, path] = route.split(' ');
      for (const idPart of ['m-00000000000000000000000000000000', '..%2F..', '%E0%A4%A']) {
        const concrete = path.replace('{model_id}', idPart).replace('{tag_key}', 'k%20');
        for (const body of JUNK) {
          const res = await t.srv.mlflow(method, concrete, body);
          expect(res.status, `${route} ${JSON.stringify(body).slice(0, 80)} → ${res.text.slice(0, 200)}`).toBeLessThan(500);
          if (res.status !== 200) expect(res.json?.error_code, `${route}: ${res.text.slice(0, 200)}`).toMatch(/^[A-Z_]+$/);
        }
        if (!path.includes('{')) break;
      }
    }
  }, 120_000);
});
