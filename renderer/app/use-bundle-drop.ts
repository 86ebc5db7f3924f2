// A `.runbundle` dropped anywhere on the window opens the Bundles page with it (issue #6). Only the
// desktop shell can tell the page a dropped file's path (Chromium hides it from web pages), so in a
// plain browser the drop is answered with a notice saying where it works. Drops that a page handled
// itself (the import dialog's drop zone) are left alone.
import { useEffect } from 'react';
import type { ShellBridge } from '../../electron/shell-bridge';

export const BROWSER_DROP_NOTICE =
  'Dropping a run bundle opens it in the Runledger desktop app. Here, type its path on the Bundles page, or run `runledger open FILE` in a shell.';

const carriesFiles = (e: DragEvent): boolean => [...(e.dataTransfer?.types ?? [])].includes('Files');

export function useBundleDrop(shell: ShellBridge | null, onBundle: (path: string) => void, onNotice: (text: string) => void): void {
  useEffect(() => {
    const over = (e: DragEvent): void => {
      // Without this the drop never fires, and the browser would open the file in place of the app.
      if (!e.defaultPrevented && carriesFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent): void => {
      if (e.defaultPrevented || !carriesFiles(e)) return;
      e.preventDefault();
      const bundles = [...(e.dataTransfer?.files ?? [])].filter((f) => f.name.toLowerCase().endsWith('.runbundle'));
      if (bundles.length === 0) return;
      if (!shell) return onNotice(BROWSER_DROP_NOTICE);
      const path = shell.pathForFile(bundles[bundles.length - 1]);
      if (path) onBundle(path);
      else onNotice(`Could not tell where ${bundles[0].name} is on disk: open it with File › Open Bundle… instead.`);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [shell, onBundle, onNotice]);
}
