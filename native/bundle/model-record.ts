// A model version inside a bundle (issue #9): one `model-version.json` per version under its source
// run's folder, `<run prefix>models/<name segment>/v<N>/`, with the model's own files (an MLflow 3
// logged model's, which are not run artifacts) beside it in `files/`. They are ordinary payload
// files, so the manifests, Statements and signatures cover them like any other; this module is the
// one place that knows the layout and reads the record back (verify's report, import).
import crypto from 'node:crypto';
import { sanitizeSegment } from './bag-paths';
import { isObject, parseStrictJson } from './strict-json';

export const MODEL_RECORD_FORMAT = 'runledger-model-version/1';
export const MODEL_RECORD_FILE = 'model-version.json';
/** Tag the importing store puts on its new version: numbers are per store, this keeps the origin's. */
export const ORIGIN_VERSION_TAG = 'runledger.origin_version';
export const ORIGIN_BUNDLE_TAG = 'runledger.origin_bundle';

export interface ModelRecordFile {
  path: string;
  /** Relative to the run's prefix, as run.json's artifacts' bag_path. */
  bag_path: string;
  sha256: string;
  size: number;
}

export interface ModelRecord {
  format: typeof MODEL_RECORD_FORMAT;
  registered_model: Record<string, unknown>;
  model_version: Record<string, unknown>;
  logged_model: Record<string, unknown> | null;
  source_run_id: string;
  /** Where the origin store kept the files (MLflow's get-download-uri answer there). */
  storage_location: string;
  files: ModelRecordFile[];
}

/** Folder of a version under the run's prefix: a readable, case-fold-unique segment for any name. */
export function modelVersionDir(name: string, version: number): string {
  const seg = sanitizeSegment(name);
  // Names that needed changing (or are long) get a hash, so two names never share a folder.
  const unique = seg === name && seg.length <= 60 && seg === seg.toLowerCase() ? seg : sanitizeSegment(`${seg.slice(0, 40)}_${crypto.createHash('sha256').update(name).digest('hex').slice(0, 12)}`);
  return `models/${unique}/v${version}/`;
}

const MODEL_RECORD_RE = /^models\/[A-Za-z0-9._-]+\/v\d+\/model-version\.json$/;

/** The records among a run's small payload files (`small`: bag path → bytes), parsed strictly. */
export function modelRecordsOf(small: ReadonlyMap<string, Buffer>, prefix: string): { path: string; record: ModelRecord }[] {
  const out: { path: string; record: ModelRecord }[] = [];
  for (const [p, bytes] of small) {
    if (!p.startsWith(`${prefix}models/`) || !MODEL_RECORD_RE.test(p.slice(prefix.length))) continue;
    out.push({ path: p, record: parseModelRecord(bytes, p) });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export class ModelRecordError extends Error {}

function parseModelRecord(bytes: Buffer, where: string): ModelRecord {
  const v = parseStrictJson(bytes.toString('utf8'));
  const bad = (why: string): never => {
    throw new ModelRecordError(`${where}: ${why}`);
  };
  if (!isObject(v) || v.format !== MODEL_RECORD_FORMAT) return bad(`not a ${MODEL_RECORD_FORMAT} record`);
  if (!isObject(v.registered_model) || typeof v.registered_model.name !== 'string') bad('no registered_model.name');
  const mv = isObject(v.model_version) ? v.model_version : bad('no model_version');
  if (mv.name !== (v.registered_model as Record<string, unknown>).name || !/^\d+$/.test(String(mv.version))) bad('model_version does not name its model and version');
  if (typeof v.source_run_id !== 'string' || typeof v.storage_location !== 'string') bad('no source_run_id or storage_location');
  if (v.logged_model !== null && !isObject(v.logged_model)) bad('logged_model is not an object');
  const files = Array.isArray(v.files) ? v.files : bad('no files list');
  for (const f of files as unknown[]) {
    if (!isObject(f) || typeof f.path !== 'string' || typeof f.bag_path !== 'string' || typeof f.sha256 !== 'string' || typeof f.size !== 'number') bad('a malformed files entry');
  }
  return v as unknown as ModelRecord;
}

/** What the bundle report says about a version. */
export function modelSummary(r: ModelRecord): { name: string; version: number; stage: string; aliases: string[]; run_id: string; source: string; files: number } {
  const mv = r.model_version;
  return {
    name: String(mv.name),
    version: Number(mv.version),
    stage: typeof mv.current_stage === 'string' ? mv.current_stage : 'None',
    aliases: Array.isArray(mv.aliases) ? mv.aliases.map(String) : [],
    run_id: r.source_run_id,
    source: typeof mv.source === 'string' ? mv.source : '',
    files: r.files.length,
  };
}
