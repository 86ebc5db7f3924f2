// Promotion rules over a seeded store, through `runledger registry …` (in-process CLI, going through
// a real server that owns the data dir) and the RPCs the Models page uses: the rule picks the right
// run, --dry-run changes nothing, a rule that nothing satisfies is refused, saved rules re-run, the
// stage change is audited, demotion takes the stage alias away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PromotionOutcome } from '../../../native/api/contract';
import { createApiClient, httpTransport, type ApiClient } from '../../../native/api/api-client';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { rawRequest } from '../mlflow-api/wire';
import { runCli as cli } from '../../helpers/run-cli';

interface Seeded {
  exp: string;
  ids: Record<string, string>;
}

/**
 * Runs of experiment `churn` (val_auc, latency_ms) and what they hold:
 *   slow     .97 / 60ms  model     (fails the latency bound)
 *   nomodel  .95 / 20ms  no model  (best match, but nothing to register)
 *   running  .93 / 30ms  model     (still RUNNING)
 *   good     .91 / 40ms  model     ← best promotable match for "val_auc > 0.85 and latency under 45ms"
 *   fast     .87 / 15ms  logged    (MLflow 3 logged model) ← lowest latency with a model
 *   weak     .80 / 10ms  model     (fails the auc bound)
 */
async function seed(srv: TestServer): Promise<Seeded> {
  const exp = (await srv.mlflow('POST', 'experiments/create', { name: 'churn' })).json.experiment_id as string;
  const ids: Record<string, string> = {};
  const runs: [string, number, number, 'artifact' | 'logged' | 'none', string][] = [
    ['slow', 0.97, 60, 'artifact', 'FINISHED'],
    ['nomodel', 0.95, 20, 'none', 'FINISHED'],
    ['running', 0.93, 30, 'artifact', 'RUNNING'],
    ['good', 0.91, 40, 'artifact', 'FINISHED'],
    ['fast', 0.87, 15, 'logged', 'FINISHED'],
    ['weak', 0.8, 10, 'artifact', 'FINISHED'],
  ];
  for (const [name, auc, latency, model, status] of runs) {
    const id = (await srv.mlflow('POST', 'runs/create', { experiment_id: exp, run_name: name, start_time: 1_764_000_000_000 })).json.run.info.run_id as string;
    ids[name] = id;
    await srv.mlflow('POST', 'runs/log-batch', {
      run_id: id,
      params: [{ key: 'lr', value: '0.01' }],
      metrics: [
        { key: 'val_auc', value: auc, timestamp: 1, step: 0 },
        { key: 'latency_ms', value: latency, timestamp: 1, step: 0 },
      ],
    });
    if (model === 'artifact') {
      for (const [file, body] of [['model/MLmodel', 'artifact_path: model\n'], ['model/model.pt', 'weights']]) {
        expect((await rawRequest(srv, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${exp}/${id}/artifacts/${file}`, body)).status).toBe(200);
      }
    } else if (model === 'logged') {
      const lm = (await srv.mlflow('POST', 'logged-models', { experiment_id: exp, name: 'model', source_run_id: id })).json.model.info.model_id as string;
      expect((await rawRequest(srv, 'PUT', `/api/2.0/mlflow-artifacts/artifacts/${exp}/models/${lm}/artifacts/MLmodel`, 'x')).status).toBe(200);
      await srv.mlflow('PATCH', `logged-models/${lm}`, { status: 'LOGGED_MODEL_READY' });
      ids.fast_model = lm;
    }
    if (status === 'FINISHED') await srv.mlflow('POST', 'runs/update', { run_id: id, status: 'FINISHED', end_time: 1_764_000_100_000 });
  }
  return { exp, ids };
}

let srv: TestServer;
let seeded: Seeded;
let client: ApiClient;
beforeAll(async () => {
  srv = await startTestServer();
  seeded = await seed(srv);
  client = createApiClient(httpTransport(srv.origin, srv.token));
});
afterAll(async () => {
  await srv.stop();
});

const RULE = 'val_auc > 0.85 and latency under 45ms';
const registered = async () => (await srv.mlflow('GET', 'registered-models/search', { filter: "name = 'churn-model'" })).json.registered_models ?? [];

describe('registry promote', () => {
  it('--dry-run names the best promotable run and changes nothing', async () => {
    const r = await cli(['registry', 'promote', 'churn-model', '--to', 'staging', '--when', RULE, '--dry-run', '--json', '--data', srv.dataDir]);
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(r.out) as PromotionOutcome;
    expect(o).toMatchObject({ dry_run: true, model: 'churn-model', stage: 'Staging', alias: 'staging', version: 1, version_action: 'created', model_created: true, audit: 'not recorded (dry run)' });
    expect(o.run.run_id).toBe(seeded.ids.good);
    expect(o.matched).toBe(4);
    expect(o.ranking).toMatch(/^val_auc, highest first \(the first metric in the condition\)/);
    expect(o.model_source).toBe(`runs:/${seeded.ids.good}/model`);
    expect(o.skipped.map((s) => s.run_id)).toEqual([seeded.ids.nomodel, seeded.ids.running]);
    expect(await registered()).toEqual([]);
    const text = await cli(['registry', 'promote', 'churn-model', '--to', 'staging', '--when', RULE, '--dry-run', '--data', srv.dataDir]);
    expect(text.out).toMatch(/^Would promote churn-model new version 1 to Staging \(alias 'staging'\)\./);
    expect(text.out).toMatch(/dry run: nothing was changed/);
    expect(await registered()).toEqual([]);
  });

  it('promotes: creates the model and version 1 from the run, stage Staging, alias staging, audited', async () => {
    const r = await cli(['registry', 'promote', 'churn-model', '--to', 'staging', '--when', RULE, '--json', '--data', srv.dataDir]);
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(r.out) as PromotionOutcome;
    expect(o).toMatchObject({ dry_run: false, version: 1, version_action: 'created', previous_stage: 'None', audit: 'recorded' });
    const v = (await srv.mlflow('GET', 'model-versions/get', { name: 'churn-model', version: '1' })).json.model_version;
    expect(v).toMatchObject({ current_stage: 'Staging', run_id: seeded.ids.good, source: `runs:/${seeded.ids.good}/model`, aliases: ['staging'] });
    const uri = await srv.mlflow('GET', 'model-versions/get-download-uri', { name: 'churn-model', version: '1' });
    expect(uri.json.artifact_uri).toBe(`mlflow-artifacts:/${seeded.exp}/${seeded.ids.good}/artifacts/model`);
    const events = await client['audit.log']({ limit: 50 });
    const promoteEvent = events.find((e) => e.action === 'model.promote');
    expect(promoteEvent).toMatchObject({ target_kind: 'model_version', target_id: 'churn-model/1' });
  });

  it('running the rule again reuses the version instead of registering it twice', async () => {
    const r = await cli(['registry', 'promote', 'churn-model', '--to', 'staging', '--when', RULE, '--json', '--data', srv.dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ version: 1, version_action: 'reused', previous_stage: 'Staging', archived: [] });
    expect((await srv.mlflow('GET', 'model-versions/search', { filter: "name = 'churn-model'" })).json.model_versions).toHaveLength(1);
  });

  it("a superlative in the rule ranks by it: lowest latency picks the MLflow 3 logged model's run", async () => {
    const r = await cli(['registry', 'promote', 'churn-model', '--to', 'production', '--when', 'lowest latency with val_auc > 0.85', '--json', '--data', srv.dataDir]);
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(r.out) as PromotionOutcome;
    expect(o.run.run_id).toBe(seeded.ids.fast);
    expect(o.ranking).toMatch(/latency_ms, lowest first \(the rule's own ordering\)/);
    expect(o).toMatchObject({ version: 2, model_source: `models:/${seeded.ids.fast_model}`, stage: 'Production', alias: 'production' });
    const v = (await srv.mlflow('GET', 'model-versions/get', { name: 'churn-model', version: '2' })).json.model_version;
    expect(v).toMatchObject({ current_stage: 'Production', model_id: seeded.ids.fast_model, run_id: seeded.ids.fast });
  });

  it('promoting another version to a held stage archives the holder and moves the alias', async () => {
    const r = await cli(['registry', 'promote', 'churn-model', '--to', 'production', '--when', RULE, '--json', '--data', srv.dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ version: 1, version_action: 'reused', previous_stage: 'Staging', archived: [2] });
    const m = (await srv.mlflow('GET', 'registered-models/get', { name: 'churn-model' })).json.registered_model;
    // v1 left Staging, so the staging alias left with it; production now names v1.
    expect(m.aliases).toEqual([{ alias: 'production', version: '1' }]);
    expect((await srv.mlflow('GET', 'model-versions/get', { name: 'churn-model', version: '2' })).json.model_version.current_stage).toBe('Archived');
  });

  it('--experiment scopes the rule; an unknown experiment is refused', async () => {
    const other = (await srv.mlflow('POST', 'experiments/create', { name: 'empty-exp' })).json.experiment_id;
    void other;
    const r = await cli(['registry', 'promote', 'churn-model', '--to', 'staging', '--when', RULE, '--experiment', 'empty-exp', '--data', srv.dataDir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/No run matches the rule "val_auc > 0.85 and latency under 45ms" in experiment 'empty-exp'/);
    const bad = await cli(['registry', 'promote', 'churn-model', '--to', 'staging', '--when', RULE, '--experiment', 'nope', '--data', srv.dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/No experiment named 'nope'/);
  });

  it('refuses when nothing matches, when matches have no model, and for bad rules; nothing changes', async () => {
    const before = await srv.mlflow('GET', 'model-versions/search', { filter: "name = 'churn-model'" });
    const none = await cli(['registry', 'promote', 'churn-model', '--to', 'staging', '--when', 'val_auc > 0.99', '--data', srv.dataDir]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/No run matches the rule "val_auc > 0.99".*Nothing was promoted\./s);
    const noModel = await cli(['registry', 'promote', 'other-model', '--to', 'staging', '--when', 'val_auc > 0.94 and latency under 25ms', '--data', srv.dataDir]);
    expect(noModel.code).toBe(1);
    expect(noModel.err).toMatch(/1 run\(s\) match .* but none can be promoted:\n  nomodel .*no model among its artifacts/s);
    const gibberish = await cli(['registry', 'promote', 'churn-model', '--to', 'staging', '--when', 'val_auc > > banana', '--data', srv.dataDir]);
    expect(gibberish.code).toBe(1);
    const demote = await cli(['registry', 'promote', 'churn-model', '--to', 'archived', '--when', RULE, '--data', srv.dataDir]);
    expect(demote.code).toBe(1);
    expect(demote.err).toMatch(/Promotion goes to Staging or Production/);
    const usage = await cli(['registry', 'promote', 'churn-model', '--to', 'staging', '--data', srv.dataDir]);
    expect(usage.code).toBe(2);
    expect((await srv.mlflow('GET', 'model-versions/search', { filter: "name = 'churn-model'" })).json).toEqual(before.json);
    expect((await srv.mlflow('GET', 'registered-models/get', { name: 'other-model' })).status).toBe(404);
  });
});

describe('saved rules', () => {
  it('--save keeps the rule; rules ls lists it; rules run re-runs it and records the result', async () => {
    const saved = await cli(['registry', 'promote', 'rules-model', '--to', 'staging', '--when', RULE, '--experiment', 'churn', '--save', 'nightly', '--dry-run', '--data', srv.dataDir]);
    expect(saved.code, saved.err).toBe(0);
    expect((await srv.mlflow('GET', 'registered-models/get', { name: 'rules-model' })).status).toBe(404);
    const ls = await cli(['registry', 'rules', 'ls', '--data', srv.dataDir]);
    expect(ls.out).toMatch(/nightly\s+rules-model\s+Staging\s+val_auc > 0.85 and latency under 45ms\s+churn\s+-\s+-/);
    const run = await cli(['registry', 'rules', 'run', 'nightly', '--json', '--data', srv.dataDir]);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ rule: 'nightly', model: 'rules-model', version: 1, run: { run_id: seeded.ids.good } });
    const rules = await client['models.rules']({});
    expect(rules[0]).toMatchObject({ name: 'nightly', last_result: { version: 1, rule: 'nightly' } });
    expect(rules[0].last_run_at).toBeTypeOf('number');
    const missing = await cli(['registry', 'rules', 'run', 'weekly', '--data', srv.dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/No promotion rule named 'weekly'/);
  });
});

describe('Models page RPCs', () => {
  it('models.list and models.get: versions with stages, aliases and their source runs', async () => {
    const list = await client['models.list']({});
    const churn = list.find((m) => m.name === 'churn-model')!;
    expect(churn.version_count).toBe(2);
    const detail = await client['models.get']({ name: 'churn-model' });
    expect(detail.versions.map((v) => [v.version, v.stage])).toEqual([[2, 'Archived'], [1, 'Production']]);
    const v1 = detail.versions[1];
    expect(v1.source_run?.run_id).toBe(seeded.ids.good);
    expect(v1.source_run?.params).toEqual({ lr: '0.01' });
    expect(v1.source_run?.metrics.val_auc).toBe(0.91);
    expect(v1.source_run).toHaveProperty('provenance');
    await expect(client['models.get']({ name: 'ghost' })).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('models.setStage demotes (and takes the stage alias away) and promotes again; both audited', async () => {
    const down = await client['models.setStage']({ model: 'churn-model', version: 1, stage: 'Archived' });
    expect(down).toMatchObject({ from: 'Production', to: 'Archived', aliases_removed: ['production'], archived: [] });
    const up = await client['models.setStage']({ model: 'churn-model', version: 2, stage: 'Production' });
    expect(up).toMatchObject({ from: 'Archived', to: 'Production', aliases_set: ['production'] });
    const events = (await client['audit.log']({ limit: 100 })).filter((e) => e.action === 'model.stage');
    expect(events.map((e) => e.target_id)).toEqual(expect.arrayContaining(['churn-model/1', 'churn-model/2']));
    await expect(client['models.setStage']({ model: 'churn-model', version: 9, stage: 'Staging' })).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    await expect(client['models.setStage']({ model: 'churn-model', version: 1, stage: 'Live' as never })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });
});

describe('registry ls / show', () => {
  it('prints models and versions', async () => {
    const ls = await cli(['registry', 'ls', '--data', srv.dataDir]);
    expect(ls.code).toBe(0);
    expect(ls.out).toMatch(/churn-model\s+2\s+Archived: v1, Production: v2\s+production→v2/);
    const show = await cli(['registry', 'show', 'churn-model', '--data', srv.dataDir]);
    expect(show.out).toMatch(/v1\s+Archived\s+-\s+good \(/);
    expect(show.out).toMatch(/v2\s+Production\s+production\s+fast \(/);
    const help = await cli(['registry', '--help']);
    expect(help.out).toMatch(/registry promote MODEL --to staging\|production --when "CONDITION"/);
    expect((await cli(['--help'])).out).toMatch(/registry promote\|rules\|ls\|show/);
  });
});
