// TensorBoard event files → runs: scalars (simple_value and tensor-based, as torch's SummaryWriter
// and tf.summary v2 write them) become metric points with their step and wall time; hparams become
// params (and the metric names a tag); text summaries and histograms become artifacts. Damaged
// records are reported with file and byte offset, and the rest of the file is still read.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Importer, ImportRecord, ReadOptions } from '../import-record';
import { PointBatch } from '../point-batch';
import { contentIdentity, safeRelPath } from '../source-identity';
import { EventDecoder } from './event-decoder';
import { findTensorBoardRuns, type TbRun } from './run-layout';
import { readTfRecords } from './tfrecord-reader';
import type { HistogramPoint } from './summary-values';

export const tensorboardImporter: Importer = {
  id: 'tensorboard',

  async detect(p) {
    const runs = await findTensorBoardRuns(p);
    if (runs.length === 0) return null;
    const files = runs.reduce((n, r) => n + r.files.length, 0);
    return { format: 'tensorboard', description: `${runs.length} TensorBoard run${runs.length === 1 ? '' : 's'} (${files} event file${files === 1 ? '' : 's'})` };
  },

  read: readTensorBoard,
};

async function* readTensorBoard(root: string, options: ReadOptions): AsyncGenerator<ImportRecord> {
  const runs = await findTensorBoardRuns(root);
  const sizes = new Map<string, number>();
  for (const r of runs) for (const f of r.files) sizes.set(f, (await fs.promises.stat(f).catch(() => null))?.size ?? 0);
  yield { kind: 'plan', runs: runs.length, bytes: [...sizes.values()].reduce((a, b) => a + b, 0) };
  for (const run of runs) yield* readRun(run, sizes, options);
}

async function* readRun(run: TbRun, sizes: Map<string, number>, options: ReadOptions): AsyncGenerator<ImportRecord> {
  const runBytes = run.files.reduce((n, f) => n + (sizes.get(f) ?? 0), 0);
  let identity: string;
  try {
    identity = await contentIdentity('tensorboard', run.files.map((abs, i) => ({ abs, rel: run.rels[i] })));
  } catch (err) {
    yield { kind: 'problem', message: `${run.dir}: cannot read its event files: ${(err as Error).message}` };
    yield { kind: 'bytes', done: runBytes };
    return;
  }
  if (!(await options.shouldImport({ identity, name: run.name, source: run.dir }))) {
    yield { kind: 'bytes', done: runBytes };
    return;
  }
  const ref = run.dir;
  const batch = new PointBatch();
  const decoder = new EventDecoder(batch);
  let started = false;
  let decoded = 0;
  const start = (): ImportRecord => {
    started = true;
    const startTime = Number.isFinite(decoder.firstWall) ? Math.round(decoder.firstWall * 1000) : Date.now();
    return {
      kind: 'run',
      ref,
      identity,
      name: run.name,
      source: run.dir,
      experiment: options.experiment,
      startTime,
      userId: '',
      params: [],
      tags: [
        { key: 'runledger.import.format', value: 'tensorboard' },
        { key: 'runledger.import.source', value: run.dir },
      ],
    };
  };

  for (const file of run.files) {
    let done = 0;
    try {
      for await (const chunk of readTfRecords(file)) {
        for (const d of chunk.damaged) yield { kind: 'damaged', file, offset: d.offset, reason: d.reason };
        for (let i = 0; i < chunk.starts.length; i++) {
          try {
            decoder.decode(chunk.buf, chunk.starts[i], chunk.ends[i]);
            decoded++;
          } catch (err) {
            yield { kind: 'damaged', file, offset: chunk.offsets[i], reason: `undecodable Event record: ${(err as Error).message}` };
          }
        }
        if (!started && decoded > 0) yield start();
        for (const columns of batch.take(false)) yield { kind: 'points', ref, columns };
        yield { kind: 'bytes', done: chunk.bytesDone - done };
        done = chunk.bytesDone;
      }
    } catch (err) {
      yield { kind: 'problem', message: `${file}: ${(err as Error).message}` };
      yield { kind: 'bytes', done: (sizes.get(file) ?? 0) - done };
    }
  }
  if (!started) {
    // Not one readable event: there is no run to create (the damage is reported above).
    yield { kind: 'problem', message: `${run.dir}: no readable event records` };
    return;
  }
  for (const columns of batch.take(true)) yield { kind: 'points', ref, columns };

  const hp = decoder.hparams;
  if (hp.params.size > 0) yield { kind: 'params', ref, params: [...hp.params].map(([key, value]) => ({ key, value })) };
  if (hp.metricNames.length > 0) yield { kind: 'tags', ref, tags: [{ key: 'tensorboard.hparams.metrics', value: JSON.stringify(hp.metricNames) }] };
  yield* textArtifacts(ref, decoder);
  for (const [tag, points] of decoder.histograms) yield histogramArtifact(ref, tag, points);
  for (const [what, count] of decoder.ignored) yield { kind: 'ignored', what, count };
  if (run.otherFiles > 0) yield { kind: 'ignored', what: 'other file in a run folder (not TensorBoard data)', count: run.otherFiles };

  const endSecs = hp.endTimeSecs ?? (Number.isFinite(decoder.lastWall) ? decoder.lastWall : null);
  // SessionEndInfo.status: 2 is STATUS_FAILURE; without one, a run in a log folder is a finished run.
  yield { kind: 'run-end', ref, status: hp.status === 2 ? 'FAILED' : 'FINISHED', endTime: endSecs === null ? null : Math.round(endSecs * 1000) };
}

function* textArtifacts(ref: string, decoder: EventDecoder): Generator<ImportRecord> {
  // One Markdown file per tag and step (TensorBoard's text plugin renders Markdown).
  const byFile = new Map<string, string[]>();
  for (const t of decoder.texts) {
    const p = `${safeRelPath('tensorboard', 'text', t.tag)}/step_${t.step}.md`;
    const list = byFile.get(p) ?? [];
    list.push(t.text);
    byFile.set(p, list);
  }
  for (const [p, texts] of byFile) {
    const body = Buffer.from(`${texts.join('\n\n---\n\n')}\n`, 'utf8');
    yield { kind: 'artifact', ref, path: p, mediaType: 'text/markdown; charset=utf-8', what: 'text', items: texts.length, open: () => Readable.from([body]) };
  }
}

function histogramArtifact(ref: string, tag: string, points: HistogramPoint[]): ImportRecord {
  // JSON has no ±Infinity, and histogram edges are often ±DBL_MAX or infinite: spell them as strings.
  const json = JSON.stringify({ tag, points }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1);
  const body = Buffer.from(json, 'utf8');
  return { kind: 'artifact', ref, path: `${safeRelPath('tensorboard', 'histograms', tag)}.json`, mediaType: 'application/json', what: 'histogram', items: points.length, open: () => Readable.from([body]) };
}

