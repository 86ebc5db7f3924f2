// MLflow 3 logged models (service.proto CreateLoggedModel … ListLoggedModelArtifacts) and the 2.x
// `runs/log-model` record that `log_model` sends after uploading a model's files. The files
// themselves travel through the artifact proxy under `<exp>/models/<model_id>/artifacts/…`.
import { invalidParam, missingParam } from './errors';
import { objectItems, optEnum, optInt64, optString, reqString, runIdOf, stringItems, type Fields } from './request-fields';
import { decodeParam, decodeTag, lastTagWins } from './metric-input';
import { decodePageToken, encodePageToken } from './search-filter';
import { loggedModelJson } from './registry-json';
import { safeArtifactPath } from '../store/artifact-paths';
import { checkMaxResults, compileRegistryFilter, compileRegistryOrder, type FilterSpec, type OrderSpec } from '../registry/registry-filter';
import type { LoggedModelStatus } from '../registry/registry-types';
import type { MlflowRoutes } from './route-types';

const MAX_RESULTS = 1000;
const LOGGED_MODEL_HISTORY_TAG = 'mlflow.log-model.history';

const FILTER: FilterSpec = {
  what: 'logged model',
  strings: { name: 'lm.name', model_id: 'lm.model_id', model_type: 'lm.model_type', status: 'lm.status', source_run_id: 'lm.source_run_id', experiment_id: 'lm.experiment_id' },
  numbers: {
    creation_timestamp: 'lm.creation_timestamp_ms',
    creation_time: 'lm.creation_timestamp_ms',
    last_updated_timestamp: 'lm.last_updated_timestamp_ms',
  },
  keyed: {
    tag: (op) => `EXISTS (SELECT 1 FROM logged_model_tags t WHERE t.model_id = lm.model_id AND t.key = ? AND t.value ${op} ?)`,
    param: (op) => `EXISTS (SELECT 1 FROM logged_model_params p WHERE p.model_id = lm.model_id AND p.key = ? AND p.value ${op} ?)`,
    // Runledger does not store metrics per model: a model's metrics are its source run's latest values.
    metric: (op) => `EXISTS (SELECT 1 FROM latest_metrics x WHERE x.run_id = lm.source_run_id AND x.key = ? AND x.value ${op} ?)`,
  },
};
const ORDER: OrderSpec = {
  keys: {
    name: 'lm.name',
    model_id: 'lm.model_id',
    creation_timestamp: 'lm.creation_timestamp_ms',
    creation_time: 'lm.creation_timestamp_ms',
    last_updated_timestamp: 'lm.last_updated_timestamp_ms',
  },
  tiebreak: [{ sql: 'lm.creation_timestamp_ms', dir: 'DESC' }, { sql: 'lm.model_id', dir: 'ASC' }],
  defaults: ['creation_timestamp DESC'],
};

const STATUS_NUMBERS: Record<number, LoggedModelStatus> = { 1: 'LOGGED_MODEL_PENDING', 2: 'LOGGED_MODEL_READY', 3: 'LOGGED_MODEL_UPLOAD_FAILED' };

const modelIdOf = (input: Fields): string => reqString(input, 'model_id');

/** order_by entries are OrderBy messages `{field_name, ascending}`; plain strings are taken too. */
function orderStrings(input: Fields): string[] {
  const raw = input.order_by;
  if (raw === undefined || raw === null) return [];
  return (Array.isArray(raw) ? raw : [raw]).map((o, i) => {
    if (typeof o === 'string') return o;
    if (o && typeof o === 'object') {
      const f = o as Fields;
      const field = optString(f, 'field_name');
      if (!field) throw missingParam(`order_by[${i}].field_name`);
      if (f.dataset_name !== undefined) throw invalidParam('Ordering logged models by a metric on a dataset is not supported: Runledger does not record metrics per dataset.');
      const asc = f.ascending === undefined || f.ascending === null || f.ascending === true || f.ascending === 'true';
      return `${field.replace(/^attributes\./, '')} ${asc ? 'ASC' : 'DESC'}`;
    }
    throw invalidParam(`Invalid order_by[${i}]: expected an object with field_name.`);
  });
}

