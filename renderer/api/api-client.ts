// The one typed client of the core. Every RPC's argument and result types come from the handler map
// in native/api/contract.ts; the transport (HTTP in the app, in-process in tests) is passed in.
import type { ApiArgs, ApiName, ApiResult } from '../../native/api/contract';

export { ApiError } from './api-error';

export interface CallOptions {
  signal?: AbortSignal;
}

/** Moves one call's JSON-safe argument to the core and brings back its JSON result. */
export type ApiTransport = (name: ApiName, args: unknown, options?: CallOptions) => Promise<unknown>;

export interface ApiClient {
  call<N extends ApiName>(name: N, args: ApiArgs<N>, options?: CallOptions): Promise<ApiResult<N>>;
}

export function createApiClient(transport: ApiTransport): ApiClient {
  return {
    // The cast is the contract itself: the core's handlers are checked to `satisfies ApiHandlers`.
    call: <N extends ApiName>(name: N, args: ApiArgs<N>, options?: CallOptions) =>
      transport(name, args, options) as Promise<ApiResult<N>>,
  };
}
