// A run's artifacts as a folder list (path, size) with a preview of the one chosen. Large runs
// log thousands of files: a filter box narrows the list, and only the chosen file is read. The
// preview is the caller's: a stored run's (artifacts.preview) or a browsed bundle's (bundle.artifact).
import { useState, type ReactNode } from 'react';
import { formatBytes } from './ArtifactPreview';

const MAX_LISTED = 500;

export interface ArtifactBrowserProps {
  artifacts: readonly { path: string; size: number }[];
  preview: (path: string) => ReactNode;
}

export function ArtifactBrowser({ artifacts, preview }: ArtifactBrowserProps) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [needle, setNeedle] = useState('');
  if (artifacts.length === 0) return <p className="muted">This run logged no artifacts.</p>;
  const matching = artifacts.filter((a) => needle === '' || a.path.toLowerCase().includes(needle.toLowerCase()));
  const sorted = [...matching].sort((a, b) => a.path.localeCompare(b.path)).slice(0, MAX_LISTED);
  return (
    <div className="artifact-browser">
      <div className="artifact-list">
        <input aria-label="Find an artifact" placeholder={`Find among ${artifacts.length} files`} value={needle} onChange={(e) => setNeedle(e.target.value)} />
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
        {chosen ? preview(chosen) : <p className="muted">Choose a file to preview it.</p>}
      </div>
    </div>
  );
}
