// Artifact path safety: a pure predicate with a table test. Paths are '/'-separated and relative;
// anything that could name a place outside the run's artifact root is refused before any I/O.
import { invalidParam } from '../mlflow/errors';

export function artifactPathProblem(p: string): string | null {
  if (p.includes('\0')) return 'contains a NUL byte';
  if (p.includes('\\')) return 'contains a backslash';
  if (p.startsWith('/')) return 'is absolute';
  if (/^[a-zA-Z]:/.test(p)) return 'starts with a drive letter';
  // DEL and the C1 range are control characters too; DEL also made the download's
  // Content-Disposition header invalid (a 500 after a successful upload).
  if (/[\u0000-\u001f\u007f-\u009f]/.test(p)) return 'contains a control character';
  for (const seg of p.split('/')) {
    if (seg === '..') return "contains '..'";
    if (seg === '.') return "contains '.'";
  }
  return null;
}

/** Normalises a relative artifact path ('' for the root); throws 400 on anything unsafe. */
export function safeArtifactPath(p: string | undefined | null): string {
  const raw = p ?? '';
  const problem = artifactPathProblem(raw);
  if (problem) throw invalidParam(`Invalid path: the artifact path ${JSON.stringify(raw)} ${problem}`);
  return raw.split('/').filter((s) => s.length > 0).join('/');
}
