// Verification in the documented order (BUNDLE.md §4.8), failing closed at the first error with its
// code: A container (zip-reader / bundle-source), B signed metadata (closed set, signature first,
// tag manifest, payload manifest), C payload (streamed, hashed, optionally staged), D semantics
// (DSSE + Statement, RO-Crate). Nothing outside `stageDir` is ever written; nothing is re-read from
// the bundle after its digest was checked (callers import the staged bytes).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BundleCheck, BundleModelInfo, BundleReport, BundleRunInfo, BundleSigner } from '../api/contract';
import { fingerprintOfBlob, parseOpenSshLine, parseSshsig, sshsigVerify, verifyEd25519, publicKeyFromBlob, type TrustStore } from '../keys';
import { BundleError, fail } from './bundle-error';
import {
  BAGIT_TXT, DEFAULT_MAX_BUNDLE_BYTES, DSSE_PAYLOAD_TYPE, FIXED_TAG_FILES, MAX_ENTRIES, MAX_TAG_FILE_BYTES, REQUIRED_SIGNATURE_FILES,
  SIGNATURE_FILES, SLSA_PROVENANCE_V1, SSH_NAMESPACE, STATEMENT_RE, STATEMENT_TYPE, digestLabel, runInvocationId,
} from './bundle-constants';
import { openBundleSource, type BundleSource, type SourceEntry } from './bundle-source';
import { parseManifest, type ManifestLine } from './manifest';
import { modelRecordsOf, modelSummary } from './model-record';
import { pae } from './statement';
import { isObject, parseStrictJson } from './strict-json';
import { verifyBundleAudit, type BundleAuditCheck } from '../audit/bundle-proofs';

