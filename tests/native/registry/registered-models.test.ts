// MLflow registered-model endpoints over real HTTP and a real DuckDB store (model_registry.proto):
// create, get, rename, update, delete, search (filter, order_by, pagination), tags, aliases,
// get-latest-versions; success and error paths with MLflow's error codes.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectEmpty, expectError, expectInt64, expectSnakeCase, kv, missingMessage, uniq } from '../mlflow-api/wire';
import { createModel, createVersion, registryServer, seedRun } from './registry-wire';

const t = registryServer();

describe('registered-models/create and get', () => {
  it('returns the RegisteredModel with MLflow fields: int64 numbers, tags, description, no empty lists', async () => {
    const name = uniq('create');
    const res = await t.srv.mlflow('POST', 'registered-models/create', { name, description: 'first', tags: [{ key: 'team', value: 'vision' }], future_field: 1 });
    expect(res.status, res.text).toBe(200);
    expectSnakeCase(res.json);
    const m = res.json.registered_model;
    expect(m.name).toBe(name);
    expect(m.description).toBe('first');
    expect(kv(m.tags)).toEqual({ team: 'vision' });
    expectInt64(res, m, 'creation_timestamp');
    expectInt64(res, m, 'last_updated_timestamp');
    expect(m).not.toHaveProperty('latest_versions');
    expect(m).not.toHaveProperty('aliases');
    const got = await t.srv.mlflow('GET', 'registered-models/get', { name });
    expect(got.status).toBe(200);
    expect(got.json.registered_model).toEqual(m);
  });

  it('missing name → 400 INVALID_PARAMETER_VALUE; duplicate → 400 RESOURCE_ALREADY_EXISTS', async () => {
    expectError(await t.srv.mlflow('POST', 'registered-models/create', {}), 400, 'INVALID_PARAMETER_VALUE', 'Registered model name cannot be empty.');
    expectError(await t.srv.mlflow('POST', 'registered-models/create', { name: 42 }), 400, 'INVALID_PARAMETER_VALUE');
    const name = await createModel(t.srv);
    expectError(await t.srv.mlflow('POST', 'registered-models/create', { name }), 400, 'RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`);
  });

  it('a bad tag key → 400, and nothing is created', async () => {
    const name = uniq('badtag');
    expectError(await t.srv.mlflow('POST', 'registered-models/create', { name, tags: [{ key: '../x', value: 'v' }] }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await t.srv.mlflow('GET', 'registered-models/get', { name }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('get of an unknown model → 404 RESOURCE_DOES_NOT_EXIST with MLflow\'s message', async () => {
    expectError(await t.srv.mlflow('GET', 'registered-models/get', { name: 'nope-model' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'Registered Model with name=nope-model not found');
  });

  it('a wrong method on a known path → 405; an unknown path → 404', async () => {
    expectError(await t.srv.mlflow('GET', 'registered-models/create', { name: 'x' }), 405, 'ENDPOINT_NOT_FOUND');
    expectError(await t.srv.mlflow('GET', 'registered-models/nothing-here', {}), 404, 'ENDPOINT_NOT_FOUND');
  });
});

describe('rename, update, delete', () => {
  it('rename carries versions, tags and aliases along; the old name is gone', async () => {
    const name = await createModel(t.srv);
    const runId = await seedRun(t.srv);
    await createVersion(t.srv, name, `runs:/${runId}/model`);
    expect((await t.srv.mlflow('POST', 'registered-models/set-tag', { name, key: 'k', value: 'v' })).status).toBe(200);
    expect((await t.srv.mlflow('POST', 'registered-models/alias', { name, alias: 'champion', version: '1' })).status).toBe(200);
    const newName = uniq('renamed');
    const res = await t.srv.mlflow('POST', 'registered-models/rename', { name, new_name: newName });
    expect(res.status, res.text).toBe(200);
    expect(res.json.registered_model.name).toBe(newName);
    expect(kv(res.json.registered_model.tags)).toEqual({ k: 'v' });
    expect(res.json.registered_model.aliases).toEqual([{ alias: 'champion', version: '1' }]);
    expect(res.json.registered_model.latest_versions[0]).toMatchObject({ name: newName, version: '1' });
    expectError(await t.srv.mlflow('GET', 'registered-models/get', { name }), 404, 'RESOURCE_DOES_NOT_EXIST');
    const v = await t.srv.mlflow('GET', 'model-versions/get', { name: newName, version: '1' });
    expect(v.json.model_version.aliases).toEqual(['champion']);
  });

  it('rename errors: missing new_name, unknown model, taken name', async () => {
    const a = await createModel(t.srv);
    const b = await createModel(t.srv);
    expectError(await t.srv.mlflow('POST', 'registered-models/rename', { name: a }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('new_name'));
    expectError(await t.srv.mlflow('POST', 'registered-models/rename', { name: 'ghost', new_name: 'x' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('POST', 'registered-models/rename', { name: a, new_name: b }), 400, 'RESOURCE_ALREADY_EXISTS');
  });

  it('update sets the description and moves last_updated_timestamp', async () => {
    const name = await createModel(t.srv);
    const before = (await t.srv.mlflow('GET', 'registered-models/get', { name })).json.registered_model;
    await new Promise((r) => setTimeout(r, 5));
    const res = await t.srv.mlflow('PATCH', 'registered-models/update', { name, description: 'better' });
    expect(res.status, res.text).toBe(200);
    expect(res.json.registered_model.description).toBe('better');
    expect(res.json.registered_model.last_updated_timestamp).toBeGreaterThan(before.last_updated_timestamp);
    expectError(await t.srv.mlflow('PATCH', 'registered-models/update', { name: 'ghost', description: 'x' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('delete removes the model and its versions; a second delete is 404', async () => {
    const name = await createModel(t.srv);
    const runId = await seedRun(t.srv);
    await createVersion(t.srv, name, `runs:/${runId}/model`);
    expectEmpty(await t.srv.mlflow('DELETE', 'registered-models/delete', { name }));
    expectError(await t.srv.mlflow('GET', 'model-versions/get', { name, version: '1' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('DELETE', 'registered-models/delete', { name }), 404, 'RESOURCE_DOES_NOT_EXIST');
    // The name is free again, and numbering starts over with the new model.
    await createModel(t.srv, name);
    expect((await createVersion(t.srv, name, `runs:/${runId}/model`)).version).toBe('1');
  });
});

describe('registered-models/search', () => {
  let prefix: string;
  beforeAll(async () => {
    prefix = uniq('srch');
    for (const n of ['c', 'a', 'b', 'd', 'e']) await createModel(t.srv, `${prefix}-${n}`, { tags: [{ key: 'letter', value: n }] });
  });

  it('filters by name (=, LIKE, ILIKE) and tags; orders by name by default', async () => {
    const like = await t.srv.mlflow('GET', 'registered-models/search', { filter: `name LIKE '${prefix}-%'` });
    expect(like.status, like.text).toBe(200);
    expect(like.json.registered_models.map((m: { name: string }) => m.name)).toEqual(['a', 'b', 'c', 'd', 'e'].map((n) => `${prefix}-${n}`));
    const eq = await t.srv.mlflow('GET', 'registered-models/search', { filter: `name = '${prefix}-b'` });
    expect(eq.json.registered_models.map((m: { name: string }) => m.name)).toEqual([`${prefix}-b`]);
    const ilike = await t.srv.mlflow('GET', 'registered-models/search', { filter: `name ILIKE '${prefix.toUpperCase()}-C'` });
    expect(ilike.json.registered_models).toHaveLength(1);
    const tag = await t.srv.mlflow('GET', 'registered-models/search', { filter: `name LIKE '${prefix}%' and tags.letter = 'd'` });
    expect(tag.json.registered_models.map((m: { name: string }) => m.name)).toEqual([`${prefix}-d`]);
    const none = await t.srv.mlflow('GET', 'registered-models/search', { filter: `name = 'no-such-${prefix}'` });
    expectEmpty(none);
  });

  it('order_by name DESC and creation_timestamp', async () => {
    const desc = await t.srv.mlflow('GET', 'registered-models/search', { filter: `name LIKE '${prefix}-%'`, order_by: ['name DESC'] });
    expect(desc.json.registered_models.map((m: { name: string }) => m.name.slice(-1))).toEqual(['e', 'd', 'c', 'b', 'a']);
    const byTime = await t.srv.mlflow('GET', 'registered-models/search', { filter: `name LIKE '${prefix}-%'`, order_by: ['creation_timestamp ASC'] });
    expect(byTime.json.registered_models.map((m: { name: string }) => m.name.slice(-1))).toEqual(['c', 'a', 'b', 'd', 'e']);
  });

  it('pages with max_results and an opaque token; the last page has no token', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let calls = 0;
    do {
      const res = await t.srv.mlflow('GET', 'registered-models/search', { filter: `name LIKE '${prefix}-%'`, max_results: 2, ...(token ? { page_token: token } : {}) });
      expect(res.status, res.text).toBe(200);
      seen.push(...res.json.registered_models.map((m: { name: string }) => m.name.slice(-1)));
      token = res.json.next_page_token;
      calls++;
    } while (token);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(calls).toBe(3);
  });

  it('bad filter, order_by, max_results and page_token → 400 INVALID_PARAMETER_VALUE', async () => {
    for (const body of [
      { filter: 'name = unquoted' },
      { filter: "owner = 'x'" },
      { filter: "name = 'a' or name = 'b'" },
      { filter: "metrics.auc > 1" },
      { order_by: ['nonsense'] },
      { order_by: ['name', 'name DESC'] },
      { max_results: 1001 },
      { max_results: 0 },
      { max_results: 'many' },
      { page_token: 'not-a-token!' },
    ]) {
      expectError(await t.srv.mlflow('GET', 'registered-models/search', body as Record<string, unknown>), 400, 'INVALID_PARAMETER_VALUE');
    }
  });
});

describe('tags and aliases', () => {
  it('set-tag overwrites, delete-tag removes (unknown key is fine), unknown model → 404', async () => {
    const name = await createModel(t.srv);
    expectEmpty(await t.srv.mlflow('POST', 'registered-models/set-tag', { name, key: 'stage.note', value: 'a' }));
    expectEmpty(await t.srv.mlflow('POST', 'registered-models/set-tag', { name, key: 'stage.note', value: 'b' }));
    expect(kv((await t.srv.mlflow('GET', 'registered-models/get', { name })).json.registered_model.tags)).toEqual({ 'stage.note': 'b' });
    expectEmpty(await t.srv.mlflow('DELETE', 'registered-models/delete-tag', { name, key: 'stage.note' }));
    expectEmpty(await t.srv.mlflow('DELETE', 'registered-models/delete-tag', { name, key: 'never-set' }));
    expect((await t.srv.mlflow('GET', 'registered-models/get', { name })).json.registered_model).not.toHaveProperty('tags');
    expectError(await t.srv.mlflow('POST', 'registered-models/set-tag', { name: 'ghost', key: 'k', value: 'v' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await t.srv.mlflow('POST', 'registered-models/set-tag', { name, key: 'k' }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('value'));
    expectError(await t.srv.mlflow('POST', 'registered-models/set-tag', { name, value: 'v' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await t.srv.mlflow('DELETE', 'registered-models/delete-tag', { name: 'ghost', key: 'k' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('set, move, get and delete an alias', async () => {
    const name = await createModel(t.srv);
    const runId = await seedRun(t.srv);
    await createVersion(t.srv, name, `runs:/${runId}/model`);
    await createVersion(t.srv, name, `runs:/${runId}/model`);
    expectEmpty(await t.srv.mlflow('POST', 'registered-models/alias', { name, alias: 'champion', version: '1' }));
    expect((await t.srv.mlflow('GET', 'registered-models/alias', { name, alias: 'champion' })).json.model_version).toMatchObject({ version: '1', aliases: ['champion'] });
    expectEmpty(await t.srv.mlflow('POST', 'registered-models/alias', { name, alias: 'champion', version: '2' }));
    const moved = await t.srv.mlflow('GET', 'registered-models/alias', { name, alias: 'champion' });
    expect(moved.json.model_version).toMatchObject({ version: '2', aliases: ['champion'] });
    expect((await t.srv.mlflow('GET', 'model-versions/get', { name, version: '1' })).json.model_version).not.toHaveProperty('aliases');
    expect((await t.srv.mlflow('GET', 'registered-models/get', { name })).json.registered_model.aliases).toEqual([{ alias: 'champion', version: '2' }]);
    expectEmpty(await t.srv.mlflow('DELETE', 'registered-models/alias', { name, alias: 'champion' }));
    expectError(await t.srv.mlflow('GET', 'registered-models/alias', { name, alias: 'champion' }), 400, 'INVALID_PARAMETER_VALUE', 'Registered model alias champion not found.');
  });

  it('alias errors: reserved and malformed names, unknown version, unknown model', async () => {
    const name = await createModel(t.srv);
    const runId = await seedRun(t.srv);
    await createVersion(t.srv, name, `runs:/${runId}/model`);
    expectError(await t.srv.mlflow('POST', 'registered-models/alias', { name, alias: 'latest', version: '1' }), 400, 'INVALID_PARAMETER_VALUE', "'latest' alias name (case insensitive) is reserved.");
    expectError(await t.srv.mlflow('POST', 'registered-models/alias', { name, alias: 'v3', version: '1' }), 400, 'INVALID_PARAMETER_VALUE', "Version alias name 'v3' is reserved.");
    expectError(await t.srv.mlflow('POST', 'registered-models/alias', { name, alias: 'has space', version: '1' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await t.srv.mlflow('POST', 'registered-models/alias', { name, alias: '', version: '1' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await t.srv.mlflow('POST', 'registered-models/alias', { name, alias: 'ok', version: '9' }), 404, 'RESOURCE_DOES_NOT_EXIST', `Model Version (name=${name}, version=9) not found`);
    expectError(await t.srv.mlflow('POST', 'registered-models/alias', { name, alias: 'ok', version: 'one' }), 400, 'INVALID_PARAMETER_VALUE', "Model version must be an integer, got 'one'");
    expectError(await t.srv.mlflow('DELETE', 'registered-models/alias', { name: 'ghost', alias: 'ok' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('get-latest-versions', () => {
  it('newest version per stage; stages filter case-insensitively; bad stage → 400', async () => {
    const name = await createModel(t.srv);
    const runId = await seedRun(t.srv);
    for (let i = 0; i < 4; i++) await createVersion(t.srv, name, `runs:/${runId}/model`);
    await t.srv.mlflow('POST', 'model-versions/transition-stage', { name, version: '1', stage: 'Production', archive_existing_versions: false });
    await t.srv.mlflow('POST', 'model-versions/transition-stage', { name, version: '2', stage: 'staging', archive_existing_versions: false });
    const all = await t.srv.mlflow('POST', 'registered-models/get-latest-versions', { name });
    expect(all.status, all.text).toBe(200);
    expect(all.json.model_versions.map((v: { version: string; current_stage: string }) => `${v.version}:${v.current_stage}`).sort()).toEqual(['1:Production', '2:Staging', '4:None']);
    const prod = await t.srv.mlflow('GET', 'registered-models/get-latest-versions', { name, stages: ['PRODUCTION'] });
    expect(prod.json.model_versions.map((v: { version: string }) => v.version)).toEqual(['1']);
    expectError(await t.srv.mlflow('POST', 'registered-models/get-latest-versions', { name, stages: ['Live'] }), 400, 'INVALID_PARAMETER_VALUE', 'Invalid Model Version stage: Live. Value must be one of None, Staging, Production, Archived.');
    expectError(await t.srv.mlflow('POST', 'registered-models/get-latest-versions', { name: 'ghost' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});
