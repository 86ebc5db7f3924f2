// Export the selected runs as a signed bundle: output path (on the server's machine), zip or folder,
// the key's passphrase when it has one, then progress while the core hashes, writes and self-verifies.
import { useEffect, useRef, useState } from 'react';
import type { BundleExportJob } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { ErrorLine } from './ErrorLine';
import { useAsync } from '../../app/use-async';
import { PHASE_NAMES, exportFraction, formatBytes } from './bundle-text';

export interface ExportDialogProps {
  client: ApiClient;
  runIds: string[];
  pollMs?: number;
}

export function ExportDialog({ client, runIds, pollMs = 250 }: ExportDialogProps) {
  const [output, setOutput] = useState('');
  const [folder, setFolder] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [job, setJob] = useState<BundleExportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = useAsync((signal) => client.call('keys.show', {}, { signal }), [client]);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const start = async (): Promise<void> => {
    setError(null);
    try {
      let j = await client.call('bundle.exportStart', { runs: runIds, output: output.trim(), folder, passphrase: passphrase || undefined });
      setJob(j);
      while (j.state === 'running' && alive.current) {
        await new Promise((r) => setTimeout(r, pollMs));
        j = await client.call('bundle.exportStatus', { job_id: j.job_id });
        if (alive.current) setJob(j);
      }
      if (j.state === 'failed') setError(j.error ?? 'the export failed');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const noKey = key.status === 'ready' && key.value === null;
  const running = job?.state === 'running';
  return (
    <section className="bundle-export" aria-label="Export runs">
      <h3>Export {runIds.length} selected run{runIds.length === 1 ? '' : 's'} as a signed bundle</h3>
      {runIds.length === 0 && <p className="muted">Select runs in the Runs table first.</p>}
      {noKey && <p className="error">No signing key in this data dir: run `runledger keys init` first.</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <input aria-label="Output path" placeholder="/absolute/path/runs.runbundle" value={output} onChange={(e) => setOutput(e.target.value)} />
        <label>
          <input type="checkbox" checked={folder} onChange={(e) => setFolder(e.target.checked)} /> as a folder
        </label>
        {key.status === 'ready' && key.value?.protection === 'scrypt-aes-256-gcm' && (
          <input aria-label="Key passphrase" type="password" placeholder="signing key passphrase" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        )}
        <button type="submit" disabled={running || runIds.length === 0 || !output.trim() || noKey}>
          Export
        </button>
      </form>
      {job && (
        <div className="bundle-progress">
          <progress max={1} value={exportFraction(job)} aria-label="Export progress" />
          <span>
            {PHASE_NAMES[job.phase]}
            {job.bytes_total > 0 && job.state === 'running' ? ` (${formatBytes(job.bytes_done)} of ${formatBytes(job.bytes_total)})` : ''}
          </span>
          {job.result && (
            <p className="bundle-ok">
              Wrote {job.result.path} ({formatBytes(job.result.bytes)}), digest <code>{job.result.digest}</code>
            </p>
          )}
        </div>
      )}
      <ErrorLine error={error} />
    </section>
  );
}
