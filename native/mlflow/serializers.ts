// Store rows → MLflow entities (service.proto field names; int64 as JSON numbers; empty fields omitted).
import type { ExperimentRow } from '../store/experiment-repository';
import type { DatasetInput, KeyValue, RunRow } from '../store/run-repository';
import type { MetricSummaryRow } from '../store/metric-repository';

export function experimentJson(e: ExperimentRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    experiment_id: e.experiment_id,
    name: e.name,
    artifact_location: e.artifact_location,
    lifecycle_stage: e.lifecycle_stage,
    last_update_time: e.last_update_time,
    creation_time: e.creation_time,
  };
  if (e.tags.length > 0) out.tags = e.tags;
  return out;
}

export function artifactUri(experimentId: string, runId: string): string {
  return `mlflow-artifacts:/${experimentId}/${runId}/artifacts`;
}

export function runInfoJson(r: RunRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    run_id: r.run_id,
    run_uuid: r.run_id,
    run_name: r.run_name,
    experiment_id: r.experiment_id,
    user_id: r.user_id,
    status: r.status,
    start_time: r.start_time,
    artifact_uri: artifactUri(r.experiment_id, r.run_id),
    lifecycle_stage: r.lifecycle_stage,
  };
  if (r.end_time !== null && r.end_time !== undefined) out.end_time = r.end_time;
  return out;
}

export interface RunParts {
  params: KeyValue[];
  tags: KeyValue[];
  metrics: MetricSummaryRow[];
  inputs: DatasetInput[];
}

export function runJson(r: RunRow, parts: RunParts): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (parts.metrics.length > 0) {
    data.metrics = parts.metrics.map((m) => ({ key: m.key, value: m.value, timestamp: m.ts, step: m.step }));
  }
  if (parts.params.length > 0) data.params = parts.params;
  if (parts.tags.length > 0) data.tags = parts.tags;
  const inputs: Record<string, unknown> = {};
  if (parts.inputs.length > 0) {
    inputs.dataset_inputs = parts.inputs.map((d) => ({
      ...(d.tags.length > 0 ? { tags: d.tags } : {}),
      dataset: { name: d.name, digest: d.digest, source_type: d.source_type, source: d.source, ...(d.schema ? { schema: d.schema } : {}), ...(d.profile ? { profile: d.profile } : {}) },
    }));
  }
  return { info: runInfoJson(r), data, inputs };
}
