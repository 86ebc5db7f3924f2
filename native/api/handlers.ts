// The one implementation of the RPC contract, used by the HTTP route `/api/rpc/<name>`, the CLI
// when it opens the store itself, and tests (through createApiClient(inProcess(handlers))).
import os from 'node:os';
import type { ApiHandlers, DisplayStatus, MetricSummary, RunDetail, RunSummary, ViewType } from './contract';
import type { Core } from '../core';
import { invalidParam, notFound } from '../mlflow/errors';
import { parseOrderBy, parseSearchFilter } from '../mlflow/search-filter';
import { compileRunSearch } from '../store/run-search-sql';
import { queryRows } from '../store/open-database';
import type { RunRow } from '../store/run-repository';
import type { MetricSummaryRow } from '../store/metric-repository';
import { VERSION } from '../version';
import { importJobs } from '../importers/import-jobs';
import { loadProvenance } from '../provenance/run-provenance';
import { syncSpool } from '../provenance/spool-sync';
import { createQueryHandlers } from '../query/query-handlers';
import { createRegistryHandlers } from './registry-handlers';
import { createAuditHandlers } from './audit-handlers';
import { querySeries } from '../series/series-query';
import { createRunsTableHandlers } from './runs-table';
import { createArtifactPreviewHandlers } from './artifact-preview';
import { bundleOrigin, createBundleHandlers } from '../bundle/bundle-handlers';
import { createBrowseHandlers } from '../bundle/browse-bundle';

const VIEW: Record<ViewType, 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL'> = { active: 'ACTIVE_ONLY', deleted: 'DELETED_ONLY', all: 'ALL' };

export function displayStatus(r: Pick<RunRow, 'status' | 'interrupted_at'>): DisplayStatus {
  return r.status === 'RUNNING' && r.interrupted_at !== null ? 'INTERRUPTED' : r.status;
}

