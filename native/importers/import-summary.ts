// The summary and progress objects an import fills in, and the outcome rule that decides the CLI's
// exit code: complete (0), partial (4), nothing (1).
import type { ImportFormatName, ImportProgress, ImportSummary } from '../api/contract';

export function emptySummary(p: string, format: ImportFormatName | null, message: string | null): ImportSummary {
  return {
    path: p,
    format,
    outcome: 'nothing',
    message,
    runs: [],
    counts: { runs_imported: 0, runs_already_there: 0, runs_failed: 0, experiments_created: 0, points: 0, params: 0, tags: 0, artifacts: 0, texts: 0, histograms: 0, damaged_records: 0 },
    damaged: [],
    ignored: [],
    problems: [],
    seconds: 0,
    timings: { reading: 0, committing: 0, finalizing: 0, other: 0 },
  };
}

export function newProgress(importId: string, p: string, format: ImportFormatName | null): ImportProgress {
  return { import_id: importId, state: 'running', path: p, format, runs_total: 0, runs_done: 0, run: null, bytes_total: 0, bytes_done: 0, points: 0, damaged_records: 0, summary: null, error: null };
}

/** Sets the outcome, the seconds and the timings (given in ms while counting) of a finished import. */
export function finishSummary(s: ImportSummary, ignored: Map<string, number>, elapsedMs: number): ImportSummary {
  const c = s.counts;
  s.ignored = [...ignored].map(([what, count]) => ({ what, count }));
  s.seconds = elapsedMs / 1000;
  const t = s.timings;
  t.other = Math.max(0, elapsedMs - t.reading - t.committing - t.finalizing);
  for (const k of ['reading', 'committing', 'finalizing', 'other'] as const) t[k] = Math.round(t[k]) / 1000;
  // A failed run keeps the points it got: that counts as imported in part, not as nothing.
  if (c.runs_imported + c.runs_already_there === 0 && !s.runs.some((r) => r.points > 0)) {
    s.outcome = 'nothing';
    s.message ??= c.runs_failed > 0 || s.problems.length > 0 || c.damaged_records > 0 ? 'nothing could be read' : `no runs found in ${s.path}`;
  } else {
    s.outcome = c.damaged_records > 0 || c.runs_failed > 0 || s.problems.length > 0 ? 'partial' : 'complete';
  }
  return s;
}
