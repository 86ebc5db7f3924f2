// Every mutation leaves an audit event, whichever door it came through (MLflow REST, RPC, CLI), and
// metric points leave none. Soft delete, restore and purge with its tombstone; checkpoints every N
// events, signed by the workstation key.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initKey, readKeyFile } from '../../../native/keys';
import { createCore } from '../../../native/core';
import { verifyAuditLog } from '../../../native/audit/verify-log';
import { parseCheckpoint } from '../../../native/audit/checkpoint-note';
import { recordAuditEvent } from '../../../native/audit/record-audit-event';
import { purgeRun } from '../../../native/store/run-purge';
import { inTransaction } from '../../../native/store/open-database';
import { startTestServer, tempDir, type TestServer } from '../../helpers/test-server';
import { makeHistory, runCli } from './support';

type Ev = { seq: number; action: string; target_id: string; os_user: string; actor_key_fpr: string | null; details: Record<string, unknown> };

describe('audit events through the MLflow API, RPC and CLI', () => {
  let srv: TestServer;
  let fingerprint: string;
  let exp: string;
  let run: string;
  const log = async (args: string[] = []): Promise<Ev[]> => JSON.parse((await runCli(['audit', 'log', '--json', '--data', srv.dataDir, ...args])).out);

  beforeAll(async () => {
    const dataDir = tempDir();
    fingerprint = initKey(dataDir, { principal: 'alice@lab.example', passphrase: null }).fingerprint;
    srv = await startTestServer({ dataDir });
    exp = (await srv.mlflow('POST', 'experiments/create', { name: 'credit-risk' })).json.experiment_id;
    run = (await srv.mlflow('POST', 'runs/create', { experiment_id: exp, run_name: 'xgb', start_time: 1_764_000_000_000 })).json.run.info.run_id;
  });
  afterAll(() => srv.stop());

  it('records run create with the actor: OS user and signing-key fingerprint', async () => {
    const [create] = (await log(['--run', run])).filter((e) => e.action === 'run.create');
    expect(create).toMatchObject({ target_id: run, actor_key_fpr: fingerprint, details: { experiment_id: exp, run_name: 'xgb' } });
    expect(create.os_user.length).toBeGreaterThan(0);
    expect(readKeyFile(srv.dataDir).fingerprint).toBe(fingerprint);
    // The key made by `keys init` (outside the store) is recorded once, before the first event it signs.
    const keys = (await log()).filter((e) => e.action === 'key.create');
    expect(keys).toEqual([expect.objectContaining({ target_id: fingerprint, details: { fingerprint, principal: 'alice@lab.example' } })]);
    expect(keys[0].seq).toBeLessThan(create.seq);
  });

  it('records tags, notes, status changes and tag deletes, but not metric points or repeated tags', async () => {
    const before = (await log()).length;
    for (let s = 0; s < 3; s++) {
      await srv.mlflow('POST', 'runs/log-batch', { run_id: run, metrics: [{ key: 'loss', value: 1 / (s + 1), timestamp: 1, step: s }] });
      await srv.mlflow('POST', 'runs/log-metric', { run_id: run, key: 'acc', value: 0.5, timestamp: 1, step: s });
    }
    expect((await log()).length).toBe(before);
    await srv.mlflow('POST', 'runs/set-tag', { run_id: run, key: 'priority', value: 'p0' });
    await srv.mlflow('POST', 'runs/log-batch', { run_id: run, tags: [{ key: 'priority', value: 'p0' }] }); // unchanged: no event
    await srv.mlflow('POST', 'runs/set-tag', { run_id: run, key: 'mlflow.note.content', value: 'first try' });
    await srv.mlflow('POST', 'runs/delete-tag', { run_id: run, key: 'priority' });
    await srv.mlflow('POST', 'runs/update', { run_id: run, status: 'FINISHED', end_time: 1_764_000_100_000 });
    const events = (await log(['--run', run])).reverse();
    expect(events.map((e) => e.action)).toEqual(['run.create', 'run.tag.set', 'run.note.edit', 'run.tag.delete', 'run.finish']);
    expect(events[1].details).toEqual({ tags: [{ key: 'priority', value: 'p0', previous: null }] });
    expect(events[2].details).toEqual({ content: 'first try', previous: null });
    expect(events[3].details).toEqual({ key: 'priority', previous: 'p0' });
    expect(events[4].details).toMatchObject({ from: 'RUNNING', to: 'FINISHED', end_time: 1_764_000_100_000 });
  });

  it('soft delete with a reason hides the run from default views; run_view_type and --view show it; restore is audited', async () => {
    expect((await runCli(['runs', 'delete', run, '--reason', 'leaked test labels', '--data', srv.dataDir])).code).toBe(0);
    const search = async (view: string): Promise<string[]> =>
      ((await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], run_view_type: view })).json.runs ?? []).map((r: { info: { run_id: string } }) => r.info.run_id);
    expect(await search('ACTIVE_ONLY')).toEqual([]);
    expect(await search('DELETED_ONLY')).toEqual([run]);
    expect(await search('ALL')).toEqual([run]);
    const ls = async (view?: string): Promise<string[]> =>
      JSON.parse((await runCli(['runs', 'ls', '--json', '--data', srv.dataDir, ...(view ? ['--view', view] : [])])).out).map((r: { run_id: string }) => r.run_id);
    expect(await ls()).toEqual([]);
    expect(await ls('deleted')).toEqual([run]);
    expect(await ls('all')).toEqual([run]);
    const [del] = await log(['--run', run]);
    expect(del).toMatchObject({ action: 'run.soft_delete', details: { reason: 'leaked test labels', was: 'active' } });
    await srv.mlflow('POST', 'runs/restore', { run_id: run });
    expect((await log(['--run', run]))[0]).toMatchObject({ action: 'run.restore', details: { delete_reason: 'leaked test labels' } });
    expect(await ls()).toEqual([run]);
  });

  it('records experiment rename, delete and restore, and the runs they took along show it in their history', async () => {
    await srv.mlflow('POST', 'experiments/update', { experiment_id: exp, new_name: 'credit-risk-v2' });
    await srv.mlflow('POST', 'experiments/delete', { experiment_id: exp });
    await srv.mlflow('POST', 'experiments/restore', { experiment_id: exp });
    const expEvents = (await log()).filter((e) => e.target_id === exp).reverse();
    expect(expEvents.map((e) => e.action)).toEqual(['experiment.create', 'experiment.rename', 'experiment.delete', 'experiment.restore']);
    expect(expEvents[1].details).toEqual({ from: 'credit-risk', to: 'credit-risk-v2' });
    expect(expEvents[2].details).toEqual({ name: 'credit-risk-v2', run_ids: [run] });
    const runHistory = (await log(['--run', run])).map((e) => e.action);
    expect(runHistory.slice(0, 2)).toEqual(['experiment.restore', 'experiment.delete']);
  });

  it('purge needs a deleted run and a reason, removes the data, keeps a tombstone and the history', async () => {
    const active = await runCli(['runs', 'purge', run, '--reason', 'gdpr', '--data', srv.dataDir]);
    expect(active.code).toBe(1);
    expect(active.err).toContain('delete it first');
    expect((await runCli(['runs', 'purge', run, '--data', srv.dataDir])).code).toBe(2);
    await runCli(['runs', 'delete', run, '--reason', 'personal data in params', '--data', srv.dataDir]);
    const purged = await runCli(['runs', 'purge', run, '--reason', 'GDPR erasure request #12', '--data', srv.dataDir]);
    expect(purged.code).toBe(0);
    expect(purged.out).toContain(`Purged ${run}`);
    expect((await srv.mlflow('GET', 'runs/get', { run_id: run })).status).toBe(404);
    expect((await srv.mlflow('GET', 'metrics/get-history', { run_id: run, metric_key: 'loss' })).status).toBe(404);
    const all = (await srv.mlflow('POST', 'runs/search', { experiment_ids: [exp], run_view_type: 'ALL' })).json.runs ?? [];
    expect(all).toEqual([]);
    const [tomb] = await srv.call('POST', '/api/rpc/audit.tombstones', { run }).then((r) => r.json);
    expect(tomb).toMatchObject({ run_id: run, run_name: 'xgb', reason: 'GDPR erasure request #12', key_fpr: fingerprint, bundle_digest: null });
    const history = await log(['--run', run]);
    expect(history[0]).toMatchObject({ action: 'run.purge', seq: tomb.audit_seq, details: { reason: 'GDPR erasure request #12', delete_reason: 'personal data in params' } });
    expect(history.at(-1)!.action).toBe('run.create');
    // The name can be used again; the old history stays provable.
    const again = (await srv.mlflow('POST', 'runs/create', { experiment_id: exp, run_name: 'xgb' })).json.run.info.run_id;
    expect(again).not.toBe(run);
    const verify = await runCli(['audit', 'verify', '--data', srv.dataDir]);
    expect(verify.code).toBe(0);
    expect(verify.out).toContain('OK');
  });

  it('the RPC and the text log agree; verify reports the state', async () => {
    const rpc = (await srv.call('POST', '/api/rpc/audit.log', { limit: 3 })).json as Ev[];
    expect(rpc).toHaveLength(3);
    expect(rpc[0].seq).toBeGreaterThan(rpc[1].seq);
    const text = await runCli(['audit', 'log', '--data', srv.dataDir]);
    expect(text.out).toMatch(/SEQ\s+WHEN \(UTC\)\s+ACTION\s+TARGET\s+WHO\s+DETAILS/);
    expect(text.out).toContain('run.purge');
    const report = (await srv.call('POST', '/api/rpc/audit.verify', {})).json;
    expect(report).toMatchObject({ ok: true, first_failure: null });
    expect(report.event_count).toBeGreaterThan(10);
  });
});

