// The in-toto Statement v1 with a SLSA Provenance v1 predicate for one run (BUNDLE.md §4.4), and its
// DSSE envelope. The Statement bytes are serialised once, written as a tag file and carried as the
// DSSE payload unchanged; the verifier requires the two to be byte-identical.
import type { Signer } from '../keys';
import type { CollectedRun } from './collect-run';
import type { BagFile } from './payload-file';
import { BUILD_TYPE, DSSE_PAYLOAD_TYPE, SLSA_PROVENANCE_V1, STATEMENT_TYPE, builderId, runInvocationId } from './bundle-constants';

/** DSSE pre-authentication encoding: "DSSEv1 <len(type)> <type> <len(body)> <body>". */
export function pae(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
}

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

export function dsseEnvelope(signer: Signer, statement: Buffer): DsseEnvelope {
  return {
    payloadType: DSSE_PAYLOAD_TYPE,
    payload: statement.toString('base64'),
    signatures: [{ keyid: signer.fingerprint, sig: signer.sign(pae(DSSE_PAYLOAD_TYPE, statement)).toString('base64') }],
  };
}

const iso = (ms: number | null): string | undefined => (ms === null ? undefined : new Date(ms).toISOString());

export function buildStatement(run: CollectedRun, subjects: readonly BagFile[], fingerprint: string): Buffer {
  const env = run.environment ?? {};
  const deps: Record<string, unknown>[] = [];
  const code = run.code ?? {};
  if (typeof code.git_commit === 'string' && code.git_commit) {
    deps.push({ uri: `git+${typeof code.remote === 'string' && code.remote ? code.remote : 'unknown'}`, digest: { gitCommit: code.git_commit }, annotations: { branch: code.branch ?? null, dirty: code.dirty ?? null } });
  }
  const byPath = new Map(subjects.map((s) => [s.path, s]));
  for (const [name, p] of [['code/diff.patch', `${run.prefix}code/diff.patch`], ['code/requirements.lock', `${run.prefix}code/requirements.lock`]] as const) {
    const f = byPath.get(p);
    if (f) deps.push({ name, digest: { sha256: f.sha256 } });
  }
  for (const d of run.datasets) {
    const input = d.input as Record<string, unknown>;
    const ds = (d.dataset ?? {}) as Record<string, unknown>;
    const digest = String(input.dataset_digest ?? '');
    deps.push({
      name: String(input.dataset_name ?? ''),
      uri: String(ds.source ?? ''),
      digest: /^[0-9a-f]{64}$/.test(digest) ? { sha256: digest } : { runledgerDatasetDigest: digest },
      annotations: { schemaSha256: ds.schema_sha256 ?? null, rowCount: ds.rows ?? null, nullCount: ds.null_counts ?? null, context: input.context ?? null },
    });
  }
  const statement = {
    _type: STATEMENT_TYPE,
    subject: subjects.map((s) => ({ name: s.path, digest: { sha256: s.sha256 } })),
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: BUILD_TYPE,
        externalParameters: { runId: run.row.run_id, runName: run.row.run_name, experiment: run.experiment, params: run.params },
        internalParameters: {
          python: env.python ?? null, cuda: env.cuda ?? null, cudnn: env.cudnn ?? null, driver: env.driver ?? null, torch: env.torch ?? null,
          platform: env.platform ?? null, gpus: env.gpus ?? null, packagesSha256: env.packages_sha256 ?? null,
        },
        resolvedDependencies: deps,
      },
      runDetails: {
        builder: { id: builderId(fingerprint) },
        metadata: { invocationId: runInvocationId(run.row.run_id), startedOn: iso(run.row.start_time), finishedOn: iso(run.row.end_time) },
      },
    },
  };
  return Buffer.from(`${JSON.stringify(statement, null, 2)}\n`, 'utf8');
}
