// The conformance check that counts most: the unmodified `mlflow` Python client, driven by
// tests/e2e/mlflow_client_smoke.py, against a real Runledger server (real DuckDB file, real HTTP).
//
// Runs only where `import mlflow` works for the chosen interpreter; PyPI is not reachable on the
// project's machines, so nothing here installs it. Point the test at an interpreter / source tree with
//   RUNLEDGER_MLFLOW_PYTHON      python executable (default `python3`)
//   RUNLEDGER_MLFLOW_PYTHONPATH  prepended to PYTHONPATH (e.g. an MLflow source checkout)
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type ApiResponse, type TestServer } from '../helpers/test-server';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SMOKE = path.join(HERE, 'mlflow_client_smoke.py');
const PYTHON = process.env.RUNLEDGER_MLFLOW_PYTHON || 'python3';
const SMOKE_TIMEOUT_MS = 240_000;

/** The environment the Python child gets: ours, minus any MLflow settings, plus the extra PYTHONPATH. */
function pythonEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MLFLOW_')) env[k] = v;
  const extraPath = process.env.RUNLEDGER_MLFLOW_PYTHONPATH;
  if (extraPath) env.PYTHONPATH = env.PYTHONPATH ? `${extraPath}${path.delimiter}${env.PYTHONPATH}` : extraPath;
  env.PYTHONDONTWRITEBYTECODE = '1';
  env.PYTHONUNBUFFERED = '1';
  return { ...env, ...extra };
}

interface Probe {
  ok: boolean;
  version?: string;
  reason?: string;
}

