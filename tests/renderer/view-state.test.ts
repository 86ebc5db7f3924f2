// The URL view state: parse ∘ serialize is the identity for every state, defaults stay out of the
// URL, and hostile or odd input (commas and percent signs in ids, unknown keys) reads safely.
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, parseViewState, serializeViewState, updateViewState, type ViewState } from '../../renderer/app/view-state';

const state = (patch: Partial<ViewState>): ViewState => ({ ...DEFAULT_VIEW, ...patch });

describe('view state round trip', () => {
  const cases: [string, ViewState][] = [
    ['the default view', DEFAULT_VIEW],
    ['a filter', state({ filter: 'val_auc > 0.85 and latency < 50ms' })],
    ['a selection in order', state({ selected: ['run-b', 'run-a', 'run-c'] })],
    ['ids with commas and percent signs', state({ selected: ['a,b', '100%', 'x%2Cy'] })],
    ['a detail page', state({ view: 'detail', run: 'run-20261126-1422-8a3f9c2e' })],
    ['a descending sort', state({ sort: { key: 'metrics.val_auc', dir: 'desc' } })],
    ['an ascending sort on a key with dots', state({ sort: { key: 'params.optim.lr', dir: 'asc' } })],
    ['chosen columns', state({ columns: ['metrics.val_auc', 'params.lr', 'tags.a,b'] })],
    ['no columns at all', state({ columns: [] })],
    ['chart settings', state({ view: 'compare', selected: ['a', 'b'], chart: { x: 'wall_time', s: '0.6', m: 'loss,val_auc' } })],
    ['unicode and ampersands', state({ filter: 'name = "α & β"', selected: ['ü'] })],
  ];
  it.each(cases)('%s', (_name, s) => {
    const url = serializeViewState(s);
    expect(parseViewState(url)).toEqual(s);
    expect(parseViewState(url.slice(1))).toEqual(s); // with or without the '?'
  });

  it('leaves defaults out of the URL', () => {
    expect(serializeViewState(DEFAULT_VIEW)).toBe('');
    expect(serializeViewState(state({ filter: 'x' }))).toBe('?q=x');
    expect(serializeViewState(state({ sort: { key: 'metrics.loss', dir: 'desc' } }))).toBe('?sort=-metrics.loss');
  });

  it('reads odd URLs without throwing', () => {
    expect(parseViewState('?sel=,,a,%ZZ,,&junk=1&c.=x&view=')).toEqual(state({ selected: ['a', '%ZZ'] }));
    expect(parseViewState('?sel=a,a,b')).toEqual(state({ selected: ['a', 'b'] }));
    expect(parseViewState('?token=abc&q=lr%3D1e-3')).toEqual(state({ filter: 'lr=1e-3' }));
  });

  it('merges chart settings key by key; an empty value removes one', () => {
    const s = state({ chart: { x: 'epoch', s: '0.5' } });
    expect(updateViewState(s, { chart: { s: '', log: '1' } }).chart).toEqual({ x: 'epoch', log: '1' });
    expect(updateViewState(s, { filter: 'f' })).toEqual({ ...s, filter: 'f' });
  });
});
