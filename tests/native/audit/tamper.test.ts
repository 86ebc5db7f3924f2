// Editing, deleting, reordering or inserting stored audit events directly in the DuckDB file (with
// the server closed, as an attacker with file access would) is caught by `runledger audit verify`,
// which names the first event that does not match and exits 1. Both the crude edit (SQL on one
// column) and the careful one (hashes recomputed to match) are tried.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { initKey, signerFromPrivateKey } from '../../../native/keys';
import { createCore } from '../../../native/core';
import { canonicalize } from '../../../native/audit/canonical-json';
import { hashLeaf, MerkleTree } from '../../../native/audit/merkle';
import { logOrigin, signCheckpoint } from '../../../native/audit/checkpoint-note';
import { rawEd25519 } from '../../../native/audit/audit-signer';
import { tempDir } from '../../helpers/test-server';
import { makeHistory, runCli } from './support';

let pristine: string;
let eventCount: number;
const scratch: string[] = [];

beforeAll(async () => {
  pristine = tempDir('runledger-tamper-');
  initKey(pristine, { principal: 'alice@lab.example', passphrase: null });
  const core = await createCore({ dataDir: pristine, auditCheckpointEvery: 4 });
  await makeHistory(core);
  await core.audit.checkpoint('export');
  eventCount = (await core.audit.checkpoints()).at(-1)!.tree_size;
  await core.close();
});
afterAll(() => [pristine, ...scratch].forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A copy of the pristine store, changed by `sql` run straight on its DuckDB file. */
async function tampered(change: (con: DuckDBConnection) => Promise<void>): Promise<string> {
  const dir = tempDir('runledger-tampered-');
  scratch.push(dir);
  fs.cpSync(pristine, dir, { recursive: true });
  const instance = await DuckDBInstance.create(path.join(dir, 'runledger.duckdb'));
  const con = await instance.connect();
  try {
    await change(con);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
  return dir;
}

async function row(con: DuckDBConnection, seq: number): Promise<{ event_json: string; details: string }> {
  const r = await con.runAndReadAll('SELECT event_json, CAST(details AS VARCHAR) AS details FROM audit_event WHERE seq = $1', [seq]);
  return r.getRowObjects()[0] as { event_json: string; details: string };
}

/** Rewrites event `seq` so that its JSON, columns and leaf hash all agree again (a careful forger). */
async function forge(con: DuckDBConnection, seq: number, edit: (e: Record<string, unknown>) => void): Promise<void> {
  const e = JSON.parse((await row(con, seq)).event_json) as Record<string, unknown>;
  edit(e);
  const json = canonicalize(e);
  const actor = e.actor as Record<string, string | null>;
  const target = e.target as Record<string, string>;
  await con.run(
    `UPDATE audit_event SET event_json = $1, details = $2, leaf_hash = from_hex($3), "at" = $4, os_user = $5, actor_key_fpr = $6,
       actor_principal = $7, action = $8, target_kind = $9, target_id = $10 WHERE seq = $11`,
    [json, JSON.stringify(e.details), hashLeaf(Buffer.from(json)).toString('hex'), e.at as number, actor.os_user, actor.key_fpr, actor.principal, e.action as string, target.kind, target.id, seq],
  );
}

async function verify(dir: string): Promise<{ code: number; out: string; report: { ok: boolean; first_failure: { seq: number | null; reason: string } } }> {
  const text = await runCli(['audit', 'verify', '--data', dir]);
  const json = await runCli(['audit', 'verify', '--json', '--data', dir]);
  return { code: text.code, out: text.out, report: JSON.parse(json.out) };
}

describe('audit verify on a tampered store', () => {
  it('passes on the untouched store', async () => {
    const r = await verify(await tampered(async () => undefined));
    expect(r.code).toBe(0);
    expect(r.out).toContain('every checkpoint is signed');
    expect(eventCount).toBeGreaterThan(8);
  });

  it('catches an edited event (JSON changed, hash left alone)', async () => {
    const dir = await tampered(async (con) => {
      const { event_json } = await row(con, 5);
      await con.run('UPDATE audit_event SET event_json = $1 WHERE seq = 5', [event_json.replace('"os_user":"', '"os_user":"mallory-')]);
    });
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAILED at event 5');
    expect(r.report.first_failure).toMatchObject({ seq: 5 });
  });

  it('catches an edited column that the hashed JSON does not back', async () => {
    const dir = await tampered((con) => con.run(`UPDATE audit_event SET details = '{"reason":"routine cleanup"}' WHERE action = 'run.soft_delete'`).then(() => undefined));
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED at event \d+: event \d+: column details differs/);
  });

  it('catches a careful edit with every hash recomputed, through the signed checkpoint', async () => {
    const dir = await tampered(async (con) => {
      const [{ seq }] = (await con.runAndReadAll(`SELECT seq FROM audit_event WHERE action = 'run.soft_delete'`)).getRowObjects() as { seq: bigint }[];
      await forge(con, Number(seq), (e) => ((e.details as Record<string, unknown>).reason = 'routine cleanup'));
    });
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/root recomputed from the stored events differs/);
    expect(r.report.first_failure.seq).not.toBeNull();
  });

  it('catches a forger who also recomputes every checkpoint and re-signs them with a key of their own', async () => {
    const mallory = signerFromPrivateKey(crypto.generateKeyPairSync('ed25519').privateKey, 'mallory@lab.example');
    const dir = await tampered(async (con) => {
      const [{ seq }] = (await con.runAndReadAll(`SELECT seq FROM audit_event WHERE action = 'run.soft_delete'`)).getRowObjects() as { seq: bigint }[];
      await forge(con, Number(seq), (e) => ((e.details as Record<string, unknown>).reason = 'routine cleanup'));
      const leaves = ((await con.runAndReadAll('SELECT event_json FROM audit_event ORDER BY seq')).getRowObjects() as { event_json: string }[]).map((r) => hashLeaf(Buffer.from(r.event_json)));
      const tree = new MerkleTree(leaves);
      const origin = logOrigin(mallory.fingerprint);
      for (const { checkpoint_id, tree_size } of (await con.runAndReadAll('SELECT checkpoint_id, tree_size FROM audit_checkpoint')).getRowObjects() as { checkpoint_id: bigint; tree_size: bigint }[]) {
        const root = tree.root(Number(tree_size));
        const note = await signCheckpoint({ origin, treeSize: Number(tree_size), rootHash: root }, mallory);
        await con.run('UPDATE audit_checkpoint SET root_hash = from_hex($1), origin = $2, note = $3, signer_fpr = $4, public_key = $5 WHERE checkpoint_id = $6', [
          root.toString('hex'), origin, note, mallory.fingerprint, rawEd25519(mallory.publicKey).toString('base64'), checkpoint_id,
        ]);
      }
    });
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`signed by ${mallory.fingerprint}, which is not this workstation's key`);
  });

  it('catches a deleted event in the middle', async () => {
    const r = await verify(await tampered((con) => con.run('DELETE FROM audit_event WHERE seq = 3').then(() => undefined)));
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAILED at event 3: event 3 is missing');
  });

  it('catches deleted events at the end, below the latest checkpoint', async () => {
    const r = await verify(await tampered((con) => con.run(`DELETE FROM audit_event WHERE seq >= ${eventCount - 2}`).then(() => undefined)));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`checkpoint at size ${eventCount}: only ${eventCount - 2} events are stored`));
  });

  it('catches two events swapped', async () => {
    const dir = await tampered(async (con) => {
      const [a, b] = [await row(con, 2), await row(con, 3)];
      await con.run(`UPDATE audit_event SET event_json = $1, details = $2, leaf_hash = from_hex($3) WHERE seq = 2`, [b.event_json, b.details, hashLeaf(Buffer.from(b.event_json)).toString('hex')]);
      await con.run(`UPDATE audit_event SET event_json = $1, details = $2, leaf_hash = from_hex($3) WHERE seq = 3`, [a.event_json, a.details, hashLeaf(Buffer.from(a.event_json)).toString('hex')]);
    });
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAILED at event 2: event 2 carries sequence number 3');
  });

  it('catches two events swapped with their sequence numbers rewritten to fit', async () => {
    const dir = await tampered(async (con) => {
      const [a, b] = [JSON.parse((await row(con, 2)).event_json), JSON.parse((await row(con, 3)).event_json)];
      await forge(con, 2, (e) => Object.assign(e, b, { seq: 2 }));
      await forge(con, 3, (e) => Object.assign(e, a, { seq: 3 }));
    });
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/root recomputed from the stored events differs/);
  });

  it('catches an event inserted in the middle', async () => {
    const dir = await tampered(async (con) => {
      // Shift everything from 4 up by one and put a forged event at 4 (the table has a primary key, so rebuild it).
      await con.run('CREATE TEMP TABLE copy AS SELECT * FROM audit_event');
      await con.run('DELETE FROM audit_event');
      await con.run('INSERT INTO audit_event SELECT CASE WHEN seq >= 4 THEN seq + 1 ELSE seq END, * EXCLUDE (seq) FROM copy');
      const forged = JSON.parse((await row(con, 3)).event_json);
      forged.seq = 4;
      forged.action = 'run.restore';
      const json = canonicalize(forged);
      await con.run(`INSERT INTO audit_event SELECT 4, * EXCLUDE (seq, event_json, leaf_hash, action), $1, from_hex($2), 'run.restore' FROM copy WHERE seq = 3`, [json, hashLeaf(Buffer.from(json)).toString('hex')]);
    });
    const r = await verify(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED at event (4|5)/);
  });
});
