import { experimentRoutes } from './routes-experiments';
import { runRoutes } from './routes-runs';
import { listRunArtifacts } from './artifact-proxy';
import { optString, runIdOf } from './request-fields';
import type { MlflowRoutes } from './route-types';

/** Every MLflow JSON endpoint, keyed `"METHOD path"` relative to `/api/2.0/mlflow/`. */
export const mlflowRoutes: MlflowRoutes = {
  ...experimentRoutes,
  ...runRoutes,
  async 'GET artifacts/list'(input, { core }) {
    return listRunArtifacts(core, runIdOf(input), optString(input, 'path') ?? '');
  },
};