export interface VerifyOptions {
  trust?: TrustStore;
  /** A key that counts as trusted whatever the store says (export's self-check of its own output). */
  trustedKey?: Buffer;
  /** Write the payload here while hashing (import); the folder must not exist yet. */
  stageDir?: string;
  maxBytes?: number;
  maxEntries?: number;
  now?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface VerifiedBundle extends BundleReport {
  models: BundleModelInfo[];
  /** Payload files kept in memory during step 12 (small JSON and Markdown), by bag path. */
  small: Map<string, Buffer>;
  /** Bag path → staged file, when staging. */
  staged: Map<string, string>;
  /** The signing key's SSH blob, once step 9 ran. */
  signerBlob: Buffer | null;
  /** Tag files and signatures, verbatim (kept with an import). */
  tagFiles: Map<string, Buffer>;
  /** Bag path prefix of each run (`data/` or `data/runs/<seg>/`), by run id. */
  runPrefixes: Map<string, string>;
  /** The checked audit section (step 15), when the bundle has one: what import records as a witness. */
  audit: (Extract<BundleAuditCheck, { ok: true }> & { note: string }) | null;
}

const SMALL_MAX = 8 * 1024 * 1024;
const isSmall = (p: string, size: number): boolean => size <= SMALL_MAX && (/\.(json|md)$/.test(p) || /(^|\/)audit\/[^/]+$/.test(p));

export async function verifyBundle(file: string, o: VerifyOptions = {}): Promise<VerifiedBundle> {
  const r: VerifiedBundle = {
    path: file, format: null, valid: false, code: null, message: null, digest: null, signer: null, checks: [], warnings: [], runs: [], models: [],
    payload_files: 0, payload_bytes: 0, small: new Map(), staged: new Map(), signerBlob: null, tagFiles: new Map(), runPrefixes: new Map(), audit: null,
  };
  let step = 0;
  let stepName = '';
  const begin = (n: number, name: string): void => {
    step = n;
    stepName = name;
  };
  const pass = (detail: string): void => void r.checks.push({ step, name: stepName, ok: true, detail });
  let src: BundleSource | null = null;
  try {
    begin(1, 'container (limits, ZIP structure, names, links, duplicates, overlaps, sizes)');
    src = await openBundleSource(file, { maxBytes: o.maxBytes ?? DEFAULT_MAX_BUNDLE_BYTES, maxEntries: o.maxEntries ?? MAX_ENTRIES });
    r.format = src.kind;
    pass(`${src.entries.length} files, one top-level folder, regular files only, no overlaps`);
    await checkBag(src, r, o, begin, pass);
    r.valid = true;
  } catch (err) {
    if (!(err instanceof BundleError)) {
      // An unreadable file is still a refusal with a code, never a crash.
      if (step <= 1) err = new BundleError('E_ZIP_STRUCTURE', (err as Error).message);
      else throw err;
    }
    const e = err as BundleError;
    r.code = e.code;
    r.message = e.message;
    r.checks.push({ step, name: stepName, ok: false, detail: e.message });
  } finally {
    await src?.close();
  }
  return r;
}

type Begin = (n: number, name: string) => void;
type Pass = (detail: string) => void;

async function checkBag(src: BundleSource, r: VerifiedBundle, o: VerifyOptions, begin: Begin, pass: Pass): Promise<void> {
  const root = src.entries[0].name.split('/')[0];
  const byRel = new Map<string, SourceEntry>();
  for (const e of src.entries) byRel.set(e.name.slice(root.length + 1), e);
  const outside = [...byRel.keys()].filter((p) => !p.startsWith('data/'));

  // Step 1 (late): tag files are read whole, so they are capped before any is read.
  for (const p of outside) if (byRel.get(p)!.size > MAX_TAG_FILE_BYTES) fail('E_TOO_LARGE', `${p} is larger than ${MAX_TAG_FILE_BYTES} bytes`);
  const read = async (p: string): Promise<Buffer> => {
    const b = await src.read(byRel.get(p)!);
    r.tagFiles.set(p, b);
    return b;
  };

  begin(8, 'closed set of files outside data/');
  const allowed = (p: string): boolean => FIXED_TAG_FILES.includes(p) || p === 'tagmanifest-sha256.txt' || STATEMENT_RE.test(p) || (SIGNATURE_FILES as readonly string[]).includes(p);
  const extra = outside.filter((p) => !allowed(p));
  if (extra.length) fail('E_EXTRA_FILE', `files outside data/ that a bundle may not have: ${extra.slice(0, 5).join(', ')}`);
  pass(`${outside.length} tag and signature files, all expected`);

  begin(9, 'signature (SSHSIG and raw Ed25519, one key)');
  for (const p of ['tagmanifest-sha256.txt', ...REQUIRED_SIGNATURE_FILES]) if (!byRel.has(p)) fail('E_SIGNATURE', `${p} is missing: the bundle is not signed`);
  const tagmanifest = await read('tagmanifest-sha256.txt');
  let sshsig;
  try {
    sshsig = parseSshsig((await read('signatures/tagmanifest-sha256.txt.sshsig')).toString('latin1'));
  } catch (err) {
    fail('E_SIGNATURE', `unreadable SSH signature: ${(err as Error).message}`);
  }
  const blob = sshsig!.publicKeyBlob;
  const fpr = fingerprintOfBlob(blob);
  r.signerBlob = blob;
  const hint = byRel.has('signatures/signer.pub') ? parseOpenSshLine((await read('signatures/signer.pub')).toString('utf8')) : null;
  const bagInfoEarly = byRel.has('bag-info.txt') ? parseBagInfo((await read('bag-info.txt')).toString('utf8')) : new Map<string, string>();
  const claimed = hint?.comment.trim() || bagInfoEarly.get('signer-principal') || null;
  let decision = o.trust?.decide(blob, SSH_NAMESPACE, o.now) ?? { state: 'untrusted' as const, principal: null, warnings: [] };
  if (o.trustedKey?.equals(blob)) decision = { state: 'trusted', principal: claimed, warnings: [] };
  r.signer = { fingerprint: fpr, principal: decision.principal, claimed_principal: claimed, trust_state: decision.state } satisfies BundleSigner;
  r.warnings.push(...decision.warnings);
  if (decision.state === 'revoked') fail('E_REVOKED', `the signing key ${fpr} is revoked`);
  if (sshsig!.namespace !== SSH_NAMESPACE) fail('E_SIGNATURE', `the SSH signature is for namespace ${JSON.stringify(sshsig!.namespace)}, not ${SSH_NAMESPACE}`);
  if (!sshsigVerify(sshsig!, SSH_NAMESPACE, tagmanifest)) fail('E_SIGNATURE', 'the SSH signature does not match tagmanifest-sha256.txt');
  if (!verifyEd25519(publicKeyFromBlob(blob), tagmanifest, await read('signatures/tagmanifest-sha256.txt.sig'))) {
    fail('E_SIGNATURE', 'the raw Ed25519 signature does not match tagmanifest-sha256.txt under the SSH signature\'s key');
  }
  if (byRel.has('signatures/signer.pub') && !hint?.blob.equals(blob)) fail('E_SIGNATURE', 'signatures/signer.pub is not the key that signed');
  if (byRel.has('signatures/signer.pub.pem')) {
    let same = false;
    try {
      same = publicKeyFromBlob(blob).equals(crypto.createPublicKey((await read('signatures/signer.pub.pem')).toString('latin1')));
    } catch {
      same = false;
    }
    if (!same) fail('E_SIGNATURE', 'signatures/signer.pub.pem is not the key that signed');
  }
  r.digest = digestLabel(crypto.createHash('sha256').update(tagmanifest).digest('hex'));
  pass(decision.state === 'trusted' ? `good signature by ${decision.principal ?? claimed ?? '?'} (${fpr}), trusted` : `good signature by key ${fpr}, NOT in the trust store (claims to be ${claimed ?? 'nobody'})`);

  begin(10, 'tag manifest');
  const tagLines = parseManifest(tagmanifest.toString('latin1'), 'tagmanifest-sha256.txt');
  const expectedTags = outside.filter((p) => p !== 'tagmanifest-sha256.txt' && !p.startsWith('signatures/')).sort();
  const listed = tagLines.map((l) => l.path).sort();
  if (listed.join('\n') !== expectedTags.join('\n')) fail('E_MANIFEST_FORMAT', `tagmanifest-sha256.txt lists [${listed.join(', ')}] but the bag has [${expectedTags.join(', ')}]`);
  for (const p of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt']) if (!listed.includes(p)) fail('E_MANIFEST_FORMAT', `${p} is missing`);
  if (!listed.some((p) => STATEMENT_RE.test(p))) fail('E_MANIFEST_FORMAT', 'no provenance/*.statement.json');
  for (const l of tagLines) {
    const h = crypto.createHash('sha256').update(await read(l.path)).digest('hex');
    if (h !== l.sha256) fail('E_TAG_DIGEST', `${l.path} does not match its digest in tagmanifest-sha256.txt`);
  }
  pass(`${tagLines.length} tag files match`);

  begin(11, 'payload manifest and Payload-Oxum');
  const manifest = parseManifest(r.tagFiles.get('manifest-sha256.txt')!.toString('latin1'), 'manifest-sha256.txt');
  const inManifest = new Set(manifest.map((l) => l.path));
  for (const l of manifest) {
    if (!l.path.startsWith('data/')) fail('E_MANIFEST_FORMAT', `manifest-sha256.txt lists ${l.path}, outside data/`);
    if (!byRel.has(l.path)) fail('E_MISSING_FILE', `${l.path} is in the manifest but not in the bundle`);
  }
  const payload = [...byRel.keys()].filter((p) => p.startsWith('data/'));
  const unlisted = payload.filter((p) => !inManifest.has(p));
  if (unlisted.length) fail('E_EXTRA_FILE', `payload files not in the manifest: ${unlisted.slice(0, 5).join(', ')}`);
  const bagInfo = parseBagInfo(r.tagFiles.get('bag-info.txt')!.toString('utf8'));
  const oxum = /^(\d+)\.(\d+)$/.exec(bagInfo.get('payload-oxum') ?? '');
  const bytes = manifest.reduce((n, l) => n + byRel.get(l.path)!.size, 0);
  if (!oxum || Number(oxum[1]) !== bytes || Number(oxum[2]) !== manifest.length) {
    fail('E_OXUM', `Payload-Oxum says ${bagInfo.get('payload-oxum') ?? 'nothing'}, the payload is ${bytes}.${manifest.length}`);
  }
  r.payload_files = manifest.length;
  r.payload_bytes = bytes;
  pass(`${manifest.length} payload files, ${bytes} bytes, nothing missing or extra`);

  begin(12, 'payload digests');
  await streamPayload(src, manifest, byRel, r, o, bytes);
  pass(`all ${manifest.length} payload files match their SHA-256${o.stageDir ? ' (staged)' : ''}`);

  begin(13, 'DSSE envelopes and in-toto Statements');
  await read('signatures/provenance.intoto.jsonl');
  const runIds = checkStatements(r, manifest, root, blob, fpr);
  pass(`${runIds.length} Statement${runIds.length === 1 ? '' : 's'} (SLSA Provenance v1), DSSE signatures valid, subjects match the manifest`);

  begin(14, 'RO-Crate and run metadata');
  checkMetadata(r, runIds, inManifest, bagInfo);
  pass(`RO-Crate parses; run ids agree across crate, Statements and bag-info`);

  begin(15, 'audit log proofs');
  pass(checkAudit(r, blob));
}

/** Step 15: each run's audit/ events are in the signer's log at the carried checkpoint, signed by the same key. */
function checkAudit(r: VerifiedBundle, blob: Buffer): string {
  let events = 0;
  for (const [runId, prefix] of r.runPrefixes) {
    const dir = `${prefix}audit/`;
    const files: Record<string, string> = {};
    for (const [p, b] of r.small) if (p.startsWith(dir) && !p.slice(dir.length).includes('/')) files[p.slice(dir.length)] = b.toString('utf8');
    if (Object.keys(files).length === 0) continue;
    const check = verifyBundleAudit(files, publicKeyFromBlob(blob));
    if (!check.ok) fail('E_AUDIT_PROOF', `run ${runId}: ${check.message}`);
    const ok = check as Extract<BundleAuditCheck, { ok: true }>;
    if (r.audit && r.audit.note !== files['checkpoint.txt']) fail('E_AUDIT_PROOF', 'the runs carry different checkpoints');
    r.audit = { ...ok, note: files['checkpoint.txt'] };
    events += ok.events.length;
  }
  if (!r.audit) return 'no audit section (a byte-reproducible export leaves it out)';
  return `${events} audit events included in the signer's log at size ${r.audit.checkpoint.treeSize} (checkpoint signed by the same key)`;
}

function parseBagInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9-]+):\s?(.*)$/.exec(line);
    if (m) out.set(m[1].toLowerCase(), m[2].trim());
  }
  return out;
}

