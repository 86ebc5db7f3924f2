// MLflow model registry endpoints (model_registry.proto, ModelRegistryService): registered models,
// model versions, their tags, aliases, stages, search with filter/order_by/pagination.
import { invalidParam, missingParam } from './errors';
import { objectItems, optBool, optInt64, optString, reqString, stringItems, type Fields } from './request-fields';
import { decodeTag, lastTagWins } from './metric-input';
import { validateKey, validateValue } from './validation';
import { decodePageToken, encodePageToken } from './search-filter';
import { modelVersionJson, registeredModelJson } from './registry-json';
import { checkMaxResults, compileRegistryFilter, compileRegistryOrder, type FilterSpec, type OrderSpec } from '../registry/registry-filter';
import { validateAlias, validateModelName } from '../registry/registered-models';
import { canonicalStage, versionNumber } from '../registry/model-versions';
import { resolveSource } from '../registry/model-source';
import { LOGGED_MODEL_ID } from '../registry/logged-models';
import type { MlflowRoutes } from './route-types';

// SEARCH_REGISTERED_MODEL_MAX_RESULTS_THRESHOLD and SEARCH_MODEL_VERSION_MAX_RESULTS_THRESHOLD.
const MAX_MODELS = 1000;
const MAX_VERSIONS = 200_000;

const MODEL_FILTER: FilterSpec = {
  what: 'registered model',
  strings: { name: 'm.name' },
  numbers: {},
  keyed: { tag: (op) => `EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.name = m.name AND t.key = ? AND t.value ${op} ?)` },
};
const MODEL_ORDER: OrderSpec = {
  keys: { name: 'm.name', timestamp: 'm.creation_timestamp', creation_timestamp: 'm.creation_timestamp', last_updated_timestamp: 'm.last_updated_timestamp' },
  tiebreak: [{ sql: 'm.name', dir: 'ASC' }],
  defaults: ['name ASC'],
};
const VERSION_FILTER: FilterSpec = {
  what: 'model version',
  strings: { name: 'v.name', run_id: 'v.run_id', source_path: 'v.source', model_id: 'v.model_id' },
  numbers: { version_number: 'v.version', creation_timestamp: 'v.creation_timestamp', last_updated_timestamp: 'v.last_updated_timestamp' },
  inList: ['run_id', 'name'],
  keyed: { tag: (op) => `EXISTS (SELECT 1 FROM model_version_tags t WHERE t.name = v.name AND t.version = v.version AND t.key = ? AND t.value ${op} ?)` },
};
const VERSION_ORDER: OrderSpec = {
  keys: { name: 'v.name', version_number: 'v.version', timestamp: 'v.creation_timestamp', creation_timestamp: 'v.creation_timestamp', last_updated_timestamp: 'v.last_updated_timestamp' },
  tiebreak: [{ sql: 'v.name', dir: 'ASC' }, { sql: 'v.version', dir: 'DESC' }],
  defaults: ['last_updated_timestamp DESC'],
};

const nameOf = (input: Fields): string => validateModelName(input.name);
const versionOf = (input: Fields): number => {
  if (input.version === undefined || input.version === null || input.version === '') throw missingParam('version');
  return versionNumber(input.version);
};

function tagsOf(input: Fields) {
  return lastTagWins(objectItems(input, 'tags').map(decodeTag));
}

/** set-tag: key and value are both required by the proto. */
function oneTag(input: Fields) {
  const key = validateKey('Tag', input.key);
  if (input.value === undefined || input.value === null) throw missingParam('value');
  return { key, value: validateValue('Tag', key, input.value) };
}

/** Offset pagination with one row more than asked, so the last page carries no token. */
function page<T>(rows: T[], max: number, offset: number, field: string, toJson: (x: T) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (rows.length > 0) out[field] = rows.slice(0, max).map(toJson);
  if (rows.length > max) out.next_page_token = encodePageToken(offset + max);
  return out;
}

