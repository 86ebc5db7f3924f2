// A transport that calls handler functions directly, for tests and previews. Arguments and results
// go through JSON like on the wire, so a handler returning a Date or a bigint fails here too.
import type { ApiHandlers } from '../../native/api/contract';
import type { ApiTransport } from './api-client';
import { ApiError, isApiErrorBody } from './api-error';

export function inProcessTransport(handlers: Partial<ApiHandlers>): ApiTransport {
  return async (name, args) => {
    const handler = handlers[name] as ((a: unknown) => Promise<unknown>) | undefined;
    if (!handler) throw new ApiError('ENDPOINT_NOT_FOUND', `No handler for ${name}`, 404);
    try {
      const result = await handler(JSON.parse(JSON.stringify(args ?? {})));
      return JSON.parse(JSON.stringify(result ?? null));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (isApiErrorBody(error)) throw new ApiError(error.error_code, error.message, 400);
      throw new ApiError('INTERNAL_ERROR', error instanceof Error ? error.message : String(error), 500);
    }
  };
}
