// Parsers for what `nvidia-smi` prints, so a run's GPU context can be captured by a client that only
// shells out and sends the text: `--query-gpu=… --format=csv` (with or without header and units),
// `-L`, the plain status table, `-q` and `-q -x`. Each returns the same shape; fields a format does
// not carry are null. Golden-tested on real output from an H200 workstation (shared/fixtures).

export interface GpuInfo {
  index: number;
  name: string;
  memory_total_mib: number | null;
  uuid: string | null;
  bus_id: string | null;
}

export interface NvidiaSmiInfo {
  driver: string | null;
  /** The newest CUDA the driver supports (not the CUDA a framework was built with). */
  cuda: string | null;
  gpus: GpuInfo[];
}

export type NvidiaSmiFormat = 'query-csv' | 'list' | 'table' | 'query-text' | 'xml';

/** The fields of `--query-gpu` when a CSV has no header and the caller names none (the client's default query). */
export const DEFAULT_QUERY_FIELDS = ['name', 'memory.total', 'driver_version'] as const;

const NOT_AVAILABLE = /^\[?(N\/A|Not Supported|Unknown Error|Insufficient Permissions)\]?$/i;

function cell(v: string | undefined): string | null {
  const t = (v ?? '').trim();
  return t === '' || NOT_AVAILABLE.test(t) ? null : t;
}

/** `143771 MiB`, `143771` (nounits), `140.4 GiB` → MiB. */
export function mebibytes(v: string | null | undefined, unitFromHeader = 'MiB'): number | null {
  const m = /^([\d.]+)\s*([KMGT]i?B)?$/i.exec((v ?? '').trim());
  if (!m) return null;
  const unit = (m[2] ?? unitFromHeader).toLowerCase().replace('ib', 'b');
  const scale: Record<string, number> = { kb: 1 / 1024, mb: 1, gb: 1024, tb: 1024 * 1024 };
  const n = Number(m[1]) * (scale[unit] ?? 1);
  return Number.isFinite(n) ? Math.round(n) : null;
}

/** Splits one CSV line; nvidia-smi quotes nothing, but a GPU name could in principle hold a comma in quotes. */
function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim());
}

const HEADER_CELL = /^[a-z_][a-z0-9_.]*( \[[^\]]+\])?$/;

/** `--query-gpu=…` CSV. `fields` names the columns when the output has no header (`noheader`). */
export function parseQueryCsv(text: string, fields?: readonly string[]): NvidiaSmiInfo {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  let names: string[] = [...(fields ?? DEFAULT_QUERY_FIELDS)];
  const units: (string | undefined)[] = [];
  // A header is recognisable on its own: every cell is a field name like `memory.total [MiB]`.
  if (lines.length > 0 && csvCells(lines[0]).every((c) => HEADER_CELL.test(c))) {
    const header = csvCells(lines.shift()!);
    names = header.map((h) => h.replace(/ \[.*$/, ''));
    header.forEach((h, i) => (units[i] = /\[([^\]]+)\]/.exec(h)?.[1]));
  }
  const col = (cells: string[], name: string): [string | null, string | undefined] => {
    const i = names.indexOf(name);
    return i < 0 ? [null, undefined] : [cell(cells[i]), units[i]];
  };
  let driver: string | null = null;
  const gpus = lines.map((line, row): GpuInfo => {
    const cells = csvCells(line);
    const [index] = col(cells, 'index');
    const [mem, memUnit] = col(cells, 'memory.total');
    driver ??= col(cells, 'driver_version')[0];
    return {
      index: index !== null && /^\d+$/.test(index) ? Number(index) : row,
      name: col(cells, 'name')[0] ?? '',
      memory_total_mib: mebibytes(mem, memUnit),
      uuid: col(cells, 'uuid')[0],
      bus_id: col(cells, 'pci.bus_id')[0],
    };
  });
  return { driver, cuda: null, gpus };
}

/** `nvidia-smi -L`: `GPU 0: NVIDIA H200 (UUID: GPU-…)`. MIG instances (indented `MIG …` lines) are not GPUs. */
export function parseGpuList(text: string): NvidiaSmiInfo {
  const gpus: GpuInfo[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^GPU (\d+): (.+?)(?: \(UUID: ([^)]+)\))?\s*$/.exec(line);
    if (m) gpus.push({ index: Number(m[1]), name: m[2].trim(), memory_total_mib: null, uuid: m[3] ?? null, bus_id: null });
  }
  return { driver: null, cuda: null, gpus };
}

