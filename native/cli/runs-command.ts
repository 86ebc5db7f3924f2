// `runledger runs ls|show|delete|restore`.
import type { RunDetail, RunSummary } from '../api/contract';
import { connect } from './connect';
import { intFlag, parseArgs, stringFlag, UsageError } from './args';
import { formatTable, formatTime, formatValue } from './format-table';
import type { CliIo } from './io';
import { localUtcOffset } from './query-command';
import { provenanceSections } from '../provenance/provenance-text';

export const RUNS_HELP = `Usage:
  runledger runs ls [--experiment NAME] [--filter "QUERY"] [--view active|deleted|all] [--limit N] [--json]
  runledger runs show RUN [--json]
  runledger runs delete RUN [--reason TEXT]
  runledger runs restore RUN
  runledger runs purge RUN --reason TEXT   remove a deleted run's data for good; a tombstone and its
                                           audit history stay ('runledger audit log --run RUN')
RUN is a run id, or a run name when only one run has it. Every command takes --data DIR.
Filters are plain words or MLflow's syntax, with or/not: "highest auc with latency under 50 ms",
"failed runs last week", "metrics.val_auc > 0.8 and params.model = 'xgb'". Without --view, a filter
that mentions deleted runs shows them. See how a filter is read: runledger query explain "QUERY".`;

const VIEWS = ['active', 'deleted', 'all'] as const;

export async function runsCommand(argv: string[], dataDir: string, io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const p = parseArgs(rest, { strings: ['experiment', 'filter', 'view', 'reason', 'limit', 'data'], booleans: ['json'] });
  if (!sub || p.flags.help) {
    io.out(RUNS_HELP);
    return sub ? 0 : 2;
  }
  const json = p.flags.json === true;
  const conn = await connect(dataDir);
  try {
    switch (sub) {
      case 'ls':
      case 'list': {
        const view = stringFlag(p, 'view');
        if (view !== undefined && !(VIEWS as readonly string[]).includes(view)) throw new UsageError(`--view must be one of ${VIEWS.join(', ')}`);
        const runs = await conn.client['runs.list']({
          experiment: stringFlag(p, 'experiment'),
          filter: stringFlag(p, 'filter'),
          // No --view: active runs, unless the filter itself asks for deleted ones.
          view: view as (typeof VIEWS)[number] | undefined,
          limit: intFlag(p, 'limit') ?? 1000,
          utc_offset_minutes: localUtcOffset(),
        });
        const filter = stringFlag(p, 'filter');
        // The table shows the metrics the filter is about first (`highest auc` → val_auc).
        const about = filter && !json ? metricKeysOf((await conn.client['query.explain']({ text: filter })).formal) : [];
        io.out(json ? JSON.stringify(runs.map(runJson), null, 2) : runsTable(runs, about));
        return 0;
      }
      case 'show': {
        const run = await conn.client['runs.get']({ run: oneRun(p.positionals) });
        io.out(json ? JSON.stringify({ ...runJson(run), metric_summaries: run.metric_summaries, artifacts: run.artifacts, inputs: run.inputs, deleted_at: run.deleted_at, deleted_by: run.deleted_by, delete_reason: run.delete_reason, provenance: run.provenance }, null, 2) : runText(run));
        return 0;
      }
      case 'delete': {
        const run = await conn.client['runs.delete']({ run: oneRun(p.positionals), reason: stringFlag(p, 'reason') });
        io.out(`Deleted ${run.run_id} (${run.run_name}). It is hidden from default views; 'runledger runs restore ${run.run_id}' brings it back.`);
        return 0;
      }
      case 'restore': {
        const run = await conn.client['runs.restore']({ run: oneRun(p.positionals) });
        io.out(`Restored ${run.run_id} (${run.run_name}).`);
        return 0;
      }
      case 'purge': {
        const reason = stringFlag(p, 'reason');
        if (!reason?.trim()) throw new UsageError('runs purge needs --reason TEXT: it is kept in the tombstone and the audit log');
        const t = await conn.client['runs.purge']({ run: oneRun(p.positionals), reason });
        io.out(
          `Purged ${t.run_id} (${t.run_name}): its data is gone; the tombstone (audit event ${t.audit_seq}) keeps who, when and why` +
            `${t.bundle_digest ? `, and its last bundle ${t.bundle_digest}` : ''}.`,
        );
        return 0;
      }
      default:
        throw new UsageError(`unknown command 'runs ${sub}'\n${RUNS_HELP}`);
    }
  } finally {
    await conn.close();
  }
}

