// Gathers one run's payload files for a bundle (BUNDLE.md §4.2): the run record and params, metrics
// as Parquet, the summary, artifacts copied from the content-addressed store and re-hashed, the code
// state, the environment, datasets, and charts. Rows are read from the store as they are now; the
// export takes them at one point in time per table (DuckDB MVCC on the reader connection).
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../core';
import { queryRows } from '../store/open-database';
import type { RunRow } from '../store/run-repository';
import { sanitizeArtifactPaths } from './bag-paths';
import { type BagFile, bufferFile, diskFile, jsonFile } from './payload-file';
import { rowToJson } from './run-rows';
import { lineChartPng, type ChartSeries } from './png-chart';
import type { CollectedModel } from './collect-models';

export interface CollectedRun {
  row: RunRow;
  experiment: string;
  /** Folder of this run inside the bag: `data/` for a one-run bundle, `data/runs/<id>/` in a set. */
  prefix: string;
  files: BagFile[];
  params: Record<string, string>;
  tags: Record<string, string>;
  summary: MetricSummaryJson[];
  code: Record<string, unknown> | null;
  environment: Record<string, unknown> | null;
  datasets: Record<string, unknown>[];
  charts: string[];
  /** Model versions exported with this run (issue #9): their payload files are among `files`. */
  models?: CollectedModel[];
}

export interface MetricSummaryJson {
  key: string;
  value: number | string;
  step: number;
  timestamp: number;
  min: number | string | null;
  max: number | string | null;
  count: number;
}

const MAX_CHARTS = 6;
const MAX_CHART_POINTS = 2000;

const numJson = (v: number | null): number | string | null => (v === null ? null : Number.isFinite(v) ? v : String(v));

export class StoreCorruptionError extends Error {}

