import type { Core } from '../core';
import type { Fields } from './request-fields';

export interface MlflowContext {
  core: Core;
  /** Who is asking, for audit fields (OS user of the server for local requests). */
  actor: string;
}

export type MlflowHandler = (input: Fields, ctx: MlflowContext) => Promise<unknown>;

/** `"POST runs/log-batch"` → handler; paths are relative to `/api/2.0/mlflow/`. */
export type MlflowRoutes = Record<string, MlflowHandler>;