async function streamPayload(src: BundleSource, manifest: ManifestLine[], byRel: Map<string, SourceEntry>, r: VerifiedBundle, o: VerifyOptions, total: number): Promise<void> {
  if (o.stageDir) {
    try {
      const s = fs.statfsSync(path.dirname(o.stageDir));
      if (s.bavail * s.bsize < total + 64 * 1024 * 1024) fail('E_TOO_LARGE', `not enough free disk space to stage ${total} bytes`);
    } catch (err) {
      if (err instanceof BundleError) throw err;
    }
    fs.mkdirSync(o.stageDir, { mode: 0o700 }); // must be new: never write into an existing folder
  }
  let done = 0;
  for (const l of manifest) {
    const e = byRel.get(l.path)!;
    const hash = crypto.createHash('sha256');
    let out: fs.promises.FileHandle | null = null;
    let dest: string | null = null;
    if (o.stageDir) {
      dest = path.join(o.stageDir, ...l.path.split('/'));
      fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
      out = await fs.promises.open(dest, 'wx', 0o600);
    }
    const keep = isSmall(l.path, e.size) ? [] as Buffer[] : null;
    try {
      await src.stream(e, async (chunk) => {
        hash.update(chunk);
        keep?.push(Buffer.from(chunk));
        if (out) await out.write(chunk);
        done += chunk.length;
        o.onProgress?.(done, total);
      });
    } finally {
      await out?.close();
    }
    if (hash.digest('hex') !== l.sha256) fail('E_PAYLOAD_DIGEST', `${l.path} does not match its SHA-256 in manifest-sha256.txt`);
    if (keep) r.small.set(l.path, Buffer.concat(keep));
    if (dest) r.staged.set(l.path, dest);
  }
}

