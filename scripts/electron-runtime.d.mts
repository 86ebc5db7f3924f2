// Types for electron-runtime.mjs (plain JS so `npm start` needs no TypeScript loader).
export type ElectronRuntime = { available: true; binary: string } | { available: false; reason: string };

export interface ElectronRuntimeDeps {
  /** Defaults to `require('electron')` from the repository: the binary path, or a throw. */
  requireElectron?: () => unknown;
  exists?: (path: string) => boolean;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
}

export function detectElectronRuntime(deps?: ElectronRuntimeDeps): ElectronRuntime;
