// Bundle path rules (BUNDLE.md §4.3): the writer sanitises, the reader enforces. The charset is the
// portable POSIX filename set plus '/', which already rules out '\', ':', '~', '%', spaces, NUL and
// non-ASCII (so no percent-encoding, 8.3 names, NTFS streams or NFC/NFD confusion).
import crypto from 'node:crypto';

const PATH_RE = /^run-[a-z0-9-]+\/([A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]+$/;
const SEGMENT_RE = /^[A-Za-z0-9._-]+$/;
const DEVICE_RE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
export const MAX_PATH_CHARS = 240;

function segmentProblem(seg: string): string | null {
  if (seg === '.' || seg === '..') return `segment '${seg}'`;
  if (!SEGMENT_RE.test(seg)) return `characters outside [A-Za-z0-9._-] in '${seg}'`;
  if (seg.startsWith('-')) return `segment '${seg}' starts with '-'`;
  if (seg.endsWith('.')) return `segment '${seg}' ends with '.'`;
  if (Buffer.byteLength(seg) > 255) return 'a segment longer than 255 bytes';
  if (DEVICE_RE.test(seg)) return `Windows device name '${seg}'`;
  return null;
}

/** Why a full zip path (`run-…/…`) is refused, or null when it is fine. */
export function bundlePathProblem(p: string): string | null {
  if (p.length > MAX_PATH_CHARS) return `longer than ${MAX_PATH_CHARS} characters`;
  if (!PATH_RE.test(p)) return 'does not match run-<id>/<segments> with [A-Za-z0-9._-] segments';
  for (const seg of p.split('/')) {
    const problem = segmentProblem(seg);
    if (problem) return problem;
  }
  return null;
}

/** A top-level folder name for a run id (or a set of them): `run-` + lowercase [a-z0-9-]. */
export function bundleRootName(runIds: readonly string[]): string {
  if (runIds.length === 1) {
    const id = runIds[0].toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const name = id.startsWith('run-') ? id : `run-${id}`;
    if (name.length <= 80) return name;
  }
  const h = crypto.createHash('sha256').update(runIds.join('\n')).digest('hex').slice(0, 12);
  return runIds.length === 1 ? `run-${h}` : `run-set-${h}`;
}

/** A folder segment for a run id inside a set (`data/runs/<segment>/`). */
export function runSegment(runId: string): string {
  const s = sanitizeSegment(runId);
  return s.length <= 64 ? s : crypto.createHash('sha256').update(runId).digest('hex').slice(0, 16);
}

export function sanitizeSegment(seg: string): string {
  let s = seg.replace(/[^A-Za-z0-9._-]/g, '_');
  if (s === '' || s === '.' || s === '..') s = '_';
  if (s.startsWith('-')) s = `_${s.slice(1)}`;
  if (s.endsWith('.')) s = `${s.slice(0, -1)}_`;
  if (DEVICE_RE.test(s)) s = `_${s}`;
  if (Buffer.byteLength(s) > 120) s = `${s.slice(0, 100)}_${crypto.createHash('sha256').update(seg).digest('hex').slice(0, 16)}`;
  return s;
}

/**
 * Maps logical artifact paths (any Unicode the store accepted) to bag paths under `prefix`, unique
 * after case folding and within the length limit. Input order must be stable for determinism.
 */
export function sanitizeArtifactPaths(root: string, prefix: string, paths: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const original of [...paths].sort()) {
    let candidate = `${prefix}${original.split('/').filter((s) => s !== '').map(sanitizeSegment).join('/')}`;
    if (`${root}/${candidate}`.length > MAX_PATH_CHARS) {
      const h = crypto.createHash('sha256').update(original).digest('hex').slice(0, 16);
      const base = sanitizeSegment(original.split('/').pop() ?? 'file').slice(-40).replace(/^[-.]/, '_');
      candidate = `${prefix}_long/${h}-${base}`;
    }
    let unique = candidate;
    for (let i = 2; taken.has(unique.toLowerCase()); i++) unique = `${candidate}_${i}`;
    taken.add(unique.toLowerCase());
    out.set(original, unique);
  }
  return out;
}
