// The error codes of BUNDLE.md §4.8/§6. Verification stops at the first one (fail closed); tests
// assert the exact code for every tamper case.
export type BundleErrorCode =
  | 'E_TOO_LARGE'
  | 'E_ZIP_STRUCTURE'
  | 'E_BAD_PATH'
  | 'E_LINK'
  | 'E_DUPLICATE'
  | 'E_OVERLAP'
  | 'E_RATIO'
  | 'E_EXTRA_FILE'
  | 'E_SIGNATURE'
  | 'E_REVOKED'
  | 'E_MANIFEST_FORMAT'
  | 'E_TAG_DIGEST'
  | 'E_MISSING_FILE'
  | 'E_OXUM'
  | 'E_PAYLOAD_DIGEST'
  | 'E_SIZE'
  | 'E_STATEMENT'
  | 'E_METADATA'
  | 'E_AUDIT_PROOF';

export class BundleError extends Error {
  constructor(
    readonly code: BundleErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export const fail = (code: BundleErrorCode, message: string): never => {
  throw new BundleError(code, message);
};
