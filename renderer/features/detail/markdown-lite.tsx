// A tiny Markdown renderer for artifact previews (README.md, model cards): headings, paragraphs,
// lists, fenced code, block quotes, rules, and inline code, bold, italic and links. It builds React
// elements, never HTML strings, so any HTML in the file shows as text (React escapes it); links are
// kept only for http(s) and relative targets, so `javascript:` URLs never become clickable.
import type { ReactNode } from 'react';

const SAFE_HREF = /^(https?:\/\/|\.{0,2}\/|#)/i;

/** Inline spans: `code`, **bold**, *italic* / _italic_, [text](href). */
export function renderInline(text: string, keyPrefix = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  let k = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const key = `${keyPrefix}-${k++}`;
    if (m[1] !== undefined) out.push(<code key={key}>{m[1]}</code>);
    else if (m[2] !== undefined) out.push(<strong key={key}>{renderInline(m[2], key)}</strong>);
    else if (m[3] !== undefined || m[4] !== undefined) out.push(<em key={key}>{renderInline(m[3] ?? m[4], key)}</em>);
    else if (SAFE_HREF.test(m[6])) {
      out.push(
        <a key={key} href={m[6]} rel="noreferrer noopener" target="_blank">
          {renderInline(m[5], key)}
        </a>,
      );
    } else out.push(`${m[5]} (${m[6]})`); // an unsafe target stays visible as text, not as a link
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function renderMarkdown(source: string): ReactNode[] {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const blocks: ReactNode[] = [];
  let i = 0;
  let key = 0;
  while (i < lines.length) {
    const line = lines[i];
    const k = `b${key++}`;
    const fence = /^(```|~~~)/.exec(line);
    if (fence) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith(fence[1]); i++) code.push(lines[i]);
      i++; // the closing fence (or the end)
      blocks.push(
        <pre key={k}>
          <code>{code.join('\n')}</code>
        </pre>,
      );
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1].length + 2); // page headings sit above the preview's
      const Tag = `h${level}` as 'h3';
      blocks.push(<Tag key={k}>{renderInline(heading[2], k)}</Tag>);
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push(<hr key={k} />);
      i++;
      continue;
    }
    if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items: ReactNode[] = [];
      for (; i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i]); i++) {
        items.push(<li key={`${k}-${items.length}`}>{renderInline(lines[i].replace(/^\s*([-*+]|\d+[.)])\s+/, ''), `${k}-${items.length}`)}</li>);
      }
      blocks.push(ordered ? <ol key={k}>{items}</ol> : <ul key={k}>{items}</ul>);
      continue;
    }
    if (line.startsWith('>')) {
      const quote: string[] = [];
      for (; i < lines.length && lines[i].startsWith('>'); i++) quote.push(lines[i].replace(/^>\s?/, ''));
      blocks.push(<blockquote key={k}>{renderMarkdown(quote.join('\n'))}</blockquote>);
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [line];
    for (i++; i < lines.length && lines[i].trim() !== '' && !/^(#{1,6}\s|```|~~~|>|\s*([-*+]|\d+[.)])\s+)/.test(lines[i]); i++) para.push(lines[i]);
    blocks.push(<p key={k}>{renderInline(para.join(' '), k)}</p>);
  }
  return blocks;
}
