// Registry entities → MLflow's wire shapes (model_registry.proto, service.proto's LoggedModel):
// snake_case, int64 as JSON numbers, versions as strings, empty and unset fields omitted.
import type { LoggedModel, ModelVersion, RegisteredModel } from '../registry/registry-types';

function put(out: Record<string, unknown>, key: string, v: unknown): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v) && v.length === 0) return;
  out[key] = v;
}

export function modelVersionJson(v: ModelVersion): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.creation_timestamp,
    last_updated_timestamp: v.last_updated_timestamp,
  };
  put(out, 'user_id', v.user_id || null);
  out.current_stage = v.current_stage;
  put(out, 'description', v.description);
  out.source = v.source;
  put(out, 'run_id', v.run_id || null);
  out.status = v.status;
  put(out, 'status_message', v.status_message);
  put(out, 'tags', v.tags);
  put(out, 'run_link', v.run_link || null);
  put(out, 'aliases', v.aliases);
  put(out, 'model_id', v.model_id); // MLflow 3
  return out;
}

export function registeredModelJson(m: RegisteredModel): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: m.name,
    creation_timestamp: m.creation_timestamp,
    last_updated_timestamp: m.last_updated_timestamp,
  };
  put(out, 'user_id', m.user_id || null);
  put(out, 'description', m.description);
  put(out, 'latest_versions', m.latest_versions.map(modelVersionJson));
  put(out, 'tags', m.tags);
  put(out, 'aliases', m.aliases.map((a) => ({ alias: a.alias, version: String(a.version) })));
  return out;
}

export function loggedModelJson(m: LoggedModel): Record<string, unknown> {
  const info: Record<string, unknown> = {
    model_id: m.model_id,
    experiment_id: m.experiment_id,
    name: m.name,
    creation_timestamp_ms: m.creation_timestamp_ms,
    last_updated_timestamp_ms: m.last_updated_timestamp_ms,
    artifact_uri: m.artifact_uri,
    status: m.status,
  };
  put(info, 'model_type', m.model_type);
  put(info, 'source_run_id', m.source_run_id);
  put(info, 'status_message', m.status_message);
  put(info, 'tags', m.tags);
  put(info, 'registrations', m.registrations.map((r) => ({ name: r.name, version: String(r.version) })));
  const data: Record<string, unknown> = {};
  put(data, 'params', m.params);
  return { info, data };
}
