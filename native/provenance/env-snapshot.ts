// A run's environment and code state, decoded from a `runs/log-provenance` body (or a spool's
// provenance record) into what the store keeps. The server derives what it can itself: GPUs and
// driver from raw nvidia-smi text, the package digest from the package list, a readable cuDNN
// version; and it drops secret-looking values whatever the client sent.
import { invalidParam } from '../mlflow/errors';
import { type Fields, optBool, optInt64, optString } from '../mlflow/request-fields';
import { safeArtifactPath } from '../store/artifact-paths';
import { parseNvidiaSmi, type GpuInfo } from './nvidia-smi';
import { packagesDigest, parsePipFreeze } from './pip-freeze';
import { isSecretName, redactArgv, stripUrlCredentials } from './secrets';

export interface GpuRecord extends GpuInfo {
  compute_capability: string | null;
}

export interface EnvironmentRecord {
  python: string | null;
  python_implementation: string | null;
  platform: string | null;
  hostname: string | null;
  cpu: string | null;
  cpu_count: number | null;
  cuda: string | null;
  cudnn: string | null;
  driver: string | null;
  gpus: GpuRecord[];
  torch: string | null;
  packages: string | null;
  packages_sha256: string | null;
  package_count: number | null;
  workers: number | null;
  mixed_precision: string | null;
  env_vars: Record<string, string>;
  command: string[] | null;
  nvidia_smi: string | null;
  extra: Record<string, unknown>;
}

export interface CodeRecord {
  commit: string | null;
  branch: string | null;
  remote: string | null;
  dirty: boolean | null;
  diff_artifact: string | null;
  diff_sha256: string | null;
  diff_bytes: number | null;
  diff_truncated: boolean;
  untracked: string[];
}

const MAX_TEXT = 1024 * 1024;

function obj(f: Fields, name: string): Fields | null {
  const v = f[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParam(`Invalid value for '${name}': expected an object.`);
  return v as Fields;
}

function text(f: Fields, name: string, max = 1000): string | null {
  const v = f[name];
  if (typeof v === 'number') return String(v); // cudnn arrives as 91900 from torch
  const s = optString(f, name);
  if (s === undefined || s === '') return null;
  if (s.length > max) throw invalidParam(`Provenance field '${name}' exceeds ${max} characters.`);
  return s;
}

/** torch.backends.cudnn.version(): 91900 → 9.19.0 (cuDNN 9 packs major*10000), 8907 → 8.9.7 (cuDNN ≤ 8 packs major*1000). */
export function cudnnVersion(raw: string | null): string | null {
  if (raw === null || !/^\d+$/.test(raw)) return raw;
  const v = Number(raw);
  if (v >= 9_00_00) return `${Math.floor(v / 10000)}.${Math.floor((v % 10000) / 100)}.${v % 100}`;
  if (v >= 1000) return `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 100)}.${v % 100}`;
  return raw;
}

function decodeGpus(items: unknown): GpuRecord[] {
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) throw invalidParam(`Invalid value for 'environment.gpus': expected a list.`);
  return items.slice(0, 256).map((g, i) => {
    const f = (g ?? {}) as Fields;
    const mem = f.memory_total_mib;
    return {
      index: typeof f.index === 'number' ? f.index : i,
      name: text(f, 'name') ?? '',
      memory_total_mib: typeof mem === 'number' && Number.isFinite(mem) ? Math.round(mem) : null,
      uuid: text(f, 'uuid'),
      bus_id: text(f, 'bus_id'),
      compute_capability: text(f, 'compute_capability'),
    };
  });
}

/** nvidia-smi's list is the authority for names, memory and uuids; torch adds compute capability. */
function mergeGpus(fromSmi: GpuInfo[], fromClient: GpuRecord[]): GpuRecord[] {
  if (fromSmi.length === 0) return fromClient;
  return fromSmi.map((g) => {
    const t = fromClient.find((c) => c.index === g.index) ?? null;
    return { ...g, memory_total_mib: g.memory_total_mib ?? t?.memory_total_mib ?? null, compute_capability: t?.compute_capability ?? null };
  });
}

