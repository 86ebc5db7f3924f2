// Pure pieces of the run detail page: the unified-diff reader and the Markdown renderer, which must
// never turn the file's HTML or a javascript: link into live markup.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { diffStats, parseUnifiedDiff } from '../../renderer/features/detail/diff-lines';
import { renderMarkdown } from '../../renderer/features/detail/markdown-lite';
import { nullRate } from '../../renderer/features/detail/DataSection';

const html = (md: string) => renderToStaticMarkup(<>{renderMarkdown(md)}</>);

describe('parseUnifiedDiff', () => {
  const diff = [
    'diff --git a/train.py b/train.py',
    'index 1234..5678 100644',
    '--- a/train.py',
    '+++ b/train.py',
    '@@ -10,3 +10,4 @@ def main():',
    ' x = 1',
    '-lr = 0.1',
    '+lr = 0.01',
    '+wd = 0.0',
    '\\ No newline at end of file',
    '',
  ].join('\n');

  it('numbers old and new lines and classifies them', () => {
    const lines = parseUnifiedDiff(diff);
    expect(lines.map((l) => [l.kind, l.oldNo, l.newNo])).toEqual([
      ['file', null, null], ['meta', null, null], ['meta', null, null], ['meta', null, null], ['hunk', null, null],
      ['context', 10, 10], ['del', 11, null], ['add', null, 11], ['add', null, 12], ['meta', null, null],
    ]);
    expect(diffStats(lines)).toEqual({ files: 1, added: 2, removed: 1 });
  });

  it('reads a truncated or empty diff', () => {
    expect(parseUnifiedDiff(diff.slice(0, 120)).length).toBeGreaterThan(3);
    expect(parseUnifiedDiff('')).toEqual([]);
  });
});

describe('renderMarkdown', () => {
  it.each([
    ['# Title', '<h3>Title</h3>'],
    ['Some **bold** and *it* and `code`.', '<p>Some <strong>bold</strong> and <em>it</em> and <code>code</code>.</p>'],
    ['- a\n- b', '<ul><li>a</li><li>b</li></ul>'],
    ['1. one\n2. two', '<ol><li>one</li><li>two</li></ol>'],
    ['```\n<b>x</b>\n```', '<pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre>'],
    ['> quoted', '<blockquote><p>quoted</p></blockquote>'],
    ['---', '<hr/>'],
    ['[docs](https://example.org/x)', '<p><a href="https://example.org/x" rel="noreferrer noopener" target="_blank">docs</a></p>'],
  ])('%j', (md, expected) => {
    expect(html(md)).toBe(expected);
  });

  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[x](data:text/html,<script>alert(1)</script>)',
    '# <iframe src="https://evil.example"></iframe>',
  ])('never emits live markup for %j', (md) => {
    const out = html(md);
    expect(out).not.toMatch(/<(script|img|iframe)/i);
    expect(out).not.toMatch(/href="(javascript|data):/i);
  });
});

describe('nullRate', () => {
  it.each([
    [0, 100, '0%'],
    [5, 1000, '0.5%'],
    [25, 100, '25%'],
    [1, 0, '—'],
    [undefined, 100, ''],
    [3, null, ''],
  ] as [number | undefined, number | null, string][])('%s of %s rows', (nulls, rows, expected) => {
    expect(nullRate(nulls, rows)).toBe(expected);
  });
});
