// PyTorch Lightning's CSVLogger output → runs. A version folder (`<save_dir>/<name>/version_N/`)
// holds metrics.csv (one row per logging call: sparse columns, `epoch` and `step`) and hparams.yaml.
// Each non-empty cell becomes a point at the row's step; `epoch` becomes a series too, so plots can
// use it as their x axis. The CSV has no wall times: points carry the file's modification time.
import fs from 'node:fs';
import path from 'node:path';
import type { Importer, ImportRecord, ReadOptions } from './import-record';
import { PointBatch } from './point-batch';
import { contentIdentity } from './source-identity';
import { parseYaml, type YamlValue } from './simple-yaml';
import { pythonFloat } from './python-float';
import type { KeyValue } from '../store/run-repository';

const MAX_DEPTH = 4;

interface CsvRun {
  name: string;
  dir: string;
  csv: string;
  yaml: string | null;
}

async function isMetricsCsv(file: string): Promise<boolean> {
  const fh = await fs.promises.open(file, 'r').catch(() => null);
  if (!fh) return false;
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const header = splitCsvLine(head.subarray(0, bytesRead).toString('utf8').split(/\r?\n/)[0] ?? '');
    return header.includes('step') || header.includes('epoch');
  } finally {
    await fh.close();
  }
}

async function findRuns(root: string): Promise<CsvRun[]> {
  const abs = path.resolve(root);
  const stat = await fs.promises.stat(abs).catch(() => null);
  if (!stat) return [];
  const base = stat.isFile() ? path.dirname(abs) : abs;
  const out: CsvRun[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    const csv = path.join(dir, 'metrics.csv');
    if (fs.existsSync(csv) && (await isMetricsCsv(csv))) {
      const yaml = path.join(dir, 'hparams.yaml');
      const rel = path.relative(base, dir).split(path.sep).join('/');
      out.push({ name: rel === '' ? path.basename(dir) : rel, dir, csv, yaml: fs.existsSync(yaml) ? yaml : null });
      return; // a version folder's children (checkpoints/) are not runs
    }
    if (depth >= MAX_DEPTH) return;
    const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory() && !e.name.startsWith('.')) await visit(path.join(dir, e.name), depth + 1);
    }
  };
  if (stat.isFile()) {
    if (path.basename(abs) === 'metrics.csv') await visit(base, MAX_DEPTH);
  } else await visit(abs, 0);
  return out;
}

export const lightningCsvImporter: Importer = {
  id: 'lightning-csv',
  async detect(p) {
    const runs = await findRuns(p);
    if (runs.length === 0) return null;
    return { format: 'lightning-csv', description: `${runs.length} Lightning CSVLogger run${runs.length === 1 ? '' : 's'} (metrics.csv)` };
  },
  read: readLightning,
};

