// MLflow's search_runs filter / order_by grammar (MLFLOW.md section 2) and its offset page token.
//
// Pure: no I/O. Every rejection is an MlflowError with code INVALID_PARAMETER_VALUE (HTTP 400)
// and, where MLflow has one, MLflow's wording; no other error type escapes for any input.

import { invalidParam } from './errors';
import { Cursor, isGlued, isKeyword, tokenize, type Token } from './search-filter-tokens';

export type EntityType = 'metric' | 'parameter' | 'tag' | 'attribute' | 'dataset';
export type Comparator =
  | '>'
  | '>='
  | '='
  | '!='
  | '<'
  | '<='
  | 'LIKE'
  | 'ILIKE'
  | 'IN'
  | 'NOT IN'
  | 'IS NULL'
  | 'IS NOT NULL';

export interface FilterClause {
  type: EntityType;
  key: string;
  comparator: Comparator;
  /**
   * metric: the numeric literal as written ('0.5', '-2', '1e-3'), as MLflow's parser returns it;
   * start_time/end_time: a number; other strings: the unquoted string; IN lists: string[];
   * IS [NOT] NULL: null.
   */
  value: number | string | string[] | null;
}

export interface OrderByClause {
  type: Exclude<EntityType, 'dataset'>;
  key: string;
  ascending: boolean;
}

// Maps, not object literals: a key such as `constructor` or `__proto__` must not hit a prototype.
const ENTITIES: ReadonlyMap<string, EntityType> = new Map([
  ['metric', 'metric'],
  ['metrics', 'metric'],
  ['parameter', 'parameter'],
  ['parameters', 'parameter'],
  ['param', 'parameter'],
  ['params', 'parameter'],
  ['tag', 'tag'],
  ['tags', 'tag'],
  ['attribute', 'attribute'],
  ['attributes', 'attribute'],
  ['attr', 'attribute'],
  ['run', 'attribute'],
  ['dataset', 'dataset'],
  ['datasets', 'dataset'],
]);
const CANONICAL_ENTITIES = ['metric', 'parameter', 'tag', 'attribute', 'dataset'];

const STRING_ATTRIBUTES = new Set(['run_id', 'run_name', 'status', 'user_id', 'artifact_uri']);
const NUMERIC_ATTRIBUTES = new Set(['start_time', 'end_time']);
// MLflow's aliases are exact spellings, not case-insensitive: `CREATED` is rejected.
const ATTRIBUTE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['created', 'start_time'],
  ['Created', 'start_time'],
  ['run name', 'run_name'],
  ['Run name', 'run_name'],
  ['Run Name', 'run_name'],
]);
const ATTRIBUTE_KEYS = new Set([...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES, ...ATTRIBUTE_ALIASES.keys()]);
const DATASET_KEYS = new Set(['name', 'digest', 'context']);

const NUMERIC_COMPARATORS: readonly Comparator[] = ['>', '>=', '=', '!=', '<', '<='];
const PARAM_TAG_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE', 'IS NULL', 'IS NOT NULL'];
const STRING_ATTRIBUTE_COMPARATORS: readonly Comparator[] = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];
const DATASET_COMPARATORS = STRING_ATTRIBUTE_COMPARATORS;

/** Python-set-like rendering, as MLflow's messages print its sets. */
const pySet = (items: Iterable<string>): string => `{${[...items].map((s) => `'${s}'`).join(', ')}}`;

const identifierHelp =
  "Columns should be specified as 'attribute.<key>', 'metric.<key>', 'tag.<key>', 'dataset.<key>', or 'param.'.";

interface Identifier {
  type: EntityType;
  key: string;
  /** The key as written (before alias translation), for MLflow-like messages. */
  rawKey: string;
}

const NAME_KINDS = new Set(['word', 'dquoted', 'backtick']);

const invalidClauses = (text: string) => invalidParam(`Invalid clause(s) in filter string: '${text}'`);

/**
 * `<entity>.<key>` or a bare attribute key. Key parts may be quoted with backticks or double
 * quotes; unquoted dotted keys (`tags.mlflow.runName`) are joined, as sqlparse groups them.
 */