function probeMlflow(): Probe {
  const r = spawnSync(PYTHON, ['-c', 'import mlflow, sys; sys.stdout.write(mlflow.__version__)'], {
    env: pythonEnv(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) return { ok: false, reason: `${PYTHON}: ${r.error.message}` };
  if (r.status !== 0) {
    const last = (r.stderr || '').trim().split('\n').pop() ?? '';
    return { ok: false, reason: `${PYTHON} -c "import mlflow" exited ${r.status ?? r.signal}: ${last}` };
  }
  return { ok: true, version: r.stdout.trim() };
}

const probe = probeMlflow();
if (!probe.ok) {
  console.warn(
    `SKIPPING the real-MLflow-client test: real mlflow client not importable here (${probe.reason}); set RUNLEDGER_MLFLOW_PYTHON / RUNLEDGER_MLFLOW_PYTHONPATH to run it`,
  );
}

interface SmokeSummary {
  mlflow_version: string;
  experiment_name: string;
  experiment_id: string;
  parent_run_id: string;
  child_run_id: string;
  failed_run_id: string;
  page_run_ids: string[];
  other_experiment_id: string;
  renamed_experiment_name: string;
  large_run_id: string;
  long_history_run_id: string;
  renamed_run: { run_id: string; run_name: string };
  dataset?: { name: string; digest: string };
  figure?: string;
}

interface SmokeResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Asynchronous on purpose: the server under test runs in this process, so spawnSync would deadlock. */
function runSmoke(srv: TestServer, suffix: string): Promise<SmokeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SMOKE], {
      env: pythonEnv({
        MLFLOW_TRACKING_URI: srv.origin, // no trailing slash
        MLFLOW_TRACKING_TOKEN: srv.token,
        // A 5xx from us is a bug to see at once, not something to retry for minutes.
        MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
        MLFLOW_HTTP_REQUEST_TIMEOUT: '60',
        RUNLEDGER_SMOKE_SUFFIX: suffix,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), SMOKE_TIMEOUT_MS - 10_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

type Kv = { key: string; value: string };

function kvMap(list: Kv[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((t) => [t.key, t.value]));
}

function ok(res: ApiResponse, what: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any -- API JSON
  expect(res.status, `${what}: ${res.text.slice(0, 500)}`).toBe(200);
  return res.json;
}

describe('the unmodified MLflow Python client against a real Runledger server', () => {
  if (!probe.ok) {
    it.skip(`real mlflow client not importable (${probe.reason})`, () => undefined);
    return;
  }

  let srv: TestServer;
  let result: SmokeResult;
  let summary: SmokeSummary;
  const suffix = `e2e${Date.now().toString(36)}`;

  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it(`mlflow ${probe.version}: mlflow_client_smoke.py passes every check`, { timeout: SMOKE_TIMEOUT_MS }, async () => {
    result = await runSmoke(srv, suffix);
    // The script prints its summary even when some sections failed, so the read-back tests below still run.
    const line = result.output.split('\n').find((l) => l.startsWith('SMOKE_SUMMARY '));
    if (line) summary = JSON.parse(line.slice('SMOKE_SUMMARY '.length)) as SmokeSummary;
    const failures = result.output.split('\n').filter((l) => /^(FAIL|  \[)/.test(l));
    const tail = result.output.split('\n').slice(-40).join('\n');
    expect(result.code, `smoke script exited ${result.code ?? result.signal}:\n${failures.join('\n')}\n--- output tail:\n${tail}`).toBe(0);
    expect(result.output).toMatch(/^OK \d+ checks$/m);
    expect(line, 'SMOKE_SUMMARY line').toBeDefined();
    expect(summary.mlflow_version).toBe(probe.version);
    expect(summary.experiment_name).toBe(`smoke-${suffix}`);
  });

  describe('what the client logged is in the store (read back through our own API)', () => {
    const needSummary = (): SmokeSummary => {
      if (!summary) throw new Error('the smoke script did not finish; see the test above');
      return summary;
    };

    it('experiments: created, renamed, tagged', async () => {
      const s = needSummary();
      const exp = ok(await srv.mlflow('GET', 'experiments/get-by-name', { experiment_name: s.experiment_name }), 'get-by-name').experiment;
      expect(exp.experiment_id).toBe(s.experiment_id);
      expect(exp.lifecycle_stage).toBe('active');
      expect(kvMap(exp.tags)).toMatchObject({ exp_tag: 'v2', other: 'o' });
      const renamed = ok(await srv.mlflow('GET', 'experiments/get', { experiment_id: s.other_experiment_id }), 'get').experiment;
      expect(renamed.name).toBe(s.renamed_experiment_name);
      expect(renamed.lifecycle_stage).toBe('active');
      const old = await srv.mlflow('GET', 'experiments/get-by-name', { experiment_name: `smoke-${suffix}-other` });
      expect(old.status).toBe(404);
      expect(old.json.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    });

    it('the parent run: params, tags, latest metrics, NaN and infinities, dataset input', async () => {
      const s = needSummary();
      const run = ok(await srv.mlflow('GET', 'runs/get', { run_id: s.parent_run_id }), 'runs/get').run;
      expect(run.info).toMatchObject({ run_id: s.parent_run_id, run_name: 'smoke-parent', status: 'FINISHED', experiment_id: s.experiment_id, lifecycle_stage: 'active' });
      expect(kvMap(run.data.params)).toEqual({ lr: '0.01', batch_size: '32', optimizer: 'adam', note: 'x'.repeat(10_000) });
      const tags = kvMap(run.data.tags);
      expect(tags).toMatchObject({ team: 'anchor', stage: 'smoke', phase: 'train-2', owner: 'smoke', 'mlflow.runName': 'smoke-parent' });
      expect(tags).not.toHaveProperty('temp');
      const metrics = Object.fromEntries((run.data.metrics as { key: string; value: number | string }[]).map((m) => [m.key, m.value]));
      expect(metrics).toMatchObject({ acc: 0.56, special: 0.25, only_nan: 'NaN', only_inf: 'Infinity', only_neg_inf: '-Infinity', plain: 3.5 });
      expect(metrics.loss).toBeCloseTo(0.1 / 6, 12);
      if (s.dataset) {
        const inputs = run.inputs.dataset_inputs as { dataset: { name: string; digest: string }; tags: Kv[] }[];
        expect(inputs).toHaveLength(1);
        expect(inputs[0].dataset).toMatchObject({ name: s.dataset.name, digest: s.dataset.digest });
        expect(kvMap(inputs[0].tags)).toMatchObject({ 'mlflow.data.context': 'training', split: 'train' });
      }
      const hist = ok(await srv.mlflow('GET', 'metrics/get-history', { run_id: s.parent_run_id, metric_key: 'special' }), 'get-history').metrics as {
        step: number;
        value: number | string;
      }[];
      expect(hist.sort((a, b) => a.step - b.step).map((m) => m.value)).toEqual(['NaN', 'Infinity', '-Infinity', -0, 1e308, 0.25]);
      expect(Object.is(hist[3].value, -0)).toBe(true);
    });

    it('runs/search finds the nested, failed and paged runs', async () => {
      const s = needSummary();
      const search = async (body: Record<string, unknown>): Promise<any[]> => { // eslint-disable-line @typescript-eslint/no-explicit-any -- API JSON
        const runs: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any -- API JSON
        let token: string | undefined;
        for (let i = 0; i < 50; i++) {
          const page = ok(await srv.mlflow('POST', 'runs/search', { experiment_ids: [s.experiment_id], max_results: 3, ...body, ...(token ? { page_token: token } : {}) }), 'runs/search');
          runs.push(...(page.runs ?? []));
          token = page.next_page_token;
          if (!token) return runs;
        }
        throw new Error('runs/search pagination did not end');
      };
      const children = await search({ filter: `tags.mlflow.parentRunId = '${s.parent_run_id}'` });
      expect(children.map((r) => r.info.run_id)).toEqual([s.child_run_id]);
      expect(children[0].info.status).toBe('KILLED');
      const pages = await search({ filter: "params.kind = 'page'", order_by: ['metrics.score ASC'] });
      expect(pages.map((r) => r.info.run_id)).toEqual(s.page_run_ids);
      expect(pages.every((r) => r.info.lifecycle_stage === 'active')).toBe(true);
      const renamed = await search({ filter: `attributes.run_name = '${s.renamed_run.run_name}'` });
      expect(renamed.map((r) => [r.info.run_id, r.info.status])).toEqual([[s.renamed_run.run_id, 'KILLED']]);
      const large = ok(await srv.mlflow('GET', 'runs/get', { run_id: s.large_run_id }), 'runs/get large').run;
      expect(large.data.params).toHaveLength(250);
      expect(large.data.metrics).toHaveLength(2500);
    });

    it('metric history of 30,000 points, and the artifacts, through the MLflow endpoints', async () => {
      const s = needSummary();
      let n = 0;
      let token: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = ok(
          await srv.mlflow('GET', 'metrics/get-history', { run_id: s.long_history_run_id, metric_key: 'long', max_results: 25000, ...(token ? { page_token: token } : {}) }),
          'get-history long',
        );
        n += (page.metrics ?? []).length;
        token = page.next_page_token;
        if (!token) break;
      }
      expect(n).toBe(30_000);

      const base = `${s.experiment_id}/${s.parent_run_id}/artifacts`;
      const list = async (sub: string): Promise<Record<string, boolean>> => {
        const res = ok(await srv.call('GET', '/api/2.0/mlflow-artifacts/artifacts', { path: sub ? `${base}/${sub}` : base }), `list ${sub}`);
        return Object.fromEntries(((res.files ?? []) as { path: string; is_dir: boolean }[]).map((f) => [f.path, f.is_dir]));
      };
      expect(await list('')).toMatchObject({ 'hello.txt': false, sub: true, bundle: true, cfg: true, notes: true, ...(s.figure ? { plots: true } : {}) });
      expect(await list('sub/dir')).toEqual({ 'hello.txt': false });
      const cfg = await srv.call('GET', `/api/2.0/mlflow-artifacts/artifacts/${base}/cfg/config.json`);
      expect(cfg.status).toBe(200);
      expect(JSON.parse(cfg.text)).toEqual({ lr: 0.01, layers: [64, 32], name: 'smoke', nested: { ok: true } });
    });
  });
});
