// MLflow experiment endpoints (service.proto: CreateExperiment, GetExperiment, GetExperimentByName,
// SearchExperiments, DeleteExperiment, RestoreExperiment, UpdateExperiment, SetExperimentTag, DeleteExperimentTag).
import { invalidParam, missingParam, notFound } from './errors';
import { objectItems, optEnum, optInt64, optString, reqString, stringItems, VIEW_TYPE_NUMBERS, VIEW_TYPES } from './request-fields';
import { validateExperimentName, validateKey, validateValue } from './validation';
import { experimentJson } from './serializers';
import { compileExperimentFilter, compileExperimentOrder } from './experiment-search';
import { decodePageToken, encodePageToken } from './search-filter';
import type { MlflowRoutes } from './route-types';

const MAX_SEARCH_RESULTS = 50_000;

export const experimentRoutes: MlflowRoutes = {
  async 'POST experiments/create'(input, { core }) {
    const name = reqString(input, 'name');
    validateExperimentName(name);
    const tags = objectItems(input, 'tags').map((t) => {
      const key = validateKey('Tag', t.key);
      return { key, value: validateValue('Tag', key, t.value) };
    });
    const artifactLocation = optString(input, 'artifact_location');
    return { experiment_id: await core.experiments.create(name, artifactLocation, tags) };
  },

  async 'GET experiments/get'(input, { core }) {
    const id = reqString(input, 'experiment_id');
    return { experiment: experimentJson(await core.experiments.mustGet(id)) };
  },

  async 'GET experiments/get-by-name'(input, { core }) {
    const name = reqString(input, 'experiment_name');
    const e = await core.experiments.getByName(name);
    // set_experiment() creates the experiment only on exactly this error code.
    if (!e) throw notFound(`Could not find experiment with name '${name}'`);
    return { experiment: experimentJson(e) };
  },

  async 'POST experiments/search'(input, { core }) {
    const maxResults = optInt64(input, 'max_results') ?? 1000;
    if (maxResults < 1 || maxResults > MAX_SEARCH_RESULTS) {
      throw invalidParam(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be at most ${MAX_SEARCH_RESULTS}.`);
    }
    const view = optEnum(input, 'view_type', VIEW_TYPES, VIEW_TYPE_NUMBERS) ?? 'ACTIVE_ONLY';
    const offset = decodePageToken(optString(input, 'page_token'));
    const { where, params } = compileExperimentFilter(optString(input, 'filter'));
    const orderBy = compileExperimentOrder(stringItems(input, 'order_by'));
    const rows = await core.experiments.search({ view, where, params, orderBy, limit: maxResults + 1, offset });
    const out: Record<string, unknown> = {};
    if (rows.length > 0) out.experiments = rows.slice(0, maxResults).map(experimentJson);
    if (rows.length > maxResults) out.next_page_token = encodePageToken(offset + maxResults);
    return out;
  },

  async 'POST experiments/delete'(input, { core }) {
    await core.experiments.setLifecycle(reqString(input, 'experiment_id'), 'deleted');
    return {};
  },

  async 'POST experiments/restore'(input, { core }) {
    await core.experiments.setLifecycle(reqString(input, 'experiment_id'), 'active');
    return {};
  },

  async 'POST experiments/update'(input, { core }) {
    const id = reqString(input, 'experiment_id');
    const newName = optString(input, 'new_name');
    if (!newName) throw missingParam('new_name');
    validateExperimentName(newName);
    await core.experiments.rename(id, newName);
    return {};
  },

  async 'POST experiments/set-experiment-tag'(input, { core }) {
    const id = reqString(input, 'experiment_id');
    const key = validateKey('Tag', input.key);
    await core.experiments.setTag(id, key, validateValue('Tag', key, input.value));
    return {};
  },

  async 'POST experiments/delete-tag'(input, { core }) {
    const id = reqString(input, 'experiment_id');
    const key = reqString(input, 'key');
    // MLflow's delete_experiment_tag: the experiment must be active (400), and a key it does not
    // have is 404 RESOURCE_DOES_NOT_EXIST (as runs/delete-tag), not a silent 200.
    const e = await core.experiments.mustGet(id);
    if (e.lifecycle_stage !== 'active') {
      throw invalidParam(`The experiment ${id} must be in the 'active' state. Current state is ${e.lifecycle_stage}.`);
    }
    if (!e.tags.some((t) => t.key === key)) throw notFound(`No tag with name: ${key} in experiment with id ${id}`);
    await core.experiments.deleteTag(id, key);
    return {};
  },
};
// GET is also accepted for search (the proto declares both).
experimentRoutes['GET experiments/search'] = experimentRoutes['POST experiments/search'];
// service.proto's DeleteExperimentTag path (what MlflowClient.delete_experiment_tag calls) is
// `experiments/delete-experiment-tag`; `experiments/delete-tag` stays for existing callers.
experimentRoutes['POST experiments/delete-experiment-tag'] = experimentRoutes['POST experiments/delete-tag'];