function parseIdentifier(cur: Cursor, validAttributes: ReadonlySet<string>): Identifier {
  const startIdx = cur.i;
  const parts: Token[] = [cur.next() as Token];
  while (cur.peek()?.kind === 'dot') {
    cur.next();
    const part = cur.peek();
    if (!part || !(NAME_KINDS.has(part.kind) || part.kind === 'number')) {
      throw invalidParam(`Invalid identifier '${cur.textFrom(startIdx)}'. ${identifierHelp}`);
    }
    parts.push(cur.next() as Token);
  }
  // `params.my-param`: a key with special characters glued on must be quoted (as in MLflow, where
  // sqlparse would read it as arithmetic). Name the whole glued run in the message.
  let glued = cur.i;
  while (isGlued(cur.toks[glued - 1], cur.toks[glued])) glued++;
  if (glued > cur.i) {
    throw invalidParam(
      `Invalid identifier '${cur.textFrom(startIdx, glued - 1)}'. ` +
        'Keys with special characters must be quoted with backticks or double quotes, e.g. params.`my-key`.',
    );
  }
  const written = cur.textFrom(startIdx);
  let type: EntityType;
  let keyParts: Token[];
  if (parts.length === 1) {
    type = 'attribute';
    keyParts = parts;
  } else {
    const head = parts[0];
    // MLflow strips backticks from the entity but not double quotes: `"metrics".m` is an error.
    const entityName = head.kind === 'backtick' ? head.value : head.raw;
    const entity = ENTITIES.get(entityName);
    if (!entity) {
      throw invalidParam(`Invalid entity type '${entityName}'. Valid values are ${JSON.stringify(CANONICAL_ENTITIES)}`);
    }
    type = entity;
    keyParts = parts.slice(1);
  }
  let rawKey: string;
  if (keyParts.length === 1) rawKey = keyParts[0].value;
  else if (keyParts.every((p) => p.kind === 'word' || p.kind === 'number')) rawKey = keyParts.map((p) => p.raw).join('.');
  else throw invalidParam(`Invalid identifier '${written}'. Quote the whole key: ${identifierHelp}`);
  if (rawKey === '') throw invalidParam(`Invalid identifier '${written}'. ${identifierHelp}`);

  if (type === 'attribute' && !validAttributes.has(rawKey)) {
    throw invalidParam(`Invalid attribute key '${rawKey}' specified. Valid keys are '${pySet([...validAttributes].sort())}'`);
  }
  if (type === 'dataset' && !DATASET_KEYS.has(rawKey)) {
    throw invalidParam(`Invalid dataset key '${rawKey}' specified. Valid keys are '${pySet([...DATASET_KEYS].sort())}'`);
  }
  const key = type === 'attribute' ? (ATTRIBUTE_ALIASES.get(rawKey) ?? rawKey) : rawKey;
  return { type, key, rawKey };
}

/** The comparator at the cursor, upper-cased, or null when there is none. */
function parseComparator(cur: Cursor): string | null {
  const t = cur.peek();
  if (!t) return null;
  if (t.kind === 'op') {
    cur.next();
    return t.raw;
  }
  if (isKeyword(t, 'like') || isKeyword(t, 'ilike') || isKeyword(t, 'in')) {
    cur.next();
    return t.value.toUpperCase();
  }
  if (isKeyword(t, 'not')) {
    const n = cur.peek(1);
    // sqlparse reads `NOT LIKE` as one comparator; MLflow then rejects it as unsupported.
    if (isKeyword(n, 'in') || isKeyword(n, 'like') || isKeyword(n, 'ilike')) {
      cur.i += 2;
      return `NOT ${(n as Token).value.toUpperCase()}`;
    }
    return null;
  }
  if (isKeyword(t, 'is')) {
    if (isKeyword(cur.peek(1), 'null')) {
      cur.i += 2;
      return 'IS NULL';
    }
    if (isKeyword(cur.peek(1), 'not') && isKeyword(cur.peek(2), 'null')) {
      cur.i += 3;
      return 'IS NOT NULL';
    }
  }
  return null;
}

function allowedComparators(id: Identifier): readonly Comparator[] {
  switch (id.type) {
    case 'metric':
      return NUMERIC_COMPARATORS;
    case 'parameter':
    case 'tag':
      return PARAM_TAG_COMPARATORS;
    case 'dataset':
      return DATASET_COMPARATORS;
    case 'attribute':
      return NUMERIC_ATTRIBUTES.has(id.key) ? NUMERIC_COMPARATORS : STRING_ATTRIBUTE_COMPARATORS;
  }
}

