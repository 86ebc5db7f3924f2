// One error type for every failed call, carrying the server's MLflow-style `error_code`, so the UI
// can branch on codes (e.g. an expired session) rather than on message text.
import type { ApiErrorBody } from '../../native/api/contract';

export class ApiError extends Error {
  constructor(
    readonly error_code: string,
    message: string,
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the session has no (or a stale) token: the user must reopen the tokened link. */
  get isAuthError(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body.error_code === 'string' && typeof body.message === 'string';
}
