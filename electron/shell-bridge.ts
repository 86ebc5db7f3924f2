// The desktop-only capabilities the preload exposes to the renderer, as a type the renderer may
// `import type`. Types only: the sandboxed preload cannot require local modules at runtime, so the
// channel names below are shared as string-literal types and both ends are checked against them.

/** Commands the application menu sends to the page. */
export type MenuCommand = 'open-bundle' | 'show-runs' | 'reload-data';

/** Every IPC channel between preload and main; `shell:` prefix by convention. */
export type ShellChannel =
  | 'shell:open-bundle-dialog'
  | 'shell:open-import-dialog'
  | 'shell:reveal-in-folder'
  | 'shell:take-opened-files'
  | 'shell:opened-files'
  | 'shell:menu-command';

/** What the import picker chooses: folders of logs, or one file (an event file, a `.runbundle`). */
export type ImportPickKind = 'folder' | 'file';

/** Name of the global the preload defines (`window.runledgerShell`). */
export type ShellBridgeGlobal = 'runledgerShell';

export interface ShellBridge {
  /** Shows the OS open dialog for a `.runbundle`; the chosen absolute path, or null when cancelled. */
  openBundleDialog(): Promise<string | null>;
  /**
   * Shows the OS open dialog for run files to import: a folder (TensorBoard logs, a Lightning
   * `version_N`, an `mlruns` store, a spool) or a single file. The absolute path, or null when cancelled.
   */
  openImportDialog(kind: ImportPickKind): Promise<string | null>;
  /**
   * The absolute path of a file or folder dropped on the page. Chromium hides it from web pages;
   * Electron's `webUtils.getPathForFile` gives it to the preload. Empty paths (a file made in
   * the page) come back as null.
   */
  pathForFile(file: File): string | null;
  /** Shows a file or folder in the OS file manager. */
  revealInFolder(path: string): Promise<void>;
  /** Files opened by double-click or on the command line since the last call (then forgotten). */
  takeOpenedFiles(): Promise<string[]>;
  /** Called when more files were opened; call takeOpenedFiles() to get them. Returns an unsubscribe. */
  onOpenedFiles(listener: () => void): () => void;
  /** Called with each application-menu command. Returns an unsubscribe. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}
