// `bundle.browse`, `bundle.series`, `bundle.artifact`: a bundle's runs, plots and artifacts, read
// from its verified staging copy (browse-cache.ts) without importing anything. Every call verifies
// first (cached) and refuses with the bundle's error code when it does not; nothing reads or writes
// the run store. Artifacts are looked up by the path run.json lists, and only bag paths that are
// in the verified manifest are ever opened, so a request cannot name any other file.
import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ApiHandlers, BundleBrowse, SeriesData } from '../api/contract';
import type { Core } from '../core';
import { invalidParam, notFound } from '../mlflow/errors';
import { imageType, previewFile } from '../api/artifact-preview';
import { TrustStore } from '../keys';
import { collectColumns, sortedColumns } from '../store/metric-repository';
import { downsample } from '../series/downsample';
import { seriesPayload } from '../series/series-query';
import { queryRows } from '../store/open-database';
import { browseCacheOf } from './browse-cache';
import { absolute, publicReport } from './bundle-handlers';
import { isObject, parseStrictJson } from './strict-json';
import type { VerifiedBundle } from './verify-bundle';

type BrowseHandlerNames = 'bundle.browse' | 'bundle.series' | 'bundle.artifact';

const MAX_WIDTH = 8192;
/** Images travel inline (data: URL): the raw route serves only the store, and a bundle is not in it. */
const MAX_INLINE_IMAGE = 8 * 1024 * 1024;

export function createBrowseHandlers(core: Core): Pick<ApiHandlers, BrowseHandlerNames> {
  const verified = async (p: string): Promise<VerifiedBundle> => {
    const v = await browseCacheOf(core, core.dataDir).get(absolute(p, 'path'), new TrustStore(core.dataDir));
    if (!v.valid) throw invalidParam(`${v.code}: the bundle does not verify, so it cannot be browsed (${v.message})`);
    return v;
  };
  return {
    async 'bundle.browse'({ path: p }) {
      const v = await verified(p);
      const series: BundleBrowse['series'] = {};
      await withConnection(core, async (con) => {
        for (const run of v.runs) series[run.run_id] = await metricKeys(con, metricsFile(v, run.run_id));
      });
      return { report: publicReport(v as never), series };
    },
    async 'bundle.series'({ path: p, run, key, width }) {
      if (typeof key !== 'string' || key === '') throw invalidParam("'key' must be a metric name");
      if (!Number.isFinite(width) || width < 1 || width > MAX_WIDTH) throw invalidParam(`'width' must be 1 to ${MAX_WIDTH} pixels`);
      const v = await verified(p);
      const file = metricsFile(v, runOf(v, run));
      return withConnection(core, (con) => metricSeries(con, file, run, key, Math.floor(width)));
    },
    async 'bundle.artifact'({ path: p, run, artifact, maxRows, maxBytes }) {
      if (typeof artifact !== 'string') throw invalidParam("'artifact' must be the artifact's path as the run lists it");
      const v = await verified(p);
      const { file, size } = artifactFile(v, runOf(v, run), artifact);
      if (imageType(artifact) && size > MAX_INLINE_IMAGE) return { kind: 'binary', path: artifact, size, reason: 'an image this large is shown once the bundle is imported' };
      return previewFile(core, file, { path: artifact, size }, { maxRows, maxBytes }, (media) => `data:${media};base64,${fs.readFileSync(file).toString('base64')}`);
    },
  };
}

function runOf(v: VerifiedBundle, run: unknown): string {
  if (typeof run !== 'string' || !v.runPrefixes.has(run)) throw notFound(`The bundle has no run '${String(run)}'`);
  return run;
}

function metricsFile(v: VerifiedBundle, runId: string): string | null {
  return v.staged.get(`${v.runPrefixes.get(runId)}run/metrics.parquet`) ?? null;
}

/**
 * The staged file of an artifact: its bag path comes from the run's signed run.json, must lie under
 * the run's artifacts/ folder and must be a manifest entry (only those were staged).
 */
function artifactFile(v: VerifiedBundle, runId: string, artifact: string): { file: string; size: number } {
  const prefix = v.runPrefixes.get(runId)!;
  const runJson = parseStrictJson(v.small.get(`${prefix}run/run.json`)!.toString('utf8'));
  const listed = isObject(runJson) && Array.isArray(runJson.artifacts) ? runJson.artifacts.filter(isObject) : [];
  const entry = listed.find((a) => a.path === artifact);
  const bagPath = entry && typeof entry.bag_path === 'string' ? `${prefix}${entry.bag_path}` : null;
  const file = bagPath && bagPath.startsWith(`${prefix}artifacts/`) ? v.staged.get(bagPath) : undefined;
  if (!file) throw notFound(`Run '${runId}' in this bundle has no artifact '${artifact}'`);
  return { file, size: Number(entry!.size) || 0 };
}

async function withConnection<T>(core: Core, fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  // A connection of its own: Parquet of a bundle must not queue behind the runs table's queries.
  const con = await core.db.instance.connect();
  try {
    return await fn(con);
  } finally {
    con.closeSync();
  }
}

async function metricKeys(con: DuckDBConnection, file: string | null): Promise<{ key: string; points: number }[]> {
  if (!file) return [];
  const rows = await queryRows<{ key: string; points: number }>(con, 'SELECT key::VARCHAR AS key, count(*)::DOUBLE AS points FROM read_parquet($1) GROUP BY key ORDER BY key', [file]);
  return rows.map((r) => ({ key: String(r.key), points: Number(r.points) }));
}

async function metricSeries(con: DuckDBConnection, file: string | null, runId: string, key: string, width: number): Promise<SeriesData> {
  if (!file) throw notFound(`Run '${runId}' in this bundle has no metrics`);
  // Column types and order as collectColumns reads them: three DOUBLEs and an INTEGER segment.
  const result = await con.run(
    'SELECT step::DOUBLE, timestamp_ms::DOUBLE, value::DOUBLE, segment::INTEGER FROM read_parquet($1) WHERE key = $2 ORDER BY segment, step, timestamp_ms',
    [file, key],
  );
  const cols = sortedColumns(collectColumns([result]));
  if (cols.step.length === 0) throw notFound(`Run '${runId}' in this bundle has no metric '${key}'`);
  return seriesPayload(runId, key, downsample(cols, { width }), 'raw');
}
