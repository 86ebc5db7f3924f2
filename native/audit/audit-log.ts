// The workstation's audit log: every mutation appends one event in the same transaction as the
// change itself (so a change without its event, or an event without its change, cannot commit),
// and a checkpoint is made every N events and at every export.
//
// Checkpoints are signed when a signing key is available (native/keys, issue #6). Without one they
// are stored as bare note text under the origin `runledger/log/unsigned`: the tree still detects
// edits made without recomputing hashes, but only a signed checkpoint held by someone else (a
// bundle's recipient) makes rewriting the history detectable.
import os from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import { inTransaction, type Database } from '../store/open-database';
import { sealEvent, type AuditEvent, type AuditInput } from './audit-event';
import { checkpoints, findEvents, insertCheckpoint, insertEvent, latestCheckpoint, leafHashes, nextSeq, type CheckpointRow } from './audit-store';
import { rawEd25519, type AuditIdentity, type AuditSigner } from './audit-signer';
import { checkpointText, logOrigin, signCheckpoint, UNSIGNED_ORIGIN } from './checkpoint-note';
import { MerkleFrontier } from './merkle';

export const DEFAULT_CHECKPOINT_EVERY = 1000;

/** Gives the signer when one exists (null: no key yet). Called per checkpoint, so a key created later is picked up. */
export type SignerSource = () => AuditSigner | null | Promise<AuditSigner | null>;

export interface AuditLogOptions {
  /** A checkpoint every this many events (default: RUNLEDGER_AUDIT_CHECKPOINT_EVERY, else 1000). */
  checkpointEvery?: number;
  signer?: SignerSource;
  /** Tests pin these; normally the OS user and the clock. */
  osUser?: string;
  now?: () => number;
}

export class AuditLog {
  readonly checkpointEvery: number;
  private readonly signerSource: SignerSource;
  /** The OS user every event names as its actor. */
  readonly osUser: string;
  private readonly now: () => number;
  /** Right edge of the tree after `frontier.size` events; rebuilt from the table when it does not match. */
  private frontier: MerkleFrontier | null = null;
  /** A signer an export unlocked: later interval checkpoints of this process are signed with it too. */
  private unlocked: AuditSigner | null = null;
  /** Key fingerprints whose key.create event is in the log. */
  private readonly knownKeys = new Set<string>();

  constructor(
    private readonly db: Database,
    options: AuditLogOptions = {},
  ) {
    this.checkpointEvery = Math.max(1, options.checkpointEvery ?? checkpointEveryFromEnv() ?? DEFAULT_CHECKPOINT_EVERY);
    this.signerSource = options.signer ?? (() => null);
    this.osUser = options.osUser ?? safeUsername();
    this.now = options.now ?? Date.now;
  }

  async identity(): Promise<AuditIdentity> {
    const s = await this.signer();
    return { fingerprint: s?.fingerprint ?? null, principal: s?.principal ?? null };
  }

  /**
   * Appends one event inside the caller's transaction on `con` (the caller holds the write lock, so
   * sequence numbers cannot race). Rolling the transaction back drops the event with the change.
   */
  async append(con: DuckDBConnection, input: AuditInput): Promise<AuditEvent> {
    const who = await this.identity();
    if (who.fingerprint && !this.knownKeys.has(who.fingerprint)) await this.noteKey(con, who.fingerprint, who.principal);
    return this.appendAs(con, input, who);
  }

  /**
   * `key.create`, the first time a key acts in this log. Keys are made by `runledger keys init`,
   * which runs without the store (a server may own it), so the log records a key when it first sees
   * it, before the event the key signs: no path that makes a key can skip this.
   */
  private async noteKey(con: DuckDBConnection, fingerprint: string, principal: string | null): Promise<void> {
    const seen = await findEvents(con, { where: `action = 'key.create' AND target_id = ?`, params: [fingerprint], limit: 1 });
    // Remembered only once seen committed: a rolled-back transaction must not hide the key for good.
    if (seen.length > 0) this.knownKeys.add(fingerprint);
    else await this.appendAs(con, { action: 'key.create', target: { kind: 'key', id: fingerprint }, details: { fingerprint, principal } }, { fingerprint, principal });
  }