function parseStringList(cur: Cursor): string[] {
  const openIdx = cur.i;
  cur.next(); // '('
  const values: string[] = [];
  const illFormed = () =>
    invalidParam('While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.');
  if (cur.peek()?.kind === 'rparen') {
    throw invalidParam('While parsing a list in the query, expected a non-empty list of string values, but got empty list');
  }
  for (;;) {
    const t = cur.next();
    if (!t) throw illFormed();
    // Only single-quoted strings, as in MLflow: a double-quoted item is a name to sqlparse.
    if (t.kind !== 'string') {
      throw invalidParam(
        `While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: ${cur.groupText(openIdx)}`,
      );
    }
    values.push(t.value);
    const sep = cur.next();
    if (sep?.kind === 'rparen') return values;
    if (sep?.kind !== 'comma') throw illFormed();
    if (cur.peek()?.kind === 'rparen') {
      cur.next(); // a trailing comma, ('a',), is a valid Python tuple to MLflow
      return values;
    }
  }
}

function parseValue(cur: Cursor, id: Identifier, comparator: Comparator, clauseStart: number): FilterClause['value'] {
  if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') return null;
  const t = cur.peek();
  if (!t) throw invalidClauses(cur.textFrom(clauseStart));
  const isList = comparator === 'IN' || comparator === 'NOT IN';
  if (isList) {
    if (id.type === 'attribute' && id.key !== 'run_id') {
      throw invalidParam("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
    }
    if (t.kind !== 'lparen') throw invalidClauses(cur.textFrom(clauseStart, cur.i));
    const list = parseStringList(cur);
    // MLflow drops run ids containing upper-case letters (MySQL's IN ignores case and real run
    // ids are lower-case hex), so `run_id IN ('ABC')` matches nothing even on a case-sensitive store.
    return id.type === 'attribute' ? list.filter((v) => v === v.toLowerCase()) : list;
  }
  cur.next();
  const numericTarget = id.type === 'metric' || (id.type === 'attribute' && NUMERIC_ATTRIBUTES.has(id.key));
  if (numericTarget) {
    if (t.kind !== 'number') {
      const what = id.type === 'metric' ? 'metric' : `numeric attribute: ${id.rawKey}`;
      throw invalidParam(`Expected numeric value type for ${what}. Found ${cur.groupText(cur.i - 1)}`);
    }
    // Metric values stay the literal text, exactly as MLflow's parser returns them.
    return id.type === 'metric' ? t.raw : Number(t.raw);
  }
  if (t.kind === 'string' || t.kind === 'dquoted') return t.value;
  if (t.kind === 'word' || t.kind === 'backtick') {
    throw invalidParam(
      `Parameter value is either not quoted or unidentified quote types used for string value ${t.raw}. Use either single or double quotes.`,
    );
  }
  const what =
    id.type === 'attribute' ? 'attributes' : id.type === 'dataset' ? 'dataset attributes' : `${id.type} (e.g. 'my-value')`;
  throw invalidParam(`Expected a quoted string value for ${what}. Got value ${cur.groupText(cur.i - 1)}`);
}

function parseClause(cur: Cursor): FilterClause {
  const start = cur.i;
  const first = cur.peek() as Token;
  if (!NAME_KINDS.has(first.kind) || isKeyword(first, 'or') || isKeyword(first, 'not') || isKeyword(first, 'and')) {
    throw invalidClauses(cur.groupText(start));
  }
  const id = parseIdentifier(cur, ATTRIBUTE_KEYS);
  const rawComparator = parseComparator(cur);
  if (rawComparator === null) throw invalidClauses(cur.textFrom(start, cur.i));
  const allowed = allowedComparators(id);
  const comparator = allowed.find((c) => c === rawComparator);
  if (!comparator) {
    throw invalidParam(`Invalid comparator '${rawComparator}' not one of '${pySet(allowed)}'`);
  }
  const value = parseValue(cur, id, comparator, start);
  return { type: id.type, key: id.key, comparator, value };
}

/** Parses a search_runs `filter`; empty, blank or absent means no clauses. */
export function parseSearchFilter(filter: string | undefined): FilterClause[] {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== 'string') throw invalidParam(`Invalid filter: expected a string, got ${typeof filter}.`);
  const cur = new Cursor(filter, tokenize(filter, `filter string '${filter}'`));
  const clauses: FilterClause[] = [];
  while (!cur.atEnd()) {
    clauses.push(parseClause(cur));
    if (cur.atEnd()) break;
    const t = cur.peek() as Token;
    if (isKeyword(t, 'and')) {
      cur.next();
      if (cur.atEnd()) throw invalidParam(`Invalid filter string '${filter}': expected a clause after 'and'.`);
      continue;
    }
    if (t.kind === 'semicolon' && cur.toks.slice(cur.i).some((x) => x.kind !== 'semicolon')) {
      throw invalidParam(`Search filter contained multiple expression '${filter}'. Provide AND-ed expression list.`);
    }
    // OR, NOT, a parenthesised group, a second clause without AND, stray characters...
    throw invalidClauses(cur.groupText(cur.i));
  }
  return clauses;
}

