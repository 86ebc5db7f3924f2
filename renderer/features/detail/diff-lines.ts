// Reads a unified diff (`git diff` output) into typed lines for the diff viewer: file headers, hunk
// headers, added, removed and context lines, with old/new line numbers. Pure and forgiving: a
// truncated diff (the client caps its size) still reads up to where it stops.

export type DiffLineKind = 'file' | 'meta' | 'hunk' | 'add' | 'del' | 'context';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
  oldNo: number | null;
  newNo: number | null;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function parseUnifiedDiff(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  let inHunk = false;
  for (const text of diff.replace(/\r\n/g, '\n').split('\n')) {
    if (text.startsWith('diff --git ')) {
      inHunk = false;
      out.push({ kind: 'file', text, oldNo: null, newNo: null });
      continue;
    }
    const hunk = HUNK.exec(text);
    if (hunk) {
      inHunk = true;
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      out.push({ kind: 'hunk', text, oldNo: null, newNo: null });
      continue;
    }
    if (!inHunk) {
      if (text !== '') out.push({ kind: 'meta', text, oldNo: null, newNo: null });
      continue;
    }
    if (text.startsWith('+')) out.push({ kind: 'add', text, oldNo: null, newNo: newNo++ });
    else if (text.startsWith('-')) out.push({ kind: 'del', text, oldNo: oldNo++, newNo: null });
    else if (text.startsWith('\\')) out.push({ kind: 'meta', text, oldNo: null, newNo: null }); // "\ No newline at end of file"
    else if (text !== '' || out.length > 0) out.push({ kind: 'context', text, oldNo: oldNo++, newNo: newNo++ });
  }
  // A diff ends with a newline: its empty last "line" is not a context line.
  while (out.length > 0 && out[out.length - 1].kind === 'context' && out[out.length - 1].text === '') out.pop();
  return out;
}

/** Files changed, lines added and removed: the summary above the diff. */
export function diffStats(lines: readonly DiffLine[]): { files: number; added: number; removed: number } {
  let files = 0;
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.kind === 'file') files++;
    else if (l.kind === 'add') added++;
    else if (l.kind === 'del') removed++;
  }
  return { files, added, removed };
}
