// A small YAML reader for the block-style files PyYAML's safe_dump writes: Lightning's hparams.yaml
// and MLflow's meta.yaml. Mappings and sequences by indentation, plain, 'single' and "double" quoted
// scalars (also folded over several lines), `|`/`>` block scalars, `[]`/`{}` and simple flow lists,
// comments. Scalars stay text (quotes removed): the caller decides what is a number, so a param keeps
// the spelling the file has. Tags such as `!!python/tuple` are dropped; anchors are not supported.

export type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

export class YamlError extends Error {}

interface Line {
  indent: number;
  text: string; // without indentation
  no: number;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]-][^#]*?|-[^\s][^#]*?)\s*:(?:\s+|$)/;

export function parseYaml(source: string): YamlValue {
  const lines: Line[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const text = raw.replace(/^\s+/, '');
    if (text === '' || text.startsWith('#') || text === '---' || text === '...') {
      lines.push({ indent: -1, text: '', no: i + 1 }); // kept for block scalars, skipped elsewhere
      return;
    }
    lines.push({ indent: raw.length - text.length, text, no: i + 1 });
  });
  const p = { i: 0 };
  skipBlank(lines, p);
  if (p.i >= lines.length) return null;
  return parseBlock(lines, p, lines[p.i].indent);
}

function skipBlank(lines: Line[], p: { i: number }): void {
  while (p.i < lines.length && lines[p.i].indent < 0) p.i++;
}

function parseBlock(lines: Line[], p: { i: number }, indent: number): YamlValue {
  const line = lines[p.i];
  if (line.text === '-' || line.text.startsWith('- ')) return parseSequence(lines, p, indent);
  if (KEY.test(line.text)) return parseMapping(lines, p, indent);
  p.i++;
  return scalar(foldContinuation(lines, p, indent - 1, line.text));
}

function parseMapping(lines: Line[], p: { i: number }, indent: number): YamlValue {
  const out: { [key: string]: YamlValue } = {};
  for (skipBlank(lines, p); p.i < lines.length && lines[p.i].indent === indent; skipBlank(lines, p)) {
    const line = lines[p.i];
    const m = KEY.exec(line.text);
    if (!m) throw new YamlError(`line ${line.no}: expected "key: value"`);
    const key = unquote(m[1].trim());
    const rest = stripComment(line.text.slice(m[0].length));
    p.i++;
    out[key] = valueAfterKey(lines, p, indent, rest);
  }
  return out;
}

function valueAfterKey(lines: Line[], p: { i: number }, indent: number, rest: string): YamlValue {
  const tagless = rest.replace(/^!!?[\w/:.-]+\s*/, '');
  if (tagless === '') {
    skipBlank(lines, p);
    const next = lines[p.i];
    if (next && next.indent > indent) return parseBlock(lines, p, next.indent);
    // PyYAML writes a mapping's sequence values at the key's own indentation.
    if (next && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) return parseSequence(lines, p, indent);
    return null;
  }
  if (/^[|>][+-]?$/.test(tagless)) return blockScalar(lines, p, indent, tagless[0] === '|');
  return scalar(foldContinuation(lines, p, indent, tagless));
}

function parseSequence(lines: Line[], p: { i: number }, indent: number): YamlValue {
  const out: YamlValue[] = [];
  for (skipBlank(lines, p); p.i < lines.length && lines[p.i].indent === indent; skipBlank(lines, p)) {
    const line = lines[p.i];
    if (!(line.text === '-' || line.text.startsWith('- '))) break;
    const item = line.text === '-' ? '' : line.text.slice(2).replace(/^\s+/, '');
    if (item === '') {
      p.i++;
      skipBlank(lines, p);
      out.push(p.i < lines.length && lines[p.i].indent > indent ? parseBlock(lines, p, lines[p.i].indent) : null);
    } else {
      // "- key: value" opens a mapping whose keys line up with `key`.
      const itemIndent = indent + (line.text.length - item.length);
      lines[p.i] = { indent: itemIndent, text: item, no: line.no };
      out.push(parseBlock(lines, p, itemIndent));
    }
  }
  return out;
}

/** A plain or quoted scalar may go on over more-indented lines; they fold into one with spaces. */
function foldContinuation(lines: Line[], p: { i: number }, indent: number, first: string): string {
  let text = first;
  while (p.i < lines.length && (lines[p.i].indent > indent || lines[p.i].indent < 0)) {
    if (lines[p.i].indent < 0) {
      const after = lines.slice(p.i).find((l) => l.indent >= 0);
      if (!after || after.indent <= indent) break;
      text += '\n';
    } else text += `${text.endsWith('\n') ? '' : ' '}${lines[p.i].text}`;
    p.i++;
  }
  return text;
}

function blockScalar(lines: Line[], p: { i: number }, indent: number, literal: boolean): string {
  const body: string[] = [];
  let inner = -1;
  while (p.i < lines.length && (lines[p.i].indent > indent || lines[p.i].indent < 0)) {
    const l = lines[p.i++];
    if (l.indent < 0) body.push('');
    else {
      if (inner < 0) inner = l.indent;
      body.push(' '.repeat(Math.max(0, l.indent - inner)) + l.text);
    }
  }
  while (body.length && body[body.length - 1] === '') body.pop();
  return literal ? `${body.join('\n')}\n` : `${body.join(' ')}\n`;
}

function stripComment(s: string): string {
  if (s.startsWith("'") || s.startsWith('"')) return s.trim();
  const at = s.search(/\s#/);
  return (at < 0 ? s : s.slice(0, at)).trim();
}

function scalar(raw: string): YamlValue {
  const s = raw.trim().replace(/^!!?[\w/:.-]+\s*/, '');
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s.startsWith("'") || s.startsWith('"')) return unquote(s);
  if (s === '[]') return [];
  if (s === '{}') return {};
  if (s.startsWith('[') && s.endsWith(']')) return splitFlow(s.slice(1, -1)).map(scalar);
  return s;
}

function splitFlow(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim() !== '') out.push(cur);
  return out;
}

function unquote(s: string): string {
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1).replace(/''/g, "'");
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    return s.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, e: string) => {
      if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
      return ({ n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\', '/': '/', ' ': ' ', b: '\b', e: '\x1b', N: '\u0085', _: '\u00a0' } as Record<string, string>)[e] ?? e;
    });
  }
  return s;
}