async function* readLightning(root: string, options: ReadOptions): AsyncGenerator<ImportRecord> {
  const runs = await findRuns(root);
  const size = (f: string | null): number => (f ? fs.statSync(f).size : 0);
  yield { kind: 'plan', runs: runs.length, bytes: runs.reduce((n, r) => n + size(r.csv) + size(r.yaml), 0) };
  for (const run of runs) {
    const bytes = size(run.csv) + size(run.yaml);
    const files = [{ rel: 'metrics.csv', abs: run.csv }, ...(run.yaml ? [{ rel: 'hparams.yaml', abs: run.yaml }] : [])];
    let identity: string;
    let text: string;
    let params: KeyValue[] = [];
    try {
      identity = await contentIdentity('lightning-csv', files);
      text = await fs.promises.readFile(run.csv, 'utf8');
    } catch (err) {
      yield { kind: 'problem', message: `${run.dir}: ${(err as Error).message}` };
      continue;
    }
    if (!(await options.shouldImport({ identity, name: run.name, source: run.dir }))) {
      yield { kind: 'bytes', done: bytes };
      continue;
    }
    if (run.yaml) {
      try {
        params = flattenParams(parseYaml(await fs.promises.readFile(run.yaml, 'utf8')));
      } catch (err) {
        yield { kind: 'damaged', file: run.yaml, offset: 0, reason: `unreadable YAML: ${(err as Error).message}` };
      }
    }
    const mtimes = files.map((f) => fs.statSync(f.abs).mtimeMs);
    const ts = Math.round(fs.statSync(run.csv).mtimeMs);
    yield {
      kind: 'run',
      ref: run.dir,
      identity,
      name: run.name,
      source: run.dir,
      experiment: options.experiment,
      startTime: Math.round(Math.min(...mtimes)),
      userId: '',
      params,
      tags: [
        { key: 'runledger.import.format', value: 'lightning-csv' },
        { key: 'runledger.import.source', value: run.dir },
        { key: 'runledger.import.note', value: "Lightning's metrics.csv has no wall times: every point carries the file's modification time." },
      ],
    };
    yield* csvPoints(run, text, ts);
    yield { kind: 'bytes', done: bytes };
    yield { kind: 'run-end', ref: run.dir, status: 'FINISHED', endTime: Math.round(Math.max(...mtimes)) };
  }
}

function* csvPoints(run: CsvRun, text: string, ts: number): Generator<ImportRecord> {
  const lines = text.split('\n');
  const header = splitCsvLine(lines[0].replace(/\r$/, ''));
  const stepCol = header.indexOf('step');
  const batch = new PointBatch();
  const keyIds = header.map((h) => batch.keyId(h));
  let lastEpoch: [number, number] | null = null;
  let nonNumeric = 0;
  let offset = Buffer.byteLength(lines[0]) + 1;
  for (let row = 1; row < lines.length; row++) {
    const line = lines[row].replace(/\r$/, '');
    const lineOffset = offset;
    offset += Buffer.byteLength(lines[row]) + 1;
    if (line === '') continue;
    const cells = splitCsvLine(line);
    if (cells.length !== header.length) {
      yield { kind: 'damaged', file: run.csv, offset: lineOffset, reason: `row ${row + 1} has ${cells.length} cells, the header ${header.length}` };
      continue;
    }
    const step = stepCol >= 0 ? Number(cells[stepCol]) : row - 1;
    if (!Number.isSafeInteger(step)) {
      yield { kind: 'damaged', file: run.csv, offset: lineOffset, reason: `row ${row + 1} has step '${cells[stepCol]}'` };
      continue;
    }
    for (let c = 0; c < cells.length; c++) {
      if (c === stepCol || cells[c] === '') continue;
      const value = cells[c] === 'True' ? 1 : cells[c] === 'False' ? 0 : pythonFloat(cells[c]);
      if (value === null) {
        nonNumeric++;
        continue;
      }
      if (header[c] === 'epoch') {
        // Lightning repeats the epoch on every row; one point per (step, epoch) is the series.
        if (lastEpoch && lastEpoch[0] === step && lastEpoch[1] === value) continue;
        lastEpoch = [step, value];
      }
      batch.push(keyIds[c], step, ts, value);
    }
    for (const columns of batch.take(false)) yield { kind: 'points', ref: run.dir, columns };
  }
  for (const columns of batch.take(true)) yield { kind: 'points', ref: run.dir, columns };
  if (nonNumeric > 0) yield { kind: 'ignored', what: 'non-numeric value in metrics.csv', count: nonNumeric };
}

export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * hparams.yaml as params: nested mappings flattened with dots (as MLflow's Lightning logger does),
 * lists as JSON, YAML null as Python's `None` (the values came from Python).
 */
export function flattenParams(value: YamlValue, prefix = '', out: KeyValue[] = []): KeyValue[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenParams(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix !== '') {
    out.push({ key: prefix, value: value === null ? 'None' : typeof value === 'string' ? value : JSON.stringify(value) });
  }
  return out;
}
