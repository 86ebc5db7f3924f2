// The page header: which server this is (version, address, data dir, pid) and a refresh button.
import type { ServerInfo } from '../../../native/api/contract';
import type { ShellBridge } from '../../../electron/shell-bridge';
import type { AsyncState } from '../../app/use-async';

export interface ServerHeaderProps {
  info: AsyncState<ServerInfo>;
  refreshing: boolean;
  onRefresh: () => void;
  /** Present in the desktop app only: offers "Reveal" for the data dir. */
  shell: ShellBridge | null;
  /** Opens the import dialog (TensorBoard, Lightning CSV, MLflow mlruns). */
  onImport?: () => void;
}

export function ServerHeader({ info, refreshing, onRefresh, shell, onImport }: ServerHeaderProps) {
  return (
    <header className="app-header">
      <h1 className="brand">Runledger</h1>
      <div className="server-info" aria-label="Server">
        {info.status === 'loading' && <span className="muted">Connecting…</span>}
        {info.status === 'error' && <span className="muted">Server info unavailable ({info.error.message})</span>}
        {info.status === 'ready' && (
          <>
            <span title="Version">v{info.value.version}</span>
            <span title="Address">{info.value.url}</span>
            <span title="Data directory">
              {info.value.data_dir}
              {shell && (
                <button type="button" className="link-button" onClick={() => void shell.revealInFolder(info.value.data_dir)}>
                  Reveal
                </button>
              )}
            </span>
            <span title="Process id" className="muted">
              pid {info.value.pid}
            </span>
          </>
        )}
      </div>
      {onImport && (
        <button type="button" onClick={onImport}>
          Import…
        </button>
      )}
      <button type="button" onClick={onRefresh} disabled={refreshing}>
        {refreshing ? 'Refreshing…' : 'Refresh'}
      </button>
    </header>
  );
}