describe('purge after export', () => {
  it("keeps the digest of the run's last bundle in the tombstone", async () => {
    const dir = tempDir();
    const core = await createCore({ dataDir: dir });
    try {
      const { runIds } = await makeHistory(core); // runIds[0] is soft-deleted
      await core.runs.setLifecycle(runIds[0], 'active', 'alice', null);
      await core.writer.append(runIds[0], [0, 1, 2].map((step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 1, step })));
      await core.runs.logParams(runIds[0], [{ key: 'lr', value: '0.1' }]);
      await core.runs.setLifecycle(runIds[0], 'deleted', 'alice', 'duplicate of deep');
      // What native/bundle records after writing a bundle (target = its digest).
      await recordAuditEvent(core, { action: 'bundle.export', target: { kind: 'bundle', id: 'rb1:sha256:aa11' }, details: { run_ids: [runIds[0], runIds[1]] } });
      await recordAuditEvent(core, { action: 'bundle.export', target: { kind: 'bundle', id: 'rb1:sha256:bb22' }, details: { run_ids: [runIds[0]] } });
      await recordAuditEvent(core, { action: 'bundle.export', target: { kind: 'bundle', id: 'rb1:sha256:cc33' }, details: { run_ids: [runIds[1]] } });
      const t = await purgeRun(core, runIds[0], { reason: 'duplicate', actor: 'alice' });
      expect(t).toMatchObject({ run_id: runIds[0], bundle_digest: 'rb1:sha256:bb22', purged_by: 'alice', reason: 'duplicate' });
      expect(await core.runs.get(runIds[0])).toBeNull();
      for (const table of ['params', 'tags', 'latest_metrics']) {
        const [{ n }] = (await core.db.reader.runAndReadAll(`SELECT count(*) AS n FROM ${table} WHERE run_id = $1`, [runIds[0]])).getRowObjects();
        expect(n, table).toBe(0n);
      }
      const [{ points }] = (await core.db.reader.runAndReadAll(`SELECT (SELECT count(*) FROM metrics) + (SELECT count(*) FROM metrics_hot) AS points`)).getRowObjects();
      expect(points).toBe(0n);
      expect((await core.runs.get(runIds[1]))?.run_id).toBe(runIds[1]);
      expect((await verifyAuditLog(core.db.reader)).ok).toBe(true);
    } finally {
      await core.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkpoints', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('are made every N events and signed by the workstation key, whose log they name', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const key = initKey(dir, { principal: 'alice@lab.example', passphrase: null });
    const core = await createCore({ dataDir: dir, auditCheckpointEvery: 4 });
    try {
      await makeHistory(core);
      const cps = await core.audit.checkpoints();
      const events = (await verifyAuditLog(core.db.reader)).event_count;
      expect(cps.map((c) => c.tree_size)).toEqual(Array.from({ length: Math.floor(events / 4) }, (_, i) => 4 * (i + 1)));
      for (const c of cps) {
        expect(c.signer_fpr).toBe(key.fingerprint);
        expect(parseCheckpoint(c.note).signatures).toHaveLength(1);
      }
      const exported = await core.audit.checkpoint('export');
      expect(exported.tree_size).toBe(events);
      expect((await core.audit.checkpoint('export')).checkpoint_id).toBe(exported.checkpoint_id); // nothing new: reused
      const report = await verifyAuditLog(core.db.reader, { trustedFingerprints: [key.fingerprint] });
      expect(report).toMatchObject({ ok: true, state: 'verified', uncovered_events: 0, signers: [key.fingerprint] });
      expect((await verifyAuditLog(core.db.reader, { trustedFingerprints: ['SHA256:someone-else'] })).ok).toBe(false);
    } finally {
      await core.close();
    }
  });

  it('stay right when a mutation rolls back after its event was appended', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const core = await createCore({ dataDir: dir, auditCheckpointEvery: 2 });
    try {
      const id = await core.experiments.create('e', undefined, []);
      // A rejected mutation: its event was appended inside the transaction, then everything rolled back.
      await expect(
        inTransaction(core.db, async (con) => {
          await core.audit.append(con, { action: 'experiment.rename', target: { kind: 'experiment', id }, details: { from: 'e', to: 'x' } });
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      await core.experiments.rename(id, 'f');
      await core.experiments.rename(id, 'g');
      const r = await verifyAuditLog(core.db.reader);
      expect(r).toMatchObject({ ok: true, event_count: 3, checkpoint_count: 1 });
      expect((await core.audit.checkpoints())[0].tree_size).toBe(2);
    } finally {
      await core.close();
    }
  });

  it('without a key are stored unsigned, and verify says so', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const core = await createCore({ dataDir: dir, auditCheckpointEvery: 4 });
    try {
      await makeHistory(core);
      const cps = await core.audit.checkpoints();
      expect(cps.length).toBeGreaterThan(0);
      expect(cps.every((c) => c.signer_fpr === null && c.origin === 'runledger/log/unsigned')).toBe(true);
      const r = await verifyAuditLog(core.db.reader);
      expect(r).toMatchObject({ ok: true, state: 'unsigned', signed_checkpoint_count: 0 });
    } finally {
      await core.close();
    }
    const text = await runCli(['audit', 'verify', '--data', dir]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('not every checkpoint is signed');
  });
});
