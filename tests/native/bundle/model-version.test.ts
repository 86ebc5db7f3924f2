// Issue #9 × #6: a bundle carries a model version with its source run. Seeded through the real
// server's MLflow API (a run with model/ artifacts, a version from it, and a version from an MLflow 3
// logged model with its own files), exported with `--model`, verified, imported into a second data
// dir (same registered model; new versions tagged with the origin number; same file digests),
// re-imported as a no-op, and a tampered model file refused with E_PAYLOAD_DIGEST.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../importers/support';
import type { Core } from '../../../native/core';
import { queryRows } from '../../../native/store/open-database';
import { modelVersionRecord } from '../../../native/registry/version-export';
import { ORIGIN_VERSION_TAG } from '../../../native/bundle/model-record';
import { startTestServer, tempDir, type TestServer } from '../../helpers/test-server';
import { ARTIFACTS, createExperiment, rawRequest } from '../mlflow-api/wire';
import { createModel, createVersion, seedRun } from '../registry/registry-wire';
import { get, put, readTree, writeTree } from './bundle-fixtures';

const NAME = 'credit-risk-clf';

/** What must survive the trip, minus what is per store (timestamps, numbering tags, storage URI). */
async function versionView(core: Core, version: number): Promise<Record<string, unknown>> {
  const rec = await modelVersionRecord(core, NAME, version);
  const { last_updated_timestamp: _u, ...model } = rec.registered_model;
  const { last_updated_timestamp: _v, version: _n, tags, ...mv } = rec.model_version;
  const ownTags = (tags as { key: string }[] | undefined ?? []).filter((t) => !t.key.startsWith('runledger.origin_'));
  const logged = rec.logged_model as { info: Record<string, unknown>; data: unknown } | null;
  const { last_updated_timestamp_ms: _l, experiment_id: _e, artifact_uri: _a, registrations: _r, ...info } = logged?.info ?? {};
  return { model, mv: { ...mv, tags: ownTags }, logged: logged ? { info, data: logged.data } : null, run: rec.source_run_id, files: rec.model_files };
}

const tagsOf = async (core: Core, version: number): Promise<Record<string, string>> =>
  Object.fromEntries((await core.registry.models.versions.mustGet(NAME, version)).tags.map((t) => [t.key, t.value]));

