// Decides whether `npm start` must rebuild the UI: renderer/dist/index.html missing, or older than
// any source file under renderer/ (dist and node_modules aside).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SKIP = new Set(['dist', 'node_modules']);

/** Newest modification time (ms) of the files under dir, skipping build output. */
export function newestSourceMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

export function rendererNeedsBuild(rendererDir) {
  let built;
  try {
    built = statSync(path.join(rendererDir, 'dist', 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  return newestSourceMtime(rendererDir) > built;
}
