// The one typed contract between the core and every client of it (UI, CLI, tests): a map of RPC names
// to handler signatures, served as `POST /api/rpc/<name>` with the argument object as the JSON body.
// Types only, and JSON-safe (no bigint, no Date): the renderer imports this file with `import type`.

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
/** What people see: MLflow's status, except a RUNNING run whose process went silent is "INTERRUPTED". */
export type DisplayStatus = RunStatus | 'INTERRUPTED';
export type ViewType = 'active' | 'deleted' | 'all';

export interface MetricSummary {
  key: string;
  /** Latest value: the point with the highest (step, timestamp, value). NaN/±Infinity as strings. */
  value: number | 'NaN' | 'Infinity' | '-Infinity';
  step: number;
  timestamp: number;
  min: number | null;
  max: number | null;
  count: number;
}

export interface RunSummary {
  run_id: string;
  run_name: string;
  experiment_id: string;
  experiment: string;
  status: DisplayStatus;
  lifecycle_stage: 'active' | 'deleted';
  start_time: number;
  end_time: number | null;
  user_id: string;
  /** The last step logged, shown with INTERRUPTED runs ("interrupted at step N"). */
  last_step: number | null;
  params: Record<string, string>;
  metrics: Record<string, MetricSummary['value']>;
  tags: Record<string, string>;
}

export interface RunDetail extends RunSummary {
  metric_summaries: MetricSummary[];
  artifacts: { path: string; size: number; sha256: string }[];
  inputs: { name: string; digest: string; source: string; context: string | null }[];
  deleted_at: number | null;
  deleted_by: string | null;
  delete_reason: string | null;
}

export interface ExperimentSummary {
  experiment_id: string;
  name: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  run_count: number;
}

export interface ServerInfo {
  version: string;
  data_dir: string;
  pid: number;
  url: string;
}

export interface ApiHandlers {
  'server.info': (a: Record<string, never>) => Promise<ServerInfo>;
  'experiments.list': (a: { view?: ViewType }) => Promise<ExperimentSummary[]>;
  /** `filter` is MLflow's search filter syntax. */
  'runs.list': (a: {
    experiment?: string;
    filter?: string;
    view?: ViewType;
    orderBy?: string[];
    limit?: number;
  }) => Promise<RunSummary[]>;
  /** A run by id, or by name when the name is unique. */
  'runs.get': (a: { run: string }) => Promise<RunDetail>;
  'runs.delete': (a: { run: string; reason?: string; actor?: string }) => Promise<RunSummary>;
  'runs.restore': (a: { run: string; actor?: string }) => Promise<RunSummary>;
}

export type ApiName = keyof ApiHandlers;
export type ApiArgs<N extends ApiName> = Parameters<ApiHandlers[N]>[0];
export type ApiResult<N extends ApiName> = Awaited<ReturnType<ApiHandlers[N]>>;

/** Error body of `/api/rpc/*`: the same shape as MLflow's, so one error reader serves both. */
export interface ApiErrorBody {
  error_code: string;
  message: string;
}
