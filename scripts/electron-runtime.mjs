// Is Electron's runtime usable here? `require('electron')` in plain Node returns the binary's path,
// but throws when npm skipped the binary download (offline installs, ELECTRON_SKIP_BINARY_DOWNLOAD),
// and a bare Linux box without a display cannot open a window even with the binary.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const requireFromRepo = createRequire(import.meta.url);

/** See electron-runtime.d.mts for the types; every dependency can be injected for tests. */
export function detectElectronRuntime(deps = {}) {
  const requireElectron = deps.requireElectron ?? (() => requireFromRepo('electron'));
  const exists = deps.exists ?? existsSync;
  const platform = deps.platform ?? process.platform;
  const env = deps.env ?? process.env;

  if (env.RUNLEDGER_HEADLESS === '1') {
    return { available: false, reason: 'RUNLEDGER_HEADLESS=1 is set' };
  }
  let binary;
  try {
    binary = requireElectron();
  } catch {
    return { available: false, reason: "Electron's runtime is not installed here (npm skipped its download)" };
  }
  if (typeof binary !== 'string' || binary === '' || !exists(binary)) {
    return { available: false, reason: "Electron's runtime is not installed here (its binary is missing)" };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { available: false, reason: 'there is no display here (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { available: true, binary };
}
