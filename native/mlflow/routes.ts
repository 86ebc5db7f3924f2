import { experimentRoutes } from './routes-experiments';
import { runRoutes } from './routes-runs';
import { registryRoutes } from './routes-registry';
import { loggedModelRoutes } from './routes-logged-models';
import { listRunArtifacts } from './artifact-proxy';
import { invalidParam } from './errors';
import { optString, runIdOf, type Fields } from './request-fields';
import type { MlflowHandler, MlflowRoutes } from './route-types';

/**
 * Every MLflow JSON endpoint, keyed `"METHOD path"` relative to `/api/2.0/mlflow/`. A path may hold
 * `{name}` segments (MLflow 3's `logged-models/{model_id}`); their values reach the handler as fields.
 */
export const mlflowRoutes: MlflowRoutes = {
  ...experimentRoutes,
  ...runRoutes,
  ...registryRoutes,
  ...loggedModelRoutes,
  async 'GET artifacts/list'(input, { core }) {
    return listRunArtifacts(core, runIdOf(input), optString(input, 'path') ?? '');
  },
};

interface Pattern {
  method: string;
  regex: RegExp;
  names: string[];
  handler: MlflowHandler;
}

const patterns = new WeakMap<MlflowRoutes, Pattern[]>();

function patternsOf(routes: MlflowRoutes): Pattern[] {
  let list = patterns.get(routes);
  if (!list) {
    list = Object.entries(routes)
      .filter(([key]) => key.includes('{'))
      .map(([key, handler]) => {
        const [method, path] = key.split(' ');
        const names: string[] = [];
        const source = path
          .split('/')
          .map((seg) => (/^\{\w+\}$/.test(seg) ? (names.push(seg.slice(1, -1)), '([^/]+)') : seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
          .join('/');
        return { method, regex: new RegExp(`^${source}$`), names, handler };
      });
    patterns.set(routes, list);
  }
  return list;
}

/** The handler for `method sub` with its path parameters; or why there is none. */
export function findRoute(routes: MlflowRoutes, method: string, sub: string): { handler: MlflowHandler; params: Fields } | 'wrong-method' | 'unknown' {
  const exact = routes[`${method} ${sub}`];
  if (exact && !sub.includes('{')) return { handler: exact, params: {} };
  let pathKnown = Object.keys(routes).some((k) => k.endsWith(` ${sub}`));
  for (const p of patternsOf(routes)) {
    const m = p.regex.exec(sub);
    if (!m) continue;
    pathKnown = true;
    if (p.method !== method) continue;
    const params: Fields = {};
    p.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(m[i + 1]);
      } catch {
        throw invalidParam(`Invalid path parameter '${name}': not valid percent-encoded UTF-8.`);
      }
    });
    return { handler: p.handler, params };
  }
  return pathKnown ? 'wrong-method' : 'unknown';
}
