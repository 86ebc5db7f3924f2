// MLflow 3 logged-model endpoints (service.proto CreateLoggedModel … ListLoggedModelArtifacts) over
// real HTTP and DuckDB, the artifact proxy paths a 3.x client uploads model files to, registering a
// logged model as a model version (source models:/<model_id>), and 2.x runs/log-model.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelVersionRecord } from '../../../native/registry/version-export';
import { ARTIFACTS, createExperiment, createRun, expectEmpty, expectError, expectInt64, expectSnakeCase, kv, missingMessage, rawRequest } from '../mlflow-api/wire';
import { createModel, createVersion, registryServer } from './registry-wire';

const t = registryServer();

async function createLogged(extra: Record<string, unknown> = {}): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any -- wire JSON
  const res = await t.srv.mlflow('POST', 'logged-models', { experiment_id: t.exp, source_run_id: t.runId, ...extra });
  expect(res.status, res.text).toBe(200);
  return res.json.model;
}

describe('create, get, finalize', () => {
  it('create answers a PENDING LoggedModel {info, data} with an m-<hex> id and its artifact URI', async () => {
    const res = await t.srv.mlflow('POST', 'logged-models', {
      experiment_id: t.exp,
      name: 'model',
      model_type: 'Classifier',
      source_run_id: t.runId,
      params: [{ key: 'alpha', value: '0.5' }],
      tags: [{ key: 'mlflow.source.type', value: 'LOCAL' }],
    });
    expect(res.status, res.text).toBe(200);
    expectSnakeCase(res.json);
    const { info, data } = res.json.model;
    expect(info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(info).toMatchObject({ experiment_id: t.exp, name: 'model', model_type: 'Classifier', source_run_id: t.runId, status: 'LOGGED_MODEL_PENDING' });
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/${t.exp}/models/${info.model_id}/artifacts`);
    expectInt64(res, info, 'creation_timestamp_ms');
    expectInt64(res, info, 'last_updated_timestamp_ms');
    expect(kv(info.tags)).toEqual({ 'mlflow.source.type': 'LOCAL' });
    expect(kv(data.params)).toEqual({ alpha: '0.5' });
    const got = await t.srv.mlflow('GET', `logged-models/${info.model_id}`);
    expect(got.status).toBe(200);
    expect(got.json.model).toEqual(res.json.model);
  });

  it('a name is generated when none is given', async () => {
    const m = await createLogged();
    expect(m.info.name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
  });

  it('finalize moves it to READY (by name or number); other statuses and a missing one → 400', async () => {
    const m = await createLogged();
    const id = m.info.model_id;
    const res = await t.srv.mlflow('PATCH', `logged-models/${id}`, { model_id: id, status: 'LOGGED_MODEL_READY' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.model.info.status).toBe('LOGGED_MODEL_READY');
    expect((await t.srv.mlflow('PATCH', `logged-models/${id}`, { status: 3 })).json.model.info.status).toBe('LOGGED_MODEL_UPLOAD_FAILED');
    expectError(await t.srv.mlflow('PATCH', `logged-models/${id}`, { status: 'LOGGED_MODEL_PENDING' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await t.srv.mlflow('PATCH', `logged-models/${id}`, {}), 400, 'INVALID_PARAMETER_VALUE', missingMessage('status'));
  });

  it('errors: missing experiment_id 400, unknown experiment 404, unknown run 404, unknown model 404', async () => {
    expectError(await t.srv.mlflow('POST', 'logged-models', {}), 400, 'INVALID_PARAMETER_VALUE', missingMessage('experiment_id'));
    expectError(await t.srv.mlflow('POST', 'logged-models', { experiment_id: '98765' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('POST', 'logged-models', { experiment_id: t.exp, source_run_id: 'ghost-run' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('GET', `logged-models/m-${'0'.repeat(32)}`), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('PATCH', `logged-models/m-${'0'.repeat(32)}`, { status: 'LOGGED_MODEL_READY' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('POST', 'logged-models', { experiment_id: t.exp, params: [{ key: '', value: 'x' }] }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('delete hides the model; a second delete is 404', async () => {
    const id = (await createLogged()).info.model_id;
    expectEmpty(await t.srv.mlflow('DELETE', `logged-models/${id}`));
    expectError(await t.srv.mlflow('GET', `logged-models/${id}`), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('DELETE', `logged-models/${id}`), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('tags and params', () => {
  it('set tags (PATCH …/tags) answers the model; delete a tag; unknown tag → 404', async () => {
    const id = (await createLogged()).info.model_id;
    const res = await t.srv.mlflow('PATCH', `logged-models/${id}/tags`, { tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
    expect(res.status, res.text).toBe(200);
    expect(kv(res.json.model.info.tags)).toEqual({ a: '1', b: '2' });
    expectEmpty(await t.srv.mlflow('DELETE', `logged-models/${id}/tags/a`));
    expect(kv((await t.srv.mlflow('GET', `logged-models/${id}`)).json.model.info.tags)).toEqual({ b: '2' });
    expectError(await t.srv.mlflow('DELETE', `logged-models/${id}/tags/a`), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('PATCH', `logged-models/${id}/tags`, { tags: [{ key: '/abs', value: '1' }] }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('log params: immutable like a run\'s (same value fine, new value 400)', async () => {
    const id = (await createLogged()).info.model_id;
    expectEmpty(await t.srv.mlflow('POST', `logged-models/${id}/params`, { params: [{ key: 'lr', value: '0.1' }] }));
    expectEmpty(await t.srv.mlflow('POST', `logged-models/${id}/params`, { params: [{ key: 'lr', value: '0.1' }, { key: 'wd', value: '0' }] }));
    expect(kv((await t.srv.mlflow('GET', `logged-models/${id}`)).json.model.data.params)).toEqual({ lr: '0.1', wd: '0' });
    expectError(await t.srv.mlflow('POST', `logged-models/${id}/params`, { params: [{ key: 'lr', value: '0.2' }] }), 400, 'INVALID_PARAMETER_VALUE', /Changing param values is not allowed/);
  });
});

describe('logged-models/search', () => {
  it("answers what the 3.x client's list_artifacts asks (name filter); {} when nothing matches", async () => {
    const m = await createLogged({ name: 'searched-model' });
    const res = await t.srv.mlflow('POST', 'logged-models/search', { experiment_ids: [t.exp], filter: "name = 'searched-model'" });
    expect(res.status, res.text).toBe(200);
    expect(res.json.models.map((x: { info: { model_id: string } }) => x.info.model_id)).toEqual([m.info.model_id]);
    expectEmpty(await t.srv.mlflow('POST', 'logged-models/search', { experiment_ids: [t.exp], filter: "name = 'sub'" }));
  });

  it('filters on attributes, params, tags and the source run\'s metrics; orders; pages', async () => {
    const e2 = await createExperiment(t.srv);
    const r = await createRun(t.srv, e2);
    await t.srv.mlflow('POST', 'runs/log-metric', { run_id: r, key: 'acc', value: 0.9, timestamp: 1, step: 0 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.srv.mlflow('POST', 'logged-models', { experiment_id: e2, name: `m${i}`, source_run_id: i === 0 ? r : undefined, params: [{ key: 'i', value: String(i) }], tags: [{ key: 'even', value: String(i % 2 === 0) }] });
      ids.push(res.json.model.info.model_id);
    }
    const names = (res: { json: { models?: { info: { name: string } }[] } }) => (res.json.models ?? []).map((x) => x.info.name);
    expect(names(await t.srv.mlflow('POST', 'logged-models/search', { experiment_ids: [e2] }))).toEqual(['m2', 'm1', 'm0']);
    expect(names(await t.srv.mlflow('POST', 'logged-models/search', { experiment_ids: [e2], order_by: [{ field_name: 'name', ascending: true }] }))).toEqual(['m0', 'm1', 'm2']);
    expect(names(await t.srv.mlflow('POST', 'logged-models/search', { experiment_ids: [e2], filter: "params.i = '1'" }))).toEqual(['m1']);
    expect(names(await t.srv.mlflow('POST', 'logged-models/search', { experiment_ids: [e2], filter: "tags.even = 'true'", order_by: [{ field_name: 'name' }] }))).toEqual(['m0', 'm2']);
    expect(names(await t.srv.mlflow('POST', 'logged-models/search', { experiment_ids: [e2], filter: 'metrics.acc > 0.5' }))).toEqual(['m0']);
    expect(names(await t.srv.mlflow('POST', 'logged-models/search', { experiment_ids: [e2], filter: `source_run_id = '${r}'` }))).toEqual(['m0']);
    const p1 = await t.srv.mlflow('POST', 'logged-models/search', { experiment_ids: [e2], max_results: 2 });
    expect(names(p1)).toEqual(['m2', 'm1']);
    const p2 = await t.srv.mlflow('POST', 'logged-models/search', { experiment_ids: [e2], max_results: 2, page_token: p1.json.next_page_token });
    expect(names(p2)).toEqual(['m0']);
    expect(p2.json).not.toHaveProperty('next_page_token');
  });

  it('bad filters, order_by, datasets and max_results → 400', async () => {
    for (const body of [
      { filter: "nonsense = 'x'" },
      { filter: "metrics.acc > 'high'" },
      { order_by: [{ ascending: true }] },
      { order_by: [{ field_name: 'colour' }] },
      { datasets: [{ dataset_name: 'train' }] },
      { max_results: 0 },
      { page_token: 'bad token' },
    ]) {
      expectError(await t.srv.mlflow('POST', 'logged-models/search', { experiment_ids: [t.exp], ...body }), 400, 'INVALID_PARAMETER_VALUE');
    }
  });
});

describe('artifacts of a logged model', () => {
  it('upload, list (proxy and artifacts/directories), download; wrong experiment or unknown model refused', async () => {
    const m = await createLogged();
    const id = m.info.model_id;
    const base = `${ARTIFACTS}/${t.exp}/models/${id}/artifacts`;
    for (const [file, body] of [['MLmodel', 'flavors: {}\n'], ['data/model.pkl', 'weights']]) {
      const put = await rawRequest(t.srv, 'PUT', `${base}/${file}`, body, { 'Content-Type': 'application/octet-stream' });
      expect(put.status, put.text).toBe(200);
    }
    const list = await t.srv.call('GET', ARTIFACTS, { path: `${t.exp}/models/${id}/artifacts` });
    expect(list.json.files.map((f: { path: string }) => f.path).sort()).toEqual(['MLmodel', 'data']);
    const dirs = await t.srv.mlflow('GET', `logged-models/${id}/artifacts/directories`, { artifact_directory_path: 'data' });
    expect(dirs.json).toEqual({ root_uri: m.info.artifact_uri, files: [{ path: 'data/model.pkl', is_dir: false, file_size: 7 }] });
    const get = await rawRequest(t.srv, 'GET', `${base}/data/model.pkl`);
    expect(get.status).toBe(200);
    expect(get.text).toBe('weights');
    expectError(await rawRequest(t.srv, 'PUT', `${ARTIFACTS}/0/models/${id}/artifacts/x`, 'x'), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await rawRequest(t.srv, 'PUT', `${ARTIFACTS}/${t.exp}/models/m-${'1'.repeat(32)}/artifacts/x`, 'x'), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await rawRequest(t.srv, 'GET', `${base}/missing.bin`), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('GET', `logged-models/${id}/artifacts/directories`, { artifact_directory_path: '../x' }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('registering models:/<model_id> links the version to the model and its run', async () => {
    const m = await createLogged();
    const id = m.info.model_id;
    const name = await createModel(t.srv);
    const v = await createVersion(t.srv, name, `models:/${id}`, { model_id: id });
    expect(v).toMatchObject({ model_id: id, run_id: t.runId, source: `models:/${id}` });
    const uri = await t.srv.mlflow('GET', 'model-versions/get-download-uri', { name, version: v.version });
    expect(uri.json.artifact_uri).toBe(m.info.artifact_uri);
    const again = await t.srv.mlflow('GET', `logged-models/${id}`);
    expect(again.json.model.info.registrations).toEqual([{ name, version: v.version }]);
    // Without model_id, the models:/<id> source alone is enough.
    expect((await createVersion(t.srv, name, `models:/${id}`)).model_id).toBe(id);
    expectError(await t.srv.mlflow('POST', 'model-versions/create', { name, source: `models:/m-${'2'.repeat(32)}` }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('modelVersionRecord gives a bundle the version, its logged model, its files and its source run', async () => {
    const m = await createLogged();
    const id = m.info.model_id;
    expect((await rawRequest(t.srv, 'PUT', `${ARTIFACTS}/${t.exp}/models/${id}/artifacts/MLmodel`, 'flavors: {}\n')).status).toBe(200);
    const name = await createModel(t.srv);
    const v = await createVersion(t.srv, name, `models:/${id}`);
    const rec = await modelVersionRecord(t.srv.core, name, Number(v.version));
    expect(rec.registered_model).toMatchObject({ name });
    expect(rec.model_version).toMatchObject({ name, version: v.version, model_id: id });
    expect(rec.logged_model).toMatchObject({ info: { model_id: id } });
    expect(rec.source_run_id).toBe(t.runId);
    expect(rec.model_files).toEqual([{ path: 'MLmodel', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: 12 }]);
    expect(fs.readFileSync(rec.blob_path(rec.model_files[0].sha256), 'utf8')).toBe('flavors: {}\n');
  });
});

describe('runs/log-model (MLflow 2.x)', () => {
  it('appends the model summary to the mlflow.log-model.history tag; bad JSON or missing fields → 400', async () => {
    const model = { artifact_path: 'model', flavors: { python_function: {} }, utc_time_created: '2026-01-01 00:00:00.000000', run_id: t.runId };
    expectEmpty(await t.srv.mlflow('POST', 'runs/log-model', { run_id: t.runId, model_json: JSON.stringify(model) }));
    expectEmpty(await t.srv.mlflow('POST', 'runs/log-model', { run_id: t.runId, model_json: JSON.stringify({ ...model, artifact_path: 'second' }) }));
    const run = await t.srv.mlflow('GET', 'runs/get', { run_id: t.runId });
    const history = JSON.parse(kv(run.json.run.data.tags)['mlflow.log-model.history'] as string);
    expect(history.map((h: { artifact_path: string }) => h.artifact_path)).toEqual(['model', 'second']);
    expectError(await t.srv.mlflow('POST', 'runs/log-model', { run_id: t.runId, model_json: '{nope' }), 400, 'INVALID_PARAMETER_VALUE', /Malformed model info/);
    expectError(await t.srv.mlflow('POST', 'runs/log-model', { run_id: t.runId, model_json: '{"flavors": {}}' }), 400, 'INVALID_PARAMETER_VALUE', /missing mandatory fields/);
    expectError(await t.srv.mlflow('POST', 'runs/log-model', { run_id: t.runId }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('model_json'));
    expectError(await t.srv.mlflow('POST', 'runs/log-model', { run_id: 'ghost', model_json: JSON.stringify(model) }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});
