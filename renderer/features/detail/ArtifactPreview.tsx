// One artifact's preview, as `artifacts.preview` describes it: images by same-origin URL in an
// <img> (an SVG there cannot run script), JSON pretty-printed, Markdown through our own renderer
// (text only, never HTML), diffs coloured, tables read by DuckDB on the server, text as text.
import type { DependencyList } from 'react';
import type { ArtifactPreview as Preview } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { useAsync } from '../../app/use-async';
import { renderMarkdown } from './markdown-lite';
import { DiffViewer } from './DiffViewer';

export function ArtifactPreview({ client, runId, path }: { client: ApiClient; runId: string; path: string }) {
  return <LoadedPreview path={path} load={(signal) => client.call('artifacts.preview', { run: runId, path }, { signal })} deps={[client, runId, path]} />;
}

/** A preview fetched by `load` (re-run when `deps` change), with its loading and error lines. */
export function LoadedPreview({ path, load, deps }: { path: string; load: (signal: AbortSignal) => Promise<Preview>; deps: DependencyList }) {
  const preview = useAsync(load, deps);
  if (preview.status === 'loading') return <p className="muted" role="status">Loading {path}…</p>;
  if (preview.status === 'error') return <p role="alert" className="bad">Could not preview {path}: {preview.error.message}</p>;
  return <PreviewBody preview={preview.value} />;
}

export function PreviewBody({ preview }: { preview: Preview }) {
  const note = 'truncated' in preview && preview.truncated ? <p className="muted">Only the beginning is shown ({formatBytes(preview.size)} in all).</p> : null;
  switch (preview.kind) {
    case 'image':
      return <img className="artifact-image" src={preview.url} alt={preview.path} />;
    case 'json':
    case 'text':
      return (
        <>
          <pre className="artifact-text" data-kind={preview.kind}>{preview.text}</pre>
          {note}
        </>
      );
    case 'markdown':
      return (
        <>
          <div className="artifact-markdown">{renderMarkdown(preview.text)}</div>
          {note}
        </>
      );
    case 'diff':
      return (
        <>
          <DiffViewer diff={preview.text} />
          {note}
        </>
      );
    case 'table':
      return (
        <>
          <div className="artifact-table-scroll">
            <table className="artifact-table">
              <thead>
                <tr>
                  {preview.columns.map((c) => (
                    <th key={c.name} title={c.type}>
                      {c.name}
                      <span className="muted"> {c.type}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row, i) => (
                  <tr key={i}>
                    {row.map((v, j) => (
                      <td key={j} className={v === null ? 'muted' : undefined}>
                        {v ?? 'NULL'}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted">
            {preview.rows.length} of {preview.total_rows === null ? 'many' : preview.total_rows.toLocaleString('en-US')} rows
            {preview.truncated ? ' (first rows only)' : ''}
          </p>
        </>
      );
    case 'binary':
      return <p className="muted">No preview: {preview.reason}.</p>;
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
