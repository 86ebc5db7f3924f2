import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MlflowError } from '../../../native/mlflow/errors';
import { parseOrderBy, parseSearchFilter } from '../../../native/mlflow/search-filter';
import { MIGRATIONS } from '../../../native/store/migrations';
import { compileRunSearch, type RunViewType } from '../../../native/store/run-search-sql';

let dir: string;
let instance: DuckDBInstance;
let con: DuckDBConnection;

interface RunSeed {
  id: string;
  exp: string;
  name: string;
  user: string;
  status: string;
  start: number;
  end: number | null;
  stage?: 'active' | 'deleted';
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: Record<string, number>;
  inputs?: [name: string, digest: string, context: string | null][];
}

// Active runs by default order (start_time DESC, run_id): r3, r2, r6, r4, r1. r5 is deleted.
const RUNS: RunSeed[] = [
  {
    id: 'r1', exp: '1', name: 'alpha', user: 'alice', status: 'FINISHED', start: 1000, end: 2000,
    params: { lr: '0.01', opt: 'Adam' }, tags: { team: 'core' }, metrics: { loss: 0.5, acc: 0.9 },
    inputs: [['train', 'd1', 'training']],
  },
  {
    id: 'r2', exp: '1', name: 'beta', user: 'bob', status: 'RUNNING', start: 2000, end: null,
    params: { lr: '0.1' }, tags: { team: 'vision' }, metrics: { loss: NaN, acc: 0.8 },
    inputs: [['eval', 'd2', 'eval']],
  },
  {
    id: 'r3', exp: '1', name: 'Gamma', user: 'alice', status: 'FAILED', start: 3000, end: 4000,
    params: { opt: 'adam' }, metrics: { loss: 0.2 },
  },
  {
    id: 'r4', exp: '2', name: 'delta', user: 'carol', status: 'FINISHED', start: 1500, end: 2500,
    params: { lr: '0.01' }, tags: { team: 'core' }, metrics: { loss: 1.5, acc: NaN },
    inputs: [['train', 'd1', null]],
  },
  {
    id: 'r5', exp: '1', name: 'eps', user: 'alice', status: 'FINISHED', start: 5000, end: 6000, stage: 'deleted',
    params: { lr: '0.01' }, tags: { team: 'core' }, metrics: { loss: 0.1 },
  },
  {
    id: 'r6', exp: '1', name: 'zeta', user: 'bob', status: 'FINISHED', start: 2000, end: 3000,
    metrics: { loss: 0.5 }, inputs: [['Train', 'd3', 'training']],
  },
];

