// An `mlruns` tree written by the test in the layout MLflow's FileStore documents
// (mlflow/store/tracking/file_store.py): experiments with meta.yaml and tags/, runs with meta.yaml,
// params/, tags/, metrics/ (`timestamp value step` lines, keys with '/' as nested files), artifacts/,
// a deleted run, and a deleted experiment in .trash. Then imported, checked, and imported again.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../native/api/contract';
import { createApiClient, inProcess } from '../../../native/api/api-client';
import { createHandlers } from '../../../native/api/handlers';
import { queryRows } from '../../../native/store/open-database';
import { cli, copyTree, count, importInto, openStore, storedPoints, tempDir } from './support';

const T0 = 1_764_000_000_000;
const uuid = (): string => crypto.randomBytes(16).toString('hex');

function write(file: string, text: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** yaml.safe_dump(default_flow_style=False) of a flat dict: sorted keys, strings quoted when they look like numbers. */
function metaYaml(fields: Record<string, string | number | null | []>): string {
  return Object.keys(fields)
    .sort()
    .map((k) => {
      const v = fields[k];
      if (v === null) return `${k}: null`;
      if (Array.isArray(v)) return `${k}: []`;
      if (typeof v === 'number') return `${k}: ${v}`;
      return `${k}: ${/^\d+$/.test(v) || v === '' ? `'${v}'` : v}`;
    })
    .join('\n')
    .concat('\n');
}

function experiment(root: string, id: string, name: string, stage: 'active' | 'deleted', tags: Record<string, string> = {}): string {
  const dir = path.join(root, stage === 'deleted' ? '.trash' : '', id);
  write(path.join(dir, 'meta.yaml'), metaYaml({ artifact_location: `file://${path.join(root, id)}`, creation_time: T0, experiment_id: id, last_update_time: T0, lifecycle_stage: stage, name }));
  for (const [k, v] of Object.entries(tags)) write(path.join(dir, 'tags', k), v);
  return dir;
}

interface RunSpec {
  name: string;
  status: number;
  stage?: 'active' | 'deleted';
  deletedTime?: number;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: Record<string, string>;
  artifacts?: Record<string, Buffer | string>;
  /** Artifacts proxied by `mlflow server`: kept in mlartifacts/ beside mlruns/. */
  proxied?: boolean;
}

function run(expDir: string, expId: string, spec: RunSpec): string {
  const id = uuid();
  const dir = path.join(expDir, id);
  write(
    path.join(dir, 'meta.yaml'),
    metaYaml({
      artifact_uri: spec.proxied ? `mlflow-artifacts:/${expId}/${id}/artifacts` : `file://${path.join(dir, 'artifacts')}`, end_time: T0 + 100_000, entry_point_name: '', experiment_id: expId, lifecycle_stage: spec.stage ?? 'active',
      run_id: id, run_name: spec.name, run_uuid: id, source_name: '', source_type: 4, source_version: '', start_time: T0, status: spec.status, tags: [], user_id: 'alice',
      ...(spec.deletedTime ? { deleted_time: spec.deletedTime } : {}),
    }),
  );
  for (const [k, v] of Object.entries(spec.params ?? {})) write(path.join(dir, 'params', k), v);
  for (const [k, v] of Object.entries({ 'mlflow.runName': spec.name, 'mlflow.user': 'alice', ...spec.tags })) write(path.join(dir, 'tags', k), v);
  for (const [k, v] of Object.entries(spec.metrics ?? {})) write(path.join(dir, 'metrics', k), v);
  const artifacts = spec.proxied ? path.join(path.dirname(path.dirname(expDir)), 'mlartifacts', expId, id, 'artifacts') : path.join(dir, 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  for (const [k, v] of Object.entries(spec.artifacts ?? {})) write(path.join(artifacts, k), v);
  return id;
}

const MODEL = crypto.randomBytes(50_000);

function writeMlruns(root: string): Record<string, string> {
  const d = experiment(root, '0', 'Default', 'active');
  const e = experiment(root, '421957328946', 'credit-risk', 'active', { team: 'risk', 'mlflow.note.content': 'baseline sweep' });
  const old = experiment(root, '987', 'old-exp', 'deleted');
  write(path.join(root, 'models', 'm1', 'meta.yaml'), 'name: m1\n'); // the model registry: not an experiment
  write(path.join(e, 'datasets', 'abc', 'meta.yaml'), 'name: train\ndigest: x\n'); // a reserved folder, not a run
  return {
    quick: run(d, '0', { name: 'quick-check', status: 3, metrics: { acc: `${T0} 0.5 0\n` }, proxied: true, artifacts: { 'plot.png': 'png bytes' } }),
    baseline: run(e, '421957328946', {
      name: 'xgb-baseline',
      status: 3,
      params: { lr: '0.1', model: 'xgb', 'optimizer/betas': '(0.9, 0.999)' },
      tags: { priority: 'p0', 'mlflow.source.name': 'train.py' },
      metrics: {
        val_auc: `${T0} 0.81 0\n${T0 + 1} 0.83 1\n${T0 + 2} nan 2\n`,
        'train/loss': `${T0} inf 0\n${T0 + 5} -inf 1\n${T0 + 9} -0.0 2\n${T0 + 12} 1e-05 3\n${T0 + 13} 2.5 2\n`,
      },
      artifacts: { 'model/model.pkl': MODEL, 'notes.txt': 'tree depth 6\n' },
    }),
    failed: run(e, '421957328946', { name: 'xgb-deleted', status: 4, stage: 'deleted', deletedTime: T0 + 200_000, metrics: { val_auc: `${T0} 0.7 0\n` } }),
    archived: run(old, '987', { name: 'from-last-year', status: 3, stage: 'deleted', params: { lr: '0.5' } }),
  };
}

describe('MLflow file store (mlruns)', () => {
  let store: Awaited<ReturnType<typeof openStore>>;
  let mlruns: string;
  let ids: Record<string, string>;
  let summary: ImportSummary;
  const byName = (name: string) => summary.runs.find((r) => r.name === name)!;

  beforeAll(async () => {
    store = await openStore();
    mlruns = path.join(tempDir(), 'mlruns');
    ids = writeMlruns(mlruns);
    summary = await importInto(store.core, mlruns);
  });
  afterAll(() => store.close());

  it('imports every run into its experiment; deleted ones stay deleted', async () => {
    expect(summary.outcome).toBe('complete');
    expect(summary.format).toBe('mlflow-dir');
    expect(summary.counts).toMatchObject({ runs_imported: 4, experiments_created: 2, damaged_records: 0 });
    const client = createApiClient(inProcess(createHandlers(store.core)));
    const exps = await queryRows<{ name: string; lifecycle_stage: string; n: number }>(
      store.core.db.reader,
      'SELECT e.name, e.lifecycle_stage, (SELECT count(*) FROM runs r WHERE r.experiment_id = e.experiment_id) AS n FROM experiments e ORDER BY e.name',
    );
    expect(exps.map((e) => [e.name, e.lifecycle_stage, Number(e.n)])).toEqual([
      ['Default', 'active', 1],
      ['credit-risk', 'active', 2],
      ['old-exp', 'deleted', 1],
    ]);
    const active = await client['runs.list']({ view: 'active' });
    expect(active.map((r) => r.run_name).sort()).toEqual(['quick-check', 'xgb-baseline']);
    const deleted = await client['runs.get']({ run: byName('xgb-deleted').run_id! });
    expect(deleted).toMatchObject({ lifecycle_stage: 'deleted', status: 'FAILED', deleted_at: T0 + 200_000 });
    const archived = await client['runs.get']({ run: byName('from-last-year').run_id! });
    expect(archived).toMatchObject({ lifecycle_stage: 'deleted', experiment: 'old-exp', params: { lr: '0.5' } });
  });

  it('keeps names, times, user, status, params and tags (keys with / included)', async () => {
    const client = createApiClient(inProcess(createHandlers(store.core)));
    const r = await client['runs.get']({ run: byName('xgb-baseline').run_id! });
    expect(r).toMatchObject({ run_name: 'xgb-baseline', experiment: 'credit-risk', status: 'FINISHED', start_time: T0, end_time: T0 + 100_000, user_id: 'alice' });
    expect(r.params).toEqual({ lr: '0.1', model: 'xgb', 'optimizer/betas': '(0.9, 0.999)' });
    expect(r.tags).toMatchObject({ priority: 'p0', 'mlflow.source.name': 'train.py', 'mlflow.runName': 'xgb-baseline', 'runledger.import.source_run_id': ids.baseline });
    const exp = await store.core.experiments.getByName('credit-risk');
    expect(exp!.tags).toEqual([{ key: 'mlflow.note.content', value: 'baseline sweep' }, { key: 'team', value: 'risk' }]);
  });

  it('keeps every metric point: NaN, ±Infinity, -0 and a step that goes back', async () => {
    const runId = byName('xgb-baseline').run_id!;
    const auc = await storedPoints(store.core, runId, 'val_auc');
    expect(auc.map((p) => [p.step, p.ts])).toEqual([[0, T0], [1, T0 + 1], [2, T0 + 2]]);
    expect(auc.map((p) => p.value)).toEqual([0.81, 0.83, NaN]);
    const loss = await storedPoints(store.core, runId, 'train/loss');
    expect(loss.map((p) => p.value)).toEqual([Infinity, -Infinity, -0, 1e-5, 2.5]);
    expect(Object.is(loss[2].value, -0)).toBe(true);
    expect(loss.map((p) => p.ts)).toEqual([T0, T0 + 5, T0 + 9, T0 + 12, T0 + 13]);
    expect(summary.counts.points).toBe(1 + 3 + 5 + 1);
  });

  it('copies artifacts byte for byte, nested folders included', async () => {
    const runId = byName('xgb-baseline').run_id!;
    const arts = await store.core.artifacts.all(runId);
    expect(arts.map((a) => [a.path, a.size])).toEqual([['model/model.pkl', MODEL.length], ['notes.txt', 13]]);
    expect(arts[0].sha256).toBe(crypto.createHash('sha256').update(MODEL).digest('hex'));
    expect(fs.readFileSync(store.core.artifacts.blobPath(arts[0].sha256)).equals(MODEL)).toBe(true);
    expect(fs.existsSync(path.join(store.dataDir, 'artifacts/runs', runId, 'metrics.parquet'))).toBe(true);
    // A tracking server's proxied artifacts (mlflow-artifacts:/…) are found in mlartifacts/ beside mlruns/.
    const proxied = await store.core.artifacts.all(byName('quick-check').run_id!);
    expect(proxied.map((a) => [a.path, a.size, a.media_type])).toEqual([['plot.png', 9, 'image/png']]);
  });

  it('importing again, or a copy of the store from elsewhere, creates nothing new', async () => {
    const tables = ['runs', 'params', 'tags', 'artifacts', 'experiments', 'latest_metrics', 'metric_points'];
    const before = await Promise.all(tables.map((t) => count(store.core, `SELECT count(*) AS n FROM ${t}`)));
    const again = await importInto(store.core, mlruns);
    expect(again.outcome).toBe('complete');
    expect(again.counts).toMatchObject({ runs_imported: 0, runs_already_there: 4, points: 0, experiments_created: 0 });
    expect(again.runs.map((r) => r.run_id).sort()).toEqual(summary.runs.map((r) => r.run_id).sort());
    const copy = copyTree(mlruns, path.join(tempDir(), 'mlruns-copy'));
    const viaCopy = await importInto(store.core, copy);
    expect(viaCopy.counts).toMatchObject({ runs_imported: 0, runs_already_there: 4 });
    const after = await Promise.all(tables.map((t) => count(store.core, `SELECT count(*) AS n FROM ${t}`)));
    expect(after).toEqual(before);
  });

  it('a malformed metric line is reported with file and byte offset; the rest imports (exit 4)', async () => {
    const root = path.join(tempDir(), 'mlruns');
    const e = experiment(root, '0', 'Default', 'active');
    const id = run(e, '0', { name: 'half-written', status: 1, metrics: { loss: `${T0} 1.5 0\n${T0 + 1} oops 1\n${T0 + 2} 0.5 2\n${T0 + 3} 0.25 3` } }); // no newline at the end
    const data = tempDir();
    const r = await cli(['import', root, '--data', data]);
    expect(r.code).toBe(4);
    expect(r.out).toContain(`${path.join(e, id, 'metrics', 'loss')} at byte ${`${T0} 1.5 0\n`.length}: not a "timestamp value step" line`);
    const shown = await cli(['runs', 'show', 'half-written', '--json', '--data', data]);
    const detail = JSON.parse(shown.out);
    // RUNNING in the source store; nothing logs to it here, so it shows as interrupted.
    expect(['RUNNING', 'INTERRUPTED']).toContain(detail.status);
    expect(detail.metric_summaries[0]).toMatchObject({ key: 'loss', count: 3, step: 3, value: 0.25 });
  });
});
