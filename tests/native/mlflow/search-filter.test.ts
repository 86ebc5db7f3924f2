import { describe, expect, it } from 'vitest';

import { MlflowError } from '../../../native/mlflow/errors';
import {
  decodePageToken,
  encodePageToken,
  parseOrderBy,
  parseSearchFilter,
  type FilterClause,
  type OrderByClause,
} from '../../../native/mlflow/search-filter';

/** Runs `fn`, asserting it throws a 400 MlflowError; returns the message. */
function invalidMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MlflowError);
    const e = err as MlflowError;
    expect(e.code).toBe('INVALID_PARAMETER_VALUE');
    expect(e.status).toBe(400);
    return e.message;
  }
  throw new Error('expected an MlflowError, nothing was thrown');
}

const c = (type: FilterClause['type'], key: string, comparator: FilterClause['comparator'], value: FilterClause['value']) => ({
  type,
  key,
  comparator,
  value,
});

describe('parseSearchFilter: valid filters', () => {
  const cases: [string, FilterClause[]][] = [
    // MLFLOW.md section 2, the parsed example: exactly this list.
    [
      "metrics.m1 > 0.5 and params.p1 = 'x' and attributes.run_id IN ('abc','def') and tags.`a b` LIKE '%x%'",
      [
        c('metric', 'm1', '>', '0.5'),
        c('parameter', 'p1', '=', 'x'),
        c('attribute', 'run_id', 'IN', ['abc', 'def']),
        c('tag', 'a b', 'LIKE', '%x%'),
      ],
    ],
    // Other section-2 examples.
    ["tags.`mlflow.source.type` = 'LOCAL'", [c('tag', 'mlflow.source.type', '=', 'LOCAL')]],
    ['params."my-param" = \'a\'', [c('parameter', 'my-param', '=', 'a')]],
    ["datasets.context = 'training'", [c('dataset', 'context', '=', 'training')]],
    // Entity prefixes and aliases.
    ['metric.acc >= 0.94', [c('metric', 'acc', '>=', '0.94')]],
    ['metrics.acc>=100', [c('metric', 'acc', '>=', '100')]],
    ["param.p = 'v'", [c('parameter', 'p', '=', 'v')]],
    ["params.p = 'v'", [c('parameter', 'p', '=', 'v')]],
    ["parameter.p = 'v'", [c('parameter', 'p', '=', 'v')]],
    ["parameters.p = 'v'", [c('parameter', 'p', '=', 'v')]],
    ["tag.t != 'v'", [c('tag', 't', '!=', 'v')]],
    ["tags.t != 'v'", [c('tag', 't', '!=', 'v')]],
    ["attribute.status = 'FINISHED'", [c('attribute', 'status', '=', 'FINISHED')]],
    ["attributes.status = 'FINISHED'", [c('attribute', 'status', '=', 'FINISHED')]],
    ["attr.status = 'FINISHED'", [c('attribute', 'status', '=', 'FINISHED')]],
    ["run.status = 'FINISHED'", [c('attribute', 'status', '=', 'FINISHED')]],
    ["status = 'FINISHED'", [c('attribute', 'status', '=', 'FINISHED')]],
    ["dataset.name = 'd'", [c('dataset', 'name', '=', 'd')]],
    ["datasets.digest != 'abc'", [c('dataset', 'digest', '!=', 'abc')]],
    ['`metrics`.m < 1', [c('metric', 'm', '<', '1')]],
    // Attribute names and aliases; numeric attributes get numbers.
    ["attributes.run_id = 'abc'", [c('attribute', 'run_id', '=', 'abc')]],
    ["attributes.run_name = 'r'", [c('attribute', 'run_name', '=', 'r')]],
    ["attributes.user_id = 'u'", [c('attribute', 'user_id', '=', 'u')]],
    ["attributes.artifact_uri LIKE 'mlflow-artifacts:/%'", [c('attribute', 'artifact_uri', 'LIKE', 'mlflow-artifacts:/%')]],
    ['attributes.start_time >= 1700000000000', [c('attribute', 'start_time', '>=', 1700000000000)]],
    ['attributes.end_time < 5', [c('attribute', 'end_time', '<', 5)]],
    ['attributes.created > 10', [c('attribute', 'start_time', '>', 10)]],
    ['attributes.Created > 10', [c('attribute', 'start_time', '>', 10)]],
    ['created != 10', [c('attribute', 'start_time', '!=', 10)]],
    ["attributes.`run name` = 'r'", [c('attribute', 'run_name', '=', 'r')]],
    ["attributes.`Run name` = 'r'", [c('attribute', 'run_name', '=', 'r')]],
    ["attributes.`Run Name` = 'r'", [c('attribute', 'run_name', '=', 'r')]],
    ['`Run name` = "r"', [c('attribute', 'run_name', '=', 'r')]],
    ['"run name" = \'r\'', [c('attribute', 'run_name', '=', 'r')]],
    // Quoting styles for keys and values.
    ['tags."a b" = "c d"', [c('tag', 'a b', '=', 'c d')]],
    ["tags.`a.b-c/d:e` = 'v'", [c('tag', 'a.b-c/d:e', '=', 'v')]],
    ["tags.mlflow.runName = 'r'", [c('tag', 'mlflow.runName', '=', 'r')]],
    ['metrics.`a``b` > 1', [c('metric', 'a`b', '>', '1')]],
    ["params.p = ''", [c('parameter', 'p', '=', '')]],
    ['params.p = ""', [c('parameter', 'p', '=', '')]],
    ["params.p = 'it''s'", [c('parameter', 'p', '=', "it's")]],
    ['params.p = "say ""hi"""', [c('parameter', 'p', '=', 'say "hi"')]],
    ["params.p = 'a\\'b'", [c('parameter', 'p', '=', "a\\'b")]],
    ["params.p = 'has \"double\" inside'", [c('parameter', 'p', '=', 'has "double" inside')]],
    // Comparators: case-insensitive keywords.
    ["params.p like '%a'", [c('parameter', 'p', 'LIKE', '%a')]],
    ["params.p ILIKE '%A'", [c('parameter', 'p', 'ILIKE', '%A')]],
    ["tags.t iLike 'x'", [c('tag', 't', 'ILIKE', 'x')]],
    ['params.p IS NULL', [c('parameter', 'p', 'IS NULL', null)]],
    ['tags.t is not null', [c('tag', 't', 'IS NOT NULL', null)]],
    ["metrics.a > 1 AND params.p = 'x' aNd tags.t = 'y'", [c('metric', 'a', '>', '1'), c('parameter', 'p', '=', 'x'), c('tag', 't', '=', 'y')]],
    // Numbers.
    ['metrics.m = 1e-3', [c('metric', 'm', '=', '1e-3')]],
    ['metrics.m = 1E5', [c('metric', 'm', '=', '1E5')]],
    ['metrics.m > -2', [c('metric', 'm', '>', '-2')]],
    ['metrics.m>-2', [c('metric', 'm', '>', '-2')]],
    ['metrics.m > .5', [c('metric', 'm', '>', '.5')]],
    ['metrics.m > -.5', [c('metric', 'm', '>', '-.5')]],
    ['metrics.m > 1.', [c('metric', 'm', '>', '1.')]],
    ['metrics.m <= 2.5e+10', [c('metric', 'm', '<=', '2.5e+10')]],
    ['metrics.m != 0', [c('metric', 'm', '!=', '0')]],
    ['attributes.start_time > 1.5e3', [c('attribute', 'start_time', '>', 1500)]],
    // IN lists.
    ["attributes.run_id IN ('a')", [c('attribute', 'run_id', 'IN', ['a'])]],
    ["attributes.run_id in ( 'a' , 'b' )", [c('attribute', 'run_id', 'IN', ['a', 'b'])]],
    ["attributes.run_id NOT IN ('a', 'b')", [c('attribute', 'run_id', 'NOT IN', ['a', 'b'])]],
    ["run_id not in ('a','b',)", [c('attribute', 'run_id', 'NOT IN', ['a', 'b'])]],
    // Upper-case run ids are dropped, as MLflow does.
    ["attributes.run_id IN ('abc', 'ABC', '0123')", [c('attribute', 'run_id', 'IN', ['abc', '0123'])]],
    ["datasets.name IN ('Train', 'eval')", [c('dataset', 'name', 'IN', ['Train', 'eval'])]],
    ["datasets.digest NOT IN ('x')", [c('dataset', 'digest', 'NOT IN', ['x'])]],
    // Whitespace and unicode.
    ["\n\tmetrics.m\t>\n1   and\nparams.p='v'  ", [c('metric', 'm', '>', '1'), c('parameter', 'p', '=', 'v')]],
    ["params.température = 'élevée'", [c('parameter', 'température', '=', 'élevée')]],
    ["tags.`ключ 🔑` = '値 🚀'", [c('tag', 'ключ 🔑', '=', '値 🚀')]],
    ['metrics.损失 < 0.1', [c('metric', '损失', '<', '0.1')]],
    // Words that are SQL keywords elsewhere are plain keys after a dot.
    ["params.and = 'x'", [c('parameter', 'and', '=', 'x')]],
    ["tags.select = 'x'", [c('tag', 'select', '=', 'x')]],
    ['metrics.timestamp > 0', [c('metric', 'timestamp', '>', '0')]],
    ['metrics.10k > 0', [c('metric', '10k', '>', '0')]],
    ['metrics.5 > 0', [c('metric', '5', '>', '0')]],
    // Injection-looking text is just a value.
    ["params.p = 'x'' OR 1=1 --'", [c('parameter', 'p', '=', "x' OR 1=1 --")]],
    ["params.p = 'x; DROP TABLE runs; --'", [c('parameter', 'p', '=', 'x; DROP TABLE runs; --')]],
    ["tags.`x'') OR (1=1` = 'y'", [c('tag', "x'') OR (1=1", '=', 'y')]],
    ["params.p = 'a and b or c'", [c('parameter', 'p', '=', 'a and b or c')]],
  ];
  it.each(cases)('%s', (filter, expected) => {
    expect(parseSearchFilter(filter)).toEqual(expected);
  });

  it.each([undefined, '', ' ', '\n\t  '])('empty filter %j gives no clauses', (filter) => {
    expect(parseSearchFilter(filter)).toEqual([]);
  });
});

