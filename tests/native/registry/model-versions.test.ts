// MLflow model-version endpoints over real HTTP and a real DuckDB store: create (every source kind),
// get, update, delete, transition-stage (archive_existing_versions), search (filter, order_by,
// pagination), tags, get-download-uri; success and error paths.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectEmpty, expectError, expectInt64, expectSnakeCase, kv, missingMessage, uniq } from '../mlflow-api/wire';
import { createModel, createVersion, registryServer, seedRun } from './registry-wire';

const t = registryServer();

describe('model-versions/create', () => {
  it('numbers versions 1, 2, …; READY at once; stage None; the run and its artifact URI resolved', async () => {
    const name = await createModel(t.srv);
    const res = await t.srv.mlflow('POST', 'model-versions/create', {
      name,
      source: `runs:/${t.runId}/model`,
      run_id: t.runId,
      tags: [{ key: 'k', value: 'v' }],
      description: 'first cut',
      run_link: 'http://example/run',
    });
    expect(res.status, res.text).toBe(200);
    expectSnakeCase(res.json);
    const v = res.json.model_version;
    expect(v).toMatchObject({ name, version: '1', current_stage: 'None', status: 'READY', source: `runs:/${t.runId}/model`, run_id: t.runId, description: 'first cut', run_link: 'http://example/run' });
    expect(kv(v.tags)).toEqual({ k: 'v' });
    expectInt64(res, v, 'creation_timestamp');
    expectInt64(res, v, 'last_updated_timestamp');
    expect((await createVersion(t.srv, name, `runs:/${t.runId}/model`)).version).toBe('2');
    const uri = await t.srv.mlflow('GET', 'model-versions/get-download-uri', { name, version: '1' });
    expect(uri.json).toEqual({ artifact_uri: `mlflow-artifacts:/${t.exp}/${t.runId}/artifacts/model` });
    // The registered model's latest_versions and last_updated_timestamp follow.
    const m = (await t.srv.mlflow('GET', 'registered-models/get', { name })).json.registered_model;
    expect(m.latest_versions.map((x: { version: string }) => x.version)).toEqual(['2']);
  });

  it('takes mlflow-artifacts:/ and models:/<name>/<version> sources; the run defaults from runs:/', async () => {
    const name = await createModel(t.srv);
    const direct = await createVersion(t.srv, name, `mlflow-artifacts:/${t.exp}/${t.runId}/artifacts/model`, { run_id: t.runId });
    expect(direct.run_id).toBe(t.runId);
    const fromRuns = await createVersion(t.srv, name, `runs:/${t.runId}/model`);
    expect(fromRuns.run_id).toBe(t.runId);
    const copy = await createModel(t.srv);
    const chained = await createVersion(t.srv, copy, `models:/${name}/1`);
    expect(chained.source).toBe(`models:/${name}/1`);
    const uri = await t.srv.mlflow('GET', 'model-versions/get-download-uri', { name: copy, version: chained.version });
    expect(uri.json.artifact_uri).toBe(`mlflow-artifacts:/${t.exp}/${t.runId}/artifacts/model`);
  });

  it('errors: unknown model 404, missing source 400, local paths and relative references 400, unknown run 404', async () => {
    const name = await createModel(t.srv);
    expectError(await t.srv.mlflow('POST', 'model-versions/create', { name: 'ghost', source: `runs:/${t.runId}/model` }), 404, 'RESOURCE_DOES_NOT_EXIST', 'Registered Model with name=ghost not found');
    expectError(await t.srv.mlflow('POST', 'model-versions/create', { name }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('source'));
    expectError(await t.srv.mlflow('POST', 'model-versions/create', { name, source: '/etc/passwd' }), 400, 'INVALID_PARAMETER_VALUE', /Invalid model version source: '\/etc\/passwd'/);
    expectError(await t.srv.mlflow('POST', 'model-versions/create', { name, source: 'file:///tmp/model' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await t.srv.mlflow('POST', 'model-versions/create', { name, source: `mlflow-artifacts:/${t.exp}/../../etc` }), 400, 'INVALID_PARAMETER_VALUE', /relative path references/);
    expectError(await t.srv.mlflow('POST', 'model-versions/create', { name, source: 'runs:/no-such-run/model' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('POST', 'model-versions/create', { name, source: 'models:/ghost/1' }), 400, 'INVALID_PARAMETER_VALUE', /Unable to fetch model from model URI/);
    expectError(await t.srv.mlflow('POST', 'model-versions/create', { name, source: 'models:/m-0123', model_id: 'bogus' }), 400, 'INVALID_PARAMETER_VALUE');
    // Nothing was created by the failures.
    expect((await t.srv.mlflow('GET', 'registered-models/get', { name })).json.registered_model).not.toHaveProperty('latest_versions');
  });
});

describe('get, update, delete', () => {
  it('get errors: unknown version 404, non-integer version 400, missing version 400', async () => {
    const name = await createModel(t.srv);
    await createVersion(t.srv, name, `runs:/${t.runId}/model`);
    expectError(await t.srv.mlflow('GET', 'model-versions/get', { name, version: '7' }), 404, 'RESOURCE_DOES_NOT_EXIST', `Model Version (name=${name}, version=7) not found`);
    expectError(await t.srv.mlflow('GET', 'model-versions/get', { name, version: 'x' }), 400, 'INVALID_PARAMETER_VALUE', "Model version must be an integer, got 'x'");
    expectError(await t.srv.mlflow('GET', 'model-versions/get', { name }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('version'));
    expectError(await t.srv.mlflow('GET', 'model-versions/get-download-uri', { name, version: '7' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('update sets the description; delete hides the version and never reuses its number', async () => {
    const name = await createModel(t.srv);
    await createVersion(t.srv, name, `runs:/${t.runId}/model`);
    await createVersion(t.srv, name, `runs:/${t.runId}/model`);
    const upd = await t.srv.mlflow('PATCH', 'model-versions/update', { name, version: '1', description: 'checked' });
    expect(upd.status, upd.text).toBe(200);
    expect(upd.json.model_version.description).toBe('checked');
    await t.srv.mlflow('POST', 'registered-models/alias', { name, alias: 'best', version: '2' });
    expectEmpty(await t.srv.mlflow('DELETE', 'model-versions/delete', { name, version: '2' }));
    expectError(await t.srv.mlflow('GET', 'model-versions/get', { name, version: '2' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('DELETE', 'model-versions/delete', { name, version: '2' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('GET', 'registered-models/alias', { name, alias: 'best' }), 400, 'INVALID_PARAMETER_VALUE');
    expect((await createVersion(t.srv, name, `runs:/${t.runId}/model`)).version).toBe('3');
    expectError(await t.srv.mlflow('PATCH', 'model-versions/update', { name, version: '2', description: 'x' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('model-versions/transition-stage', () => {
  it('moves a version; archive_existing_versions archives the others in that stage only', async () => {
    const name = await createModel(t.srv);
    for (let i = 0; i < 3; i++) await createVersion(t.srv, name, `runs:/${t.runId}/model`);
    const t1 = await t.srv.mlflow('POST', 'model-versions/transition-stage', { name, version: '1', stage: 'production', archive_existing_versions: false });
    expect(t1.status, t1.text).toBe(200);
    expect(t1.json.model_version.current_stage).toBe('Production');
    await t.srv.mlflow('POST', 'model-versions/transition-stage', { name, version: '2', stage: 'Staging', archive_existing_versions: false });
    const t3 = await t.srv.mlflow('POST', 'model-versions/transition-stage', { name, version: '3', stage: 'Production', archive_existing_versions: true });
    expect(t3.json.model_version.current_stage).toBe('Production');
    const stages = async (v: string) => (await t.srv.mlflow('GET', 'model-versions/get', { name, version: v })).json.model_version.current_stage;
    expect(await stages('1')).toBe('Archived');
    expect(await stages('2')).toBe('Staging');
  });

  it('errors: bad stage, archiving from a non-active stage, missing flag, unknown version', async () => {
    const name = await createModel(t.srv);
    await createVersion(t.srv, name, `runs:/${t.runId}/model`);
    expectError(await t.srv.mlflow('POST', 'model-versions/transition-stage', { name, version: '1', stage: 'Live', archive_existing_versions: false }), 400, 'INVALID_PARAMETER_VALUE', /Invalid Model Version stage: Live/);
    expectError(
      await t.srv.mlflow('POST', 'model-versions/transition-stage', { name, version: '1', stage: 'Archived', archive_existing_versions: true }),
      400,
      'INVALID_PARAMETER_VALUE',
      "Model version transition cannot archive existing model versions because 'Archived' is not an Active stage. Valid stages are Staging, Production",
    );
    expectError(await t.srv.mlflow('POST', 'model-versions/transition-stage', { name, version: '1', stage: 'Staging' }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('archive_existing_versions'));
    expectError(await t.srv.mlflow('POST', 'model-versions/transition-stage', { name, version: '1', stage: 'Staging', archive_existing_versions: 'maybe' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await t.srv.mlflow('POST', 'model-versions/transition-stage', { name, version: '5', stage: 'Staging', archive_existing_versions: false }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('model-versions/search', () => {
  let a: string;
  let b: string;
  let otherRun: string;
  beforeAll(async () => {
    a = await createModel(t.srv, uniq('mvs-a'));
    b = await createModel(t.srv, uniq('mvs-b'));
    otherRun = await seedRun(t.srv, t.exp);
    for (let i = 0; i < 3; i++) await createVersion(t.srv, a, `runs:/${t.runId}/model`, { tags: [{ key: 'n', value: String(i + 1) }] });
    await createVersion(t.srv, b, `runs:/${otherRun}/model`);
  });

  it("filters by name, run_id (= and IN), version_number and tags; default order newest change first", async () => {
    const byName = await t.srv.mlflow('GET', 'model-versions/search', { filter: `name = '${a}'` });
    expect(byName.status, byName.text).toBe(200);
    expect(byName.json.model_versions.map((v: { version: string }) => v.version)).toEqual(['3', '2', '1']);
    const byRun = await t.srv.mlflow('GET', 'model-versions/search', { filter: `run_id = '${otherRun}'` });
    expect(byRun.json.model_versions.map((v: { name: string }) => v.name)).toEqual([b]);
    const inList = await t.srv.mlflow('GET', 'model-versions/search', { filter: `run_id IN ('${otherRun}', 'nothing')` });
    expect(inList.json.model_versions).toHaveLength(1);
    const num = await t.srv.mlflow('GET', 'model-versions/search', { filter: `name = '${a}' and version_number >= 2` });
    expect(num.json.model_versions.map((v: { version: string }) => v.version)).toEqual(['3', '2']);
    const tag = await t.srv.mlflow('GET', 'model-versions/search', { filter: `name = '${a}' and tags.n = '2'` });
    expect(tag.json.model_versions.map((v: { version: string }) => v.version)).toEqual(['2']);
    const src = await t.srv.mlflow('GET', 'model-versions/search', { filter: `source_path LIKE 'runs:/${otherRun}/%'` });
    expect(src.json.model_versions).toHaveLength(1);
  });

  it('order_by version_number ASC and pagination', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const res = await t.srv.mlflow('GET', 'model-versions/search', { filter: `name = '${a}'`, order_by: ['version_number ASC'], max_results: 2, ...(token ? { page_token: token } : {}) });
      expect(res.status, res.text).toBe(200);
      seen.push(...res.json.model_versions.map((v: { version: string }) => v.version));
      token = res.json.next_page_token;
    } while (token);
    expect(seen).toEqual(['1', '2', '3']);
  });

  it('bad filters, order_by and max_results → 400', async () => {
    for (const body of [{ filter: "stage = 'x'" }, { filter: 'version_number > abc' }, { filter: "run_id IN ()" }, { order_by: ['stage'] }, { max_results: 200001 }, { page_token: '%%%' }]) {
      expectError(await t.srv.mlflow('GET', 'model-versions/search', body as Record<string, unknown>), 400, 'INVALID_PARAMETER_VALUE');
    }
  });
});

describe('model version tags', () => {
  it('set overwrites, delete removes, unknown version → 404', async () => {
    const name = await createModel(t.srv);
    await createVersion(t.srv, name, `runs:/${t.runId}/model`);
    expectEmpty(await t.srv.mlflow('POST', 'model-versions/set-tag', { name, version: '1', key: 'validated', value: 'no' }));
    expectEmpty(await t.srv.mlflow('POST', 'model-versions/set-tag', { name, version: '1', key: 'validated', value: 'yes' }));
    expect(kv((await t.srv.mlflow('GET', 'model-versions/get', { name, version: '1' })).json.model_version.tags)).toEqual({ validated: 'yes' });
    expectEmpty(await t.srv.mlflow('DELETE', 'model-versions/delete-tag', { name, version: '1', key: 'validated' }));
    expect((await t.srv.mlflow('GET', 'model-versions/get', { name, version: '1' })).json.model_version).not.toHaveProperty('tags');
    expectError(await t.srv.mlflow('POST', 'model-versions/set-tag', { name, version: '2', key: 'k', value: 'v' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('DELETE', 'model-versions/delete-tag', { name, version: '2', key: 'k' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('POST', 'model-versions/set-tag', { name, version: '1', key: 'bad//key', value: 'v' }), 400, 'INVALID_PARAMETER_VALUE');
  });
});