function strictJson(b: Buffer | undefined, what: string, code: 'E_STATEMENT' | 'E_METADATA'): Record<string, unknown> {
  if (!b) return fail(code, `${what} is missing`);
  try {
    const v = parseStrictJson(b.toString('utf8'));
    if (!isObject(v)) return fail(code, `${what} is not a JSON object`);
    return v;
  } catch (err) {
    return fail(code, `${what}: ${(err as Error).message}`);
  }
}

/** Step 13; returns the run ids the Statements name, in statement order. */
function checkStatements(r: VerifiedBundle, manifest: ManifestLine[], root: string, blob: Buffer, fpr: string): string[] {
  const statementPaths = [...r.tagFiles.keys()].filter((p) => STATEMENT_RE.test(p)).sort();
  const lines = (r.tagFiles.get('signatures/provenance.intoto.jsonl') ?? Buffer.alloc(0)).toString('utf8').split('\n').filter((l) => l !== '');
  if (lines.length !== statementPaths.length) fail('E_STATEMENT', `${lines.length} DSSE envelopes for ${statementPaths.length} Statements`);
  const key = publicKeyFromBlob(blob);
  const single = statementPaths.length === 1;
  const runIds: string[] = [];
  statementPaths.forEach((sp, i) => {
    const env = strictJson(Buffer.from(lines[i]), `DSSE envelope ${i + 1}`, 'E_STATEMENT');
    if (env.payloadType !== DSSE_PAYLOAD_TYPE) fail('E_STATEMENT', `DSSE payloadType ${JSON.stringify(env.payloadType)} is not ${DSSE_PAYLOAD_TYPE}`);
    if (typeof env.payload !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(env.payload)) fail('E_STATEMENT', 'DSSE payload is not base64');
    const body = Buffer.from(env.payload as string, 'base64');
    const stmtBytes = r.tagFiles.get(sp)!;
    if (!body.equals(stmtBytes)) fail('E_STATEMENT', `the DSSE payload differs from ${sp}`);
    const sigs = Array.isArray(env.signatures) ? env.signatures : [];
    const good = sigs.some((s) => isObject(s) && s.keyid === fpr && typeof s.sig === 'string' && verifyEd25519(key, pae(DSSE_PAYLOAD_TYPE, body), Buffer.from(s.sig, 'base64')));
    if (!good) fail('E_STATEMENT', `no valid DSSE signature by ${fpr} on ${sp}`);
    const st = strictJson(stmtBytes, sp, 'E_STATEMENT');
    if (st._type !== STATEMENT_TYPE) fail('E_STATEMENT', `${sp}: unsupported _type ${JSON.stringify(st._type)}`);
    if (st.predicateType !== SLSA_PROVENANCE_V1) fail('E_STATEMENT', `${sp}: unsupported predicateType ${JSON.stringify(st.predicateType)}`);
    const pred = isObject(st.predicate) ? st.predicate : {};
    const ext = isObject(pred.buildDefinition) && isObject(pred.buildDefinition.externalParameters) ? pred.buildDefinition.externalParameters : {};
    const runId = ext.runId;
    if (typeof runId !== 'string') return fail('E_STATEMENT', `${sp}: no externalParameters.runId`);
    const meta = isObject(pred.runDetails) && isObject(pred.runDetails.metadata) ? pred.runDetails.metadata : {};
    if (meta.invocationId !== runInvocationId(runId)) fail('E_STATEMENT', `${sp}: invocationId does not name run ${runId}`);
    const base = sp.slice('provenance/'.length, -'.statement.json'.length);
    const prefix = single && base === root ? 'data/' : `data/runs/${base}/`;
    const expected = manifest.filter((l) => (prefix === 'data/' ? true : l.path.startsWith(prefix) || !l.path.startsWith('data/runs/'))).map((l) => `${l.sha256}  ${l.path}`);
    const subjects = (Array.isArray(st.subject) ? st.subject : []).map((s) => (isObject(s) && isObject(s.digest) ? `${String(s.digest.sha256)}  ${String(s.name)}` : '?'));
    if ([...subjects].sort().join('\n') !== [...expected].sort().join('\n')) fail('E_STATEMENT', `${sp}: subjects differ from the manifest entries of run ${runId}`);
    r.runPrefixes.set(runId, prefix);
    runIds.push(runId);
  });
  return runIds;
}

