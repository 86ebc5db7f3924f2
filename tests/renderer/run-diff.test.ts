// The run diff as a pure function: which rows differ, package changes against the first run, and
// the torch/CUDA compatibility warnings (`1.12.1+cu113` vs `1.12.1+cpu`).
import { describe, expect, it } from 'vitest';
import type { DatasetProvenance } from '../../native/api/contract';
import { buildWarning, describeBuild, diffRuns, normalizePackage, splitLocalVersion, visibleRows } from '../../renderer/features/diff/run-diff';
import { detail, environment } from './detail-fixtures';

const dataset = (name: string, digest: string): DatasetProvenance => ({
  name, digest, source: '', context: 'training', size_bytes: null, format: null, rows: null, columns: null, null_counts: null,
  schema_sha256: null, profiled_by: null, profile_note: null, digest_changed: false, previous_digest: null, previous_run_id: null,
});

describe('local versions', () => {
  it.each([
    ['1.12.1+cu113', '1.12.1', 'cu113', 'CUDA 11.3'],
    ['1.12.1+cpu', '1.12.1', 'cpu', 'CPU-only'],
    ['2.3.0+cu121', '2.3.0', 'cu121', 'CUDA 12.1'],
    ['2.1.0+rocm5.6', '2.1.0', 'rocm5.6', 'ROCm 5.6'],
    ['2.3.0', '2.3.0', null, 'default build'],
  ])('%s', (v, version, build, words) => {
    expect(splitLocalVersion(v)).toEqual({ version, build });
    expect(describeBuild(build)).toBe(words);
  });

  it.each([
    ['CUDA vs CPU', ['1.12.1+cu113', '1.12.1+cpu'], 'torch builds differ: 1.12.1+cu113 (CUDA 11.3) in a vs 1.12.1+cpu (CPU-only) in b'],
    ['two CUDA versions', ['2.3.0+cu118', '2.3.0+cu121'], 'torch builds differ: 2.3.0+cu118 (CUDA 11.8) in a vs 2.3.0+cu121 (CUDA 12.1) in b'],
    ['CUDA vs plain (PyPI default)', ['2.3.0+cu121', '2.3.0'], 'torch builds differ: 2.3.0+cu121 (CUDA 12.1) in a vs 2.3.0 (default build) in b'],
    ['same build, other version: an ordinary change', ['2.3.0+cu121', '2.4.0+cu121'], null],
    ['no builds at all', ['2.3.0', '2.4.0'], null],
    ['missing in one run', ['1.12.1+cu113', null], null],
  ] as [string, (string | null)[], string | null][])('%s', (_name, values, expected) => {
    expect(buildWarning('torch', values, ['a', 'b'])).toBe(expected);
  });

  it('normalizes package names as pip does', () => {
    expect(normalizePackage('Scikit_Learn')).toBe('scikit-learn');
    expect(normalizePackage('zope.interface')).toBe('zope-interface');
  });
});

describe('diffRuns', () => {
  const a = detail('a', {
    params: { lr: '0.001', model: 'mlp', seed: '1' },
    metric_summaries: [{ key: 'val_auc', value: 0.91, step: 10, timestamp: 1, min: 0.5, max: 0.91, count: 10 }],
    provenance: {
      environment: environment(),
      code: { commit: 'abc', branch: 'main', remote: null, dirty: false, diff_artifact: null, diff_sha256: null, diff_bytes: null, diff_truncated: false, untracked: [] },
      datasets: [dataset('credit', 'd1')],
    },
  });
  const b = detail('b', {
    params: { lr: '0.0003', model: 'mlp', dropout: '0.2' },
    metric_summaries: [{ key: 'val_auc', value: 'NaN', step: 10, timestamp: 1, min: null, max: null, count: 10 }],
    provenance: {
      environment: environment({
        torch: '1.12.1+cpu', cuda: null, packages_sha256: 'bbb',
        packages: [{ name: 'torch', version: '1.12.1+cpu' }, { name: 'numpy', version: '2.0.0' }, { name: 'pandas', version: '2.2.0' }],
      }),
      code: { commit: 'def', branch: 'main', remote: null, dirty: true, diff_artifact: 'code/diff.patch', diff_sha256: 'x', diff_bytes: 10, diff_truncated: false, untracked: [] },
      datasets: [dataset('credit', 'd2')],
    },
  });
  const d = diffRuns([a, b]);
  const byKey = <T extends { key: string }>(rows: T[], key: string) => rows.find((r) => r.key === key)!;

  it('lines params up by key, missing values as null', () => {
    expect(d.params.map((r) => [r.key, r.values, r.differs])).toEqual([
      ['dropout', [null, '0.2'], true],
      ['lr', ['0.001', '0.0003'], true],
      ['model', ['mlp', 'mlp'], false],
      ['seed', ['1', null], true],
    ]);
    expect(visibleRows(d.params, false).map((r) => r.key)).toEqual(['dropout', 'lr', 'seed']);
    expect(visibleRows(d.params, true)).toHaveLength(4);
  });

  it('says which packages were added, removed or changed against the first run', () => {
    expect(d.packages.map((p) => [p.key, p.change])).toEqual([
      ['numpy', 'changed'],
      ['pandas', 'added'],
      ['scikit-learn', 'removed'],
      ['torch', 'changed'],
    ]);
  });

  it('warns once about the torch CUDA/CPU mismatch, on the torch row', () => {
    expect(byKey(d.environment, 'torch').warning).toContain('CPU-only');
    expect(d.warnings.filter((w) => w.startsWith('torch'))).toHaveLength(1);
    expect(byKey(d.environment, 'cuda')).toMatchObject({ values: ['11.3', null], differs: true });
    expect(byKey(d.environment, 'python').differs).toBe(false);
  });

  it('compares datasets by digest, code state and final metrics', () => {
    expect(byKey(d.datasets, 'credit')).toMatchObject({ values: ['d1', 'd2'], differs: true });
    expect(byKey(d.code, 'commit').values).toEqual(['abc', 'def']);
    expect(byKey(d.code, 'dirty').values).toEqual(['clean', 'dirty']);
    expect(byKey(d.code, 'branch').differs).toBe(false);
    expect(byKey(d.metrics, 'val_auc').values).toEqual(['0.91', 'NaN']);
  });

  it('handles runs without any provenance, and up to ten runs', () => {
    const bare = detail('bare', { provenance: { environment: null, code: null, datasets: [] } });
    const many = diffRuns([a, b, bare, ...Array.from({ length: 7 }, (_, i) => detail(`r${i}`))]);
    expect(many.runs).toHaveLength(10);
    expect(byKey(many.environment, 'python').values[2]).toBeNull();
    expect(byKey(many.packages, 'numpy').values[2]).toBeNull();
  });

  it('flags a CUDA major version change', () => {
    const c = detail('c', { provenance: { environment: environment({ cuda: '12.1', torch: '1.12.1+cu113' }), code: null, datasets: [] } });
    const w = diffRuns([a, c]);
    expect(byKey(w.environment, 'cuda').warning).toBe('CUDA major versions differ: 11.3 in a vs 12.1 in c');
    expect(w.warnings).toHaveLength(1);
  });
});
