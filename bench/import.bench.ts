// `npm run bench:import`: import speed for one TensorBoard event file of 10M scalar points, written
// here first (torch SummaryWriter's encoding: simple_value; 10 tags × 1M steps). Prints a table:
// the full import (DuckDB commits, compaction and metrics.parquet included), and the parts of it
// measured alone, so a shortfall says where the time goes. BENCH_IMPORT_POINTS shrinks it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../native/core';
import type { ImportSummary } from '../native/api/contract';
import { importJobs } from '../native/importers/import-jobs';
import { maskedCrc32c } from '../native/importers/tensorboard/crc32c';
import { readTfRecords } from '../native/importers/tensorboard/tfrecord-reader';
import { EventDecoder } from '../native/importers/tensorboard/event-decoder';
import { PointBatch } from '../native/importers/point-batch';
import { contentIdentity } from '../native/importers/source-identity';
import { fileVersionEvent, frameRecord, tensorScalarEvent } from '../native/importers/tensorboard/event-writer';

const POINTS = Number(process.env.BENCH_IMPORT_POINTS ?? 10_000_000);
const TAGS = ['train/loss', 'train/lr', 'train/grad_norm', 'train/acc', 'val/loss', 'val/acc', 'gpu/mem', 'gpu/util', 'throughput', 'epoch'];
const WALL0 = 1_795_659_838.25;

/** Writes simple_value events straight into large buffers (building 10M small protos one by one would time the writer, not the reader). */
function writeEventFile(file: string, points: number): number {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.allocUnsafe(64 << 20);
  let at = 0;
  const flush = (): void => {
    fs.writeSync(fd, chunk, 0, at);
    at = 0;
  };
  const first = frameRecord(fileVersionEvent(WALL0));
  first.copy(chunk, at);
  at += first.length;
  const tags = TAGS.map((t) => Buffer.from(t));
  const steps = Math.ceil(points / TAGS.length);
  let written = 0;
  for (let s = 1; s <= steps && written < points; s++) {
    for (let k = 0; k < tags.length && written < points; k++, written++) {
      if (at > chunk.length - 256) flush();
      const tag = tags[k];
      const valueLen = 2 + tag.length + 5; // tag field + simple_value field
      const summaryLen = 2 + valueLen;
      let stepLen = 1;
      for (let v = s; v >= 0x80; v = Math.floor(v / 128)) stepLen++;
      const dataLen = 9 + 1 + stepLen + 2 + summaryLen;
      const start = at;
      chunk.writeUInt32LE(dataLen, at);
      chunk.writeUInt32LE(0, at + 4);
      chunk.writeUInt32LE(maskedCrc32c(chunk, at, at + 8), at + 8);
      let p = at + 12;
      chunk[p++] = 0x09; // wall_time, fixed64
      chunk.writeDoubleLE(WALL0 + s * 0.01 + k * 1e-5, p);
      p += 8;
      chunk[p++] = 0x10; // step, varint
      for (let v = s; ; v = Math.floor(v / 128)) {
        if (v < 0x80) {
          chunk[p++] = v;
          break;
        }
        chunk[p++] = (v % 128) | 0x80;
      }
      chunk[p++] = 0x2a; // summary
      chunk[p++] = summaryLen;
      chunk[p++] = 0x0a; // value
      chunk[p++] = valueLen;
      chunk[p++] = 0x0a; // tag
      chunk[p++] = tag.length;
      tag.copy(chunk, p);
      p += tag.length;
      chunk[p++] = 0x15; // simple_value, fixed32
      chunk.writeFloatLE(Math.sin(s / 1000 + k) * Math.exp(-s / 1e6), p);
      p += 4;
      chunk.writeUInt32LE(maskedCrc32c(chunk, start + 12, p), p);
      at = p + 4;
    }
  }
  flush();
  fs.closeSync(fd);
  return written;
}

function writeTensorFile(file: string, points: number): void {
  const parts: Buffer[] = [frameRecord(fileVersionEvent(WALL0))];
  for (let i = 0; i < points; i++) parts.push(frameRecord(tensorScalarEvent(TAGS[i % TAGS.length], Math.floor(i / TAGS.length) + 1, WALL0 + i * 1e-3, Math.cos(i), i < TAGS.length)));
  fs.writeFileSync(file, Buffer.concat(parts));
}