/** The plain `nvidia-smi` status table: versions in the banner, one two-line row block per GPU. */
export function parseSmiTable(text: string): NvidiaSmiInfo {
  const driver = /Driver Version:\s*([\d.]+)/.exec(text)?.[1] ?? null;
  const cuda = /CUDA Version:\s*([\d.]+)/.exec(text)?.[1] ?? null;
  const lines = text.split(/\r?\n/);
  const gpus: GpuInfo[] = [];
  // Only the GPU section: the process table below it also has rows that start with a number.
  const end = lines.findIndex((l) => /Processes:/.test(l));
  const section = end < 0 ? lines : lines.slice(0, end);
  for (let i = 0; i < section.length; i++) {
    // `|   0  NVIDIA H200                    On  |   00000000:00:06.0 Off |                    0 |`
    const m = /^\|\s+(\d+)\s+(.+?)\s+(On|Off)\s+\|\s+([0-9A-Fa-f:.]+)\s/.exec(section[i]);
    if (!m) continue;
    const mem = /\|\s*\d+MiB\s*\/\s*(\d+)MiB\s*\|/.exec(section[i + 1] ?? '');
    gpus.push({ index: Number(m[1]), name: m[2].trim(), memory_total_mib: mem ? Number(mem[1]) : null, uuid: null, bus_id: m[4] });
  }
  return { driver, cuda, gpus };
}

/** `nvidia-smi -q`: `Key : value` lines, indented by section. */
export function parseQueryText(text: string): NvidiaSmiInfo {
  const top = (key: string): string | null => cell(new RegExp(`^${key}\\s*:\\s*(.*)$`, 'm').exec(text)?.[1]);
  const gpus: GpuInfo[] = [];
  // Each GPU block starts with an unindented `GPU <bus id>` line.
  const blocks = text.split(/^GPU (?=[0-9A-Fa-f]{4,}:)/m).slice(1);
  for (const block of blocks) {
    const busId = block.split(/\r?\n/, 1)[0].trim();
    const field = (re: RegExp): string | null => cell(re.exec(block)?.[1]);
    const fb = /FB Memory Usage\s*\n\s+Total\s*:\s*(.+)/.exec(block)?.[1];
    const minor = field(/^\s+Minor Number\s*:\s*(.+)$/m);
    gpus.push({
      index: minor !== null && /^\d+$/.test(minor) ? Number(minor) : gpus.length,
      name: field(/^\s+Product Name\s*:\s*(.+)$/m) ?? '',
      memory_total_mib: mebibytes(cell(fb)),
      uuid: field(/^\s+GPU UUID\s*:\s*(.+)$/m),
      bus_id: busId,
    });
  }
  return { driver: top('Driver Version'), cuda: top('CUDA Version'), gpus };
}

function xmlText(v: string | undefined): string | null {
  if (v === undefined) return null;
  const decoded = v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return cell(decoded);
}

/** `nvidia-smi -q -x`. A regex reader is enough: the document is flat, machine-written and has no CDATA. */
export function parseSmiXml(text: string): NvidiaSmiInfo {
  const tag = (src: string, name: string): string | null => xmlText(new RegExp(`<${name}>([^<]*)</${name}>`).exec(src)?.[1]);
  const head = text.split(/<gpu[\s>]/, 1)[0];
  const gpus: GpuInfo[] = [];
  for (const m of text.matchAll(/<gpu id="([^"]*)">([\s\S]*?)<\/gpu>/g)) {
    const body = m[2];
    const fb = /<fb_memory_usage>([\s\S]*?)<\/fb_memory_usage>/.exec(body)?.[1] ?? '';
    const minor = tag(body, 'minor_number');
    gpus.push({
      index: minor !== null && /^\d+$/.test(minor) ? Number(minor) : gpus.length,
      name: tag(body, 'product_name') ?? '',
      memory_total_mib: mebibytes(tag(fb, 'total')),
      uuid: tag(body, 'uuid'),
      bus_id: m[1] || null,
    });
  }
  return { driver: tag(head, 'driver_version'), cuda: tag(head, 'cuda_version'), gpus };
}

export function detectFormat(text: string): NvidiaSmiFormat {
  if (/^\s*<\?xml|<nvidia_smi_log>/.test(text)) return 'xml';
  if (/==NVSMI LOG==/.test(text)) return 'query-text';
  if (/NVIDIA-SMI .*Driver Version:/.test(text)) return 'table';
  if (/^GPU \d+: /m.test(text)) return 'list';
  return 'query-csv';
}

/** Any of the formats above, detected from the text itself. */
export function parseNvidiaSmi(text: string, fields?: readonly string[]): NvidiaSmiInfo {
  switch (detectFormat(text)) {
    case 'xml':
      return parseSmiXml(text);
    case 'query-text':
      return parseQueryText(text);
    case 'table':
      return parseSmiTable(text);
    case 'list':
      return parseGpuList(text);
    default:
      return parseQueryCsv(text, fields);
  }
}