export const registryRoutes: MlflowRoutes = {
  async 'POST registered-models/create'(input, { core, actor }) {
    const name = nameOf(input);
    const m = await core.registry.models.create(name, tagsOf(input), optString(input, 'description') ?? null, actor);
    return { registered_model: registeredModelJson(m) };
  },

  async 'GET registered-models/get'(input, { core }) {
    return { registered_model: registeredModelJson(await core.registry.models.mustGet(nameOf(input))) };
  },

  async 'POST registered-models/rename'(input, { core }) {
    const name = nameOf(input);
    const newName = optString(input, 'new_name');
    if (!newName) throw missingParam('new_name');
    return { registered_model: registeredModelJson(await core.registry.models.rename(name, validateModelName(newName, 'new_name'))) };
  },

  async 'PATCH registered-models/update'(input, { core }) {
    const m = await core.registry.models.update(nameOf(input), optString(input, 'description') ?? null);
    return { registered_model: registeredModelJson(m) };
  },

  async 'DELETE registered-models/delete'(input, { core }) {
    await core.registry.models.delete(nameOf(input));
    return {};
  },

  async 'GET registered-models/search'(input, { core }) {
    const max = checkMaxResults(optInt64(input, 'max_results') ?? 100, MAX_MODELS);
    const offset = decodePageToken(optString(input, 'page_token'));
    const { where, params } = compileRegistryFilter(optString(input, 'filter'), MODEL_FILTER);
    const orderBy = compileRegistryOrder(stringItems(input, 'order_by'), MODEL_ORDER);
    const rows = await core.registry.models.search({ where, params, orderBy, limit: max + 1, offset });
    return page(rows, max, offset, 'registered_models', registeredModelJson);
  },

  async 'POST registered-models/get-latest-versions'(input, { core }) {
    const name = nameOf(input);
    await core.registry.models.mustGet(name);
    const stages = [...new Set(stringItems(input, 'stages').map(canonicalStage))];
    const versions = await core.registry.models.versions.latest([name], stages);
    return versions.length > 0 ? { model_versions: versions.map(modelVersionJson) } : {};
  },

  async 'POST registered-models/set-tag'(input, { core }) {
    await core.registry.models.setTag(nameOf(input), oneTag(input));
    return {};
  },

  async 'DELETE registered-models/delete-tag'(input, { core }) {
    await core.registry.models.deleteTag(nameOf(input), reqString(input, 'key'));
    return {};
  },

  async 'POST registered-models/alias'(input, { core }) {
    await core.registry.models.setAlias(nameOf(input), validateAlias(input.alias), versionOf(input));
    return {};
  },

  async 'DELETE registered-models/alias'(input, { core }) {
    await core.registry.models.deleteAlias(nameOf(input), validateAlias(input.alias));
    return {};
  },

  async 'GET registered-models/alias'(input, { core }) {
    return { model_version: modelVersionJson(await core.registry.models.versionByAlias(nameOf(input), validateAlias(input.alias))) };
  },

  async 'POST model-versions/create'(input, { core, actor }) {
    const name = nameOf(input);
    const source = reqString(input, 'source');
    const runId = optString(input, 'run_id') || null;
    const modelId = optString(input, 'model_id') || null;
    if (modelId !== null && !LOGGED_MODEL_ID.test(modelId)) throw invalidParam(`Invalid logged model ID: '${modelId}'`);
    const tags = tagsOf(input);
    await core.registry.models.mustGet(name); // before resolving: a missing model is the first thing to hear about
    const resolved = await resolveSource(core, source, runId, modelId);
    const v = await core.registry.models.versions.create({
      name,
      source,
      storageLocation: resolved.storageLocation,
      runId: resolved.runId,
      runLink: optString(input, 'run_link') || null,
      modelId: resolved.modelId,
      description: optString(input, 'description') ?? null,
      userId: actor,
      tags,
    });
    return { model_version: modelVersionJson(v) };
  },

  async 'GET model-versions/get'(input, { core }) {
    return { model_version: modelVersionJson(await core.registry.models.versions.mustGet(nameOf(input), versionOf(input))) };
  },

  async 'PATCH model-versions/update'(input, { core }) {
    const v = await core.registry.models.versions.update(nameOf(input), versionOf(input), optString(input, 'description') ?? null);
    return { model_version: modelVersionJson(v) };
  },

  async 'DELETE model-versions/delete'(input, { core }) {
    await core.registry.models.versions.delete(nameOf(input), versionOf(input));
    return {};
  },

  async 'POST model-versions/transition-stage'(input, { core }) {
    const name = nameOf(input);
    const version = versionOf(input);
    const stage = canonicalStage(reqString(input, 'stage'));
    const archive = optBool(input, 'archive_existing_versions');
    if (archive === undefined) throw missingParam('archive_existing_versions');
    const { version: v } = await core.registry.models.versions.transition(name, version, stage, archive);
    return { model_version: modelVersionJson(v) };
  },

  async 'GET model-versions/search'(input, { core }) {
    const max = checkMaxResults(optInt64(input, 'max_results') ?? MAX_VERSIONS, MAX_VERSIONS);
    const offset = decodePageToken(optString(input, 'page_token'));
    const { where, params } = compileRegistryFilter(optString(input, 'filter'), VERSION_FILTER);
    const orderBy = compileRegistryOrder(stringItems(input, 'order_by'), VERSION_ORDER);
    const rows = await core.registry.models.versions.search({ where, params, orderBy, limit: max + 1, offset });
    return page(rows, max, offset, 'model_versions', modelVersionJson);
  },

  async 'GET model-versions/get-download-uri'(input, { core }) {
    const v = await core.registry.models.versions.mustGet(nameOf(input), versionOf(input));
    return { artifact_uri: v.storage_location };
  },

  async 'POST model-versions/set-tag'(input, { core }) {
    await core.registry.models.versions.setTag(nameOf(input), versionOf(input), oneTag(input));
    return {};
  },

  async 'DELETE model-versions/delete-tag'(input, { core }) {
    await core.registry.models.versions.deleteTag(nameOf(input), versionOf(input), reqString(input, 'key'));
    return {};
  },
};

// The proto declares GET and POST for get-latest-versions; searches also answer POST for tools that
// send a body (MLflow's own client uses GET).
registryRoutes['GET registered-models/get-latest-versions'] = registryRoutes['POST registered-models/get-latest-versions'];
registryRoutes['POST registered-models/search'] = registryRoutes['GET registered-models/search'];
registryRoutes['POST model-versions/search'] = registryRoutes['GET model-versions/search'];
