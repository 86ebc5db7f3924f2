// MLflow run endpoints: create/get/update/delete/restore/search, the log-* family, metric history.
import { invalidParam, missingParam } from './errors';
import { validateKey } from './validation';
import { type Fields, objectItems, optEnum, optInt64, optString, reqString, runIdOf, stringItems, RUN_STATUSES, RUN_STATUS_NUMBERS, VIEW_TYPES, VIEW_TYPE_NUMBERS } from './request-fields';
import { decodeMetric, decodeParam, decodeTag, lastTagWins } from './metric-input';
import { decodeLogBatchFields, type DecodedBatch } from './log-batch-decode';
import { runInfoJson, runJson } from './serializers';
import { decodePageToken, encodePageToken, parseOrderBy, parseSearchFilter } from './search-filter';
import { compileRunSearch } from '../store/run-search-sql';
import { queryRows } from '../store/open-database';
import { RUN_ID_PATTERN } from '../store/ids';
import type { DatasetInput } from '../store/run-repository';
import type { MlflowContext, MlflowRoutes } from './route-types';

const MAX_SEARCH_RESULTS = 50_000;

/** Stores a validated log-batch: params (immutability checked), then tags, then metrics. */
export async function logDecodedBatch(ctx: MlflowContext, batch: DecodedBatch): Promise<Record<string, never>> {
  const runId = checkRunId(batch.runId);
  await ctx.core.runs.assertWritable(runId);
  await ctx.core.runs.logParams(runId, batch.params);
  await ctx.core.runs.setTags(runId, batch.tags);
  await ctx.core.writer.appendColumns(runId, batch.metrics);
  return {};
}
const MAX_HISTORY_PAGE = 25_000_000;

function checkRunId(runId: string): string {
  if (!RUN_ID_PATTERN.test(runId)) throw invalidParam(`Invalid run ID: '${runId}'`);
  return runId;
}

async function runEntity(ctx: MlflowContext, runId: string): Promise<Record<string, unknown>> {
  const run = await ctx.core.runs.mustGet(checkRunId(runId));
  const parts = await ctx.core.runParts([runId]);
  return runJson(run, parts.get(runId)!);
}

