// The runs table's column model: ids that say what they are, defaults from the store's keys, the
// chooser's toggle, and the server sort each header click asks for.
import { describe, expect, it } from 'vitest';
import type { RunKeys } from '../../native/api/contract';
import { availableColumns, columnById, defaultColumnIds, nextSort, orderByFor, toggleColumn, visibleColumns } from '../../renderer/features/runs/column-model';
import { run } from './fixtures';

const keys: RunKeys = {
  metrics: ['val_auc', 'loss', 'latency_ms', 'f1', 'extra'].map((key, i) => ({ key, count: 100 - i })),
  params: ['lr', 'model', 'depth', 'seed'].map((key, i) => ({ key, count: 50 - i })),
  tags: [{ key: 'team', count: 3 }],
};

describe('column model', () => {
  it('defaults to status and time, the commonest metrics and params, and provenance', () => {
    expect(defaultColumnIds(keys)).toEqual([
      'attributes.status', 'attributes.experiment', 'attributes.start_time', 'attributes.duration',
      'metrics.val_auc', 'metrics.loss', 'metrics.latency_ms', 'metrics.f1', 'params.lr', 'params.model', 'params.depth',
      'lineage.commit', 'lineage.dataset', 'lineage.gpu', 'lineage.bundle',
    ]);
  });

  it('offers every key of the store in the chooser, grouped', () => {
    const groups = availableColumns(keys).map((c) => `${c.group}:${c.label}`);
    expect(groups).toContain('metric:extra');
    expect(groups).toContain('tag:team');
    expect(groups).toContain('lineage:GPU');
    expect(groups.indexOf('metric:val_auc')).toBeLessThan(groups.indexOf('param:lr'));
  });

  it.each([
    ['metrics.val_auc', { group: 'metric', label: 'val_auc', sortKey: 'metrics.val_auc', numeric: true }],
    ['params.optim.lr', { group: 'param', label: 'optim.lr', sortKey: 'params.optim.lr' }],
    ['tags.team', { group: 'tag', label: 'team' }],
    ['lineage.gpu', { group: 'lineage', sortKey: null }],
    ['attributes.start_time', { sortKey: 'attributes.start_time' }],
  ])('column %s', (id, expected) => {
    expect(columnById(id)).toMatchObject({ id, ...expected });
  });

  it('ignores ids it does not know, keeps Name first and drops duplicates', () => {
    expect(columnById('nonsense')).toBeNull();
    expect(visibleColumns(['params.lr', 'bogus', 'params.lr', 'attributes.run_name']).map((c) => c.id)).toEqual(['attributes.run_name', 'params.lr']);
  });

  it('prints cells from a row, NaN included', () => {
    const r = {
      ...run({ run_id: 'r1', metrics: { loss: 'NaN', val_auc: 0.912345 }, params: { lr: '0.001' }, status: 'INTERRUPTED', last_step: 77 }),
      lineage: { commit: '0123456789abcdef', dirty: true, datasets: ['a', 'b'], gpu: '2× NVIDIA H100', bundle: 'unverified' as const },
    };
    const text = (id: string) => columnById(id)!.text(r, Date.UTC(2025, 0, 3));
    expect(text('metrics.loss')).toBe('NaN');
    expect(text('metrics.val_auc')).toBe('0.9123');
    expect(text('metrics.missing')).toBe('');
    expect(text('params.lr')).toBe('0.001');
    expect(text('attributes.status')).toBe('INTERRUPTED at step 77');
    expect(text('lineage.commit')).toBe('01234567');
    expect(text('lineage.dirty')).toBe('dirty');
    expect(text('lineage.dataset')).toBe('a, b');
    expect(text('lineage.gpu')).toBe('2× NVIDIA H100');
    expect(text('lineage.bundle')).toBe('unverified');
    expect(columnById('lineage.bundle')!.text({ ...r, lineage: { ...r.lineage, bundle: 'trusted' } }, 0)).toBe('signed');
    expect(columnById('lineage.bundle')!.text({ ...r, lineage: { ...r.lineage, bundle: null } }, 0)).toBe('');
  });

  it('toggles a column in and out', () => {
    expect(toggleColumn(['a', 'b'], 'c')).toEqual(['a', 'b', 'c']);
    expect(toggleColumn(['a', 'b', 'c'], 'b')).toEqual(['a', 'c']);
  });

  it.each([
    ['a metric starts descending', null, 'metrics.val_auc', { key: 'metrics.val_auc', dir: 'desc' }],
    ['then ascending', { key: 'metrics.val_auc', dir: 'desc' }, 'metrics.val_auc', { key: 'metrics.val_auc', dir: 'asc' }],
    ['then unsorted', { key: 'metrics.val_auc', dir: 'asc' }, 'metrics.val_auc', null],
    ['a param starts ascending', null, 'params.lr', { key: 'params.lr', dir: 'asc' }],
    ['another column starts over', { key: 'params.lr', dir: 'desc' }, 'attributes.start_time', { key: 'attributes.start_time', dir: 'desc' }],
    ['an unsortable column changes nothing', { key: 'params.lr', dir: 'asc' }, 'lineage.gpu', { key: 'params.lr', dir: 'asc' }],
  ] as const)('%s', (_name, current, id, expected) => {
    expect(nextSort(current, columnById(id)!)).toEqual(expected);
  });

  it('asks the server in MLflow order_by syntax', () => {
    expect(orderByFor({ key: 'metrics.val_auc', dir: 'desc' })).toEqual(['metrics.val_auc DESC']);
    expect(orderByFor(null)).toEqual([]);
  });
});
