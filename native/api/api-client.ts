// The typed client the CLI (and tests) use: one client, the transport passed in.
// `inProcess(handlers)` calls the core directly; `httpTransport(url, token)` goes through a server.
import type { ApiArgs, ApiHandlers, ApiName, ApiResult, ApiErrorBody } from './contract';
import { MlflowError, type MlflowErrorCode } from '../mlflow/errors';

export type Transport = <N extends ApiName>(name: N, args: ApiArgs<N>) => Promise<ApiResult<N>>;
export type ApiClient = { [N in ApiName]: (args: ApiArgs<N>) => Promise<ApiResult<N>> };

export function createApiClient(transport: Transport): ApiClient {
  return new Proxy({} as ApiClient, {
    get: (_t, name: string) => (args: unknown) => transport(name as ApiName, args as never),
  });
}

export function inProcess(handlers: ApiHandlers): Transport {
  return (name, args) => (handlers[name] as (a: typeof args) => Promise<never>)(args);
}

export function httpTransport(baseUrl: string, token: string): Transport {
  return async (name, args) => {
    const res = await fetch(new URL(`/api/rpc/${name}`, baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(args ?? {}),
    });
    const text = await res.text();
    if (!res.ok) {
      let body: Partial<ApiErrorBody> = {};
      try {
        body = JSON.parse(text) as ApiErrorBody;
      } catch {
        /* not JSON: report the status */
      }
      throw new MlflowError((body.error_code as MlflowErrorCode) ?? 'INTERNAL_ERROR', body.message ?? `HTTP ${res.status} from ${name}`, res.status);
    }
    return JSON.parse(text, (_k, v) => v) as never;
  };
}
