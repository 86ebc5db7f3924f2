// Top of the UI: page navigation over the view state in the URL (so every view can be bookmarked),
// the pages themselves, and the desktop menu's commands when running inside the app. To add a
// page: one entry in PAGES and one case in renderPage.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ApiClient } from '../api/api-client';
import type { ShellBridge } from '../../electron/shell-bridge';
import { RunsPage } from '../features/runs/RunsPage';
import { RunDetailPage } from '../features/detail/RunDetailPage';
import { MAX_DIFF_RUNS, MIN_DIFF_RUNS, RunDiffPage } from '../features/diff/RunDiffPage';
import { ComparePage } from '../features/compare/ComparePage';
import { ModelsPage } from '../features/models/ModelsPage';
import { AuditPage } from '../features/audit/AuditPage';
import { BundlesPage } from '../features/bundles/BundlesPage';
import { liveEvents, type LiveEvents } from '../api/live-events';
import { runChanges } from './use-live-events';
import { runsOfGroups, type CompareGroups } from './compare-groups';
import { useViewState, type SetViewState } from './use-view-state';
import { useBundleDrop } from './use-bundle-drop';
import type { ViewState } from './view-state';

export interface AppProps {
  client: ApiClient;
  shell: ShellBridge | null;
  /** Live events from the core; default: `/api/events` of this origin (none where EventSource is missing, e.g. jsdom). */
  live?: LiveEvents | null;
}

interface PageEntry {
  id: string;
  label: string;
  /** Why the page cannot open now (shown as the tab's tooltip), or null when it can. */
  blocked(view: ViewState): string | null;
}

const PAGES: PageEntry[] = [
  { id: 'runs', label: 'Runs', blocked: () => null },
  { id: 'compare', label: 'Compare', blocked: (v) => (v.selected.length > 0 ? null : 'Select runs first') },
  { id: 'detail', label: 'Detail', blocked: (v) => (v.run ? null : 'Open a run from the table first') },
  {
    id: 'diff',
    label: 'Diff',
    blocked: (v) => (v.selected.length >= MIN_DIFF_RUNS && v.selected.length <= MAX_DIFF_RUNS ? null : `Select ${MIN_DIFF_RUNS} to ${MAX_DIFF_RUNS} runs first`),
  },
  { id: 'models', label: 'Models', blocked: () => null },
  { id: 'audit', label: 'Audit', blocked: () => null },
  { id: 'bundles', label: 'Bundles', blocked: () => null },
];

export function App({ client, shell, live: liveProp }: AppProps) {
  const [view, setView] = useViewState();
  const live = useMemo(
    () => (liveProp !== undefined ? liveProp : typeof EventSource === 'undefined' ? null : liveEvents(`${window.location.origin}/`)),
    [liveProp],
  );
  const liveChanges = useMemo(() => (live ? runChanges(live) : undefined), [live]);
  const [reloadToken, setReloadToken] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  /** The run bundle opened by double-click, drop or the menu: the Bundles page verifies it. */
  const [bundlePath, setBundlePath] = useState<string | null>(null);

  useEffect(() => {
    if (!shell) return;
    // An opened bundle is offered, not forced: the user may be in the middle of something.
    const noteBundles = (paths: string[]) => {
      if (paths.length === 0) return;
      setBundlePath(paths[paths.length - 1]);
      setNotice(`Run bundle opened: ${paths.join(', ')}. See the Bundles page to verify and import it.`);
    };
    const takeOpened = () => void shell.takeOpenedFiles().then(noteBundles);
    takeOpened(); // files double-clicked before the page loaded
    const offOpened = shell.onOpenedFiles(takeOpened);
    const offMenu = shell.onMenuCommand((command) => {
      if (command === 'reload-data') setReloadToken((n) => n + 1);
      else if (command === 'open-bundle') void shell.openBundleDialog().then((path) => noteBundles(path ? [path] : []));
      else if (command === 'show-runs') setView({ view: 'runs' });
    });
    return () => {
      offOpened();
      offMenu();
    };
  }, [shell, setView]);

  // A dropped bundle was put here on purpose: open it right away (unlike a double-click, which may
  // arrive while the user is busy with something else).
  const openDropped = useCallback(
    (path: string) => {
      setBundlePath(path);
      setView({ view: 'bundles' }, { push: true });
    },
    [setView],
  );
  useBundleDrop(shell, openDropped, setNotice);

  const compareGroups = (groups: CompareGroups): void => {
    runsOfGroups(client, groups).then(
      (ids) => (ids.length > 0 ? setView({ view: 'compare', selected: ids }, { push: true }) : setNotice('No runs match those groups.')),
      (e: Error) => setNotice(`Could not open Compare: ${e.message}`),
    );
  };

  const current = PAGES.some((p) => p.id === view.view) ? view.view : 'runs';
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
      <nav className="page-nav" aria-label="Pages">
        {PAGES.map((p) => {
          const blocked = p.blocked(view);
          return (
            <button
              key={p.id}
              type="button"
              aria-current={p.id === current ? 'page' : undefined}
              disabled={blocked !== null && p.id !== current}
              title={blocked ?? undefined}
              onClick={() => setView({ view: p.id })}
            >
              {p.label}
            </button>
          );
        })}
      </nav>
      {renderPage(current, { client, shell, view, setView, reloadToken, live, liveChanges, bundlePath, compareGroups })}
    </>
  );
}

interface PageContext {
  client: ApiClient;
  shell: ShellBridge | null;
  view: ViewState;
  setView: SetViewState;
  reloadToken: number;
  live: LiveEvents | null;
  liveChanges: ReturnType<typeof runChanges> | undefined;
  bundlePath: string | null;
  compareGroups: (groups: CompareGroups) => void;
}

function renderPage(page: string, { client, shell, view, setView, reloadToken, live, liveChanges, bundlePath, compareGroups }: PageContext): ReactNode {
  const openRun = (run: string): void => setView({ view: 'detail', run }, { push: true });
  switch (page) {
    case 'detail':
      return (
        <div className="page">
          <main className="content">
            <RunDetailPage key={`${view.run}-${reloadToken}`} client={client} runId={view.run} onBack={() => setView({ view: 'runs' })} />
          </main>
        </div>
      );
    case 'compare':
      return <ComparePage key={reloadToken} client={client} view={view} onViewChange={setView} live={live} />;
    case 'diff':
      return (
        <div className="page">
          <main className="content">
            <RunDiffPage key={reloadToken} client={client} runIds={view.selected} onOpenRun={openRun} />
          </main>
        </div>
      );
    case 'models':
      return <ModelsPage key={reloadToken} client={client} onOpenRun={openRun} />;
    case 'bundles':
      return <BundlesPage client={client} selected={view.selected} openPath={bundlePath} pick={shell ? () => shell.openBundleDialog() : undefined} />;
    case 'audit':
      return <AuditPage client={client} reloadToken={reloadToken} onOpenRun={openRun} />;
    default:
      return <RunsPage client={client} reloadToken={reloadToken} shell={shell} view={view} onViewChange={setView} canCompare liveChanges={liveChanges} live={live} onCompare={compareGroups} />;
  }
}
