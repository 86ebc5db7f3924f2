// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { stripTokenFromAddressBar, withoutToken } from '../../renderer/app/strip-token';

describe('withoutToken', () => {
  it.each([
    ['http://127.0.0.1:5917/?token=abc', '/'],
    ['http://127.0.0.1:5917/?token=abc&view=all#runs', '/?view=all#runs'],
    ['http://127.0.0.1:5917/runs?view=all&token=abc', '/runs?view=all'],
    ['http://127.0.0.1:5917/?token=', '/'],
    ['http://127.0.0.1:5917/?view=all', null],
    ['http://127.0.0.1:5917/', null],
  ])('%s → %s', (href, expected) => {
    expect(withoutToken(href)).toBe(expected);
  });
});

describe('stripTokenFromAddressBar', () => {
  it('replaces the current history entry, so Back does not bring the token back', () => {
    window.history.pushState({ keep: 1 }, '', '/?token=secret&x=1');
    const length = window.history.length;
    stripTokenFromAddressBar();
    expect(window.location.search).toBe('?x=1');
    expect(window.history.length).toBe(length);
    expect(window.history.state).toEqual({ keep: 1 });
  });
});
