// The diff of 2 to 10 runs as data: params, environment, packages, datasets, code and final metrics,
// one row per key with each run's value and whether they differ, plus compatibility warnings such
// as torch `1.12.1+cu113` against `1.12.1+cpu` (same version, one build has no CUDA). Pure: the
// page only renders it, and the table tests pin the rules.
import type { MetricSummary, RunDetail } from '../../../native/api/contract';

export interface DiffRow {
  key: string;
  values: (string | null)[];
  differs: boolean;
  /** Why this difference may break reproducibility, when it may. */
  warning?: string;
}

export type PackageChange = 'added' | 'removed' | 'changed' | 'same';

export interface PackageRow extends DiffRow {
  /** Relative to the first run (the baseline). */
  change: PackageChange;
}

export interface RunDiff {
  runs: { run_id: string; name: string }[];
  params: DiffRow[];
  environment: DiffRow[];
  packages: PackageRow[];
  datasets: DiffRow[];
  code: DiffRow[];
  metrics: DiffRow[];
  /** Compatibility warnings, in words, for the top of the page. */
  warnings: string[];
}

function row(key: string, values: (string | null | undefined)[]): DiffRow {
  const vs = values.map((v) => (v === undefined || v === '' ? null : v));
  return { key, values: vs, differs: vs.some((v) => v !== vs[0]) };
}

function unionKeys(records: readonly Record<string, unknown>[]): string[] {
  return [...new Set(records.flatMap((r) => Object.keys(r)))].sort((a, b) => a.localeCompare(b));
}