  private async appendAs(con: DuckDBConnection, input: AuditInput, who: AuditIdentity): Promise<AuditEvent> {
    const seq = await nextSeq(con);
    const event: AuditEvent = {
      v: 1,
      seq,
      at: this.now(),
      actor: { os_user: this.osUser, key_fpr: who.fingerprint, principal: who.principal },
      action: input.action,
      target: input.target,
      details: input.details,
    };
    const sealed = sealEvent(event);
    await insertEvent(con, sealed);
    const frontier = await this.frontierAt(con, seq);
    frontier.append(sealed.leafHash);
    // Adopted before commit: if the transaction rolls back, the next append sees a size mismatch
    // (its seq is lower than frontier.size) and rebuilds from the table.
    this.frontier = frontier;
    if ((seq + 1) % this.checkpointEvery === 0) await this.writeCheckpoint(con, frontier, 'interval');
    return event;
  }

  /** Appends one event in a transaction of its own (for changes made outside a repository). */
  record(input: AuditInput): Promise<AuditEvent> {
    return inTransaction(this.db, (con) => this.append(con, input));
  }

  /**
   * A checkpoint of the whole log as it stands (every export makes one, passing the signer it
   * unlocked). An existing checkpoint at the same size signed by the same key is reused, so
   * re-exporting adds nothing.
   */
  async checkpoint(reason: 'export' | 'manual' = 'manual', signerOverride?: AuditSigner): Promise<CheckpointRow> {
    return inTransaction(this.db, async (con) => {
      const size = await nextSeq(con);
      if (signerOverride) this.unlocked = signerOverride;
      const signer = signerOverride ?? (await this.signer());
      const existing = await latestCheckpoint(con);
      if (existing && existing.tree_size === size && existing.signer_fpr !== null && existing.signer_fpr === (signer?.fingerprint ?? null)) return existing;
      return this.writeCheckpoint(con, await this.frontierAt(con, size), reason, signer);
    });
  }

  async checkpoints(): Promise<CheckpointRow[]> {
    return checkpoints(this.db.reader);
  }

  private async signer(): Promise<AuditSigner | null> {
    let s: AuditSigner | null = null;
    try {
      s = (await this.signerSource()) ?? null;
    } catch {
      // A key that cannot be loaded must not stop the mutation being logged: the event says "no key".
    }
    return this.unlocked && (!s || s.fingerprint === this.unlocked.fingerprint) ? this.unlocked : s;
  }

  private async frontierAt(con: DuckDBConnection, size: number): Promise<MerkleFrontier> {
    if (this.frontier && this.frontier.size === size) return this.frontier.clone();
    return MerkleFrontier.of(await leafHashes(con, size));
  }

  private async writeCheckpoint(con: DuckDBConnection, frontier: MerkleFrontier, reason: string, given?: AuditSigner | null): Promise<CheckpointRow> {
    const signer = given === undefined ? await this.signer() : given;
    const body = { origin: signer ? logOrigin(signer.fingerprint) : UNSIGNED_ORIGIN, treeSize: frontier.size, rootHash: frontier.root() };
    let note = checkpointText(body);
    let signed = false;
    if (signer) {
      try {
        note = await signCheckpoint(body, signer);
        signed = true;
      } catch {
        // A locked key (no passphrase in a headless server) leaves this one unsigned; the next
        // checkpoint made with the key unlocked (every export) signs the whole tree again.
      }
    }
    return insertCheckpoint(con, {
      tree_size: body.treeSize,
      root_hash: body.rootHash,
      origin: signed ? body.origin : UNSIGNED_ORIGIN,
      note: signed ? note : checkpointText({ ...body, origin: UNSIGNED_ORIGIN }),
      signer_fpr: signed ? signer!.fingerprint : null,
      public_key: signed ? rawEd25519(signer!.publicKey).toString('base64') : null,
      reason,
      created_at: this.now(),
    });
  }
}

/** RUNLEDGER_AUDIT_CHECKPOINT_EVERY=N sets the interval for `serve` and the CLI without a flag on each. */
function checkpointEveryFromEnv(): number | undefined {
  const n = Number(process.env.RUNLEDGER_AUDIT_CHECKPOINT_EVERY);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function safeUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment is the best remaining claim.
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
