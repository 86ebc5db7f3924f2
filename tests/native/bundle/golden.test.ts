// BUNDLE.md §7.1 item 1, end to end through the CLI and two real servers: export on Alice's
// workstation, import on a colleague's (trusted signer) with identical rows and artifact digests;
// re-import is a no-op; export is byte-deterministic with a fixed clock; imported runs are read-only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../importers/support';
import { queryRows } from '../../../native/store/open-database';
import type { Core } from '../../../native/core';
import { startTestServer, tempDir, type TestServer } from '../../helpers/test-server';
import { FIXED_CLOCK, readTree, resign, seedRun, strangerSigner, writeTree } from './bundle-fixtures';


async function rowsOf(core: Core, runId: string): Promise<Record<string, unknown>> {
  const q = (sql: string): Promise<Record<string, unknown>[]> => queryRows(core.db.reader, sql, [runId]);
  await core.writer.syncSummaries();
  const [run] = await q('SELECT run_id, run_name, user_id, status, start_time, end_time, lifecycle_stage FROM runs WHERE run_id = ?');
  return {
    run,
    params: await q('SELECT key, value FROM params WHERE run_id = ? ORDER BY key'),
    tags: await q('SELECT key, value FROM tags WHERE run_id = ? ORDER BY key'),
    points: (await q('SELECT key, step, ts, value FROM metric_points WHERE run_id = ? ORDER BY key, step, ts')).map((p) => ({ ...p, value: String(p.value) })),
    artifacts: await q('SELECT path, sha256, size, media_type FROM artifacts WHERE run_id = ? ORDER BY path'),
    inputs: await q('SELECT dataset_name, dataset_digest, context, tags FROM run_inputs WHERE run_id = ? ORDER BY dataset_name'),
    datasets: await queryRows(core.db.reader, 'SELECT d.name, d.digest, d.source FROM datasets d JOIN run_inputs i ON i.dataset_name = d.name AND i.dataset_digest = d.digest WHERE i.run_id = ?', [runId]),
  };
}