describe('parseSearchFilter: errors', () => {
  const cases: [string, string | RegExp][] = [
    // Verified MLflow messages (MLFLOW.md section 2).
    ["metrics.m > 'a'", "Expected numeric value type for metric. Found 'a'"],
    [
      'params.p = a',
      'Parameter value is either not quoted or unidentified quote types used for string value a. Use either single or double quotes.',
    ],
    ["metrics.a > 1 or params.p = 'x'", "Invalid clause(s) in filter string: 'or'"],
    ["metrics.a > 1 OR metrics.b < 2", "Invalid clause(s) in filter string: 'OR'"],
    ['not metrics.a > 1', "Invalid clause(s) in filter string: 'not'"],
    ['(metrics.a > 1)', "Invalid clause(s) in filter string: '(metrics.a > 1)'"],
    ["metrics.a > 1 and (params.p = 'x' or params.p = 'y')", /^Invalid clause\(s\) in filter string: '\(params/],
    ['metrics.a > 1; metrics.b > 2', /^Search filter contained multiple expression/],
    ['metrics.a > 1;', "Invalid clause(s) in filter string: ';'"],
    ['metrics.a > 1 metrics.b > 2', "Invalid clause(s) in filter string: 'metrics'"],
    ['metrics.a > 1 and', /expected a clause after 'and'/],
    ['and metrics.a > 1', "Invalid clause(s) in filter string: 'and'"],
    ['metrics.a > 1 -- comment', "Invalid clause(s) in filter string: '-'"],
    // Values of the wrong kind.
    ['metrics.m > "a"', 'Expected numeric value type for metric. Found "a"'],
    ['metrics.m > abc', 'Expected numeric value type for metric. Found abc'],
    ['metrics.m > 0x1F', 'Expected numeric value type for metric. Found 0x1F'],
    ["attributes.start_time > 'a'", "Expected numeric value type for numeric attribute: start_time. Found 'a'"],
    ['attributes.created > x', 'Expected numeric value type for numeric attribute: created. Found x'],
    ['params.p = 1', "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1"],
    ['tags.t = 1', "Expected a quoted string value for tag (e.g. 'my-value'). Got value 1"],
    ['tags.t = `x`', /^Parameter value is either not quoted .* string value `x`/],
    ['attributes.status = 3', 'Expected a quoted string value for attributes. Got value 3'],
    ['attributes.status = FINISHED', /^Parameter value is either not quoted/],
    ['datasets.name = 3', 'Expected a quoted string value for dataset attributes. Got value 3'],
    ["attributes.run_id = ('a')", "Expected a quoted string value for attributes. Got value ('a')"],
    // Keys.
    ["attributes.foo = 'x'", /^Invalid attribute key 'foo' specified\. Valid keys are '\{'Created', .*'user_id'\}'$/],
    ["foo = 'x'", /^Invalid attribute key 'foo' specified/],
    ["attributes.lifecycle_stage = 'active'", /^Invalid attribute key 'lifecycle_stage'/],
    ['attributes.CREATED > 1', /^Invalid attribute key 'CREATED'/],
    ["datasets.source = 'x'", /^Invalid dataset key 'source' specified\. Valid keys are '\{'context', 'digest', 'name'\}'$/],
    ["metricz.m > 1", /^Invalid entity type 'metricz'\. Valid values are/],
    ['METRICS.m > 1', /^Invalid entity type 'METRICS'/],
    ['"metrics".m > 1', /^Invalid entity type '"metrics"'/],
    ["constructor.x = 'a'", /^Invalid entity type 'constructor'/],
    ["__proto__.x = 'a'", /^Invalid entity type '__proto__'/],
    ["attributes.__proto__ = 'a'", /^Invalid attribute key '__proto__'/],
    ['metrics. > 1', /^Invalid identifier 'metrics\.'/],
    ['metrics.', /^Invalid identifier 'metrics\.'/],
    ['metrics.`` > 1', /^Invalid identifier/],
    ['tags."a".b = \'x\'', /^Invalid identifier/],
    ["params.my-param = 'x'", /^Invalid identifier 'params\.my-param'\. Keys with special characters must be quoted/],
    ["params.a:b = 'x'", /^Invalid identifier 'params\.a:b'/],
    ['metrics.m-2 > 1', /^Invalid identifier 'metrics\.m-2'/],
    ["tags.\"a\"b = 'x'", /^Invalid identifier 'tags\."a"b'/],
    // Comparators per entity.
    ["metrics.m LIKE '1'", /^Invalid comparator 'LIKE' not one of '\{'>', '>=', '=', '!=', '<', '<='\}'$/],
    ['metrics.m IS NULL', /^Invalid comparator 'IS NULL'/],
    ["params.p > 'a'", /^Invalid comparator '>' not one of '\{'=', '!=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'\}'$/],
    ["params.p IN ('a')", /^Invalid comparator 'IN'/],
    ["tags.t NOT LIKE 'a'", /^Invalid comparator 'NOT LIKE'/],
    ["attributes.status < 'a'", /^Invalid comparator '<'/],
    ['attributes.status IS NULL', /^Invalid comparator 'IS NULL'/],
    ["attributes.start_time LIKE '1'", /^Invalid comparator 'LIKE'/],
    ['attributes.start_time IN (1)', /^Invalid comparator 'IN'/],
    ["datasets.name > 'a'", /^Invalid comparator '>'/],
    ['metrics.m == 1', /^Invalid comparator '=='/],
    ["params.p <> 'a'", /^Invalid comparator '<>'/],
    ["params.p ~ 'a'", /^Invalid comparator '~'/],
    ["params.p IS 'a'", "Invalid clause(s) in filter string: 'params.p IS'"],
    ['metrics.m', "Invalid clause(s) in filter string: 'metrics.m'"],
    ['metrics.m >', "Invalid clause(s) in filter string: 'metrics.m >'"],
    ["params.p 'x'", "Invalid clause(s) in filter string: 'params.p 'x''"],
    // Lists.
    ["attributes.run_name IN ('a')", "Only the 'run_id' attribute supports comparison with a list of quoted string values."],
    ['attributes.run_id IN ()', /got empty list$/],
    ['attributes.run_id IN ("a")', /but got different type in list: \("a"\)$/],
    ["attributes.run_id IN ('a', 1)", /but got different type in list/],
    ["attributes.run_id IN ('a' 'b')", /got ill-formed list\.$/],
    ["attributes.run_id IN ('a',", /got ill-formed list\.$/],
    ["attributes.run_id IN 'a'", "Invalid clause(s) in filter string: 'attributes.run_id IN 'a''"],
    // Quotes.
    ["params.p = 'abc", /^Invalid filter string .*unterminated single quote starting at character 12\.$/],
    ['params.p = "abc', /unterminated double quote/],
    ['tags.`abc = 1', /unterminated backtick quote/],
    ["params.p = 'abc\\'", /unterminated single quote/],
    ["'", /unterminated single quote/],
    // Other garbage.
    ["''", "Invalid clause(s) in filter string: ''''"],
    ['1 = 1', "Invalid clause(s) in filter string: '1'"],
    ['*', "Invalid clause(s) in filter string: '*'"],
    [')', "Invalid clause(s) in filter string: ')'"],
    ['.', "Invalid clause(s) in filter string: '.'"],
    ['🚀', "Invalid clause(s) in filter string: '🚀'"],
    ['metrics.m > 1 🚀', "Invalid clause(s) in filter string: '🚀'"],
    ["params.p = 'x' OR 1=1 --", "Invalid clause(s) in filter string: 'OR'"],
    ["params.p = 'x'; DROP TABLE runs; --", /^Search filter contained multiple expression/],
    ["params.p = 'x' UNION SELECT 1", "Invalid clause(s) in filter string: 'UNION'"],
  ];
  it.each(cases)('%s', (filter, expected) => {
    const msg = invalidMessage(() => parseSearchFilter(filter));
    if (typeof expected === 'string') expect(msg).toBe(expected);
    else expect(msg).toMatch(expected);
  });

  it('rejects a non-string filter with a 400, not a TypeError', () => {
    invalidMessage(() => parseSearchFilter(42 as unknown as string));
    invalidMessage(() => parseSearchFilter({} as unknown as string));
    expect(parseSearchFilter(null as unknown as string)).toEqual([]);
  });
});

describe('parseSearchFilter: fuzz-ish inputs never throw anything but a 400', () => {
  const atoms = [
    'metrics', 'params', 'tags', 'attributes', 'datasets', '.', 'm', '`a b`', '"q"', "'s'", "''", "'",
    '"', '`', '(', ')', ',', ';', '=', '!=', '>', '<=', 'LIKE', 'IN', 'NOT', 'IS', 'NULL', 'and', 'or',
    '1', '-2', '.5', '1e-3', '0x1', ' ', '\\', '🚀', 'é', 'run_id', 'start_time', 'created', '--', '/*',
    '__proto__', 'constructor', '\u0000', '\u200b',
  ];
  // Deterministic pseudo-random sequences (LCG) so a failure reproduces.
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const inputs: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const len = 1 + rnd(9);
    let s = '';
    for (let j = 0; j < len; j++) s += atoms[rnd(atoms.length)] + (rnd(2) ? ' ' : '');
    inputs.push(s);
  }
  it('3000 random token soups', () => {
    for (const s of inputs) {
      try {
        const out = parseSearchFilter(s);
        expect(Array.isArray(out)).toBe(true);
      } catch (err) {
        if (!(err instanceof MlflowError) || err.code !== 'INVALID_PARAMETER_VALUE') {
          throw new Error(`input ${JSON.stringify(s)} threw ${String(err)}`);
        }
      }
      try {
        parseOrderBy([s]);
      } catch (err) {
        if (!(err instanceof MlflowError) || err.code !== 'INVALID_PARAMETER_VALUE') {
          throw new Error(`order_by ${JSON.stringify(s)} threw ${String(err)}`);
        }
      }
    }
  });

  it('a very long filter parses in linear time', () => {
    const filter = Array.from({ length: 5000 }, (_, i) => `metrics.m${i} > ${i}`).join(' and ');
    const t0 = performance.now();
    expect(parseSearchFilter(filter)).toHaveLength(5000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('parseOrderBy', () => {
  const o = (type: OrderByClause['type'], key: string, ascending: boolean): OrderByClause => ({ type, key, ascending });
  const cases: [string[], OrderByClause[]][] = [
    [['metrics.loss ASC', 'attributes.start_time DESC'], [o('metric', 'loss', true), o('attribute', 'start_time', false)]],
    [['metrics.loss'], [o('metric', 'loss', true)]],
    [['metric.loss desc'], [o('metric', 'loss', false)]],
    [['params.lr Desc'], [o('parameter', 'lr', false)]],
    [['param.lr'], [o('parameter', 'lr', true)]],
    [['parameters.lr asc'], [o('parameter', 'lr', true)]],
    [['tags.`mlflow.runName` DESC'], [o('tag', 'mlflow.runName', false)]],
    [['tags."a b"'], [o('tag', 'a b', true)]],
    [['tags.mlflow.user'], [o('tag', 'mlflow.user', true)]],
    [['start_time'], [o('attribute', 'start_time', true)]],
    [['attr.end_time DESC'], [o('attribute', 'end_time', false)]],
    [['run.run_name'], [o('attribute', 'run_name', true)]],
    [['attributes.created DESC'], [o('attribute', 'start_time', false)]],
    [['Created'], [o('attribute', 'start_time', true)]],
    [['attributes.`Run name`'], [o('attribute', 'run_name', true)]],
    [['status', 'user_id', 'artifact_uri', 'run_id'], [o('attribute', 'status', true), o('attribute', 'user_id', true), o('attribute', 'artifact_uri', true), o('attribute', 'run_id', true)]],
    [['  metrics.`a b`   DESC  '], [o('metric', 'a b', false)]],
    [['metrics.loss', 'params.loss', 'tags.loss'], [o('metric', 'loss', true), o('parameter', 'loss', true), o('tag', 'loss', true)]],
    [[], []],
  ];
  it.each(cases)('%j', (orderBy, expected) => {
    expect(parseOrderBy(orderBy)).toEqual(expected);
  });

  it('undefined means no ordering', () => {
    expect(parseOrderBy(undefined)).toEqual([]);
  });

  const errors: [unknown, string | RegExp][] = [
    [['metrics.loss ASC', 'metrics.loss DESC'], "`order_by` contains duplicate fields: ['metrics.loss ASC', 'metrics.loss DESC']"],
    [['attributes.start_time', 'created DESC'], /^`order_by` contains duplicate fields/],
    [['metrics.loss UP'], "Invalid ordering key in order_by clause 'metrics.loss UP'."],
    [['metrics.loss ASC DESC'], "Invalid order_by clause 'metrics.loss ASC DESC'. Could not be parsed."],
    [['metrics.loss, params.x'], "Invalid order_by clause 'metrics.loss, params.x'. Could not be parsed."],
    [[''], "Invalid order_by clause ''. Could not be parsed."],
    [['   '], "Invalid order_by clause '   '. Could not be parsed."],
    [['ASC'], /^Invalid attribute key 'ASC' specified/],
    [['1'], "Invalid order_by clause '1'. Could not be parsed."],
    [['metrics.loss > 1'], "Invalid order_by clause 'metrics.loss > 1'. Could not be parsed."],
    [['attributes.foo'], /^Invalid attribute key 'foo' specified/],
    [['attributes.lifecycle_stage'], /^Invalid attribute key 'lifecycle_stage'/],
    [['datasets.name'], /^Invalid order_by entity type 'dataset'/],
    [['metricz.loss'], /^Invalid entity type 'metricz'/],
    [['metrics.`loss'], /unterminated backtick quote/],
    [['metrics.'], /^Invalid identifier 'metrics\.'/],
    [[42], /expected a string, got number/],
    ['metrics.loss', 'Invalid order_by: expected a list of strings.'],
  ];
  it.each(errors)('%j → 400', (orderBy, expected) => {
    const msg = invalidMessage(() => parseOrderBy(orderBy as string[]));
    if (typeof expected === 'string') expect(msg).toBe(expected);
    else expect(msg).toMatch(expected);
  });
});

describe('page tokens', () => {
  it.each([
    [0, 'eyJvZmZzZXQiOiAwfQ=='],
    [1000, 'eyJvZmZzZXQiOiAxMDAwfQ=='], // MLflow's own token for offset 1000 (MLFLOW.md)
    [25000, 'eyJvZmZzZXQiOiAyNTAwMH0='],
  ])('encodes %i exactly like MLflow', (offset, token) => {
    expect(encodePageToken(offset)).toBe(token);
    expect(decodePageToken(token)).toBe(offset);
  });

  it.each([7, 50_000, 123_456_789, Number.MAX_SAFE_INTEGER])('round-trips %i', (offset) => {
    expect(decodePageToken(encodePageToken(offset))).toBe(offset);
  });

  it('absent or empty token means offset 0', () => {
    expect(decodePageToken(undefined)).toBe(0);
    expect(decodePageToken('')).toBe(0);
  });

  it('accepts a numeric-string offset and compact JSON (other servers)', () => {
    expect(decodePageToken(Buffer.from('{"offset":"12"}').toString('base64'))).toBe(12);
    expect(decodePageToken(Buffer.from('{"offset":12}').toString('base64'))).toBe(12);
  });

  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it.each([
    ['not base64!'],
    ['eyJvZmZzZXQiOiAxMDAwfQ'], // padding stripped
    ['eyJvZmZzZXQiOiAxMDAwfQ==='],
    ['abc'],
    ['@@@@'],
    [b64('not json')],
    [b64('[1]')],
    [b64('null')],
    [b64('5')],
    [b64('{}')],
    [b64('{"offset": -1}')],
    [b64('{"offset": 1.5}')],
    [b64('{"offset": "x"}')],
    [b64('{"offset": "-3"}')],
    [b64('{"offset": 1e300}')],
    [b64('{"offset": null}')],
    [b64('{"__proto__": {"offset": 3}}')],
  ])('rejects %j with a 400', (token) => {
    expect(invalidMessage(() => decodePageToken(token))).toBe('Invalid page token, could not base64-decode or parse it.');
  });

  it('rejects a non-string token with a 400', () => {
    invalidMessage(() => decodePageToken(5 as unknown as string));
  });

  it('refuses to encode a bad offset (a programming error, not a client one)', () => {
    expect(() => encodePageToken(-1)).toThrow(RangeError);
    expect(() => encodePageToken(1.5)).toThrow(RangeError);
  });
});
