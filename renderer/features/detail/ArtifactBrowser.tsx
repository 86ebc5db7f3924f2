// The run's artifacts as a folder list (path, size) with a preview of the one chosen. Large runs
// log thousands of files: a filter box narrows the list, and only the chosen file is read.
import { useState } from 'react';
import type { RunDetail } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { ArtifactPreview, formatBytes } from './ArtifactPreview';

const MAX_LISTED = 500;

export function ArtifactBrowser({ client, run }: { client: ApiClient; run: RunDetail }) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [needle, setNeedle] = useState('');
  if (run.artifacts.length === 0) return <p className="muted">This run logged no artifacts.</p>;
  const matching = run.artifacts.filter((a) => needle === '' || a.path.toLowerCase().includes(needle.toLowerCase()));
  const sorted = [...matching].sort((a, b) => a.path.localeCompare(b.path)).slice(0, MAX_LISTED);
  return (
    <div className="artifact-browser">
      <div className="artifact-list">
        <input aria-label="Find an artifact" placeholder={`Find among ${run.artifacts.length} files`} value={needle} onChange={(e) => setNeedle(e.target.value)} />
        <ul aria-label="Artifacts">
          {sorted.map((a) => (
            <li key={a.path}>
              <button type="button" className="link-button" aria-current={a.path === chosen ? 'true' : undefined} onClick={() => setChosen(a.path)}>
                {a.path}
              </button>
              <span className="muted"> {formatBytes(a.size)}</span>
            </li>
          ))}
        </ul>
        {matching.length > MAX_LISTED && <p className="muted">{matching.length - MAX_LISTED} more: narrow the list with the box above.</p>}
      </div>
      <div className="artifact-preview" aria-label="Preview" role="region">
        {chosen ? <ArtifactPreview client={client} runId={run.run_id} path={chosen} /> : <p className="muted">Choose a file to preview it.</p>}
      </div>
    </div>
  );
}