// MLflow's order_by accepts `created` but not the `run name` aliases; taking them too costs nothing
// and spares a client a 400 for a spelling the filter grammar accepts.
const ORDER_BY_ATTRIBUTE_KEYS = ATTRIBUTE_KEYS;

function parseOneOrderBy(text: string): OrderByClause {
  const couldNotParse = () => invalidParam(`Invalid order_by clause '${text}'. Could not be parsed.`);
  const cur = new Cursor(text, tokenize(text, `order_by clause '${text}'`));
  const first = cur.peek();
  if (!first || !NAME_KINDS.has(first.kind)) throw couldNotParse();
  const id = parseIdentifier(cur, ORDER_BY_ATTRIBUTE_KEYS);
  let ascending = true;
  const dir = cur.next();
  if (dir) {
    if (dir.kind !== 'word') throw couldNotParse();
    const d = dir.value.toLowerCase();
    if (d !== 'asc' && d !== 'desc') throw invalidParam(`Invalid ordering key in order_by clause '${text}'.`);
    ascending = d === 'asc';
    if (!cur.atEnd()) throw couldNotParse();
  }
  if (id.type === 'dataset') throw invalidParam(`Invalid order_by entity type '${id.type}' in '${text}'.`);
  return { type: id.type, key: id.key, ascending };
}

/**
 * Parses search_runs `order_by` ("<entity>.<key> [ASC|DESC]"). A field named twice is a 400
 * here; MLflow answers 500 for it, which its client would retry for minutes.
 */
export function parseOrderBy(orderBy: readonly string[] | undefined): OrderByClause[] {
  if (orderBy === undefined || orderBy === null) return [];
  if (!Array.isArray(orderBy)) throw invalidParam('Invalid order_by: expected a list of strings.');
  const out: OrderByClause[] = [];
  const seen = new Set<string>();
  for (const item of orderBy as unknown[]) {
    if (typeof item !== 'string') throw invalidParam(`Invalid order_by clause: expected a string, got ${typeof item}.`);
    const clause = parseOneOrderBy(item);
    const id = `${clause.type}\u0000${clause.key}`;
    if (seen.has(id)) {
      const list = (orderBy as string[]).map((s) => `'${s}'`).join(', ');
      throw invalidParam(`\`order_by\` contains duplicate fields: [${list}]`);
    }
    seen.add(id);
    out.push(clause);
  }
  return out;
}

/** MLflow's page token: base64 of the JSON text `{"offset": N}` (json.dumps spacing). */
export function encodePageToken(offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    // Offsets come from our own arithmetic, never from a client: a bad one is a bug.
    throw new RangeError(`page offset must be a non-negative integer, got ${offset}`);
  }
  return Buffer.from(JSON.stringify({ offset }).replace(':', ': '), 'utf8').toString('base64');
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The offset in a page token; absent or empty means 0. */
export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === null || token === '') return 0;
  const bad = () => invalidParam('Invalid page token, could not base64-decode or parse it.');
  // Buffer.from(…, 'base64') silently skips junk, so the alphabet and padding are checked first.
  if (typeof token !== 'string' || !BASE64.test(token)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad();
  const raw = (parsed as Record<string, unknown>).offset;
  // Python's int() also takes a numeric string, so tokens from other servers may carry one.
  const offset = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw bad();
  return offset;
}