function oneRun(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('give exactly one RUN (a run id or a unique run name)');
  return positionals[0];
}

/** The `--json` shape: stable field names for scripts. */
function runJson(r: RunSummary): Record<string, unknown> {
  return {
    run_id: r.run_id,
    run_name: r.run_name,
    experiment: r.experiment,
    experiment_id: r.experiment_id,
    status: r.status,
    lifecycle_stage: r.lifecycle_stage,
    start_time: r.start_time,
    end_time: r.end_time,
    last_step: r.last_step,
    params: r.params,
    metrics: r.metrics,
    tags: r.tags,
  };
}

/** The metric keys a formal query names (`metrics.val_auc`, metrics.`my key`), sort keys first. */
function metricKeysOf(formal: string): string[] {
  const at = formal.lastIndexOf(' order by ');
  const ordered = at < 0 ? formal : `${formal.slice(at)} ${formal.slice(0, at)}`;
  return [...ordered.matchAll(/metrics\.(`(?:[^`]|``)*`|[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*)/gu)].map((m) => (m[1].startsWith('`') ? m[1].slice(1, -1).replace(/``/g, '`') : m[1]));
}

function runsTable(runs: RunSummary[], first: string[] = []): string {
  if (runs.length === 0) return 'No runs match. (Deleted runs are hidden: --view all shows them.)';
  const present = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const metricKeys = [...new Set([...first.filter((k) => present.includes(k)), ...present])].slice(0, 4);
  const rows = runs.map((r) => [
    r.run_id,
    r.run_name,
    r.experiment,
    r.status === 'INTERRUPTED' && r.last_step !== null ? `INTERRUPTED@${r.last_step}` : r.status,
    formatTime(r.start_time),
    ...metricKeys.map((k) => (r.metrics[k] === undefined ? '' : formatValue(r.metrics[k]))),
  ]);
  return `${formatTable(['RUN ID', 'NAME', 'EXPERIMENT', 'STATUS', 'STARTED (UTC)', ...metricKeys], rows)}\n${runs.length} run${runs.length === 1 ? '' : 's'}`;
}

function runText(r: RunDetail): string {
  const lines = [
    `${r.run_name}  (${r.run_id})`,
    `experiment  ${r.experiment} (${r.experiment_id})`,
    `status      ${r.status}${r.status === 'INTERRUPTED' && r.last_step !== null ? ` at step ${r.last_step}` : ''}${r.lifecycle_stage === 'deleted' ? '  [deleted]' : ''}`,
    `started     ${formatTime(r.start_time)} UTC`,
    `ended       ${formatTime(r.end_time)}${r.end_time ? ' UTC' : ''}`,
  ];
  if (r.lifecycle_stage === 'deleted') lines.push(`deleted     ${formatTime(r.deleted_at)} by ${r.deleted_by ?? '?'}${r.delete_reason ? `: ${r.delete_reason}` : ''}`);
  const section = (title: string, entries: [string, string][]): void => {
    if (entries.length === 0) return;
    lines.push('', title, ...formatTable(['KEY', 'VALUE'], entries, 80).split('\n').slice(1).map((l) => `  ${l}`));
  };
  section('params', Object.entries(r.params));
  section('metrics (latest, min, max, points)', r.metric_summaries.map((m) => [m.key, `${formatValue(m.value)} @ step ${m.step}   min ${m.min ?? '-'}  max ${m.max ?? '-'}  n=${m.count}`]));
  section('tags', Object.entries(r.tags));
  // Every input is also in provenance.datasets, with its profile and a changed-digest warning.
  for (const [title, rows] of provenanceSections(r.provenance)) section(title, rows);
  section('artifacts', r.artifacts.map((a) => [a.path, `${a.size} bytes  sha256:${a.sha256.slice(0, 12)}`]));
  return lines.join('\n');
}
