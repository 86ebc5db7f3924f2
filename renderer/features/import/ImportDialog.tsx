// Import run files (TensorBoard, Lightning CSV, MLflow mlruns) from the server's disk: a path field
// (the server reads the files, so the path is the server machine's), a drop target where the
// desktop shell can name a dropped folder's path, detection before importing, progress while the
// core imports (import.start, then the core's `import.progress` events, with import.status polled
// as a fallback), and the summary with damaged records.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { ImportProgress } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import type { LiveEvents } from '../../api/live-events';
import { progressFraction, progressText, summaryHeadline } from './import-progress';

export interface ImportDialogProps {
  client: ApiClient;
  /** Called when the dialog closes; `imported` when runs were added (the page reloads them). */
  onClose: (imported: boolean) => void;
  /** The absolute path of a dropped file or folder, where the platform can tell (the desktop shell). */
  pathOfDropped?: (file: File) => string | null;
  /** The desktop shell's open dialog for a folder or a file; absent in a plain browser. */
  pick?: (kind: 'folder' | 'file') => Promise<string | null>;
  /** The core's live events: progress arrives as it happens. Without them the dialog polls. */
  live?: LiveEvents | null;
  /** Polling interval without live events; with them polling only covers a dropped connection. */
  pollMs?: number;
}

type Detected = { format: string; description: string; supported: boolean } | null | 'unknown';

export function ImportDialog({ client, onClose, pathOfDropped, pick, live = null, pollMs = 250 }: ImportDialogProps) {
  const [path, setPath] = useState('');
  const [experiment, setExperiment] = useState('');
  const [detected, setDetected] = useState<Detected>('unknown');
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dropNote, setDropNote] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const detect = async (p: string): Promise<void> => {
    setError(null);
    if (!p.trim()) return setDetected('unknown');
    try {
      setDetected(await client.call('import.detect', { path: p.trim() }));
    } catch (e) {
      setError((e as Error).message);
      setDetected('unknown');
    }
  };

  const start = async (): Promise<void> => {
    setError(null);
    try {
      let p = await client.call('import.start', { path: path.trim(), experiment: experiment.trim() || undefined });
      const id = p.import_id;
      setProgress(p);
      let wake = (): void => undefined;
      const off = live?.on('import.progress', (e) => {
        if (e.import_id !== id || !alive.current) return;
        p = e;
        setProgress(e);
        if (e.state !== 'running') wake();
      });
      try {
        while (p.state === 'running' && alive.current) {
          const wait = live ? pollMs * 8 : pollMs;
          await new Promise<void>((r) => {
            const timer = setTimeout(r, wait);
            wake = () => {
              clearTimeout(timer);
              r();
            };
          });
          if (p.state !== 'running') break; // an event brought the end while we waited
          const polled = await client.call('import.status', { import_id: id });
          if (p.state === 'running') p = polled;
          if (alive.current) setProgress(p);
        }
      } finally {
        off?.();
      }
      if (p.state === 'failed') setError(p.error ?? 'the import failed');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const choose = (chosen: string): void => {
    setDropNote(null);
    setPath(chosen);
    void detect(chosen);
  };

  const onPick = async (kind: 'folder' | 'file'): Promise<void> => {
    try {
      const chosen = await pick?.(kind);
      if (chosen) choose(chosen);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    if (running || summary) return;
    const file = e.dataTransfer.files[0];
    const dropped = file && pathOfDropped ? pathOfDropped(file) : null;
    if (dropped) choose(dropped);
    else {
      setDropNote('This window cannot see where a dropped item lives on disk: type or paste its path instead.');
    }
  };

  const running = progress?.state === 'running';
  const summary = progress?.summary ?? null;
  const fraction = progress ? progressFraction(progress) : null;
  const canImport = !running && !summary && path.trim() !== '' && detected !== null && (detected === 'unknown' || detected.supported);

  return (
    <div className="dialog-backdrop" role="presentation">
      <section className="dialog import-dialog" role="dialog" aria-modal="true" aria-labelledby="import-title" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        <h2 id="import-title">Import runs</h2>
        <p className="muted">TensorBoard event files, a Lightning CSVLogger folder, or an MLflow mlruns store. Drop a folder here or give its path on the server&apos;s machine.</p>
        <label>
          Path
          <input
            type="text"
            value={path}
            placeholder="/home/me/tb_logs"
            disabled={running || !!summary}
            onChange={(e) => {
              setPath(e.target.value);
              setDetected('unknown');
            }}
            onBlur={() => void detect(path)}
          />
        </label>
        {pick && (
          <div className="dialog-buttons" style={{ justifyContent: 'flex-start' }}>
            <button type="button" disabled={running || !!summary} onClick={() => void onPick('folder')}>
              Choose folder…
            </button>
            <button type="button" disabled={running || !!summary} onClick={() => void onPick('file')}>
              Choose file…
            </button>
          </div>
        )}
        {dropNote && <p className="muted">{dropNote}</p>}
        {detected !== 'unknown' && (
          <p className={detected && detected.supported ? 'detected' : 'error'} role="status">
            {detected === null ? 'Nothing Runledger can import was found there.' : detected.supported ? `Found ${detected.description}.` : `Found ${detected.description}: not supported yet.`}
          </p>
        )}
        <label>
          Experiment (TensorBoard and Lightning runs)
          <input type="text" value={experiment} placeholder="Default" disabled={running || !!summary} onChange={(e) => setExperiment(e.target.value)} />
        </label>
        {progress && !summary && (
          <div className="import-progress">
            <progress max={1} value={fraction ?? undefined} aria-label="Import progress" />
            <p role="status">{progressText(progress)}</p>
          </div>
        )}
        {summary && (
          <div className="import-summary" role="status">
            <p>{summaryHeadline(summary)}</p>
            {summary.damaged.length > 0 && (
              <ul className="damaged">
                {summary.damaged.slice(0, 20).map((d) => (
                  <li key={`${d.file}:${d.offset}`}>
                    {d.file} at byte {d.offset}: {d.reason}
                  </li>
                ))}
              </ul>
            )}
            {summary.problems.map((m) => (
              <p key={m} className="error">
                {m}
              </p>
            ))}
          </div>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={() => void start()} disabled={!canImport}>
            {running ? 'Importing…' : 'Import'}
          </button>
          <button type="button" onClick={() => onClose(!!summary && summary.counts.runs_imported > 0)} disabled={running}>
            {summary ? 'Done' : 'Cancel'}
          </button>
        </div>
      </section>
    </div>
  );
}
