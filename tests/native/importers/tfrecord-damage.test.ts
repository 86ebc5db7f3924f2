// TFRecord framing and damaged event files, made at test time: a flipped data byte, a corrupt
// length, a file cut mid-record or mid-header, bytes that frame correctly but are no Event. Each
// damaged record is reported with its file and byte offset and every other point is imported.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../../../native/importers/tensorboard/crc32c';
import { readTfRecords, type Damage } from '../../../native/importers/tensorboard/tfrecord-reader';
import { fileVersionEvent, frameRecord, scalarEvent } from '../../../native/importers/tensorboard/event-writer';
import { Wire } from '../../../native/importers/tensorboard/protobuf-wire';
import { FIXTURES, cli, count, copyTree, importInto, openStore, storedPoints, tempDir } from './support';

const N = 50;
const WALL = 1_795_659_838.5;

/** A run folder with one event file of N loss points; returns the file and each record's offset. */
function writeRun(dir: string, name = 'events.out.tfevents.1795659838.test.1.0'): { file: string; offsets: number[]; bytes: Buffer } {
  fs.mkdirSync(dir, { recursive: true });
  const records = [frameRecord(fileVersionEvent(WALL)), ...Array.from({ length: N }, (_, i) => frameRecord(scalarEvent('loss', i + 1, WALL + i * 0.25, 1 / (i + 1))))];
  const offsets: number[] = [];
  let at = 0;
  for (const r of records) {
    offsets.push(at);
    at += r.length;
  }
  const bytes = Buffer.concat(records);
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return { file, offsets, bytes };
}

async function frame(file: string, chunkSize?: number): Promise<{ records: Buffer[]; damaged: Damage[] }> {
  const records: Buffer[] = [];
  const damaged: Damage[] = [];
  for await (const c of readTfRecords(file, chunkSize)) {
    c.starts.forEach((s, i) => records.push(Buffer.from(c.buf.subarray(s, c.ends[i]))));
    damaged.push(...c.damaged);
  }
  return { records, damaged };
}

