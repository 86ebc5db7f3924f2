// The grammar's words: synonyms for operators, statuses, superlatives and time, plus the filler words
// people type around them ("show me the runs that…"). Multi-word phrases are arrays, matched longest
// first. Everything is lower case; the tokenizer lower-cases words before they are compared.
import type { CmpOp, MetricAgg } from './ast';

export type Phrase = readonly string[];

const p = (...words: string[]): Phrase => words;

export const CMP_PHRASES: readonly (readonly [Phrase, CmpOp])[] = [
  [p('greater', 'than', 'or', 'equal', 'to'), '>='],
  [p('more', 'than', 'or', 'equal', 'to'), '>='],
  [p('less', 'than', 'or', 'equal', 'to'), '<='],
  [p('no', 'less', 'than'), '>='],
  [p('not', 'less', 'than'), '>='],
  [p('no', 'more', 'than'), '<='],
  [p('not', 'more', 'than'), '<='],
  [p('not', 'equal', 'to'), '!='],
  [p('greater', 'than'), '>'],
  [p('more', 'than'), '>'],
  [p('higher', 'than'), '>'],
  [p('larger', 'than'), '>'],
  [p('bigger', 'than'), '>'],
  [p('less', 'than'), '<'],
  [p('lower', 'than'), '<'],
  [p('smaller', 'than'), '<'],
  [p('fewer', 'than'), '<'],
  [p('at', 'least'), '>='],
  [p('at', 'most'), '<='],
  [p('up', 'to'), '<='],
  [p('equal', 'to'), '='],
  [p('set', 'to'), '='],
  [p('other', 'than'), '!='],
  [p('is', 'not'), '!='],
  [p("isn't"), '!='],
  [p('above'), '>'],
  [p('over'), '>'],
  [p('exceeds'), '>'],
  [p('exceeding'), '>'],
  [p('under'), '<'],
  [p('below'), '<'],
  [p('beneath'), '<'],
  [p('equals'), '='],
  [p('is'), '='],
  [p('of'), '='],
  [p('not'), '!='],
];

/** `>=` and friends written as symbols; `:` reads as `=` (`team:risk`). */
export const SYMBOL_OPS: ReadonlyMap<string, CmpOp> = new Map([
  ['>', '>'],
  ['>=', '>='],
  ['≥', '>='],
  ['<', '<'],
  ['<=', '<='],
  ['≤', '<='],
  ['=', '='],
  ['==', '='],
  [':', '='],
  ['!=', '!='],
  ['<>', '!='],
  ['≠', '!='],
]);

export const MATCH_PHRASES: readonly (readonly [Phrase, 'like' | 'ilike' | 'contains' | 'starts'])[] = [
  [p('starts', 'with'), 'starts'],
  [p('starting', 'with'), 'starts'],
  [p('begins', 'with'), 'starts'],
  [p('like'), 'like'],
  [p('ilike'), 'ilike'],
  [p('contains'), 'contains'],
  [p('containing'), 'contains'],
  [p('matches'), 'contains'],
  [p('matching'), 'contains'],
];

export const NULL_PHRASES: readonly (readonly [Phrase, 'null' | 'not null'])[] = [
  [p('is', 'not', 'null'), 'not null'],
  [p('is', 'not', 'set'), 'null'],
  [p('is', 'null'), 'null'],
  [p('is', 'missing'), 'null'],
  [p('is', 'set'), 'not null'],
  [p('is', 'present'), 'not null'],
  [p('exists'), 'not null'],
  [p('missing'), 'null'],
];

export const NAN_WORDS = new Set(['nan', 'nans']);
export const INF_WORDS = new Set(['inf', 'infs', 'infinity', 'infinite', 'infinities']);
/** Words that may stand between a key and `nan`/`inf`: `val_loss ever nan`, `loss went inf`. */
export const EVER_WORDS = new Set(['ever', 'any', 'has', 'had', 'went', 'became', 'got', 'hit', 'is', 'with']);
export const NEVER_WORDS = new Set(['never', 'no']);