/** Step 14. */
function checkMetadata(r: VerifiedBundle, runIds: string[], payload: Set<string>, bagInfo: Map<string, string>): void {
  if (r.tagFiles.get('bagit.txt')?.toString('latin1') !== BAGIT_TXT) fail('E_METADATA', 'bagit.txt is not BagIt 1.0 with UTF-8 tag files');
  const crate = strictJson(r.small.get('data/ro-crate-metadata.json'), 'data/ro-crate-metadata.json', 'E_METADATA');
  const graph = Array.isArray(crate['@graph']) ? crate['@graph'] : fail('E_METADATA', 'the RO-Crate has no @graph');
  const crateRuns: string[] = [];
  for (const node of graph as unknown[]) {
    if (!isObject(node)) fail('E_METADATA', 'an RO-Crate entity is not an object');
    const n = node as Record<string, unknown>;
    const type = Array.isArray(n['@type']) ? n['@type'] : [n['@type']];
    if (type.includes('File') && !payload.has(`data/${String(n['@id'])}`)) fail('E_METADATA', `the RO-Crate lists ${String(n['@id'])}, which is not in the payload`);
    if (type.includes('CreateAction')) crateRuns.push(String(n.identifier));
  }
  const bagRuns = (bagInfo.get('runledger-run-ids') ?? '').split(',').filter((s) => s !== '');
  const same = (a: string[], b: string[]): boolean => [...a].sort().join('\n') === [...b].sort().join('\n');
  if (!same(crateRuns, runIds) || !same(bagRuns, runIds)) fail('E_METADATA', `run ids disagree: Statements [${runIds.join(', ')}], crate [${crateRuns.join(', ')}], bag-info [${bagRuns.join(', ')}]`);
  for (const id of runIds) {
    const prefix = r.runPrefixes.get(id)!;
    const run = strictJson(r.small.get(`${prefix}run/run.json`), `${prefix}run/run.json`, 'E_METADATA');
    if (run.run_id !== id) fail('E_METADATA', `${prefix}run/run.json is for run ${String(run.run_id)}, not ${id}`);
    r.runs.push(runInfo(r, prefix, run));
    r.models.push(...modelsOfRun(r, prefix, id, payload));
  }
}