export const loggedModelRoutes: MlflowRoutes = {
  async 'POST logged-models'(input, { core }) {
    const experimentId = reqString(input, 'experiment_id');
    const m = await core.registry.loggedModels.create({
      experimentId,
      name: optString(input, 'name') || null,
      modelType: optString(input, 'model_type') || null,
      sourceRunId: optString(input, 'source_run_id') || null,
      params: objectItems(input, 'params').map(decodeParam),
      tags: lastTagWins(objectItems(input, 'tags').map(decodeTag)),
    });
    return { model: loggedModelJson(m) };
  },

  async 'GET logged-models/{model_id}'(input, { core }) {
    return { model: loggedModelJson(await core.registry.loggedModels.mustGet(modelIdOf(input))) };
  },

  async 'PATCH logged-models/{model_id}'(input, { core }) {
    const id = modelIdOf(input);
    if (input.status === undefined || input.status === null) throw missingParam('status');
    const status = optEnum(input, 'status', Object.values(STATUS_NUMBERS), STATUS_NUMBERS);
    if (status !== 'LOGGED_MODEL_READY' && status !== 'LOGGED_MODEL_UPLOAD_FAILED') {
      throw invalidParam(`Invalid status ${JSON.stringify(input.status)} for finalize: use LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED.`);
    }
    return { model: loggedModelJson(await core.registry.loggedModels.finalize(id, status)) };
  },

  async 'DELETE logged-models/{model_id}'(input, { core }) {
    await core.registry.loggedModels.delete(modelIdOf(input));
    return {};
  },

  async 'POST logged-models/search'(input, { core }) {
    if (objectItems(input, 'datasets').length > 0) {
      throw invalidParam('Filtering logged models by dataset is not supported: Runledger does not record metrics per dataset.');
    }
    const max = checkMaxResults(optInt64(input, 'max_results') ?? 50, MAX_RESULTS);
    const offset = decodePageToken(optString(input, 'page_token'));
    const filter = compileRegistryFilter(optString(input, 'filter'), FILTER);
    const ids = stringItems(input, 'experiment_ids');
    const where = ids.length > 0 ? `lm.experiment_id IN (${ids.map(() => '?').join(', ')}) AND ${filter.where}` : filter.where;
    const orderBy = compileRegistryOrder(orderStrings(input), ORDER);
    const rows = await core.registry.loggedModels.search({ where, params: [...ids, ...filter.params], orderBy, limit: max + 1, offset });
    const out: Record<string, unknown> = {};
    if (rows.length > 0) out.models = rows.slice(0, max).map(loggedModelJson);
    if (rows.length > max) out.next_page_token = encodePageToken(offset + max);
    return out;
  },

  async 'PATCH logged-models/{model_id}/tags'(input, { core }) {
    const tags = lastTagWins(objectItems(input, 'tags').map(decodeTag));
    return { model: loggedModelJson(await core.registry.loggedModels.setTags(modelIdOf(input), tags)) };
  },

  async 'DELETE logged-models/{model_id}/tags/{tag_key}'(input, { core }) {
    await core.registry.loggedModels.deleteTag(modelIdOf(input), reqString(input, 'tag_key'));
    return {};
  },

  async 'POST logged-models/{model_id}/params'(input, { core }) {
    await core.registry.loggedModels.logParams(modelIdOf(input), objectItems(input, 'params').map(decodeParam));
    return {};
  },

  async 'GET logged-models/{model_id}/artifacts/directories'(input, { core }) {
    const m = await core.registry.loggedModels.mustGet(modelIdOf(input));
    const dir = safeArtifactPath(optString(input, 'artifact_directory_path') ?? '');
    const files = await core.artifacts.list(m.model_id, dir);
    const out: Record<string, unknown> = { root_uri: m.artifact_uri };
    if (files.length > 0) out.files = files.map((f) => ({ ...f, path: dir ? `${dir}/${f.path}` : f.path }));
    return out;
  },

  // MLflow 2.x: `log_model` records the MLmodel summary on the run (the `mlflow.log-model.history`
  // tag, a JSON list), after uploading the files. Promotion reads it to find a run's model.
  async 'POST runs/log-model'(input, { core }) {
    const runId = runIdOf(input);
    const text = reqString(input, 'model_json');
    let model: unknown;
    try {
      model = JSON.parse(text);
    } catch {
      throw invalidParam(`Malformed model info. \n ${text} \n is not a valid JSON.`);
    }
    if (!model || typeof model !== 'object' || Array.isArray(model)) throw invalidParam(`Malformed model info. \n ${text} \n is not a JSON object.`);
    const missing = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'].filter((k) => !(k in (model as Fields)));
    if (missing.length > 0) throw invalidParam(`Model json is missing mandatory fields: {${missing.map((k) => `'${k}'`).join(', ')}}`);
    await core.runs.assertWritable(runId);
    const tags = (await core.runs.tags([runId])).get(runId) ?? [];
    const old = tags.find((t) => t.key === LOGGED_MODEL_HISTORY_TAG)?.value;
    let history: unknown[] = [];
    try {
      const parsed: unknown = old ? JSON.parse(old) : [];
      if (Array.isArray(parsed)) history = parsed;
    } catch {
      /* a damaged tag is replaced by a fresh list */
    }
    await core.runs.setTags(runId, [{ key: LOGGED_MODEL_HISTORY_TAG, value: JSON.stringify([...history, model]) }]);
    return {};
  },
};

export { LOGGED_MODEL_HISTORY_TAG };