export function metricValue(v: number): MetricSummary['value'] {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

function metricSummary(m: MetricSummaryRow): MetricSummary {
  return { key: m.key, value: metricValue(m.value), step: m.step, timestamp: m.ts, min: m.min_value, max: m.max_value, count: m.count };
}

export function createHandlers(core: Core, serverUrl = ''): ApiHandlers {
  async function summaries(rows: RunRow[]): Promise<RunSummary[]> {
    const ids = rows.map((r) => r.run_id);
    const parts = await core.runParts(ids);
    const exps = await queryRows<{ experiment_id: string; name: string }>(core.db.reader, 'SELECT experiment_id, name FROM experiments');
    const expName = new Map(exps.map((e) => [e.experiment_id, e.name]));
    return rows.map((r) => {
      const p = parts.get(r.run_id)!;
      return {
        run_id: r.run_id,
        run_name: r.run_name,
        experiment_id: r.experiment_id,
        experiment: expName.get(r.experiment_id) ?? r.experiment_id,
        status: displayStatus(r),
        lifecycle_stage: r.lifecycle_stage,
        start_time: r.start_time,
        end_time: r.end_time,
        user_id: r.user_id,
        last_step: p.metrics.length > 0 ? Math.max(...p.metrics.map((m) => m.step)) : null,
        params: Object.fromEntries(p.params.map((x) => [x.key, x.value])),
        metrics: Object.fromEntries(p.metrics.map((m) => [m.key, metricValue(m.value)])),
        tags: Object.fromEntries(p.tags.map((x) => [x.key, x.value])),
      };
    });
  }

  /** A run by exact id, else by name when exactly one run has it. */
  async function resolveRun(ref: string): Promise<RunRow> {
    const byId = await core.runs.get(ref);
    if (byId) return byId;
    const byName = await queryRows<RunRow>(core.db.reader, 'SELECT * FROM runs WHERE run_name = ? ORDER BY start_time DESC', [ref]);
    if (byName.length === 1) return byName[0];
    if (byName.length > 1) {
      throw invalidParam(`${byName.length} runs are named '${ref}': use a run id (${byName.slice(0, 5).map((r) => r.run_id).join(', ')}${byName.length > 5 ? ', …' : ''})`);
    }
    throw notFound(`No run with id or name '${ref}'`);
  }

  const queries = createQueryHandlers(core, summaries);

  const api: ApiHandlers = {
    // Registry RPCs read a version's source run through runs.get (defined below).
    ...createRegistryHandlers(core, (run): Promise<RunDetail> => api['runs.get']({ run })),

    ...queries.handlers,
    ...createAuditHandlers(core, resolveRun),
    ...createBundleHandlers(core),
    ...createBrowseHandlers(core),
    ...createRunsTableHandlers(core, summaries),
    ...createArtifactPreviewHandlers(core),

    async 'series.query'(args) {
      return querySeries(core, args);
    },

    async 'server.info'() {
      return { version: VERSION, data_dir: core.dataDir, pid: process.pid, url: serverUrl };
    },

    async 'experiments.list'({ view = 'active' }) {
      const rows = await queryRows<{ experiment_id: string; name: string; lifecycle_stage: 'active' | 'deleted'; creation_time: number; run_count: number }>(
        core.db.reader,
        `SELECT e.experiment_id, e.name, e.lifecycle_stage, e.creation_time, count(r.run_id) AS run_count
         FROM experiments e LEFT JOIN runs r ON r.experiment_id = e.experiment_id
         WHERE ${view === 'all' ? 'TRUE' : 'e.lifecycle_stage = ?'}
         GROUP BY e.experiment_id, e.name, e.lifecycle_stage, e.creation_time ORDER BY CAST(e.experiment_id AS BIGINT)`,
        view === 'all' ? [] : [view === 'active' ? 'active' : 'deleted'],
      );
      return rows;
    },

    async 'runs.list'({ experiment, filter, view, orderBy = [], limit = 1000, now, utc_offset_minutes }) {
      if (view !== undefined && !(view in VIEW)) throw invalidParam(`Unknown view '${view}': use active, deleted or all`);
      let experimentIds: string[] | undefined;
      if (experiment !== undefined) {
        const e = (await core.experiments.getByName(experiment)) ?? (await core.experiments.get(experiment));
        if (!e) throw notFound(`No experiment named '${experiment}'`);
        experimentIds = [e.experiment_id];
      }
      // A filter is the filter language (MLflow's syntax is part of it); without a view it shows
      // active runs unless the filter itself asks for deleted ones.
      if (filter !== undefined && filter.trim() !== '') return queries.list({ experimentIds, filter, view, orderBy, limit, now, utc_offset_minutes });
      await core.writer.syncSummaries(); // filters read latest_metrics
      const sql = compileRunSearch({ experimentIds, clauses: parseSearchFilter(filter), orderBy: parseOrderBy(orderBy), viewType: VIEW[view ?? 'active'] });
      const rows = await queryRows<RunRow>(
        core.db.reader,
        `SELECT r.* FROM runs r WHERE ${sql.where} ORDER BY ${sql.orderBy} LIMIT ?`,
        [...sql.params, Math.max(1, Math.min(limit, 100_000))],
      );
      return summaries(rows);
    },

    async 'runs.get'({ run }) {
      const row = await resolveRun(run);
      const [summary] = await summaries([row]);
      const [metrics, artifacts, inputs] = await Promise.all([core.metrics.summaries([row.run_id]), core.artifacts.all(row.run_id), core.runs.inputs([row.run_id])]);
      const detail: RunDetail = {
        ...summary,
        metric_summaries: (metrics.get(row.run_id) ?? []).map(metricSummary),
        artifacts: artifacts.map((a) => ({ path: a.path, size: a.size, sha256: a.sha256 })),
        inputs: (inputs.get(row.run_id) ?? []).map((d) => ({ name: d.name, digest: d.digest, source: d.source, context: d.context })),
        deleted_at: row.deleted_at,
        deleted_by: row.deleted_by,
        delete_reason: row.delete_reason,
        provenance: await loadProvenance(core, row.run_id),
        bundle: bundleOrigin(row),
      };
      return detail;
    },

    async 'runs.delete'({ run, reason, actor }) {
      const row = await resolveRun(run);
      const updated = await core.runs.setLifecycle(row.run_id, 'deleted', actor ?? os.userInfo().username, reason ?? null);
      core.events.emit('runs.changed', [row.run_id]);
      return (await summaries([updated]))[0];
    },

    async 'runs.restore'({ run }) {
      const row = await resolveRun(run);
      const updated = await core.runs.setLifecycle(row.run_id, 'active', null, null);
      core.events.emit('runs.changed', [row.run_id]);
      return (await summaries([updated]))[0];
    },

    async 'import.detect'({ path }) {
      return importJobs(core).detect(path);
    },

    async 'import.start'({ path, experiment }) {
      return importJobs(core).start(path, experiment);
    },

    async 'import.status'({ import_id }) {
      return importJobs(core).status(import_id);
    },

    async 'import.run'({ path, experiment }) {
      return importJobs(core).run(path, experiment);
    },

    async 'spool.sync'({ path }) {
      return syncSpool(core, path);
    },
  } satisfies ApiHandlers;
  return api;
}
