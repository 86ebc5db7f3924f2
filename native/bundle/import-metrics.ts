// Metric points of an imported run, from the bundle's staged `run/metrics.parquet` (the columns our
// exporter writes: key, step, timestamp_ms, value, segment), handed to the same write buffer as live
// logging so series ids, summaries and segments are made the usual way. Read only after the
// bundle verified (BUNDLE.md: parse Parquet after A–D), by the process that owns DuckDB.
import type { Core } from '../core';
import { queryRows } from '../store/open-database';
import { PointBatch } from '../importers/point-batch';

export async function appendMetricsFromParquet(core: Core, runId: string, file: string): Promise<number> {
  const lit = `'${file.replaceAll("'", "''")}'`;
  const rows = await queryRows<{ key: string; step: number; timestamp_ms: number; value: number }>(
    core.db.reader,
    `SELECT key::VARCHAR AS key, step::BIGINT AS step, timestamp_ms::BIGINT AS timestamp_ms, value::DOUBLE AS value FROM read_parquet(${lit})`,
  );
  const batch = new PointBatch();
  const pending: Promise<void>[] = [];
  for (const r of rows) {
    batch.push(batch.keyId(String(r.key)), Number(r.step), Number(r.timestamp_ms), r.value);
    for (const cols of batch.take(false)) pending.push(core.writer.appendColumns(runId, cols));
  }
  for (const cols of batch.take(true)) pending.push(core.writer.appendColumns(runId, cols));
  await Promise.all(pending);
  return rows.length;
}
