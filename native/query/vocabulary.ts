// What the store holds, as the resolver needs it: the keys that exist, the values of keys that have
// few of them, dataset and experiment names. Plain data, so the resolver stays a pure function and
// tests can hand-build one; `vocabulary-store.ts` loads it from DuckDB.

export interface KeyInfo {
  key: string;
  /** Distinct values, when there are few enough to list; null for keys like seeds or paths. */
  values: readonly string[] | null;
}

export interface Vocabulary {
  metrics: readonly string[];
  params: readonly KeyInfo[];
  tags: readonly KeyInfo[];
  datasets: readonly { name: string; digests: readonly string[] }[];
  experiments: readonly string[];
  /** GPU names seen in environment snapshots (empty until env snapshots are recorded). */
  gpus: readonly string[];
  /** Whether some run's name contains `word` (case-insensitive): free text matches run names. */
  nameContains: (word: string) => boolean;
}

export const EMPTY_VOCABULARY: Vocabulary = {
  metrics: [],
  params: [],
  tags: [],
  datasets: [],
  experiments: [],
  gpus: [],
  nameContains: () => false,
};

/** Tags MLflow's client writes on every run (`mlflow.runName`, `mlflow.user`, …): never a value match. */
export const isSystemTag = (key: string): boolean => key.startsWith('mlflow.');

/** A vocabulary from plain lists, for tests and previews. */
export function vocabularyOf(v: Partial<Omit<Vocabulary, 'params' | 'tags'>> & { params?: Record<string, string[] | null>; tags?: Record<string, string[] | null>; runNames?: string[] }): Vocabulary {
  const infos = (m: Record<string, string[] | null> = {}): KeyInfo[] => Object.entries(m).map(([key, values]) => ({ key, values }));
  const names = (v.runNames ?? []).map((n) => n.toLowerCase());
  return {
    ...EMPTY_VOCABULARY,
    ...v,
    params: infos(v.params),
    tags: infos(v.tags),
    nameContains: v.nameContains ?? ((word) => names.some((n) => n.includes(word.toLowerCase()))),
  };
}
