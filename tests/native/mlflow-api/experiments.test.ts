// MLflow experiment endpoints over real HTTP and a real DuckDB store: create, get, get-by-name,
// search (filter, order_by, view_type, pagination), delete/restore (with their runs), rename, tags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { createExperiment, createRun, expectEmpty, expectError, expectInt64, expectSnakeCase, getRun, kv, missingMessage, uniq } from './wire';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.stop();
});

describe('experiments/create', () => {
  it('returns exactly {"experiment_id": "<decimal string>"}', async () => {
    const before = Date.now();
    const res = await srv.mlflow('POST', 'experiments/create', { name: uniq('create') });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(['experiment_id']);
    expect(res.json.experiment_id).toMatch(/^[1-9]\d*$/);
    const got = await srv.mlflow('GET', 'experiments/get', { experiment_id: res.json.experiment_id });
    expect(got.json.experiment.creation_time).toBeGreaterThanOrEqual(before);
  });

  it('stores tags and a given artifact_location; ignores unknown fields', async () => {
    const name = uniq('tagged');
    const res = await srv.mlflow('POST', 'experiments/create', {
      name,
      artifact_location: 'file:///tmp/elsewhere',
      tags: [{ key: 'team', value: 'vision' }, { key: 'mlflow.note.content', value: 'hello' }],
      some_future_field: { nested: true },
    });
    expect(res.status).toBe(200);
    const { experiment } = (await srv.mlflow('GET', 'experiments/get', { experiment_id: res.json.experiment_id })).json;
    expect(experiment.artifact_location).toBe('file:///tmp/elsewhere');
    expect(kv(experiment.tags)).toEqual({ team: 'vision', 'mlflow.note.content': 'hello' });
  });

  it('missing or empty name → 400 INVALID_PARAMETER_VALUE with MLflow\'s message', async () => {
    expectError(await srv.mlflow('POST', 'experiments/create', {}), 400, 'INVALID_PARAMETER_VALUE', missingMessage('name'));
    expectError(await srv.mlflow('POST', 'experiments/create', { name: '' }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('name'));
  });

  it('duplicate name → 400 RESOURCE_ALREADY_EXISTS (not 409)', async () => {
    const name = uniq('dup');
    await createExperiment(srv, name);
    expectError(await srv.mlflow('POST', 'experiments/create', { name }), 400, 'RESOURCE_ALREADY_EXISTS', new RegExp(name));
  });

  it('a name over 500 characters → 400', async () => {
    expectError(await srv.mlflow('POST', 'experiments/create', { name: 'x'.repeat(501) }), 400, 'INVALID_PARAMETER_VALUE');
    const ok = await srv.mlflow('POST', 'experiments/create', { name: `${uniq('long')}-`.padEnd(500, 'y') });
    expect(ok.status).toBe(200);
  });
});

describe('experiments/get and get-by-name', () => {
  it('Experiment shape field by field: snake_case, int64 as numbers, tags omitted when empty', async () => {
    const name = uniq('shape');
    const id = await createExperiment(srv, name);
    const res = await srv.mlflow('GET', 'experiments/get', { experiment_id: id });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(res.json)).toEqual(['experiment']);
    const e = res.json.experiment;
    expectSnakeCase(res.json);
    expect(e.experiment_id).toBe(id);
    expect(e.name).toBe(name);
    expect(e.artifact_location).toBe(`mlflow-artifacts:/${id}`);
    expect(e.lifecycle_stage).toBe('active');
    expectInt64(res, e, 'creation_time');
    expectInt64(res, e, 'last_update_time');
    expect(e).not.toHaveProperty('tags');
    expect(Object.keys(e).sort()).toEqual(['artifact_location', 'creation_time', 'experiment_id', 'last_update_time', 'lifecycle_stage', 'name']);
  });

  it('the Default experiment "0" exists from the start', async () => {
    const res = await srv.mlflow('GET', 'experiments/get', { experiment_id: '0' });
    expect(res.status).toBe(200);
    expect(res.json.experiment).toMatchObject({ experiment_id: '0', name: 'Default', artifact_location: 'mlflow-artifacts:/0', lifecycle_stage: 'active' });
  });

  it('unknown id → 404 RESOURCE_DOES_NOT_EXIST; missing id → 400', async () => {
    expectError(await srv.mlflow('GET', 'experiments/get', { experiment_id: '987654' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await srv.mlflow('GET', 'experiments/get', { experiment_id: 'not-a-number' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await srv.mlflow('GET', 'experiments/get', {}), 400, 'INVALID_PARAMETER_VALUE', missingMessage('experiment_id'));
  });

  it('get-by-name finds the experiment; a missing name is 404 RESOURCE_DOES_NOT_EXIST (set_experiment relies on it)', async () => {
    const name = uniq('by name');
    const id = await createExperiment(srv, name);
    const res = await srv.mlflow('GET', 'experiments/get-by-name', { experiment_name: name });
    expect(res.status).toBe(200);
    expect(res.json.experiment.experiment_id).toBe(id);
    expect(res.json.experiment.name).toBe(name);
    expectError(await srv.mlflow('GET', 'experiments/get-by-name', { experiment_name: uniq('nope') }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await srv.mlflow('GET', 'experiments/get-by-name', {}), 400, 'INVALID_PARAMETER_VALUE', missingMessage('experiment_name'));
  });
});

describe('experiments/search', () => {
  const prefix = uniq('srch');
  const ids: string[] = [];
  let deletedId = '';

  beforeAll(async () => {
    // Created in order a, b, c, d, e (creation_time non-decreasing); "c" gets a tag; "e" is deleted.
    for (const s of ['a', 'b', 'c', 'd', 'e']) {
      ids.push(await createExperiment(srv, `${prefix}-${s}`, s === 'c' ? { tags: [{ key: 'stage one', value: 'gold' }] } : {}));
      await new Promise((r) => setTimeout(r, 3));
    }
    deletedId = ids[4];
    expectEmpty(await srv.mlflow('POST', 'experiments/delete', { experiment_id: deletedId }));
  });

  const names = (res: { json: { experiments?: { name: string }[] } }): string[] => (res.json.experiments ?? []).map((e) => e.name);

  it('default: active only, newest first, no token when everything fits', async () => {
    const res = await srv.mlflow('POST', 'experiments/search', { filter: `name LIKE '${prefix}-%'` });
    expect(res.status).toBe(200);
    expectSnakeCase(res.json);
    expect(names(res)).toEqual(['d', 'c', 'b', 'a'].map((s) => `${prefix}-${s}`));
    expect(res.json).not.toHaveProperty('next_page_token');
    expectInt64(res, res.json.experiments[0], 'creation_time');
  });

  it('order_by name ASC / DESC, and by experiment_id', async () => {
    const asc = await srv.mlflow('POST', 'experiments/search', { filter: `name LIKE '${prefix}-%'`, order_by: ['name ASC'] });
    expect(names(asc)).toEqual(['a', 'b', 'c', 'd'].map((s) => `${prefix}-${s}`));
    const desc = await srv.mlflow('POST', 'experiments/search', { filter: `name LIKE '${prefix}-%'`, order_by: ['name DESC'] });
    expect(names(desc)).toEqual(['d', 'c', 'b', 'a'].map((s) => `${prefix}-${s}`));
    const byId = await srv.mlflow('POST', 'experiments/search', { filter: `name LIKE '${prefix}-%'`, order_by: ['experiment_id ASC'] });
    expect(byId.json.experiments.map((e: { experiment_id: string }) => e.experiment_id)).toEqual(ids.slice(0, 4));
  });

  it('view_type DELETED_ONLY / ALL, by name or by number', async () => {
    const deleted = await srv.mlflow('POST', 'experiments/search', { filter: `name LIKE '${prefix}-%'`, view_type: 'DELETED_ONLY' });
    expect(names(deleted)).toEqual([`${prefix}-e`]);
    expect(deleted.json.experiments[0].lifecycle_stage).toBe('deleted');
    const all = await srv.mlflow('POST', 'experiments/search', { filter: `name LIKE '${prefix}-%'`, view_type: 3 });
    expect(names(all)).toHaveLength(5);
    const deletedByNumber = await srv.mlflow('POST', 'experiments/search', { filter: `name LIKE '${prefix}-%'`, view_type: '2' });
    expect(names(deletedByNumber)).toEqual([`${prefix}-e`]);
  });

  it('filters on name =, ILIKE and on a backticked tag key', async () => {
    const eq = await srv.mlflow('POST', 'experiments/search', { filter: `name = '${prefix}-b'` });
    expect(names(eq)).toEqual([`${prefix}-b`]);
    const ilike = await srv.mlflow('POST', 'experiments/search', { filter: `name ILIKE '${prefix.toUpperCase()}-A'` });
    expect(names(ilike)).toEqual([`${prefix}-a`]);
    const tag = await srv.mlflow('POST', 'experiments/search', { filter: "tags.`stage one` = 'gold'" });
    expect(names(tag)).toEqual([`${prefix}-c`]);
    expect(kv(tag.json.experiments[0].tags)).toEqual({ 'stage one': 'gold' });
  });

  it('no match → {} (empty list omitted)', async () => {
    expectEmpty(await srv.mlflow('POST', 'experiments/search', { filter: `name = '${uniq('none')}'` }));
  });

  it('pages with max_results + page_token until no token, each experiment once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await srv.mlflow('POST', 'experiments/search', { filter: `name LIKE '${prefix}-%'`, max_results: 3, ...(token ? { page_token: token } : {}) });
      expect(res.status).toBe(200);
      seen.push(...names(res));
      token = res.json.next_page_token;
      if (token !== undefined) expect(token).toBeTypeOf('string');
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual(['d', 'c', 'b', 'a'].map((s) => `${prefix}-${s}`));
  });

  it('GET works too (query string, max_results as a numeric string)', async () => {
    const res = await srv.mlflow('GET', 'experiments/search', { filter: `name LIKE '${prefix}-%'`, max_results: '2', order_by: 'name ASC' });
    expect(res.status).toBe(200);
    expect(names(res)).toEqual([`${prefix}-a`, `${prefix}-b`]);
    expect(res.json.next_page_token).toBeTypeOf('string');
  });

  it('max_results over 50000, a bad page token, a bad filter → 400', async () => {
    expectError(await srv.mlflow('POST', 'experiments/search', { max_results: 50001 }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await srv.mlflow('POST', 'experiments/search', { page_token: 'not a token!' }), 400, 'INVALID_PARAMETER_VALUE');
    expectError(await srv.mlflow('POST', 'experiments/search', { filter: "bogus_attr = 'x'" }), 400, 'INVALID_PARAMETER_VALUE');
  });
});

describe('experiments/delete and restore', () => {
  it('delete marks the experiment and its runs deleted; restore brings both back', async () => {
    const id = await createExperiment(srv);
    const r1 = await createRun(srv, id);
    const r2 = await createRun(srv, id);
    expectEmpty(await srv.mlflow('POST', 'experiments/delete', { experiment_id: id }));

    const e = (await srv.mlflow('GET', 'experiments/get', { experiment_id: id })).json.experiment;
    expect(e.lifecycle_stage).toBe('deleted');
    for (const r of [r1, r2]) expect((await getRun(srv, r)).json.run.info.lifecycle_stage).toBe('deleted');
    const active = await srv.mlflow('POST', 'runs/search', { experiment_ids: [id] });
    expectEmpty(active);
    const deleted = await srv.mlflow('POST', 'runs/search', { experiment_ids: [id], run_view_type: 'DELETED_ONLY' });
    expect(deleted.json.runs).toHaveLength(2);
    // get-by-name still answers for a deleted experiment.
    const byName = await srv.mlflow('GET', 'experiments/get-by-name', { experiment_name: e.name });
    expect(byName.json.experiment.lifecycle_stage).toBe('deleted');
    // No new runs in a deleted experiment.
    expectError(
      await srv.mlflow('POST', 'runs/create', { experiment_id: id }),
      400,
      'INVALID_PARAMETER_VALUE',
      `The experiment ${id} must be in the 'active' state. Current state is deleted.`,
    );

    expectEmpty(await srv.mlflow('POST', 'experiments/restore', { experiment_id: id }));
    expect((await srv.mlflow('GET', 'experiments/get', { experiment_id: id })).json.experiment.lifecycle_stage).toBe('active');
    for (const r of [r1, r2]) expect((await getRun(srv, r)).json.run.info.lifecycle_stage).toBe('active');
    const back = await srv.mlflow('POST', 'runs/search', { experiment_ids: [id] });
    expect(back.json.runs.map((r: { info: { run_id: string } }) => r.info.run_id).sort()).toEqual([r1, r2].sort());
  });

  it('unknown id → 404, missing id → 400, the Default experiment cannot be deleted', async () => {
    expectError(await srv.mlflow('POST', 'experiments/delete', { experiment_id: '424242' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await srv.mlflow('POST', 'experiments/restore', { experiment_id: '424242' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await srv.mlflow('POST', 'experiments/delete', {}), 400, 'INVALID_PARAMETER_VALUE', missingMessage('experiment_id'));
    expectError(await srv.mlflow('POST', 'experiments/delete', { experiment_id: '0' }), 400, 'INVALID_PARAMETER_VALUE');
    expect((await srv.mlflow('GET', 'experiments/get', { experiment_id: '0' })).json.experiment.lifecycle_stage).toBe('active');
  });
});

describe('experiments/update (rename) and experiment tags', () => {
  it('rename: the new name is found, the old one is 404, last_update_time moves', async () => {
    const oldName = uniq('old');
    const newName = uniq('new');
    const id = await createExperiment(srv, oldName);
    const before = (await srv.mlflow('GET', 'experiments/get', { experiment_id: id })).json.experiment;
    await new Promise((r) => setTimeout(r, 5));
    expectEmpty(await srv.mlflow('POST', 'experiments/update', { experiment_id: id, new_name: newName }));
    const after = (await srv.mlflow('GET', 'experiments/get', { experiment_id: id })).json.experiment;
    expect(after.name).toBe(newName);
    expect(after.last_update_time).toBeGreaterThan(before.last_update_time);
    expect(after.creation_time).toBe(before.creation_time);
    expect((await srv.mlflow('GET', 'experiments/get-by-name', { experiment_name: newName })).json.experiment.experiment_id).toBe(id);
    expectError(await srv.mlflow('GET', 'experiments/get-by-name', { experiment_name: oldName }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('rename errors: taken name → RESOURCE_ALREADY_EXISTS, missing new_name → 400, unknown id → 404, deleted → 400', async () => {
    const taken = uniq('taken');
    await createExperiment(srv, taken);
    const id = await createExperiment(srv);
    expectError(await srv.mlflow('POST', 'experiments/update', { experiment_id: id, new_name: taken }), 400, 'RESOURCE_ALREADY_EXISTS');
    expectError(await srv.mlflow('POST', 'experiments/update', { experiment_id: id }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('new_name'));
    expectError(await srv.mlflow('POST', 'experiments/update', { experiment_id: '777777', new_name: uniq('x') }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectEmpty(await srv.mlflow('POST', 'experiments/delete', { experiment_id: id }));
    expectError(await srv.mlflow('POST', 'experiments/update', { experiment_id: id, new_name: uniq('y') }), 400, 'INVALID_PARAMETER_VALUE');
  });

  it('set-experiment-tag sets and overwrites; delete-experiment-tag (the proto path) removes', async () => {
    const id = await createExperiment(srv);
    expectEmpty(await srv.mlflow('POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'owner', value: 'ann' }));
    expectEmpty(await srv.mlflow('POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'owner', value: 'bob' }));
    expectEmpty(await srv.mlflow('POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'keep', value: '1' }));
    let tags = (await srv.mlflow('GET', 'experiments/get', { experiment_id: id })).json.experiment.tags;
    expect(kv(tags)).toEqual({ owner: 'bob', keep: '1' });
    expectEmpty(await srv.mlflow('POST', 'experiments/delete-experiment-tag', { experiment_id: id, key: 'owner' }));
    tags = (await srv.mlflow('GET', 'experiments/get', { experiment_id: id })).json.experiment.tags;
    expect(kv(tags)).toEqual({ keep: '1' });
  });

  it('experiment tag errors: missing key → 400, unknown experiment → 404, unknown tag key → 404, deleted experiment → 400', async () => {
    const id = await createExperiment(srv, undefined, { tags: [{ key: 'k', value: 'v' }] });
    expectError(await srv.mlflow('POST', 'experiments/set-experiment-tag', { experiment_id: id, value: 'v' }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('key'));
    expectError(await srv.mlflow('POST', 'experiments/set-experiment-tag', { experiment_id: '555555', key: 'k', value: 'v' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(await srv.mlflow('POST', 'experiments/delete-experiment-tag', { experiment_id: id }), 400, 'INVALID_PARAMETER_VALUE', missingMessage('key'));
    expectError(await srv.mlflow('POST', 'experiments/delete-experiment-tag', { experiment_id: '555555', key: 'k' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError(
      await srv.mlflow('POST', 'experiments/delete-experiment-tag', { experiment_id: id, key: 'nope' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
      `No tag with name: nope in experiment with id ${id}`,
    );
    expectEmpty(await srv.mlflow('POST', 'experiments/delete', { experiment_id: id }));
    expectError(await srv.mlflow('POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'w' }), 400, 'INVALID_PARAMETER_VALUE', /must be in the 'active' state/);
    expectError(await srv.mlflow('POST', 'experiments/delete-experiment-tag', { experiment_id: id, key: 'k' }), 400, 'INVALID_PARAMETER_VALUE', /must be in the 'active' state/);
    expect(kv((await srv.mlflow('GET', 'experiments/get', { experiment_id: id })).json.experiment.tags)).toEqual({ k: 'v' });
  });
});
