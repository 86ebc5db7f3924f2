// RunDetail objects as runs.get returns them, for the diff and detail tests.
import type { RunDetail, RunEnvironment } from '../../native/api/contract';
import { run } from './fixtures';

export function environment(patch: Partial<RunEnvironment> = {}): RunEnvironment {
  return {
    python: '3.11.9', python_implementation: 'CPython', platform: 'Linux-6.8-x86_64', hostname: 'gpu-box', cpu: 'AMD EPYC', cpu_count: 64,
    cuda: '11.3', cudnn: '8.2', driver: '535.104', gpus: [{ index: 0, name: 'NVIDIA A100', memory_total_mib: 40960, uuid: null, bus_id: null, compute_capability: '8.0' }],
    torch: '1.12.1+cu113', packages_sha256: 'aaa', package_count: 3,
    packages: [{ name: 'torch', version: '1.12.1+cu113' }, { name: 'numpy', version: '1.26.4' }, { name: 'scikit_learn', version: '1.4.0' }],
    workers: 8, mixed_precision: 'bf16', env_vars: { CUDA_VISIBLE_DEVICES: '0' }, command: ['python', 'train.py'], captured_at: 1,
    ...patch,
  };
}

export function detail(id: string, patch: Partial<RunDetail> = {}): RunDetail {
  return {
    ...run({ run_id: id, run_name: id }),
    metric_summaries: [],
    artifacts: [],
    inputs: [],
    deleted_at: null,
    deleted_by: null,
    delete_reason: null,
    provenance: { environment: environment(), code: null, datasets: [] },
    ...patch,
  };
}
