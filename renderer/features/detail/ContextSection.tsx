// Context: the environment snapshot (Python, platform, CUDA/cuDNN/driver, GPUs, torch, the package
// set with its digest, host, CPU, workers, mixed precision, selected variables, the command).
import type { RunEnvironment } from '../../../native/api/contract';
import { KeyValueTable } from './KeyValueTable';

export function environmentFacts(env: RunEnvironment): [string, string][] {
  const facts: [string, string | null | undefined][] = [
    ['Python', env.python && `${env.python}${env.python_implementation ? ` (${env.python_implementation})` : ''}`],
    ['Platform', env.platform],
    ['Host', env.hostname],
    ['CPU', env.cpu && `${env.cpu}${env.cpu_count ? ` × ${env.cpu_count}` : ''}`],
    ['torch', env.torch],
    ['CUDA', env.cuda],
    ['cuDNN', env.cudnn],
    ['Driver', env.driver],
    ['GPUs', env.gpus.map((g) => `${g.index}: ${g.name}${g.memory_total_mib ? ` (${Math.round(g.memory_total_mib / 1024)} GiB)` : ''}`).join(', ')],
    ['Workers', env.workers === null ? null : String(env.workers)],
    ['Mixed precision', env.mixed_precision],
    ['Packages', env.package_count === null ? null : `${env.package_count}${env.packages_sha256 ? ` · sha256 ${env.packages_sha256.slice(0, 16)}` : ''}`],
    ['Command', env.command?.join(' ')],
  ];
  return facts.filter((f): f is [string, string] => typeof f[1] === 'string' && f[1] !== '');
}

export function ContextSection({ env }: { env: RunEnvironment | null }) {
  if (!env) return <p className="muted">No environment snapshot was recorded for this run.</p>;
  return (
    <>
      <KeyValueTable label="Environment" entries={environmentFacts(env)} mono={false} />
      <h3>Environment variables</h3>
      <KeyValueTable label="Variables" entries={Object.entries(env.env_vars)} />
      <h3>Packages</h3>
      <KeyValueTable label="Packages" entries={env.packages.map((p) => [p.name, p.version ?? ''] as const)} />
    </>
  );
}