/** pip names are case-insensitive and treat - _ . alike (PEP 503). */
export function normalizePackage(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** `1.12.1+cu113` → { version: '1.12.1', build: 'cu113' }; no local part → build null. */
export function splitLocalVersion(v: string): { version: string; build: string | null } {
  const i = v.indexOf('+');
  return i < 0 ? { version: v, build: null } : { version: v.slice(0, i), build: v.slice(i + 1) };
}

/** What a local version says about the accelerator: `cu113` → CUDA 11.3, `cpu`, `rocm5.6`. */
export function describeBuild(build: string | null): string {
  if (build === null) return 'default build';
  const cu = /^cu(\d+)(\d)$/.exec(build);
  if (cu) return `CUDA ${cu[1]}.${cu[2]}`;
  if (build === 'cpu') return 'CPU-only';
  if (build.startsWith('rocm')) return `ROCm ${build.slice(4)}`;
  return build;
}

/**
 * A warning when the builds of one package differ in accelerator (CUDA vs CPU, or two CUDA
 * versions): results and speed may not carry over between them even when the version matches.
 */
export function buildWarning(name: string, values: readonly (string | null)[], runNames: readonly string[]): string | null {
  const present = values.map((v, i) => ({ v, i })).filter((x): x is { v: string; i: number } => x.v !== null);
  const builds = present.map((x) => ({ ...x, ...splitLocalVersion(x.v) }));
  const accel = (b: string | null): boolean => b !== null && /^(cu\d|cpu$|rocm)/.test(b);
  if (!builds.some((b) => accel(b.build))) return null;
  const distinct = new Set(builds.map((b) => b.build ?? ''));
  if (distinct.size < 2) return null;
  const parts = builds.map((b) => `${b.v} (${describeBuild(b.build)}) in ${runNames[b.i]}`);
  return `${name} builds differ: ${parts.join(' vs ')}`;
}

function formatValue(v: MetricSummary['value'] | undefined): string | null {
  if (v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

function gpuText(run: RunDetail): string | null {
  const gpus = run.provenance.environment?.gpus ?? [];
  if (gpus.length === 0) return null;
  const counts = new Map<string, number>();
  for (const g of gpus) counts.set(g.name, (counts.get(g.name) ?? 0) + 1);
  return [...counts].map(([n, c]) => `${c}× ${n}`).join(', ');
}

export function diffRuns(runs: readonly RunDetail[]): RunDiff {
  const names = runs.map((r) => r.run_name || r.run_id);
  const env = runs.map((r) => r.provenance.environment);
  const code = runs.map((r) => r.provenance.code);
  const warnings: string[] = [];

  const params = unionKeys(runs.map((r) => r.params)).map((k) => row(k, runs.map((r) => r.params[k])));

  const envField = (label: string, get: (e: NonNullable<(typeof env)[number]>) => string | number | null | undefined): DiffRow =>
    row(label, env.map((e) => (e ? (get(e) ?? null) : null)).map((v) => (v === null ? null : String(v))));
  const environment = [
    envField('python', (e) => e.python),
    envField('platform', (e) => e.platform),
    envField('torch', (e) => e.torch),
    envField('cuda', (e) => e.cuda),
    envField('cudnn', (e) => e.cudnn),
    envField('driver', (e) => e.driver),
    row('gpus', runs.map(gpuText)),
    envField('hostname', (e) => e.hostname),
    envField('cpu', (e) => e.cpu),
    envField('workers', (e) => e.workers),
    envField('mixed_precision', (e) => e.mixed_precision),
    envField('packages_sha256', (e) => e.packages_sha256),
  ];
  const torch = environment.find((r) => r.key === 'torch')!;
  const torchWarning = buildWarning('torch', torch.values, names);
  if (torchWarning) {
    torch.warning = torchWarning;
    warnings.push(torchWarning);
  }
  const cuda = environment.find((r) => r.key === 'cuda')!;
  const cudaMajors = new Set(cuda.values.filter((v): v is string => v !== null).map((v) => v.split('.')[0]));
  if (cudaMajors.size > 1) {
    cuda.warning = `CUDA major versions differ: ${cuda.values.map((v, i) => `${v ?? 'none'} in ${names[i]}`).join(' vs ')}`;
    warnings.push(cuda.warning);
  }

  const versions = env.map((e) => new Map((e?.packages ?? []).map((p) => [normalizePackage(p.name), p.version ?? ''])));
  const allNames = [...new Set(versions.flatMap((m) => [...m.keys()]))].sort();
  const packages: PackageRow[] = allNames.map((name) => {
    const values = versions.map((m, i) => (env[i] === null ? null : (m.get(name) ?? null)));
    const base = values[0];
    const others = values.slice(1);
    let change: PackageChange = 'same';
    if (base === null && others.some((v) => v !== null)) change = 'added';
    else if (base !== null && others.some((v) => v === null)) change = 'removed';
    else if (others.some((v) => v !== base)) change = 'changed';
    const r: PackageRow = { key: name, values, differs: change !== 'same', change };
    const w = buildWarning(name, values, names);
    if (w) {
      r.warning = w;
      // torch is said once on top: from the environment's torch, else from the package list.
      if (!(name === 'torch' && torchWarning)) warnings.push(w);
    }
    return r;
  });

  const datasetNames = [...new Set(runs.flatMap((r) => r.provenance.datasets.map((d) => d.name)))].sort();
  const datasets = datasetNames.map((n) =>
    row(n, runs.map((r) => r.provenance.datasets.filter((d) => d.name === n).map((d) => d.digest).sort().join(', ') || null)),
  );

  const codeRows = [
    row('commit', code.map((c) => c?.commit)),
    row('branch', code.map((c) => c?.branch)),
    row('dirty', code.map((c) => (c?.dirty === null || c?.dirty === undefined ? null : c.dirty ? 'dirty' : 'clean'))),
    row('diff sha256', code.map((c) => c?.diff_sha256)),
  ];

  const metricMaps = runs.map((r) => Object.fromEntries(r.metric_summaries.map((m) => [m.key, m.value])));
  const metrics = unionKeys(metricMaps).map((k) => row(k, metricMaps.map((m) => formatValue(m[k]))));

  // A field no run recorded says nothing: leave it out rather than show a row of dashes.
  const recorded = (rows: DiffRow[]): DiffRow[] => rows.filter((r) => r.values.some((v) => v !== null));
  return {
    runs: runs.map((r, i) => ({ run_id: r.run_id, name: names[i] })),
    params,
    environment: recorded(environment),
    packages,
    datasets,
    code: recorded(codeRows),
    metrics,
    warnings,
  };
}

/** Rows to show: the differing ones, or all of them. */
export function visibleRows<T extends DiffRow>(rows: readonly T[], showAll: boolean): T[] {
  return showAll ? [...rows] : rows.filter((r) => r.differs);
}
