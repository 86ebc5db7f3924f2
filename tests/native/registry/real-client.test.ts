// The unmodified MLflow Python client against the registry (mlflow_registry_client.py beside this
// file): log_model(registered_model_name=…), register_model, transition_model_version_stage,
// set_registered_model_alias, loading the model back by alias. Runs where `import mlflow.pyfunc`
// works for RUNLEDGER_MLFLOW_PYTHON (default python3) with RUNLEDGER_MLFLOW_PYTHONPATH prepended;
// elsewhere it is skipped with the reason printed. Nothing here installs MLflow.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'mlflow_registry_client.py');
const PYTHON = process.env.RUNLEDGER_MLFLOW_PYTHON || 'python3';

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MLFLOW_')));
  const extraPath = process.env.RUNLEDGER_MLFLOW_PYTHONPATH;
  if (extraPath) env.PYTHONPATH = [extraPath, env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  return { ...env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', ...extra };
}

const probe = spawnSync(PYTHON, ['-c', 'import mlflow.pyfunc, cloudpickle'], { env: childEnv(), encoding: 'utf8', timeout: 120_000 });
const skipReason = probe.error
  ? `${PYTHON}: ${probe.error.message}`
  : probe.status !== 0
    ? `${PYTHON} -c "import mlflow.pyfunc" failed: ${(probe.stderr || '').trim().split('\n').pop()}`
    : null;
if (skipReason) console.warn(`SKIPPING the real-MLflow-client registry test: ${skipReason}; set RUNLEDGER_MLFLOW_PYTHON / RUNLEDGER_MLFLOW_PYTHONPATH to run it`);

/** Asynchronous: the server under test lives in this process. */
function runClient(srv: TestServer): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], {
      env: childEnv({
        MLFLOW_TRACKING_URI: srv.origin,
        MLFLOW_TRACKING_TOKEN: srv.token,
        MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0', // a 5xx from us is a bug to see at once
        MLFLOW_HTTP_REQUEST_TIMEOUT: '60',
        RUNLEDGER_SMOKE_SUFFIX: Date.now().toString(36),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 200_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.skipIf(skipReason !== null)('the real MLflow client against the registry', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('log_model(registered_model_name=…), register_model, stages, aliases, load by alias', async () => {
    const { code, output } = await runClient(srv);
    expect(code, output.slice(-4000)).toBe(0);
    const line = output.split('\n').find((l) => l.startsWith('SUMMARY '));
    expect(line, output.slice(-4000)).toBeDefined();
    const s = JSON.parse(line!.slice('SUMMARY '.length));
    expect(s.v2).toBe('2');
    expect(s.v2_run_id).toBe(s.run_id);
    expect(s.staged_stage).toBe('Staging');
    expect(s.by_alias_version).toBe('2');
    expect(s.latest).toEqual(['1:Production', '2:Staging']);
    expect(s.versions).toEqual(['1', '2']);
    expect(s.models).toEqual([s.name]);
    expect(s.prediction).toEqual([1, 2, 3]);
    expect(s.aliases_after_delete).toEqual({});
    expect(s.tags).toEqual({ team: 'risk' });

    // What log_model left in the store: the model's files in the run, version 1 linked to the run,
    // and the 2.x log-model record on the run.
    const v1 = (await srv.mlflow('GET', 'model-versions/get', { name: s.name, version: '1' })).json.model_version;
    expect(v1.run_id).toBe(s.run_id);
    const uri = (await srv.mlflow('GET', 'model-versions/get-download-uri', { name: s.name, version: '1' })).json.artifact_uri;
    expect(uri).toMatch(new RegExp(`^mlflow-artifacts:/\\d+/${s.run_id}/artifacts/model$`));
    const files = await srv.mlflow('GET', 'artifacts/list', { run_id: s.run_id, path: 'model' });
    expect(files.json.files.map((f: { path: string }) => f.path)).toContain('model/MLmodel');
    const run = (await srv.mlflow('GET', 'runs/get', { run_id: s.run_id })).json.run;
    const history = run.data.tags.find((t: { key: string }) => t.key === 'mlflow.log-model.history');
    expect(JSON.parse(history.value)[0].artifact_path).toBe('model');
  }, 240_000);
});
