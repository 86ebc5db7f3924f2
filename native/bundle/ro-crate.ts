// RO-Crate 1.2 metadata for the payload (`data/ro-crate-metadata.json`), Process Run Crate profile:
// the root Dataset, one CreateAction per run, the signer as a Person, and a File entity per payload
// file, keeping artifacts' original names (the bag paths are sanitised), and a CreativeWork per model version.
import type { CollectedRun } from './collect-run';
import type { BagFile } from './payload-file';

export const CRATE_FILE = 'data/ro-crate-metadata.json';

export function buildCrate(runs: readonly CollectedRun[], files: readonly BagFile[], signer: { fingerprint: string; principal: string }, date: string): Buffer {
  const rel = (p: string): string => p.slice('data/'.length);
  const fileIds = files.map((f) => rel(f.path));
  // A model version (issue #9) is a CreativeWork made of its record and files, based on its run.
  const models = runs.flatMap((r) => (r.models ?? []).map((m) => ({
    '@id': `#model-${encodeURIComponent(m.ref.name)}-v${m.ref.version}`,
    '@type': 'CreativeWork',
    name: `${m.ref.name} version ${m.ref.version}`,
    identifier: `models:/${m.ref.name}/${m.ref.version}`,
    version: String(m.ref.version),
    creativeWorkStatus: m.stage,
    isBasedOn: { '@id': `#run-${r.row.run_id}` },
    hasPart: m.paths.map((p) => ({ '@id': rel(p) })),
  })));
  const graph: Record<string, unknown>[] = [
    { '@id': 'ro-crate-metadata.json', '@type': 'CreativeWork', conformsTo: { '@id': 'https://w3id.org/ro/crate/1.2' }, about: { '@id': './' } },
    {
      '@id': './',
      '@type': 'Dataset',
      name: runs.length === 1 ? `Run ${runs[0].row.run_name || runs[0].row.run_id}` : `${runs.length} runs`,
      datePublished: date,
      conformsTo: [{ '@id': 'https://w3id.org/ro/wfrun/process/0.5' }],
      hasPart: fileIds.map((id) => ({ '@id': id })),
      mentions: [...runs.map((r) => ({ '@id': `#run-${r.row.run_id}` })), ...models.map((m) => ({ '@id': m['@id'] }))],
    },
    { '@id': '#signer', '@type': 'Person', name: signer.principal, identifier: signer.fingerprint },
    ...runs.map((r) => ({
      '@id': `#run-${r.row.run_id}`,
      '@type': 'CreateAction',
      identifier: r.row.run_id,
      name: r.row.run_name,
      startTime: new Date(r.row.start_time).toISOString(),
      ...(r.row.end_time !== null ? { endTime: new Date(r.row.end_time).toISOString() } : {}),
      agent: { '@id': '#signer' },
      actionStatus: r.row.status === 'FINISHED' ? 'http://schema.org/CompletedActionStatus' : r.row.status === 'FAILED' ? 'http://schema.org/FailedActionStatus' : 'http://schema.org/ActiveActionStatus',
      result: r.files.map((f) => ({ '@id': rel(f.path) })),
    })),
    ...models,
    ...files.map((f) => ({
      '@id': rel(f.path),
      '@type': 'File',
      name: f.originalName ?? rel(f.path),
      contentSize: f.size,
      sha256: f.sha256,
      ...(f.mediaType ? { encodingFormat: f.mediaType } : {}),
    })),
  ];
  return Buffer.from(`${JSON.stringify({ '@context': 'https://w3id.org/ro/crate/1.2/context', '@graph': graph }, null, 2)}\n`);
}
