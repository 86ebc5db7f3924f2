// @vitest-environment jsdom
// The diff page: only differing rows by default, all rows on the toggle, the torch CUDA/CPU warning
// on top and on its row, package changes named, and 2-to-10 runs enforced.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../renderer/api/api-client';
import { inProcessTransport } from '../../renderer/api/in-process-transport';
import { RunDiffPage } from '../../renderer/features/diff/RunDiffPage';
import { detail, environment } from './detail-fixtures';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});
afterEach(() => cleanup());

const runsById = {
  a: detail('a', { params: { lr: '0.001', model: 'mlp' } }),
  b: detail('b', {
    params: { lr: '0.0003', model: 'mlp' },
    provenance: { environment: environment({ torch: '1.12.1+cpu', packages: [{ name: 'torch', version: '1.12.1+cpu' }, { name: 'numpy', version: '1.26.4' }] }), code: null, datasets: [] },
  }),
  c: detail('c', { params: { lr: '0.001', model: 'xgb' } }),
};
const client = createApiClient(
  inProcessTransport({
    'runs.get': async ({ run }) => {
      const d = runsById[run as keyof typeof runsById];
      if (!d) throw { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `No run '${run}'` };
      return d;
    },
  }),
);

const rowKeys = (section: string) => within(screen.getByRole('table', { name: section })).getAllByRole('row').slice(1).map((r) => r.getAttribute('data-key'));

describe('RunDiffPage', () => {
  it('shows only the differences, and everything on the toggle', async () => {
    render(<RunDiffPage client={client} runIds={['a', 'b']} />);
    await screen.findByRole('heading', { name: /Diff of 2 runs/ });
    expect(rowKeys('Params')).toEqual(['lr']);
    expect(screen.getByRole('region', { name: 'Code' }).textContent).toContain('None recorded.');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Show all rows' }));
    expect(rowKeys('Params')).toEqual(['lr', 'model']);
    const lr = within(screen.getByRole('table', { name: 'Params' })).getAllByRole('row')[1];
    expect([...lr.children].map((c) => c.textContent)).toEqual(['lr', '0.001', '0.0003']);
    expect(lr.querySelectorAll('td.differs')).toHaveLength(2);
  });

  it('warns about torch built for CUDA in one run and CPU-only in the other', async () => {
    render(<RunDiffPage client={client} runIds={['a', 'b']} />);
    const alert = await screen.findByRole('alert', { name: 'Compatibility warnings' });
    expect(alert.textContent).toContain('torch builds differ: 1.12.1+cu113 (CUDA 11.3) in a vs 1.12.1+cpu (CPU-only) in b');
    const torch = within(screen.getByRole('table', { name: 'Environment' })).getAllByRole('row').find((r) => r.getAttribute('data-key') === 'torch')!;
    expect(torch.className).toBe('compat');
    expect(within(torch).getByLabelText('compatibility warning')).toBeTruthy();
    const pkgs = within(screen.getByRole('table', { name: 'Packages' })).getAllByRole('row').slice(1).map((r) => [...r.children].slice(0, 2).map((c) => c.textContent));
    expect(pkgs).toEqual([
      ['scikit-learn', 'removed'],
      ['torch ⚠', 'changed'],
    ]);
  });

  it('lines up three runs and opens one from its column', async () => {
    let opened = '';
    render(<RunDiffPage client={client} runIds={['a', 'b', 'c']} onOpenRun={(id) => (opened = id)} />);
    await screen.findByRole('heading', { name: /Diff of 3 runs/ });
    expect(rowKeys('Params')).toEqual(['lr', 'model']);
    fireEvent.click(within(screen.getByRole('table', { name: 'Params' })).getByRole('button', { name: 'c' }));
    expect(opened).toBe('c');
  });

  it('asks for 2 to 10 runs, and reports a run it cannot load', async () => {
    render(<RunDiffPage client={client} runIds={['a']} />);
    expect(screen.getByText(/Select 2 to 10 runs/)).toBeTruthy();
    cleanup();
    render(<RunDiffPage client={client} runIds={['a', 'zzz']} />);
    expect((await screen.findByRole('alert')).textContent).toContain("No run 'zzz'");
  });
});