describe('a model version travels in a bundle with its source run', () => {
  let a: TestServer;
  let b: TestServer;
  let runId: string;
  let modelId: string;
  let exp: string;
  let bundle: string;
  const out = tempDir('runledger-model-bundle-');

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestServer(), startTestServer()]);
    expect((await cli(['keys', 'init', '--no-passphrase', '--principal', 'alice@lab.example', '--data', a.dataDir])).code).toBe(0);
    expect((await cli(['keys', 'init', '--no-passphrase', '--principal', 'bob@lab.example', '--data', b.dataDir])).code).toBe(0);
    exp = await createExperiment(a);
    runId = await seedRun(a, exp); // model/MLmodel + model/weights.bin as run artifacts
    expect((await a.mlflow('POST', 'runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() })).status).toBe(200);
    await createModel(a, NAME, { description: 'credit risk classifier', tags: [{ key: 'team', value: 'risk' }] });
    // Version 1: files are the run's artifacts. Staging, alias, tag.
    await createVersion(a, NAME, `runs:/${runId}/model`, { run_id: runId, tags: [{ key: 'reviewed', value: 'yes' }], description: 'first cut' });
    expect((await a.mlflow('POST', 'model-versions/transition-stage', { name: NAME, version: '1', stage: 'Staging', archive_existing_versions: false })).status).toBe(200);
    expect((await a.mlflow('POST', 'registered-models/alias', { name: NAME, alias: 'champion', version: '1' })).status).toBe(200);
    // Version 2: an MLflow 3 logged model whose files sit under its own id, not the run's.
    const lm = await a.mlflow('POST', 'logged-models', { experiment_id: exp, source_run_id: runId, name: 'clf', params: [{ key: 'alpha', value: '0.5' }] });
    expect(lm.status, lm.text).toBe(200);
    modelId = lm.json.model.info.model_id;
    for (const [file, body] of [['MLmodel', 'flavors: {sklearn: {}}\n'], ['model.pkl', 'pickled bytes']]) {
      expect((await rawRequest(a, 'PUT', `${ARTIFACTS}/${exp}/models/${modelId}/artifacts/${file}`, body)).status).toBe(200);
    }
    expect((await a.mlflow('PATCH', `logged-models/${modelId}`, { status: 'LOGGED_MODEL_READY' })).status).toBe(200);
    await createVersion(a, NAME, `models:/${modelId}`);
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
  });

  it('export --model NAME@ALIAS --model NAME/VERSION adds the source run; verify passes (exit 0)', async () => {
    bundle = path.join(out, 'model.runbundle');
    const r = await cli(['export', '--model', `${NAME}@champion`, '--model', `${NAME}/2`, '-o', bundle, '--data', a.dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`Exported 1 run, model ${NAME} version 1, model ${NAME} version 2 to`));
    const v = await cli(['verify', bundle, '--json', '--data', a.dataDir]);
    expect(v.code, v.out).toBe(0);
    const report = JSON.parse(v.out);
    expect(report.runs.map((x: { run_id: string }) => x.run_id)).toEqual([runId]);
    expect(report.models).toEqual([
      { name: NAME, version: 1, stage: 'Staging', aliases: ['champion'], run_id: runId, source: `runs:/${runId}/model`, files: 0 },
      { name: NAME, version: 2, stage: 'None', aliases: [], run_id: runId, source: `models:/${modelId}`, files: 2 },
    ]);
    // Ordinary payload files: in the manifest, and in the crate as a CreativeWork based on the run.
    const t = readTree(fs.readFileSync(bundle));
    const manifest = get(t, 'manifest-sha256.txt').toString();
    expect(manifest).toContain(`  data/models/${NAME}/v1/model-version.json\n`);
    expect(manifest).toContain(`  data/models/${NAME}/v2/files/model.pkl\n`);
    const crate = JSON.parse(get(t, 'data/ro-crate-metadata.json').toString());
    expect(crate['@graph']).toContainEqual(expect.objectContaining({ '@type': 'CreativeWork', identifier: `models:/${NAME}/2`, isBasedOn: { '@id': `#run-${runId}` } }));
  });

  it('open lists the model versions', async () => {
    const r = await cli(['open', bundle, '--data', b.dataDir]);
    expect(r.code).toBe(3); // B does not trust Alice yet
    expect(r.out).toMatch(/Model versions/);
    expect(r.out).toContain('champion');
  });

  it('import recreates the registered model and the versions, linked to the imported run, with the same files', async () => {
    const r = await cli(['import', bundle, '--trust', '--data', b.dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`model ${NAME} version 2 (version 2 where it was exported)`);
    for (const v of [1, 2]) {
      expect(await versionView(b.core, v)).toEqual(await versionView(a.core, v));
      expect(await tagsOf(b.core, v)).toMatchObject({ [ORIGIN_VERSION_TAG]: String(v) });
    }
    const v1 = await b.core.registry.models.versions.mustGet(NAME, 1);
    expect(v1).toMatchObject({ run_id: runId, current_stage: 'Staging', aliases: ['champion'] });
    // The storage location names B's experiment, where the run landed.
    const run = (await b.core.runs.get(runId))!;
    expect(v1.storage_location).toBe(`mlflow-artifacts:/${run.experiment_id}/${runId}/artifacts/model`);
    // Model file digests: version 1's are the run's artifacts, version 2's the logged model's; blobs present.
    const digests = async (core: Core, owner: string): Promise<unknown[]> => (await core.artifacts.all(owner)).map((f) => [f.path, f.sha256, f.size]).sort();
    expect(await digests(b.core, runId)).toEqual(await digests(a.core, runId));
    expect(await digests(b.core, modelId)).toEqual(await digests(a.core, modelId));
    for (const f of await b.core.artifacts.all(modelId)) expect(fs.existsSync(b.core.artifacts.blobPath(f.sha256))).toBe(true);
    // Served like a local version: get-download-uri answers B's location.
    const dl = await b.mlflow('GET', 'model-versions/get-download-uri', { name: NAME, version: '2' });
    expect(dl.json.artifact_uri).toBe(`mlflow-artifacts:/${run.experiment_id}/models/${modelId}/artifacts`);
    // Audited, in the import's transaction.
    const events = await queryRows<{ target_id: string }>(b.core.db.reader, "SELECT target_id FROM audit_event WHERE action = 'model.import' ORDER BY seq");
    expect(events.map((e) => e.target_id)).toEqual([`${NAME}/1`, `${NAME}/2`]);
  });

  it('re-import is a no-op', async () => {
    const count = async (): Promise<number> => Number((await queryRows<{ n: number }>(b.core.db.reader, 'SELECT count(*) AS n FROM model_versions'))[0].n);
    const before = await count();
    const r = await cli(['import', bundle, '--data', b.dataDir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('imported before; nothing changed');
    expect(await count()).toBe(before);
  });

  it('into a store that already has the model: next numbers, origin tags, local model and aliases kept', async () => {
    const c = await startTestServer();
    try {
      const localRun = await seedRun(c);
      await createModel(c, NAME, { description: 'ours' });
      await createVersion(c, NAME, `runs:/${localRun}/model`, { run_id: localRun });
      expect((await c.mlflow('POST', 'registered-models/alias', { name: NAME, alias: 'champion', version: '1' })).status).toBe(200);
      const r = await cli(['import', bundle, '--trust', '--principal', 'alice@lab.example', '--data', c.dataDir]);
      expect(r.code, r.err).toBe(0);
      for (const [here, origin] of [[2, '1'], [3, '2']] as const) {
        expect(await tagsOf(c.core, here)).toMatchObject({ [ORIGIN_VERSION_TAG]: origin });
        expect((await c.core.registry.models.versions.mustGet(NAME, here)).run_id).toBe(runId);
      }
      const model = await c.core.registry.models.mustGet(NAME);
      expect(model.description).toBe('ours');
      expect(model.aliases).toEqual([{ alias: 'champion', version: 1 }]);
    } finally {
      await c.stop();
    }
  });

  it('a tampered model file fails verification with E_PAYLOAD_DIGEST, and import refuses it', async () => {
    const t = readTree(fs.readFileSync(bundle));
    // Same length, so the Payload-Oxum still holds and the digest check is what catches it.
    put(t, `data/models/${NAME}/v2/files/model.pkl`, 'pickled BYTES');
    const bad = path.join(out, 'tampered.runbundle');
    fs.writeFileSync(bad, writeTree(t));
    const v = await cli(['verify', bad, '--json', '--data', a.dataDir]);
    expect(v.code).toBe(1);
    expect(JSON.parse(v.out).code).toBe('E_PAYLOAD_DIGEST');
    const c = tempDir('runledger-model-c-');
    expect((await cli(['import', bad, '--unverified', '--data', c])).code).toBe(1);
  });

  it('in a run set the version sits under its own run folder and verifies', async () => {
    const other = await seedRun(a, exp);
    const file = path.join(out, 'set.runbundle');
    expect((await cli(['export', other, '--model', `${NAME}/2`, '-o', file, '--data', a.dataDir])).code).toBe(0);
    const v = await cli(['verify', file, '--json', '--data', a.dataDir]);
    expect(v.code, v.out).toBe(0);
    expect(JSON.parse(v.out).models).toMatchObject([{ name: NAME, version: 2, run_id: runId }]);
    const names = [...readTree(fs.readFileSync(file)).keys()];
    expect(names.some((n) => n.endsWith(`/data/runs/${runId}/models/${NAME}/v2/files/model.pkl`))).toBe(true);
  });

  it('the RPC takes models without runs; an unknown alias is refused at once', async () => {
    const output = path.join(out, 'rpc.runbundle');
    const start = await a.call('POST', '/api/rpc/bundle.exportStart', { runs: [], models: [{ name: NAME, version: 2 }], output });
    expect(start.status, start.text).toBe(200);
    let job = start.json;
    while (job.state === 'running') job = (await a.call('POST', '/api/rpc/bundle.exportStatus', { job_id: job.job_id })).json;
    expect(job.state, job.error).toBe('done');
    expect(job.result).toMatchObject({ run_ids: [runId], models: [{ name: NAME, version: 2 }] });
    const bad = await a.call('POST', '/api/rpc/bundle.exportStart', { runs: [], models: [{ name: NAME, alias: 'nope' }], output: path.join(out, 'x.runbundle') });
    expect(bad.status).toBe(400);
  });
});
