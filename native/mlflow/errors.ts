// MLflow's error JSON ({"error_code", "message"}) and its HTTP status map (databricks_pb2 ErrorCode →
// mlflow/protos/databricks.proto ERROR_CODE_TO_HTTP_STATUS). Client mistakes must never map to 5xx:
// the MLflow client retries 5xx for minutes.

export type MlflowErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'ENDPOINT_NOT_FOUND'
  | 'BAD_REQUEST'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED'
  | 'RESOURCE_CONFLICT'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'INTERNAL_ERROR'
  | 'NOT_IMPLEMENTED'
  | 'TEMPORARILY_UNAVAILABLE';

const HTTP_STATUS: Record<MlflowErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_ALREADY_EXISTS: 400, // yes, 400: MLflow's own mapping
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  BAD_REQUEST: 400,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  RESOURCE_CONFLICT: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
};

export class MlflowError extends Error {
  readonly code: MlflowErrorCode;
  /** Overrides the mapped status where HTTP itself has a better word (413 for an oversize body). */
  readonly status: number;

  constructor(code: MlflowErrorCode, message: string, status?: number) {
    super(message);
    this.name = 'MlflowError';
    this.code = code;
    this.status = status ?? HTTP_STATUS[code];
  }

  toJSON(): { error_code: MlflowErrorCode; message: string } {
    return { error_code: this.code, message: this.message };
  }
}

export const invalidParam = (message: string): MlflowError => new MlflowError('INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string): MlflowError => new MlflowError('RESOURCE_DOES_NOT_EXIST', message);

export function missingParam(name: string): MlflowError {
  return invalidParam(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );
}