/** Model version records (issue #9) under a run's folder must parse, name that run, and list only payload files. */
function modelsOfRun(r: VerifiedBundle, prefix: string, runId: string, payload: Set<string>): BundleModelInfo[] {
  let records;
  try {
    records = modelRecordsOf(r.small, prefix);
  } catch (err) {
    return fail('E_METADATA', (err as Error).message);
  }
  for (const { path: p, record } of records) {
    if (record.source_run_id !== runId) fail('E_METADATA', `${p} names source run ${record.source_run_id}, but it is in the folder of run ${runId}`);
    const missing = record.files.find((f) => !payload.has(`${prefix}${f.bag_path}`));
    if (missing) fail('E_METADATA', `${p} lists ${missing.bag_path}, which is not in the payload`);
  }
  return records.map((x) => modelSummary(x.record));
}

function runInfo(r: VerifiedBundle, prefix: string, run: Record<string, unknown>): BundleRunInfo {
  const json = (p: string): unknown => {
    try {
      return parseStrictJson(r.small.get(p)?.toString('utf8') ?? 'null');
    } catch {
      return null;
    }
  };
  const params = json(`${prefix}run/params.json`);
  const summary = json(`${prefix}run/summary.json`);
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return {
    run_id: str(run.run_id),
    run_name: str(run.run_name),
    experiment: str(run.experiment),
    status: str(run.status),
    start_time: typeof run.start_time === 'number' ? run.start_time : 0,
    end_time: typeof run.end_time === 'number' ? run.end_time : null,
    params: isObject(params) ? Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) : {},
    metrics: Array.isArray(summary) ? summary.filter(isObject).map((m) => ({ key: str(m.key), value: typeof m.value === 'number' ? m.value : str(m.value), step: Number(m.step) || 0 })) : [],
    artifacts: Array.isArray(run.artifacts) ? run.artifacts.filter(isObject).map((a) => ({ path: str(a.path), size: Number(a.size) || 0, sha256: str(a.sha256) })) : [],
    charts: [...r.small.keys(), ...payloadNames(r)].filter((p) => p.startsWith(`${prefix}charts/`)),
  };
}

function payloadNames(r: VerifiedBundle): string[] {
  const m = r.tagFiles.get('manifest-sha256.txt')?.toString('latin1') ?? '';
  return m.split('\n').filter((l) => l.length > 66).map((l) => l.slice(66));
}

export type { BundleCheck };