export function decodeEnvironment(f: Fields): EnvironmentRecord {
  const smi = obj(f, 'nvidia_smi');
  const smiText = smi ? text(smi, 'text', MAX_TEXT) : null;
  const smiFields = smi && Array.isArray(smi.fields) ? smi.fields.filter((x): x is string => typeof x === 'string') : undefined;
  const parsedSmi = smiText ? parseNvidiaSmi(smiText, smiFields) : null;
  const packages = text(f, 'packages', 16 * MAX_TEXT);
  const parsedPackages = packages ? parsePipFreeze(packages).packages : null;
  const envVars: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(f, 'env_vars') ?? {})) {
    if (!isSecretName(k) && typeof v === 'string') envVars[k] = v.slice(0, 4096);
  }
  const command = Array.isArray(f.command) ? redactArgv(f.command.map((a) => String(a)).slice(0, 1000)) : null;
  const cpuCount = optInt64(f, 'cpu_count');
  const workers = optInt64(f, 'workers');
  const mixed = f.mixed_precision;
  return {
    python: text(f, 'python'),
    python_implementation: text(f, 'python_implementation'),
    platform: text(f, 'platform'),
    hostname: text(f, 'hostname'),
    cpu: text(f, 'cpu'),
    cpu_count: cpuCount ?? null,
    cuda: text(f, 'cuda') ?? parsedSmi?.cuda ?? null,
    cudnn: cudnnVersion(text(f, 'cudnn')),
    driver: text(f, 'driver') ?? parsedSmi?.driver ?? null,
    gpus: mergeGpus(parsedSmi?.gpus ?? [], decodeGpus(f.gpus)),
    torch: text(f, 'torch'),
    packages,
    packages_sha256: parsedPackages ? packagesDigest(parsedPackages) : null,
    package_count: parsedPackages ? parsedPackages.length : null,
    workers: workers ?? null,
    // `amp: true` in a config says "mixed precision" without naming the type.
    mixed_precision: typeof mixed === 'boolean' ? String(mixed) : text(f, 'mixed_precision'),
    env_vars: envVars,
    command,
    nvidia_smi: smiText,
    extra: obj(f, 'extra') ?? {},
  };
}

export function decodeCode(f: Fields): CodeRecord {
  const diffArtifact = text(f, 'diff_artifact', 1000);
  const untracked = Array.isArray(f.untracked) ? f.untracked.filter((x): x is string => typeof x === 'string').slice(0, 1000) : [];
  const commit = text(f, 'commit', 100);
  if (commit !== null && !/^[0-9a-f]{4,64}$/i.test(commit)) throw invalidParam(`Invalid git commit '${commit}': expected a hex object id.`);
  const remote = text(f, 'remote', 4096);
  return {
    commit,
    branch: text(f, 'branch', 1000),
    remote: remote === null ? null : stripUrlCredentials(remote),
    dirty: optBool(f, 'dirty') ?? null,
    diff_artifact: diffArtifact === null ? null : safeArtifactPath(diffArtifact),
    diff_sha256: text(f, 'diff_sha256', 64),
    diff_bytes: optInt64(f, 'diff_bytes') ?? null,
    diff_truncated: optBool(f, 'diff_truncated') ?? false,
    untracked,
  };
}

/** A `runs/log-provenance` body (or spool record): either part may be absent. */
export function decodeProvenance(input: Fields): { environment: EnvironmentRecord | null; code: CodeRecord | null } {
  const env = obj(input, 'environment');
  const code = obj(input, 'code');
  if (!env && !code) throw invalidParam(`Missing value for required parameter 'environment' or 'code'.`);
  return { environment: env ? decodeEnvironment(env) : null, code: code ? decodeCode(code) : null };
}
