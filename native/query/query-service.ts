// The filter language against a store: tokenize → probe the store for the words used → parse →
// resolve → compile → run. One instance per Core (it caches the vocabulary). Callers make metric
// summaries current first (`core.writer.syncSummaries()`): filters and the vocabulary read
// latest_metrics, which the write buffer fills lazily.
import type { QueryExplanation } from '../api/contract';
import { invalidParam } from '../mlflow/errors';
import { queryRows, type Database } from '../store/open-database';
import type { RunRow } from '../store/run-repository';
import type { Problem, Query, SortKey } from './ast';
import { compileQuery, type SelectOptions, type ViewFilter } from './compile-sql';
import { explanationOf, problemsMessage } from './explanation';
import { KeyIndex } from './key-matcher';
import { parse } from './parser';
import { resolve } from './resolver';
import type { Clock } from './time-ref';
import { tokenize } from './tokenizer';
import { FILLER, grammarWords } from './lexicon';
import { VocabularyStore } from './vocabulary-store';
import type { Vocabulary } from './vocabulary';

const GRAMMAR = new Set(grammarWords());

export interface Analysis {
  text: string;
  query: Query;
  problems: Problem[];
  vocab: Vocabulary;
  ok: boolean;
}

export interface RunOptions {
  clock: Clock;
  experimentIds?: readonly string[];
  view?: ViewFilter;
  maxRows: number;
  /** Sort keys after the query's own (MLflow `order_by` strings given to runs.list). */
  extraSort?: SortKey[];
}

export interface QueryRun {
  explanation: QueryExplanation;
  /** One list per compare group, or one list. */
  groups: RunRow[][];
}

export class QueryService {
  private readonly vocabulary: VocabularyStore;

  constructor(private readonly db: Database) {
    this.vocabulary = new VocabularyStore(db);
  }

  async analyze(text: string): Promise<Analysis> {
    // Only words the grammar does not know may be run-name text: probing "failed" or "runs" against
    // 100k names would cost a scan each and could only mislead.
    const words = tokenize(text)
      .filter((t) => (t.kind === 'word' && !GRAMMAR.has(t.value) && !FILLER.has(t.value)) || t.kind === 'string')
      .map((t) => t.value);
    const vocab = await this.vocabulary.load(words);
    const index = new KeyIndex(vocab);
    // Words the store uses as names are never read as filler or corrected into grammar words.
    const isStoreWord = (w: string): boolean => index.isKeyWord(w) || index.valueFields(w).length > 0;
    const raw = parse(text, { isStoreWord, isKeyName: (w) => index.isKeyWord(w), isKnownText: (w) => isStoreWord(w) || vocab.nameContains(w) });
    const { query, problems } = resolve(raw, vocab, text);
    return { text, query, problems, vocab, ok: !problems.some((p) => p.severity === 'error') };
  }

  explain(a: Analysis, options: RunOptions): QueryExplanation {
    const sql = a.ok ? compileQuery(a.query, options.clock, options) : [];
    return explanationOf(a.text, a.query, a.problems, a.vocab, sql);
  }

  /** Runs `text`; a query with errors is refused with them (and carets under the text) as the message. */
  async run(text: string, options: RunOptions, extraHint?: (e: QueryExplanation) => string): Promise<QueryRun> {
    const { explanation, ids } = await this.runIds(text, options, extraHint);
    const groups: RunRow[][] = [];
    for (const g of ids) groups.push(await this.rowsById(g));
    return { explanation, groups };
  }

  /**
   * Like `run`, but only the matching run ids per group: the runs table pages through 100k matches
   * and reads full rows for one window at a time (binding 100k ids into `IN (…)` costs seconds).
   */
  async runIds(text: string, options: RunOptions, extraHint?: (e: QueryExplanation) => string): Promise<{ explanation: QueryExplanation; ids: string[][] }> {
    const analysed = await this.analyze(text);
    const a = options.extraSort?.length ? { ...analysed, query: { ...analysed.query, sort: [...analysed.query.sort, ...options.extraSort] } } : analysed;
    const explanation = this.explain(a, options);
    if (!a.ok) {
      const errors = explanation.problems.filter((p) => p.severity === 'error');
      throw invalidParam(`cannot run this filter:\n${problemsMessage(text, errors)}${extraHint?.(explanation) ?? ''}`);
    }
    const ids: string[][] = [];
    for (const s of explanation.sql) ids.push((await queryRows<{ run_id: string }>(this.db.reader, s.sql, s.params)).map((r) => r.run_id));
    return { explanation, ids };
  }

  /** Full rows for `ids`, in the order given. */
  private async rowsById(ids: string[]): Promise<RunRow[]> {
    if (ids.length === 0) return [];
    const rows = await queryRows<RunRow>(this.db.reader, `SELECT * FROM runs WHERE run_id IN (${ids.map(() => '?').join(', ')})`, ids);
    const byId = new Map(rows.map((r) => [r.run_id, r]));
    return ids.map((id) => byId.get(id)!);
  }
}

export type { SelectOptions };
