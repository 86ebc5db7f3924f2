// The version reported by `GET /version` and `runledger --version`.
export const VERSION = '0.1.0';
