// Open a bundle read-only (a path on the server's machine: typed, picked in the desktop dialog, or
// double-clicked), see its verification report, then import it if wanted. An untrusted signer offers
// the three choices of BUNDLE.md §4.5: cancel, trust this key (after typing the fingerprint's last 8
// characters, as read from its owner), or import as unverified (quarantined, read-only, badged).
// A bundle that verifies can be browsed first (runs, plots, artifacts) without importing it.
import { useEffect, useState } from 'react';
import type { BundleBrowse, BundleImportResult, BundleReport } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';
import { ErrorLine } from './ErrorLine';
import { BundleReportView } from './BundleReportView';
import { BundleBrowser } from './BundleBrowser';
import { confirmsFingerprint, fingerprintTail } from './bundle-text';

export interface OpenBundlePanelProps {
  client: ApiClient;
  initialPath?: string | null;
  pick?: () => Promise<string | null>;
  onImported?: (runIds: string[]) => void;
}

export function OpenBundlePanel({ client, initialPath, pick, onImported }: OpenBundlePanelProps) {
  const [path, setPath] = useState(initialPath ?? '');
  const [report, setReport] = useState<BundleReport | null>(null);
  const [browse, setBrowse] = useState<BundleBrowse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<BundleImportResult | null>(null);
  const [confirm, setConfirm] = useState('');
  const [principal, setPrincipal] = useState('');

  const open = async (p: string): Promise<void> => {
    setError(null);
    setResult(null);
    setReport(null);
    setBrowse(null);
    if (!p.trim()) return;
    setBusy(true);
    try {
      // Browsing verifies too: one pass over a valid bundle. A refused one gets the plain report,
      // whose failed check says why.
      const b = await client.call('bundle.browse', { path: p.trim() }).catch((e: Error) => e);
      const r = b instanceof Error ? await client.call('bundle.verify', { path: p.trim() }) : b.report;
      if (b instanceof Error && r.valid) setError(`The bundle verifies, but its contents could not be read: ${b.message}`);
      if (!(b instanceof Error)) setBrowse(b);
      setReport(r);
      setPrincipal(r.signer?.claimed_principal ?? '');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (initialPath) {
      setPath(initialPath);
      void open(initialPath);
    }
  }, [initialPath]); // eslint-disable-line react-hooks/exhaustive-deps -- reopen only when a new file arrives

  const importAs = async (mode: 'verified' | 'trust' | 'unverified'): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('bundle.import', { path: path.trim(), mode, principal: mode === 'trust' ? principal.trim() || undefined : undefined });
      setResult(r);
      setReport(r.report);
      if (r.outcome !== 'refused') onImported?.(r.run_ids);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const untrusted = report?.valid === true && report.signer?.trust_state === 'untrusted';
  return (
    <section className="bundle-open" aria-label="Open a bundle">
      <h3>Open a bundle</h3>
      <form
        className="bundle-path"
        onSubmit={(e) => {
          e.preventDefault();
          void open(path);
        }}
      >
        <input aria-label="Bundle path" placeholder="/path/to/run.runbundle (on the server's machine)" value={path} onChange={(e) => setPath(e.target.value)} />
        {pick && (
          <button
            type="button"
            onClick={() =>
              void pick().then((p) => {
                if (p) {
                  setPath(p);
                  void open(p);
                }
              })
            }
          >
            Choose…
          </button>
        )}
        <button type="submit" disabled={busy || !path.trim()}>
          Verify
        </button>
      </form>
      {busy && <p className="muted">Working…</p>}
      <ErrorLine error={error} />
      {report && <BundleReportView report={report} />}
      {result && <p className={result.outcome === 'refused' ? 'error' : 'bundle-ok'}>{result.message}</p>}
      {report?.valid && !result && (
        <div className="bundle-actions">
          {report.signer?.trust_state === 'trusted' && (
            <button type="button" disabled={busy} onClick={() => void importAs('verified')}>
              Import
            </button>
          )}
          {untrusted && (
            <>
              <fieldset className="bundle-trust">
                <legend>Trust this key</legend>
                <p className="small">
                  Ask {report.signer?.claimed_principal ?? 'the signer'} for their key's fingerprint (runledger keys show) over another channel, and type its last 8
                  characters. This key's fingerprint ends in <code>…{fingerprintTail(report.signer!.fingerprint)}</code>.
                </p>
                <label>
                  Last 8 characters <input aria-label="Fingerprint confirmation" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
                </label>
                <label>
                  Principal <input aria-label="Principal" value={principal} onChange={(e) => setPrincipal(e.target.value)} />
                </label>
                <button type="button" disabled={busy || !confirmsFingerprint(confirm, report.signer!.fingerprint) || !principal.trim()} onClick={() => void importAs('trust')}>
                  Trust and import
                </button>
              </fieldset>
              <button type="button" disabled={busy} onClick={() => void importAs('unverified')}>
                Import as unverified (quarantined)
              </button>
            </>
          )}
          <button
            type="button"
            onClick={() => {
              setReport(null);
              setBrowse(null);
            }}
          >
            Cancel
          </button>
        </div>
      )}
      {report?.valid && browse && <BundleBrowser client={client} path={path.trim()} browse={browse} />}
    </section>
  );
}
