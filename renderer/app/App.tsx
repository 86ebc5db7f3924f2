// Top of the UI: the Runs page, plus the desktop menu's commands when running inside the app.
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/api-client';
import type { ShellBridge } from '../../electron/shell-bridge';
import { RunsPage } from '../features/runs/RunsPage';

export interface AppProps {
  client: ApiClient;
  shell: ShellBridge | null;
}

export function App({ client, shell }: AppProps) {
  const [reloadToken, setReloadToken] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!shell) return;
    // Bundles have no page yet: say so rather than let "Open Bundle…" do nothing.
    const noteBundles = (paths: string[]) => {
      if (paths.length > 0) setNotice(`Opening run bundles is not available in this build yet (${paths.join(', ')}).`);
    };
    const takeOpened = () => void shell.takeOpenedFiles().then(noteBundles);
    takeOpened(); // files double-clicked before the page loaded
    const offOpened = shell.onOpenedFiles(takeOpened);
    const offMenu = shell.onMenuCommand((command) => {
      if (command === 'reload-data') setReloadToken((n) => n + 1);
      else if (command === 'open-bundle') void shell.openBundleDialog().then((path) => noteBundles(path ? [path] : []));
      // 'show-runs': Runs is the only page so far.
    });
    return () => {
      offOpened();
      offMenu();
    };
  }, [shell]);

  return (
    <>
      {notice && (
        <div className="notice" role="status">
          {notice}
          <button type="button" className="link-button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      <RunsPage client={client} reloadToken={reloadToken} shell={shell} />
    </>
  );
}