async function seed(): Promise<void> {
  await con.run(MIGRATIONS[0].sql);
  await con.run(`INSERT INTO experiments VALUES ('1', 'one', 'mlflow-artifacts:/1', 'active', 0, 0),
                                               ('2', 'two', 'mlflow-artifacts:/2', 'active', 0, 0)`);
  let series = 0;
  for (const r of RUNS) {
    await con.run(
      `INSERT INTO runs (run_id, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, last_activity)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [r.id, r.exp, r.name, r.user, r.status, r.start, r.end, r.stage ?? 'active', r.start],
    );
    for (const [k, v] of Object.entries(r.params ?? {})) await con.run('INSERT INTO params VALUES (?, ?, ?)', [r.id, k, v]);
    for (const [k, v] of Object.entries(r.tags ?? {})) await con.run('INSERT INTO tags VALUES (?, ?, ?)', [r.id, k, v]);
    for (const [k, v] of Object.entries(r.metrics ?? {})) {
      // CAST from text: the NaN latest value must really be a DOUBLE NaN in the table.
      await con.run(
        `INSERT INTO latest_metrics (series_id, run_id, key, step, ts, value, first_value, count, nan_count, inf_count, last_step, segment)
         VALUES (?, ?, ?, 0, 0, CAST(? AS DOUBLE), CAST(? AS DOUBLE), 1, ?, 0, 0, 0)`,
        [series++, r.id, k, String(v), String(v), Number.isNaN(v) ? 1 : 0],
      );
    }
    for (const [name, digest, context] of r.inputs ?? []) {
      await con.run('INSERT INTO run_inputs VALUES (?, ?, ?, ?, ?)', [r.id, name, digest, '[]', context]);
    }
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runledger-search-'));
  instance = await DuckDBInstance.create(join(dir, 'store.duckdb'));
  con = await instance.connect();
  await seed();
});

afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface SearchOptions {
  orderBy?: string[];
  viewType?: RunViewType;
  experimentIds?: string[];
  limit?: number;
  offset?: number;
}

async function search(filter: string, opts: SearchOptions = {}): Promise<string[]> {
  const sql = compileRunSearch({
    experimentIds: opts.experimentIds ?? ['1', '2'],
    clauses: parseSearchFilter(filter),
    orderBy: parseOrderBy(opts.orderBy),
    viewType: opts.viewType ?? 'ACTIVE_ONLY',
  });
  const text = `SELECT r.run_id FROM runs r WHERE ${sql.where} ORDER BY ${sql.orderBy} LIMIT ? OFFSET ?`;
  const reader = await con.runAndReadAll(text, [...sql.params, opts.limit ?? 1000, opts.offset ?? 0]);
  return reader.getRowObjectsJson().map((row) => String(row.run_id));
}

describe('compileRunSearch: filters against a real DuckDB', () => {
  const cases: [string, string[]][] = [
    ['', ['r3', 'r2', 'r6', 'r4', 'r1']],
    // Metrics: latest value; NaN never matches; a missing key never matches, even with !=.
    ['metrics.loss < 1', ['r3', 'r6', 'r1']],
    ['metrics.loss > 0', ['r3', 'r6', 'r4', 'r1']],
    ['metrics.loss != 0.5', ['r3', 'r4']],
    ['metrics.loss = 1.5', ['r4']],
    ['metrics.loss = 15e-1', ['r4']],
    ['metrics.loss >= .5', ['r6', 'r4', 'r1']],
    ['metrics.loss > -1e400', ['r3', 'r6', 'r4', 'r1']], // -Infinity still excludes NaN
    ['metrics.loss <= -2', []],
    ['metrics.loss < 1e20', ['r3', 'r6', 'r4', 'r1']], // integral beyond int32/int64: still a DOUBLE
    ['metrics.loss < 1e300', ['r3', 'r6', 'r4', 'r1']],
    ['metrics.loss > 1e400', []], // +Infinity
    ['metrics.acc >= 0', ['r2', 'r1']],
    ['metrics.acc != 100', ['r2', 'r1']],
    ['metrics.nope < 1', []],
    // Params and tags.
    ["params.lr = '0.01'", ['r4', 'r1']],
    ["params.lr != '0.01'", ['r2']],
    ["params.opt LIKE 'a%'", ['r3']],
    ["params.opt ILIKE 'a%'", ['r3', 'r1']],
    ["params.opt LIKE '_dam'", ['r3', 'r1']],
    ["params.opt = 'ADAM'", []],
    ['params.lr IS NULL', ['r3', 'r6']],
    ['params.lr IS NOT NULL', ['r2', 'r4', 'r1']],
    ["tags.team = 'core'", ['r4', 'r1']],
    ["tags.team != 'core'", ['r2']],
    ['tags.team IS NULL', ['r3', 'r6']],
    ["tags.team = 'core' and params.lr = '0.01' and metrics.loss < 1", ['r1']],
    ["params.lr = '0.01' AND params.opt IS NULL", ['r4']],
    // Attributes.
    ["attributes.status = 'FINISHED'", ['r6', 'r4', 'r1']],
    ["attributes.status != 'FINISHED'", ['r3', 'r2']],
    ["attributes.run_name ILIKE 'g%'", ['r3']],
    ["attributes.`Run name` = 'alpha'", ['r1']],
    ["attributes.user_id = 'alice'", ['r3', 'r1']],
    ["attributes.run_id = 'r2'", ['r2']],
    ["attributes.run_id IN ('r1', 'r3', 'r5')", ['r3', 'r1']],
    ["attributes.run_id NOT IN ('r1', 'r3')", ['r2', 'r6', 'r4']],
    ["attributes.run_id IN ('R1')", []], // upper-case ids dropped, as MLflow does
    ["attributes.run_id NOT IN ('R1')", ['r3', 'r2', 'r6', 'r4', 'r1']],
    ['attributes.start_time >= 2000', ['r3', 'r2', 'r6']],
    ['attributes.created < 2000', ['r4', 'r1']],
    ['attributes.start_time = 1500', ['r4']],
    ['attributes.start_time > 1500.5', ['r3', 'r2', 'r6']],
    ['attributes.start_time < 1e300', ['r3', 'r2', 'r6', 'r4', 'r1']],
    ['attributes.start_time > 9223372036854775808', []],
    ['attributes.end_time > 0', ['r3', 'r6', 'r4', 'r1']],
    ['attributes.end_time != 2000', ['r3', 'r6', 'r4']], // a NULL end_time never matches
    ["attributes.artifact_uri = 'mlflow-artifacts:/2/r4/artifacts'", ['r4']],
    ["attributes.artifact_uri LIKE 'mlflow-artifacts:/1/%'", ['r3', 'r2', 'r6', 'r1']],
    // Datasets: some input of the run satisfies the clause.
    ["datasets.name = 'train'", ['r4', 'r1']],
    ["datasets.name IN ('Train')", ['r6']],
    ["datasets.name NOT IN ('train')", ['r2', 'r6']],
    ["datasets.name ILIKE 'TR%'", ['r6', 'r4', 'r1']],
    ["datasets.digest IN ('d1', 'd2')", ['r2', 'r4', 'r1']],
    ["datasets.context = 'training'", ['r6', 'r1']],
    ["datasets.context != 'training'", ['r2']], // r4's input has no context: no match
  ];
  it.each(cases)('%s', async (filter, expected) => {
    expect(await search(filter)).toEqual(expected);
  });

  it('view types filter on lifecycle_stage', async () => {
    expect(await search('', { viewType: 'DELETED_ONLY' })).toEqual(['r5']);
    expect(await search("params.lr = '0.01'", { viewType: 'ALL' })).toEqual(['r5', 'r4', 'r1']);
    expect(await search("params.lr = '0.01'", { viewType: 'ACTIVE_ONLY' })).toEqual(['r4', 'r1']);
  });

  it('experiment ids restrict the runs; none given means every experiment', async () => {
    expect(await search('', { experimentIds: ['2'] })).toEqual(['r4']);
    expect(await search('', { experimentIds: ['9'] })).toEqual([]);
    expect(await search('', { experimentIds: [] })).toEqual(['r3', 'r2', 'r6', 'r4', 'r1']);
  });

  it('limit/offset appended by the caller page through the same order', async () => {
    expect(await search('', { limit: 2, offset: 0 })).toEqual(['r3', 'r2']);
    expect(await search('', { limit: 2, offset: 2 })).toEqual(['r6', 'r4']);
    expect(await search('', { limit: 2, offset: 4 })).toEqual(['r1']);
  });
});

describe('compileRunSearch: order_by', () => {
  const cases: [string[], string[]][] = [
    [[], ['r3', 'r2', 'r6', 'r4', 'r1']],
    // loss: r3 .2, r1/r6 .5 (tie → start_time DESC), r4 1.5, r2 NaN (last both ways).
    [['metrics.loss ASC'], ['r3', 'r6', 'r1', 'r4', 'r2']],
    [['metrics.loss DESC'], ['r4', 'r6', 'r1', 'r3', 'r2']],
    // acc: r1 .9, r2 .8, r4 NaN, r3/r6 missing: values, then NaN, then missing, in both directions.
    [['metrics.acc'], ['r2', 'r1', 'r4', 'r3', 'r6']],
    [['metrics.acc DESC'], ['r1', 'r2', 'r4', 'r3', 'r6']],
    [['params.lr DESC'], ['r2', 'r4', 'r1', 'r3', 'r6']],
    [['params.lr ASC'], ['r4', 'r1', 'r2', 'r3', 'r6']],
    [['tags.team ASC'], ['r4', 'r1', 'r2', 'r3', 'r6']],
    [['tags.team DESC', 'metrics.loss ASC'], ['r2', 'r1', 'r4', 'r3', 'r6']],
    // Ordering on start_time replaces the default start_time DESC; run_id still breaks ties.
    [['attributes.start_time ASC'], ['r1', 'r4', 'r2', 'r6', 'r3']],
    [['created DESC'], ['r3', 'r2', 'r6', 'r4', 'r1']],
    [['attributes.end_time ASC'], ['r1', 'r4', 'r6', 'r3', 'r2']],
    [['attributes.end_time DESC'], ['r3', 'r6', 'r4', 'r1', 'r2']],
    // Byte order: 'Gamma' sorts before the lower-case names.
    [['attributes.run_name DESC'], ['r6', 'r4', 'r2', 'r1', 'r3']],
    [['attributes.`Run name`'], ['r3', 'r1', 'r2', 'r4', 'r6']],
    [['attributes.run_id DESC'], ['r6', 'r4', 'r3', 'r2', 'r1']],
    // FAILED r3; FINISHED by user DESC: carol r4, bob r6, alice r1; RUNNING r2.
    [['attributes.status', 'attributes.user_id DESC'], ['r3', 'r4', 'r6', 'r1', 'r2']],
  ];
  it.each(cases)('%j', async (orderBy, expected) => {
    expect(await search('', { orderBy })).toEqual(expected);
  });

  it('filter and order together', async () => {
    expect(await search("params.lr = '0.01'", { orderBy: ['metrics.loss DESC'] })).toEqual(['r4', 'r1']);
    expect(await search('metrics.loss < 1', { orderBy: ['metrics.loss DESC'], limit: 1, offset: 1 })).toEqual(['r1']);
  });
});

describe('compileRunSearch: parameterisation', () => {
  async function counts(): Promise<Record<string, unknown>> {
    const reader = await con.runAndReadAll(
      `SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM params) AS params,
              (SELECT count(*) FROM tags) AS tags, (SELECT count(*) FROM latest_metrics) AS metrics`,
    );
    return reader.getRowObjectsJson()[0];
  }

  it('injection attempts are plain values and keys; the tables stay intact', async () => {
    const before = await counts();
    expect(await search("params.lr = 'x''; DROP TABLE runs; --'")).toEqual([]);
    expect(await search("params.lr = '0.01'' OR ''1''=''1'")).toEqual([]);
    expect(await search("tags.`team'; DELETE FROM params; --` = 'core'")).toEqual([]);
    expect(await search("attributes.run_id IN ('r1'') OR (1=1', 'r2')")).toEqual(['r2']);
    expect(await search("datasets.name = 'train'' OR 1=1 --'")).toEqual([]);
    expect(await search('', { orderBy: ["tags.`x) ; DROP TABLE tags; --` DESC"] })).toEqual(['r3', 'r2', 'r6', 'r4', 'r1']);
    expect(await counts()).toEqual(before);
    expect(before).toEqual({ runs: '6', params: '6', tags: '4', metrics: '9' });
  });

  it('puts no user text in the SQL and one parameter per placeholder, in order', () => {
    const sql = compileRunSearch({
      experimentIds: ['1', 'E2'],
      clauses: parseSearchFilter(
        "metrics.`EVIL1` > 0.5 and params.EVIL2 = 'EVIL3' and tags.EVIL4 IS NULL and attributes.run_id IN ('evil5', 'evil6') " +
          "and datasets.context LIKE 'EVIL7' and attributes.created > 7",
      ),
      orderBy: parseOrderBy(['metrics.EVIL8 DESC', 'params.EVIL9', 'created']),
      viewType: 'ALL',
    });
    const text = `${sql.where} ${sql.orderBy}`;
    expect(text).not.toMatch(/evil/i);
    expect(text).not.toContain('E2');
    expect((text.match(/\?/g) ?? []).length).toBe(sql.params.length);
    expect(sql.params).toEqual([
      '1', 'E2', 'EVIL1', '0.5', 'EVIL2', 'EVIL3', 'EVIL4', 'evil5', 'evil6', 'EVIL7', '7', 'EVIL8', 'EVIL8', 'EVIL9',
    ]);
    // Ordering on start_time (via its alias) drops the default start_time DESC tie-breaker.
    expect(sql.orderBy).toContain('r.start_time ASC NULLS LAST');
    expect(sql.orderBy).not.toContain('r.start_time DESC');
    expect(sql.orderBy.endsWith('r.run_id ASC')).toBe(true);
  });

  it('empty IN lists compile to constants instead of invalid SQL', async () => {
    // Every id is upper-case, so MLflow's rule leaves an empty list.
    expect(await search("attributes.run_id IN ('A', 'B')")).toEqual([]);
    expect(await search("attributes.run_id NOT IN ('A')", { experimentIds: ['2'] })).toEqual(['r4']);
  });

  it('malformed hand-built clauses are 400s, not SQL errors', () => {
    const bad = [
      { type: 'metric', key: 'm', comparator: 'LIKE', value: '1' },
      { type: 'metric', key: 'm', comparator: '>', value: 'abc' },
      { type: 'parameter', key: 'p', comparator: '>', value: 'x' },
      { type: 'parameter', key: 'p', comparator: '=', value: 3 },
      { type: 'attribute', key: 'lifecycle_stage', comparator: '=', value: 'x' },
      { type: 'attribute', key: 'run_name', comparator: 'IN', value: ['x'] },
      { type: 'attribute', key: 'run_id', comparator: 'IN', value: 'x' },
      { type: 'dataset', key: 'source', comparator: '=', value: 'x' },
      { type: 'bogus', key: 'k', comparator: '=', value: 'x' },
      { type: 'attribute', key: 'status', comparator: 'constructor', value: 'x' },
      { type: 'parameter', key: 'p', comparator: 'toString', value: 'x' },
    ];
    for (const clause of bad) {
      expect(() =>
        compileRunSearch({ clauses: [clause as never], orderBy: [], viewType: 'ALL' }),
      ).toThrow(MlflowError);
    }
    expect(() => compileRunSearch({ clauses: [], orderBy: [], viewType: 'BOGUS' as RunViewType })).toThrow(MlflowError);
  });
});
