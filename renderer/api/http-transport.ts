// `POST <base>/api/rpc/<name>` with the argument object as JSON. In the app the HttpOnly cookie set
// by the core carries auth (credentials: 'same-origin'); other callers may pass a bearer token.
import type { ApiTransport } from './api-client';
import { ApiError, isApiErrorBody } from './api-error';

export interface HttpTransportOptions {
  token?: string;
  fetch?: typeof fetch;
}

export function httpTransport(baseUrl: string, options: HttpTransportOptions = {}): ApiTransport {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;

  return async (name, args, callOptions) => {
    const url = new URL(`api/rpc/${encodeURIComponent(name)}`, base);
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(args ?? {}),
        credentials: 'same-origin',
        signal: callOptions?.signal,
      });
    } catch (error) {
      if (callOptions?.signal?.aborted) throw error; // a cancelled call is not a server problem
      const detail = error instanceof Error ? error.message : String(error);
      throw new ApiError('NETWORK_ERROR', `Could not reach the Runledger server (${detail}).`, 0);
    }
    const text = await response.text();
    let body: unknown;
    let parsed = text !== '';
    try {
      body = parsed ? JSON.parse(text) : undefined;
    } catch {
      parsed = false;
    }
    if (!response.ok) {
      if (isApiErrorBody(body)) throw new ApiError(body.error_code, body.message, response.status);
      const reason = `${response.status} ${response.statusText}`.trim();
      throw new ApiError(`HTTP_${response.status}`, `${name} failed: ${reason}`, response.status);
    }
    if (!parsed) throw new ApiError('BAD_RESPONSE', `${name} returned a response that is not JSON.`, response.status);
    return body;
  };
}
