// Names fixed by BUNDLE.md: namespaces, URIs, the closed set of files outside data/.
export const SSH_NAMESPACE = 'runledger-bundle-v1';
export const BUILD_TYPE = 'urn:runledger:buildtype:ml-training-run:v1';
export const BUNDLE_FORMAT = 'runbundle/1';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const DSSE_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
export const MAX_TAG_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_ENTRIES = 100_000;
export const DEFAULT_MAX_BUNDLE_BYTES = 256 * 1024 ** 3;

export const builderId = (fingerprint: string): string => `urn:runledger:workstation:${fingerprint}`;
export const runInvocationId = (runId: string): string => `urn:runledger:run:${runId}`;
export const digestLabel = (hex: string): string => `rb1:sha256:${hex}`;

/** Files under signatures/: not in the tag manifest (they sign it); a closed set. */
export const SIGNATURE_FILES = [
  'signatures/provenance.intoto.jsonl',
  'signatures/signer.pub',
  'signatures/signer.pub.pem',
  'signatures/tagmanifest-sha256.txt.sig',
  'signatures/tagmanifest-sha256.txt.sshsig',
] as const;
export const REQUIRED_SIGNATURE_FILES = ['signatures/provenance.intoto.jsonl', 'signatures/tagmanifest-sha256.txt.sig', 'signatures/tagmanifest-sha256.txt.sshsig'];
export const FIXED_TAG_FILES = ['VERIFY.txt', 'bag-info.txt', 'bagit.txt', 'manifest-sha256.txt'];
export const STATEMENT_RE = /^provenance\/[A-Za-z0-9._-]+\.statement\.json$/;
