// Bundles: export the selected runs, open/verify a bundle and import it, manage trusted keys.
import type { ApiClient } from '../../api/api-client';
import { ExportDialog } from './ExportDialog';
import { OpenBundlePanel } from './OpenBundlePanel';
import { TrustPanel } from './TrustPanel';
import './bundles.css';

export interface BundlesPageProps {
  client: ApiClient;
  selected: string[];
  /** A bundle to open right away (double-clicked, dropped, or picked from the menu). */
  openPath?: string | null;
  pick?: () => Promise<string | null>;
  onImported?: (runIds: string[]) => void;
}

export function BundlesPage({ client, selected, openPath, pick, onImported }: BundlesPageProps) {
  return (
    <div className="page">
      <main className="content bundles-page">
        <h2>Run bundles</h2>
        <OpenBundlePanel client={client} initialPath={openPath} pick={pick} onImported={onImported} />
        <ExportDialog client={client} runIds={selected} />
        <TrustPanel client={client} />
      </main>
    </div>
  );
}