export const runRoutes: MlflowRoutes = {
  async 'POST runs/create'(input, ctx) {
    const experimentId = optString(input, 'experiment_id');
    if (!experimentId) throw invalidParam(`Missing value for required parameter 'experiment_id'. See the API docs for more information about request parameters.`);
    const tags = lastTagWins(objectItems(input, 'tags').map(decodeTag));
    // MLflow's create_run refuses a run_name that contradicts the mlflow.runName tag (400) rather
    // than silently picking one of them.
    const givenName = optString(input, 'run_name');
    const tagName = tags.find((t) => t.key === 'mlflow.runName')?.value;
    if (givenName && tagName && givenName !== tagName) {
      throw invalidParam(
        `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${givenName}', mlflow.runName='${tagName}').`,
      );
    }
    const runName = givenName || tagName || defaultRunName();
    const runId = await ctx.core.runs.create({
      experimentId,
      userId: optString(input, 'user_id') ?? '',
      runName,
      startTime: optInt64(input, 'start_time') ?? Date.now(),
      tags,
    });
    ctx.core.events.emit('runs.changed', [runId]);
    return { run: await runEntity(ctx, runId) };
  },

  async 'GET runs/get'(input, ctx) {
    return { run: await runEntity(ctx, runIdOf(input)) };
  },

  async 'POST runs/update'(input, ctx) {
    const runId = checkRunId(runIdOf(input));
    const status = optEnum(input, 'status', RUN_STATUSES, RUN_STATUS_NUMBERS);
    const run = await ctx.core.runs.update(runId, { status, endTime: optInt64(input, 'end_time'), runName: optString(input, 'run_name') });
    if (status && status !== 'RUNNING' && status !== 'SCHEDULED') await ctx.core.finalizeRun(run);
    else ctx.core.events.emit('runs.changed', [runId]);
    return { run_info: runInfoJson(run) };
  },

  async 'POST runs/delete'(input, ctx) {
    const runId = checkRunId(runIdOf(input));
    await ctx.core.runs.setLifecycle(runId, 'deleted', ctx.actor, optString(input, 'reason') ?? null);
    ctx.core.events.emit('runs.changed', [runId]);
    return {};
  },

  async 'POST runs/restore'(input, ctx) {
    const runId = checkRunId(runIdOf(input));
    await ctx.core.runs.setLifecycle(runId, 'active', ctx.actor, null);
    ctx.core.events.emit('runs.changed', [runId]);
    return {};
  },

  async 'POST runs/search'(input, ctx) {
    const maxResults = optInt64(input, 'max_results') ?? 1000;
    if (maxResults < 1 || maxResults > MAX_SEARCH_RESULTS) {
      throw invalidParam(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be at most ${MAX_SEARCH_RESULTS}, but got value ${maxResults}`);
    }
    const offset = decodePageToken(optString(input, 'page_token'));
    await ctx.core.writer.syncSummaries(); // filters and order_by read latest_metrics
    const sql = compileRunSearch({
      experimentIds: stringItems(input, 'experiment_ids'),
      clauses: parseSearchFilter(optString(input, 'filter')),
      orderBy: parseOrderBy(stringItems(input, 'order_by')),
      viewType: optEnum(input, 'run_view_type', VIEW_TYPES, VIEW_TYPE_NUMBERS) ?? 'ACTIVE_ONLY',
    });
    // One row more than asked tells whether another page exists, so the last page carries no token.
    const rows = await queryRows<{ run_id: string }>(
      ctx.core.db.reader,
      `SELECT r.run_id FROM runs r WHERE ${sql.where} ORDER BY ${sql.orderBy} LIMIT ? OFFSET ?`,
      [...sql.params, maxResults + 1, offset],
    );
    const ids = rows.slice(0, maxResults).map((r) => r.run_id);
    const out: Record<string, unknown> = {};
    if (ids.length > 0) {
      const runRows = await queryRows(ctx.core.db.reader, `SELECT * FROM runs WHERE run_id IN (${ids.map(() => '?').join(',')})`, ids);
      const byId = new Map(runRows.map((r) => [String(r.run_id), r]));
      const parts = await ctx.core.runParts(ids);
      out.runs = ids.map((id) => runJson(byId.get(id) as never, parts.get(id)!));
    }
    if (rows.length > maxResults) out.next_page_token = encodePageToken(offset + maxResults);
    return out;
  },

  async 'POST runs/log-batch'(input, ctx) {
    return logDecodedBatch(ctx, decodeLogBatchFields(input));
  },

  async 'POST runs/log-metric'(input, ctx) {
    const runId = checkRunId(runIdOf(input));
    // LogMetric's schema requires key, value and timestamp, and MLflow words a missing one exactly as
    // any other required field ("Missing value for required parameter 'value'. See the API docs…").
    // decodeMetric's wording names the metric, which suits log-batch entries but not this endpoint.
    validateKey('Metric', input.key);
    for (const field of ['value', 'timestamp']) {
      if (input[field] === undefined || input[field] === null) throw missingParam(field);
    }
    const point = decodeMetric(input);
    await ctx.core.runs.assertWritable(runId);
    await ctx.core.writer.append(runId, [point]);
    return {};
  },

  async 'POST runs/log-parameter'(input, ctx) {
    const runId = checkRunId(runIdOf(input));
    const param = decodeParam(input);
    await ctx.core.runs.assertWritable(runId);
    await ctx.core.runs.logParams(runId, [param]);
    return {};
  },

  async 'POST runs/set-tag'(input, ctx) {
    const runId = checkRunId(runIdOf(input));
    const tag = decodeTag(input);
    await ctx.core.runs.assertWritable(runId);
    await ctx.core.runs.setTags(runId, [tag]);
    return {};
  },

  async 'POST runs/delete-tag'(input, ctx) {
    const runId = checkRunId(runIdOf(input));
    const key = reqString(input, 'key');
    await ctx.core.runs.assertWritable(runId);
    await ctx.core.runs.deleteTag(runId, key);
    return {};
  },

  async 'POST runs/log-inputs'(input, ctx) {
    const runId = checkRunId(runIdOf(input));
    const datasets: DatasetInput[] = objectItems(input, 'datasets').map((d) => decodeDatasetInput(d));
    await ctx.core.runs.assertWritable(runId);
    await ctx.core.runs.logInputs(runId, datasets);
    return {};
  },

  // MLflow 3 log-outputs (models a run produced): the link is already the logged model's
  // source_run_id (routes-logged-models.ts), so there is nothing more to store.
  async 'POST runs/outputs'(input, ctx) {
    await ctx.core.runs.assertWritable(checkRunId(runIdOf(input)));
    return {};
  },

  async 'GET metrics/get-history'(input, ctx) {
    const runId = checkRunId(runIdOf(input));
    const key = reqString(input, 'metric_key');
    await ctx.core.runs.mustGet(runId);
    const maxResults = optInt64(input, 'max_results');
    if (maxResults !== undefined && (maxResults < 1 || maxResults > MAX_HISTORY_PAGE)) {
      throw invalidParam(`Invalid value ${maxResults} for parameter 'max_results': it must be between 1 and ${MAX_HISTORY_PAGE}.`);
    }
    const offset = decodePageToken(optString(input, 'page_token'));
    // Without max_results, everything in one response (what the proto promises and ≤2.17 servers do).
    const rows = await ctx.core.metrics.history(runId, key, offset, maxResults === undefined ? null : maxResults + 1);
    const page = maxResults === undefined ? rows : rows.slice(0, maxResults);
    const out: Record<string, unknown> = {};
    if (page.length > 0) out.metrics = page.map((p) => ({ key, value: p.value, timestamp: p.ts, step: p.step }));
    if (maxResults !== undefined && rows.length > maxResults) out.next_page_token = encodePageToken(offset + maxResults);
    return out;
  },

};

runRoutes['GET runs/search'] = runRoutes['POST runs/search'];
runRoutes['POST metrics/get-history'] = runRoutes['GET metrics/get-history'];

function decodeDatasetInput(d: Fields): DatasetInput {
  const ds = (d.dataset ?? {}) as Fields;
  if (typeof ds !== 'object' || Array.isArray(ds)) throw invalidParam(`Invalid value for 'dataset': expected an object.`);
  const field = (name: string, max: number): string => {
    const v = optString(ds, name) ?? '';
    if (v.length > max) throw invalidParam(`Dataset ${name} exceeds the maximum length of ${max} characters.`);
    return v;
  };
  const name = field('name', 500);
  if (!name) throw invalidParam(`Missing value for required parameter 'dataset.name'.`);
  return {
    name,
    digest: field('digest', 1000),
    source_type: field('source_type', 1000),
    source: field('source', 65535),
    schema: field('schema', 1048575),
    profile: field('profile', 16777215),
    tags: objectItems(d, 'tags').map((t) => {
      const key = optString(t, 'key') ?? '';
      const value = optString(t, 'value') ?? '';
      if (!key || key.length > 255) throw invalidParam(`Invalid input tag key '${key}': required, at most 255 characters.`);
      if (value.length > 500) throw invalidParam(`Input tag value for '${key}' exceeds 500 characters.`);
      return { key, value };
    }),
  };
}

const ADJECTIVES = ['amber', 'brisk', 'calm', 'dapper', 'eager', 'fleet', 'gentle', 'hardy', 'keen', 'lucid', 'mellow', 'nimble', 'placid', 'quiet', 'rustic', 'sturdy', 'tidy', 'vivid', 'wise', 'zesty'];
const NOUNS = ['heron', 'otter', 'lynx', 'finch', 'badger', 'crane', 'wren', 'marten', 'ibis', 'puffin', 'stoat', 'vole', 'kestrel', 'gecko', 'tapir', 'yak'];

/** MLflow names unnamed runs `adjective-noun-N`; so do we, so scripts that print the name still read well. */
function defaultRunName(): string {
  const pick = <T>(a: T[]): T => a[Math.floor(Math.random() * a.length)];
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${Math.floor(Math.random() * 1000)}`;
}