export const AGG_WORDS: ReadonlyMap<string, MetricAgg> = new Map([
  ['min', 'min'],
  ['minimum', 'min'],
  ['max', 'max'],
  ['maximum', 'max'],
  ['peak', 'max'],
  ['first', 'first'],
  ['initial', 'first'],
  ['last', 'last'],
  ['final', 'last'],
  ['latest', 'last'],
  ['lowest', 'min'],
  ['highest', 'max'],
]);
export const AGG_FUNCTIONS = new Set<string>(['last', 'min', 'max', 'first', 'count', 'nan_count', 'inf_count']);

/** Superlatives: `desc`/`asc` are literal, `best`/`worst` follow the metric's direction. */
export const SUPERLATIVES: ReadonlyMap<string, 'asc' | 'desc' | 'best' | 'worst'> = new Map([
  ['highest', 'desc'],
  ['largest', 'desc'],
  ['biggest', 'desc'],
  ['greatest', 'desc'],
  ['max', 'desc'],
  ['maximum', 'desc'],
  ['most', 'desc'],
  ['lowest', 'asc'],
  ['smallest', 'asc'],
  ['least', 'asc'],
  ['fewest', 'asc'],
  ['min', 'asc'],
  ['minimum', 'asc'],
  ['fastest', 'asc'],
  ['quickest', 'asc'],
  ['slowest', 'desc'],
  ['best', 'best'],
  ['top', 'best'],
  ['worst', 'worst'],
  ['bottom', 'worst'],
]);

export const ORDER_PHRASES: readonly Phrase[] = [
  p('order', 'by'),
  p('ordered', 'by'),
  p('sort', 'by'),
  p('sorted', 'by'),
  p('rank', 'by'),
  p('ranked', 'by'),
];
export const DIRECTION_PHRASES: readonly (readonly [Phrase, 'asc' | 'desc' | 'best' | 'worst'])[] = [
  [p('highest', 'first'), 'desc'],
  [p('lowest', 'first'), 'asc'],
  [p('largest', 'first'), 'desc'],
  [p('smallest', 'first'), 'asc'],
  [p('best', 'first'), 'best'],
  [p('worst', 'first'), 'worst'],
  [p('descending'), 'desc'],
  [p('desc'), 'desc'],
  [p('decreasing'), 'desc'],
  [p('ascending'), 'asc'],
  [p('asc'), 'asc'],
  [p('increasing'), 'asc'],
];
/** Start-time orderings that need no key: `newest`, `oldest first`, `most recent`. */
export const RECENCY: readonly (readonly [Phrase, 'asc' | 'desc'])[] = [
  [p('most', 'recent'), 'desc'],
  [p('newest'), 'desc'],
  [p('latest'), 'desc'],
  [p('recent'), 'desc'],
  [p('oldest'), 'asc'],
  [p('earliest'), 'asc'],
];

export const STATUS_WORDS: ReadonlyMap<string, string> = new Map([
  ['failed', 'FAILED'],
  ['failing', 'FAILED'],
  ['failure', 'FAILED'],
  ['failures', 'FAILED'],
  ['errored', 'FAILED'],
  ['running', 'RUNNING'],
  ['ongoing', 'RUNNING'],
  ['finished', 'FINISHED'],
  ['completed', 'FINISHED'],
  ['complete', 'FINISHED'],
  ['done', 'FINISHED'],
  ['succeeded', 'FINISHED'],
  ['successful', 'FINISHED'],
  ['interrupted', 'INTERRUPTED'],
  ['stalled', 'INTERRUPTED'],
  ['orphaned', 'INTERRUPTED'],
  ['died', 'INTERRUPTED'],
  ['crashed', 'INTERRUPTED'],
  ['killed', 'KILLED'],
  ['cancelled', 'KILLED'],
  ['canceled', 'KILLED'],
  ['stopped', 'KILLED'],
  ['aborted', 'KILLED'],
  ['scheduled', 'SCHEDULED'],
  ['queued', 'SCHEDULED'],
]);
export const DISPLAY_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED', 'INTERRUPTED'];
export const DELETED_WORDS = new Set(['deleted', 'trashed', 'removed']);
export const DIRTY_WORDS = new Set(['dirty', 'uncommitted', 'modified']);
export const CLEAN_WORDS = new Set(['clean']);
export const CHANGED_WORDS = new Set(['changed', 'drifted', 'modified']);
export const DATASET_WORDS = new Set(['dataset', 'data', 'datasets']);
export const TAGGED_WORDS = new Set(['tagged', 'labelled', 'labeled']);