describe('golden path: export → import on a second workstation', () => {
  let a: TestServer;
  let b: TestServer;
  let runId: string;
  let bundle: string;
  const out = tempDir('runledger-golden-');

  beforeAll(async () => {
    a = await startTestServer();
    b = await startTestServer();
    runId = await seedRun(a.core);
    expect((await cli(['keys', 'init', '--no-passphrase', '--principal', 'alice@lab.example', '--data', a.dataDir])).code).toBe(0);
    expect((await cli(['keys', 'init', '--no-passphrase', '--principal', 'bob@lab.example', '--data', b.dataDir])).code).toBe(0);
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
  });

  it('exports through the running server, byte-identical twice with a fixed clock', async () => {
    bundle = path.join(out, 'alice.runbundle');
    const r1 = await cli(['export', runId, '-o', bundle, '--fixed-clock', FIXED_CLOCK.toISOString(), '--data', a.dataDir]);
    expect(r1.err).toMatch(/^export: hashing…/); // progress on stderr; a small bundle is done before the next poll
    expect(r1.code).toBe(0);
    expect(r1.out).toMatch(/Exported 1 run to .*alice\.runbundle/);
    expect(r1.out).toMatch(/bundle digest rb1:sha256:[0-9a-f]{64}/);
    const again = path.join(out, 'again.runbundle');
    expect((await cli(['export', runId, '-o', again, '--fixed-clock', FIXED_CLOCK.toISOString(), '--data', a.dataDir])).code).toBe(0);
    expect(fs.readFileSync(again).equals(fs.readFileSync(bundle))).toBe(true);
    // No .partial leftovers.
    expect(fs.readdirSync(out).sort()).toEqual(['again.runbundle', 'alice.runbundle']);
    // Refuses to overwrite.
    expect((await cli(['export', runId, '-o', bundle, '--data', a.dataDir])).code).toBe(1);
  });

  it('verify: exit 0 for the signer itself, 3 on a workstation that does not trust her', async () => {
    const mine = await cli(['verify', bundle, '--data', a.dataDir]);
    expect(mine.code).toBe(0);
    expect(mine.out).toContain('TRUSTED');
    const theirs = await cli(['verify', bundle, '--json', '--data', b.dataDir]);
    expect(theirs.code).toBe(3);
    expect(JSON.parse(theirs.out).signer).toMatchObject({ trust_state: 'untrusted', principal: null, claimed_principal: 'alice@lab.example' });
    const open = await cli(['open', bundle, '--data', b.dataDir]);
    expect(open.code).toBe(3);
    expect(open.out).toContain(runId);
    expect(open.out).toContain('xgb-deep');
  });

  it('import refuses an untrusted signer (exit 3, nothing stored), then --trust imports identical rows', async () => {
    const refused = await cli(['import', bundle, '--data', b.dataDir]);
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(/UNTRUSTED/);
    expect(await b.core.runs.get(runId)).toBeNull();

    const ok = await cli(['import', bundle, '--trust', '--data', b.dataDir]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/imported 1 run from rb1:sha256:/);
    expect(await rowsOf(b.core, runId)).toEqual(await rowsOf(a.core, runId));
    const [row] = await queryRows<{ origin: string; signer: string; trust_state: string }>(b.core.db.reader, 'SELECT origin, signer, trust_state FROM runs WHERE run_id = ?', [runId]);
    expect(row.origin).toMatch(/^rb1:sha256:[0-9a-f]{64}$/);
    expect(row.signer).toContain('alice@lab.example');
    expect(row.trust_state).toBe('trusted');
    // The artifact bytes themselves are in B's store under the same digest.
    for (const art of await b.core.artifacts.all(runId)) expect(fs.existsSync(b.core.artifacts.blobPath(art.sha256))).toBe(true);
    // The key is now trusted on B, and the trust change was recorded.
    expect((await cli(['trust', 'list', '--data', b.dataDir])).out).toContain('alice@lab.example');
  });

  it('re-import is a no-op', async () => {
    const before = JSON.stringify(await rowsOf(b.core, runId));
    const again = await cli(['import', bundle, '--data', b.dataDir]);
    expect(again.code).toBe(0);
    expect(again.out).toContain('imported before; nothing changed');
    expect(JSON.stringify(await rowsOf(b.core, runId))).toBe(before);
    const [n] = await queryRows<{ n: number }>(b.core.db.reader, 'SELECT count(*) AS n FROM bundle_imports');
    expect(n.n).toBe(1);
  });

  it('imported runs are read-only', async () => {
    const r = await b.mlflow('POST', 'runs/log-parameter', { run_id: runId, key: 'new', value: '1' });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/read-only/);
    const t = await b.mlflow('POST', 'runs/set-tag', { run_id: runId, key: 'x', value: '1' });
    expect(t.status).toBe(400);
    // The run detail says where it came from (the UI badges it from this).
    const detail = await b.call('POST', '/api/rpc/runs.get', { run: runId });
    expect(detail.json.bundle).toMatchObject({ digest: expect.stringMatching(/^rb1:sha256:/), trust_state: 'trusted' });
  });

  it('--unverified quarantines a bundle from an unknown key', async () => {
    const t = readTree(fs.readFileSync(bundle));
    const otherRun = await seedRun(a.core, 'second');
    const file2 = path.join(out, 'second.runbundle');
    // A fixed clock leaves the audit section out: its checkpoint is signed by Alice, so Eve's re-signed copy would fail on it (audit.test.ts).
    expect((await cli(['export', otherRun, '-o', file2, '--fixed-clock', FIXED_CLOCK.toISOString(), '--data', a.dataDir])).code).toBe(0);
    const t2 = readTree(fs.readFileSync(file2));
    resign(t2, strangerSigner('eve@elsewhere'));
    const eve = path.join(out, 'eve.runbundle');
    fs.writeFileSync(eve, writeTree(t2));
    expect(t.size).toBeGreaterThan(0);
    const r = await cli(['import', eve, '--unverified', '--json', '--data', b.dataDir]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ outcome: 'imported', trust_state: 'unverified' });
    const [row] = await queryRows<{ trust_state: string }>(b.core.db.reader, 'SELECT trust_state FROM runs WHERE run_id = ?', [otherRun]);
    expect(row.trust_state).toBe('unverified');
    expect((await b.call('POST', '/api/rpc/runs.get', { run: otherRun })).json.bundle.trust_state).toBe('unverified');
    // The runs table badges both: signed (trusted signer) and unverified (quarantined); local runs carry none.
    const page = await b.call('POST', '/api/rpc/runs.page', { offset: 0, limit: 50 });
    const badge = new Map((page.json.runs as { run_id: string; lineage: { bundle: string | null } }[]).map((x) => [x.run_id, x.lineage.bundle]));
    expect(badge.get(runId)).toBe('trusted');
    expect(badge.get(otherRun)).toBe('unverified');
    const local = await a.call('POST', '/api/rpc/runs.page', { offset: 0, limit: 50 });
    expect((local.json.runs as { lineage: { bundle: string | null } }[]).map((x) => x.lineage.bundle)).not.toContain('trusted');
  });

  it('export --folder writes the same tree, and it verifies the same way', async () => {
    const folder = path.join(out, 'as-folder');
    expect((await cli(['export', runId, '-o', folder, '--folder', '--fixed-clock', FIXED_CLOCK.toISOString(), '--data', a.dataDir])).code).toBe(0);
    const zipTree = readTree(fs.readFileSync(bundle));
    for (const [name, bytes] of zipTree) expect(fs.readFileSync(path.join(folder, name)).equals(bytes), name).toBe(true);
    expect((await cli(['verify', folder, '--data', a.dataDir])).code).toBe(0);
  });
});
