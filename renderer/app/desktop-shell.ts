// The desktop app's extras (open dialog, reveal in folder, menu commands), present only when the
// page runs inside Runledger's window; in a plain browser this returns null and the UI hides them.
import type { ShellBridge, ShellBridgeGlobal } from '../../electron/shell-bridge';

const globalName: ShellBridgeGlobal = 'runledgerShell';

export function desktopShell(): ShellBridge | null {
  const holder = globalThis as Partial<Record<ShellBridgeGlobal, ShellBridge>>;
  return holder[globalName] ?? null;
}