describe('CRC-32C and the wire format', () => {
  it.each([
    ['', 0x00000000],
    ['a', 0xc1d04330],
    ['123456789', 0xe3069283],
    ['The quick brown fox jumps over the lazy dog', 0x22620404],
  ])('crc32c(%j) = %s', (text, crc) => {
    expect(crc32c(Buffer.from(text))).toBe(crc);
  });

  it('masks as TensorFlow does (the empty record header of a zero length)', () => {
    // First 12 bytes of every event file: length 0x48 and its masked CRC, as the fixtures hold them.
    const head = fs.readFileSync(path.join(FIXTURES, 'tensorboard/lr1e-3_bs64/events.out.tfevents.1795659838.vm.544.0')).subarray(0, 12);
    expect(maskedCrc32c(head, 0, 8)).toBe(head.readUInt32LE(8));
  });

  it('reads varints, negative int64s and packed floats', () => {
    const w = new Wire(Buffer.from([0x96, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(w.varint()).toBe(150);
    expect(w.int64()).toBe(-1);
    const packed = Buffer.alloc(10);
    packed[0] = 0x2a; // field 5, LEN
    packed[1] = 8;
    packed.writeFloatLE(1.5, 2);
    packed.writeFloatLE(-0, 6);
    const r = new Wire(packed);
    expect(r.next()).toBe(true);
    const out: number[] = [];
    r.packed(out, (x) => x.float());
    expect(out).toEqual([1.5, -0]);
    expect(Object.is(out[1], -0)).toBe(true);
  });

  it('frames records the same whatever the read chunk size', async () => {
    const { file } = writeRun(tempDir());
    const big = await frame(file);
    for (const size of [7, 64, 100]) expect(await frame(file, size)).toEqual(big);
    expect(big.records).toHaveLength(N + 1);
    expect(big.damaged).toEqual([]);
  });
});

describe('damaged event files', () => {
  let store: Awaited<ReturnType<typeof openStore>>;
  beforeAll(async () => {
    store = await openStore();
  });
  afterAll(() => store.close());

  async function importDamaged(damage: (f: { file: string; offsets: number[]; bytes: Buffer }) => void) {
    const dir = path.join(tempDir(), 'run');
    const f = writeRun(dir);
    damage(f);
    const summary = await importInto(store.core, dir);
    const runId = summary.runs[0]?.run_id;
    return { summary, f, loss: runId ? await storedPoints(store.core, runId, 'loss') : [] };
  }

  it('a flipped data byte: that record is reported at its offset, every other point imported', async () => {
    const { summary, f, loss } = await importDamaged(({ file, offsets, bytes }) => {
      bytes[offsets[10] + 20] ^= 0xff;
      fs.writeFileSync(file, bytes);
    });
    expect(summary.outcome).toBe('partial');
    expect(summary.damaged).toEqual([{ file: f.file, offset: f.offsets[10], reason: expect.stringMatching(/data CRC mismatch/) }]);
    expect(loss.map((p) => p.step)).toEqual(Array.from({ length: N }, (_, i) => i + 1).filter((s) => s !== 10));
  });

  it('a corrupt length: the reader finds the next valid record and reports the skipped range', async () => {
    const { summary, f, loss } = await importDamaged(({ file, offsets, bytes }) => {
      bytes[offsets[20] + 1] ^= 0x10; // length field of record 20 (step 20)
      fs.writeFileSync(file, bytes);
    });
    expect(summary.damaged).toHaveLength(1);
    expect(summary.damaged[0].offset).toBe(f.offsets[20]);
    expect(summary.damaged[0].reason).toBe(`corrupt record header: skipped ${f.offsets[21] - f.offsets[20]} bytes, resumed at byte ${f.offsets[21]}`);
    expect(loss).toHaveLength(N - 1);
    expect(loss.some((p) => p.step === 20)).toBe(false);
  });

  it('a file cut in the middle of its last record', async () => {
    const { summary, f, loss } = await importDamaged(({ file, offsets, bytes }) => fs.writeFileSync(file, bytes.subarray(0, offsets[N] + 20)));
    expect(summary.damaged).toEqual([{ file: f.file, offset: f.offsets[N], reason: expect.stringMatching(/^truncated record: it needs \d+ bytes, the file ends after 20$/) }]);
    expect(loss).toHaveLength(N - 1);
    expect(summary.outcome).toBe('partial');
  });

  it('a file cut inside a record header', async () => {
    const { summary, f, loss } = await importDamaged(({ file, offsets, bytes }) => fs.writeFileSync(file, bytes.subarray(0, offsets[N] + 5)));
    expect(summary.damaged).toEqual([{ file: f.file, offset: f.offsets[N], reason: 'truncated record header: the file ends 5 bytes into it' }]);
    expect(loss).toHaveLength(N - 1);
  });

  it('a record that frames correctly but is not an Event', async () => {
    const { summary, f, loss } = await importDamaged(({ file, offsets, bytes }) => {
      const junk = frameRecord(Buffer.from([0x0a, 0xff, 0x01])); // field 1 claims 255 bytes
      fs.writeFileSync(file, Buffer.concat([bytes.subarray(0, offsets[5]), junk, bytes.subarray(offsets[5])]));
    });
    expect(summary.damaged).toEqual([{ file: f.file, offset: f.offsets[5], reason: expect.stringMatching(/^undecodable Event record/) }]);
    expect(loss).toHaveLength(N);
  });

  it('a damaged copy of the real fixture imports the rest, reports file and offset, exits 4', async () => {
    const root = tempDir();
    const run = copyTree(path.join(FIXTURES, 'tensorboard/lr3e-4_bs64'), path.join(root, 'lr3e-4_bs64'));
    const file = path.join(run, 'events.out.tfevents.1795659840.vm.544.2');
    const bytes = fs.readFileSync(file);
    const offsets: number[] = [];
    for (let at = 0; at < bytes.length; at += 16 + bytes.readUInt32LE(at)) offsets.push(at);
    bytes[offsets[100] + 30] ^= 0x01; // one train/loss or train/lr point
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 3)); // and the last record torn
    const r = await cli(['import', root, '--data', tempDir()]);
    expect(r.code).toBe(4);
    expect(r.out).toContain(`${file} at byte ${offsets[100]}: data CRC mismatch`);
    expect(r.out).toContain(`${file} at byte ${offsets[offsets.length - 1]}: truncated record`);
    expect(r.out).toMatch(/2 records skipped/);
    expect(r.out).toMatch(/1 imported, 0 already there/);
  });

  it('nothing readable at all: no run is created, exit 1', async () => {
    const dir = path.join(tempDir(), 'run');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'events.out.tfevents.1.host.1.0'), Buffer.from('not a tfrecord'));
    const summary = await importInto(store.core, dir);
    expect(summary.outcome).toBe('nothing');
    expect(summary.damaged).toHaveLength(1);
    expect(summary.problems).toEqual([`${dir}: no readable event records`]);
    expect(summary.runs).toEqual([]);
    const r = await cli(['import', dir, '--data', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('nothing imported');
  });
});
