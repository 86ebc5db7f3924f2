// Code: the commit, branch and remote the run was started from, whether the tree was dirty, the
// untracked files, and the uncommitted diff the client captured (read as an artifact).
import type { RunDetail } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { ArtifactPreview } from './ArtifactPreview';

export function CodeSection({ client, run }: { client: ApiClient; run: RunDetail }) {
  const code = run.provenance.code;
  if (!code) return <p className="muted">No code state was recorded for this run (log it with the Runledger Python client).</p>;
  return (
    <>
      <dl className="facts">
        <dt>Commit</dt>
        <dd><code>{code.commit ?? 'unknown'}</code></dd>
        <dt>Branch</dt>
        <dd>{code.branch ?? '—'}</dd>
        {code.remote && (
          <>
            <dt>Remote</dt>
            <dd><code>{code.remote}</code></dd>
          </>
        )}
        <dt>Working tree</dt>
        <dd className={code.dirty ? 'warn' : undefined}>{code.dirty === null ? 'unknown' : code.dirty ? 'dirty: uncommitted changes' : 'clean'}</dd>
        {code.untracked.length > 0 && (
          <>
            <dt>Untracked</dt>
            <dd>{code.untracked.join(', ')}</dd>
          </>
        )}
      </dl>
      {code.diff_artifact ? (
        <section aria-label="Uncommitted diff">
          <h3>Uncommitted diff{code.diff_truncated ? ' (truncated by the client)' : ''}</h3>
          <ArtifactPreview client={client} runId={run.run_id} path={code.diff_artifact} />
        </section>
      ) : (
        code.dirty && <p className="muted">The tree was dirty but no diff was captured.</p>
      )}
    </>
  );
}