export const TIME_UNITS: ReadonlyMap<string, { unit: 'm' | 'h' | 'd'; times: number }> = new Map([
  ['minute', { unit: 'm', times: 1 }],
  ['minutes', { unit: 'm', times: 1 }],
  ['min', { unit: 'm', times: 1 }],
  ['mins', { unit: 'm', times: 1 }],
  ['hour', { unit: 'h', times: 1 }],
  ['hours', { unit: 'h', times: 1 }],
  ['hr', { unit: 'h', times: 1 }],
  ['hrs', { unit: 'h', times: 1 }],
  ['day', { unit: 'd', times: 1 }],
  ['days', { unit: 'd', times: 1 }],
  ['week', { unit: 'd', times: 7 }],
  ['weeks', { unit: 'd', times: 7 }],
  ['month', { unit: 'd', times: 30 }],
  ['months', { unit: 'd', times: 30 }],
  ['year', { unit: 'd', times: 365 }],
  ['years', { unit: 'd', times: 365 }],
]);
export const RELATIVE_WORDS = new Set(['last', 'past', 'previous', 'recent']);

export const AND_WORDS = new Set(['and', 'with', 'where', 'having', 'but', 'also', 'while', 'whose', 'that', 'which']);
export const OR_WORDS = new Set(['or', 'either']);
export const NOT_WORDS = new Set(['not', 'without', 'excluding', 'except', 'non']);
export const COMPARE_WORDS = new Set(['compare', 'comparing']);
export const VERSUS_WORDS = new Set(['vs', 'versus', 'against']);
export const BOOL_WORDS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['yes', true],
  ['no', false],
]);

/** Words that carry no meaning here; they are read and set aside, never reported as unplaced. */
export const FILLER = new Set([
  'run', 'runs', 'the', 'a', 'an', 'all', 'show', 'me', 'find', 'list', 'get', 'give', 'display', 'please',
  'were', 'was', 'are', 'have', 'did', 'do', 'does', 'i', 'want', 'only', 'just', 'code', 'ones', 'one',
  'experiment-runs', 'results', 'models', 'trainings', 'training', 'jobs', 'job', 'for', 'from', 'at', 'to',
  'its', 'their', 'value', 'values', 'who', 'got', 'been', 'be', 'changes', 'version', 'what', 'how',
]);

/** Every single word the grammar knows, for "did you mean" corrections of misspelt grammar words. */
export function grammarWords(): string[] {
  const out = new Set<string>();
  const add = (phrase: Phrase): void => phrase.forEach((w) => out.add(w));
  for (const [ph] of CMP_PHRASES) add(ph);
  for (const [ph] of MATCH_PHRASES) add(ph);
  for (const [ph] of NULL_PHRASES) add(ph);
  for (const ph of ORDER_PHRASES) add(ph);
  for (const [ph] of DIRECTION_PHRASES) add(ph);
  for (const [ph] of RECENCY) add(ph);
  for (const set of [NAN_WORDS, INF_WORDS, EVER_WORDS, NEVER_WORDS, DELETED_WORDS, DIRTY_WORDS, CLEAN_WORDS, CHANGED_WORDS, DATASET_WORDS, TAGGED_WORDS, RELATIVE_WORDS, AND_WORDS, OR_WORDS, NOT_WORDS, COMPARE_WORDS, VERSUS_WORDS]) {
    for (const w of set) out.add(w);
  }
  for (const map of [AGG_WORDS, SUPERLATIVES, STATUS_WORDS, TIME_UNITS, BOOL_WORDS]) for (const w of map.keys()) out.add(w);
  for (const w of ['today', 'yesterday', 'since', 'before', 'after', 'until', 'between', 'within', 'ago', 'limit', 'on', 'in', 'by', 'tag', 'tags', 'started', 'ended', 'now']) out.add(w);
  return [...out];
}