export async function collectRun(core: Core, row: RunRow, prefix: string, root: string, tmpDir: string, onBytes: (n: number) => void): Promise<CollectedRun> {
  const id = row.run_id;
  const files: BagFile[] = [];
  const [experiment] = await queryRows<{ name: string }>(core.db.reader, 'SELECT name FROM experiments WHERE experiment_id = ?', [row.experiment_id]);
  const parts = (await core.runParts([id])).get(id)!;
  const params = Object.fromEntries(parts.params.map((p) => [p.key, p.value]).sort());
  const tags = Object.fromEntries(parts.tags.map((t) => [t.key, t.value]).sort());
  const summary: MetricSummaryJson[] = parts.metrics.map((m) => ({
    key: m.key, value: numJson(m.value)!, step: m.step, timestamp: m.ts, min: numJson(m.min_value), max: numJson(m.max_value), count: m.count,
  }));

  // Artifacts: copied from the content-addressed store and re-hashed; a mismatch is store corruption.
  const artifacts = await core.artifacts.all(id);
  const names = sanitizeArtifactPaths(root, `${prefix}artifacts/`, artifacts.map((a) => a.path));
  const artifactList: Record<string, unknown>[] = [];
  for (const a of [...artifacts].sort((x, y) => (names.get(x.path)! < names.get(y.path)! ? -1 : 1))) {
    const bagPath = names.get(a.path)!;
    const f = await diskFile(bagPath, core.artifacts.blobPath(a.sha256), onBytes, { originalName: a.path, mediaType: a.media_type ?? undefined });
    if (f.sha256 !== a.sha256 || f.size !== a.size) throw new StoreCorruptionError(`store corruption: artifact ${a.path} of run ${id} no longer has sha256 ${a.sha256}`);
    files.push(f);
    artifactList.push({ path: a.path, bag_path: bagPath.slice(prefix.length), sha256: a.sha256, size: a.size, media_type: a.media_type });
  }

  const [envRow] = await queryRows<Record<string, unknown>>(core.db.reader, 'SELECT * FROM environments WHERE run_id = ?', [id]);
  const [codeRow] = await queryRows<Record<string, unknown>>(core.db.reader, 'SELECT * FROM run_code WHERE run_id = ?', [id]);
  const inputs = await queryRows<Record<string, unknown>>(core.db.reader, 'SELECT * FROM run_inputs WHERE run_id = ? ORDER BY dataset_name, dataset_digest', [id]);
  const datasets: Record<string, unknown>[] = [];
  for (const input of inputs) {
    const [d] = await queryRows<Record<string, unknown>>(core.db.reader, 'SELECT * FROM datasets WHERE name = ? AND digest = ?', [input.dataset_name as string, input.dataset_digest as string]);
    datasets.push({ input: rowToJson('run_inputs', input, ['run_id']), dataset: d ? rowToJson('datasets', d) : null });
  }
  const environment = envRow ? rowToJson('environments', envRow, ['run_id']) : null;
  const code = codeRow ? rowToJson('run_code', codeRow, ['run_id']) : null;

  // Metrics as Parquet, written fresh into the export's temp folder (a running run's file may be stale).
  const parquet = await core.metrics.writeParquet(id, path.join(tmpDir, 'metrics'));
  files.push(await diskFile(`${prefix}run/metrics.parquet`, parquet, onBytes));

  const run = {
    run_id: id,
    run_name: row.run_name,
    experiment: experiment?.name ?? row.experiment_id,
    user_id: row.user_id,
    status: row.status,
    start_time: row.start_time,
    end_time: row.end_time,
    lifecycle_stage: row.lifecycle_stage,
    deleted_at: row.deleted_at,
    deleted_by: row.deleted_by,
    delete_reason: row.delete_reason,
    origin: row.origin,
    tags,
    artifacts: artifactList,
  };
  files.push(jsonFile(`${prefix}run/run.json`, run));
  files.push(jsonFile(`${prefix}run/params.json`, params));
  files.push(jsonFile(`${prefix}run/summary.json`, summary));
  files.push(jsonFile(`${prefix}code/commit.json`, code ?? {}));
  const diffArtifact = code && typeof code.diff_artifact === 'string' ? artifacts.find((a) => a.path === code.diff_artifact) : undefined;
  files.push(diffArtifact ? await diskFile(`${prefix}code/diff.patch`, core.artifacts.blobPath(diffArtifact.sha256), onBytes) : bufferFile(`${prefix}code/diff.patch`, ''));
  files.push(bufferFile(`${prefix}code/requirements.lock`, typeof envRow?.packages === 'string' ? envRow.packages : ''));
  files.push(jsonFile(`${prefix}env/context.json`, environment ?? {}));
  files.push(jsonFile(`${prefix}data-provenance/datasets.json`, datasets));

  const charts = await chartFiles(core, id, prefix, summary);
  files.push(...charts);
  return {
    row, experiment: run.experiment, prefix, files, params, tags, summary, code, environment, datasets, charts: charts.map((c) => c.path),
  };
}

/** Line charts of the first metrics (by key), each thinned to a fixed number of points. */
async function chartFiles(core: Core, runId: string, prefix: string, summary: MetricSummaryJson[]): Promise<BagFile[]> {
  const keys = summary.map((s) => s.key).sort().slice(0, MAX_CHARTS);
  const out: BagFile[] = [];
  for (const [i, key] of keys.entries()) {
    const pts = await queryRows<{ step: number; value: number }>(core.db.reader, 'SELECT step, value FROM metric_points WHERE run_id = ? AND key = ? ORDER BY step, ts', [runId, key]);
    const every = Math.max(1, Math.ceil(pts.length / MAX_CHART_POINTS));
    const series: ChartSeries = { x: [], y: [] };
    for (let j = 0; j < pts.length; j++) {
      if (j % every !== 0 && j !== pts.length - 1) continue;
      series.x.push(pts[j].step);
      series.y.push(pts[j].value);
    }
    if (series.x.length === 0) continue;
    out.push(bufferFile(`${prefix}charts/${String(i + 1).padStart(2, '0')}-${key.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80).replace(/\.$/, '_')}.png`, lineChartPng(series), { originalName: `${key} chart`, mediaType: 'image/png' }));
  }
  return out;
}

export function removeTemp(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