async function decodeOnly(file: string, decode: boolean): Promise<{ seconds: number; points: number }> {
  const t = performance.now();
  const batch = new PointBatch();
  const decoder = new EventDecoder(batch);
  let points = 0;
  for await (const c of readTfRecords(file)) {
    if (decode) for (let i = 0; i < c.starts.length; i++) decoder.decode(c.buf, c.starts[i], c.ends[i]);
    else points += c.starts.length;
    for (const cols of batch.take(false)) points += cols.keyIndex.length;
  }
  for (const cols of batch.take(true)) points += cols.keyIndex.length;
  return { seconds: (performance.now() - t) / 1000, points: decode ? points : points - 1 };
}

async function fullImport(dir: string): Promise<{ seconds: number; points: number; outcome: string; timings: ImportSummary['timings'] }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-bench-import-store-'));
  const core = await createCore({ dataDir });
  try {
    const t = performance.now();
    const s = await importJobs(core).run(dir);
    return { seconds: (performance.now() - t) / 1000, points: s.counts.points, outcome: s.outcome, timings: s.timings };
  } finally {
    await core.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'runledger-bench-import-'));
try {
  const runDir = path.join(root, 'logs', 'bench-run');
  fs.mkdirSync(runDir, { recursive: true });
  const file = path.join(runDir, 'events.out.tfevents.1795659838.bench.1.0');
  process.stderr.write(`writing ${fmt(POINTS)} points to an event file…\n`);
  const written = writeEventFile(file, POINTS);
  const mb = fs.statSync(file).size / 1e6;

  const rows: string[][] = [];
  const row = (what: string, seconds: number, points: number, note = ''): void => {
    rows.push([what, fmt(seconds, 2), fmt(points / seconds), fmt(mb / seconds), note]);
  };
  process.stderr.write('framing + CRC-32C only…\n');
  const framing = await decodeOnly(file, false);
  row('TFRecord framing + CRC-32C checks', framing.seconds, written);
  process.stderr.write('framing + Event decoding…\n');
  const decoding = await decodeOnly(file, true);
  if (decoding.points !== written) throw new Error(`decoded ${decoding.points} points, wrote ${written}`);
  row('framing + Event decoding (no store)', decoding.seconds, written);
  process.stderr.write('identity hash…\n');
  let t = performance.now();
  await contentIdentity('tensorboard', [{ rel: path.basename(file), abs: file }]);
  row('identity (sha256 of the file)', (performance.now() - t) / 1000, written);
  process.stderr.write('full import into a fresh store…\n');
  const full = await fullImport(path.join(root, 'logs'));
  if (full.points !== written || full.outcome !== 'complete') throw new Error(`import: ${full.points} points, ${full.outcome}`);
  row('full import: runledger import (DuckDB, compaction, Parquet)', full.seconds, full.points, full.points / full.seconds >= 1e6 ? 'target ≥ 1,000,000 pts/s: met' : 'target ≥ 1,000,000 pts/s: NOT met');
  const ft = full.timings;
  rows.push(['  of which: reading + decoding + identity hash', fmt(ft.reading, 2), '', '', 'main thread, between store writes']);
  rows.push(['  of which: waiting for point commits', fmt(ft.committing, 2), '', '', 'MetricWriter flushes (Appender + COMMIT)']);
  rows.push(['  of which: finalizing the run', fmt(ft.finalizing, 2), '', '', 'Core.finalizeRun: compaction + metrics.parquet']);
  rows.push(['  of which: other', fmt(ft.other, 2), '', '', 'run rows, params, tags, artifacts']);
  const untilCommitted = full.seconds - ft.finalizing;
  row('  points committed and queryable (before finalizing)', untilCommitted, full.points);

  const tensorPoints = Math.min(1_000_000, POINTS);
  const tdir = path.join(root, 'tf2', 'run');
  fs.mkdirSync(tdir, { recursive: true });
  writeTensorFile(path.join(tdir, 'events.out.tfevents.1795659838.bench.2.0'), tensorPoints);
  t = performance.now();
  const tf2 = await fullImport(path.join(root, 'tf2'));
  rows.push(['full import, tf.summary v2 tensor scalars (1M)', fmt(tf2.seconds, 2), fmt(tf2.points / tf2.seconds), '-', '']);

  const headers = ['what', 'seconds', 'points/s', 'MB/s', 'note'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  console.log(`\nRunledger import benchmark: ${fmt(written)} points, ${fmt(mb, 1)} MB event file (${os.cpus().length} cores, node ${process.version})\n`);
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
