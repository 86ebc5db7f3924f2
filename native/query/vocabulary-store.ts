// Loads the resolver's Vocabulary from the store. Reading every distinct key and low-cardinality
// value costs tens of milliseconds at 100k runs, so it is cached and reloaded only when a cheap
// fingerprint (row counts and the latest write times) changes; a new key always adds a row.
import { queryRows, type Database } from '../store/open-database';
import type { KeyInfo, Vocabulary } from './vocabulary';
import { KeyIndex } from './key-matcher';

/** Keys with more distinct values than this (seeds, paths, run names) list none. */
const MAX_LISTED_VALUES = 100;

// One UNION ALL of cheap aggregates: nine scalar subqueries in one SELECT plan ten times slower.
const FINGERPRINT_SQL = [
  'SELECT count(*) AS n FROM runs',
  'SELECT coalesce(max(last_activity), 0) FROM runs',
  'SELECT count(*) FROM params',
  'SELECT count(*) FROM tags',
  'SELECT count(*) FROM latest_metrics',
  'SELECT count(*) FROM run_inputs',
  'SELECT count(*) FROM environments',
  'SELECT count(*) FROM experiments',
  'SELECT coalesce(max(last_update_time), 0) FROM experiments',
].join(' UNION ALL ');

type Base = Omit<Vocabulary, 'nameContains'>;

async function keyInfos(db: Database, table: 'params' | 'tags'): Promise<KeyInfo[]> {
  const counts = await queryRows<{ key: string; n: number }>(db.reader, `SELECT key, count(DISTINCT value) AS n FROM ${table} GROUP BY key ORDER BY key`);
  const listed = counts.filter((c) => c.n <= MAX_LISTED_VALUES).map((c) => c.key);
  const values = new Map<string, string[]>();
  if (listed.length > 0) {
    const rows = await queryRows<{ key: string; value: string }>(
      db.reader,
      `SELECT DISTINCT key, value FROM ${table} WHERE key IN (${listed.map(() => '?').join(', ')}) ORDER BY key, value`,
      listed,
    );
    for (const r of rows) values.set(r.key, [...(values.get(r.key) ?? []), r.value]);
  }
  return counts.map((c) => ({ key: c.key, values: c.n <= MAX_LISTED_VALUES ? (values.get(c.key) ?? []) : null }));
}

/** GPU names from env snapshots: strings, or the `name` of objects, anywhere in the gpus JSON. */
function gpuNames(json: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const name = (v as Record<string, unknown>).name;
      if (typeof name === 'string') out.push(name);
    }
  };
  try {
    walk(JSON.parse(json));
  } catch {
    out.push(json);
  }
  return out;
}

async function loadBase(db: Database): Promise<Base> {
  const [metrics, params, tags, datasets, experiments, gpus] = await Promise.all([
    queryRows<{ key: string }>(db.reader, 'SELECT DISTINCT key FROM latest_metrics ORDER BY key'),
    keyInfos(db, 'params'),
    keyInfos(db, 'tags'),
    queryRows<{ name: string; digest: string }>(db.reader, 'SELECT DISTINCT name, digest FROM datasets ORDER BY name, digest'),
    queryRows<{ name: string }>(db.reader, 'SELECT name FROM experiments ORDER BY name'),
    queryRows<{ g: string }>(db.reader, 'SELECT DISTINCT CAST(gpus AS VARCHAR) AS g FROM environments WHERE gpus IS NOT NULL LIMIT 1000'),
  ]);
  const byName = new Map<string, string[]>();
  for (const d of datasets) byName.set(d.name, [...(byName.get(d.name) ?? []), d.digest]);
  return {
    metrics: metrics.map((m) => m.key),
    params,
    tags,
    datasets: [...byName].map(([name, digests]) => ({ name, digests })),
    experiments: experiments.map((e) => e.name),
    gpus: [...new Set(gpus.flatMap((g) => gpuNames(g.g)))].sort(),
  };
}

export class VocabularyStore {
  private cached: { fingerprint: string; base: Base } | null = null;

  constructor(private readonly db: Database) {}

  /**
   * The vocabulary, with run-name matches looked up for `words` (the query's free words) except
   * those that name keys or values: those never fall back to run-name text, and each probe scans
   * every run name.
   */
  async load(words: readonly string[] = []): Promise<Vocabulary> {
    const f = (await queryRows<{ n: number }>(this.db.reader, FINGERPRINT_SQL)).map((r) => r.n).join('/');
    if (this.cached?.fingerprint !== f) this.cached = { fingerprint: f, base: await loadBase(this.db) };
    const index = new KeyIndex({ ...this.cached.base, nameContains: () => false });
    const unknown = words.filter((w) => index.match([w]) === null && index.valueFields(w).length === 0);
    const probe = [...new Set(unknown.map((w) => w.toLowerCase()).filter((w) => w.length > 0))].slice(0, 64);
    const hits = new Set<string>();
    if (probe.length > 0) {
      const rows = await queryRows<{ w: string }>(
        this.db.reader,
        `SELECT DISTINCT v.w FROM (VALUES ${probe.map(() => '(?)').join(', ')}) v(w), runs r WHERE contains(lower(r.run_name), v.w)`,
        probe,
      );
      for (const r of rows) hits.add(r.w);
    }
    return { ...this.cached.base, nameContains: (w) => hits.has(w.toLowerCase()) };
  }
}
