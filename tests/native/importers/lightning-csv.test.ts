// Lightning's CSVLogger output (the shared fixture, written by a real run): every non-empty cell
// becomes a point at its row's step, epoch becomes a series, hparams.yaml becomes params.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../native/api/contract';
import { parseYaml } from '../../../native/importers/simple-yaml';
import { flattenParams } from '../../../native/importers/lightning-csv-importer';
import { FIXTURES, copyTree, importInto, openStore, storedPoints, tempDir } from './support';

const CSV = path.join(FIXTURES, 'lightning-csv/metrics.csv');

describe('Lightning CSVLogger fixture', () => {
  let store: Awaited<ReturnType<typeof openStore>>;
  let summary: ImportSummary;
  beforeAll(async () => {
    store = await openStore();
    summary = await importInto(store.core, path.join(FIXTURES, 'lightning-csv'), 'lightning');
  });
  afterAll(() => store.close());

  it('imports every cell of metrics.csv at its row step, exactly as written', async () => {
    expect(summary.outcome).toBe('complete');
    expect(summary.format).toBe('lightning-csv');
    const runId = summary.runs[0].run_id!;
    const [header, ...rows] = fs.readFileSync(CSV, 'utf8').trim().split(/\r?\n/).map((l) => l.split(',')); // csv.writer ends lines with CRLF
    for (const key of ['train_loss', 'val_acc', 'val_loss']) {
      const col = header.indexOf(key);
      const expected = rows.filter((r) => r[col] !== '').map((r) => ({ step: Number(r[1]), value: Number(r[col]) }));
      const stored = await storedPoints(store.core, runId, key);
      expect(stored.map((p) => ({ step: p.step, value: p.value }))).toEqual(expected);
    }
    expect(await storedPoints(store.core, runId, 'train_loss')).toHaveLength(45);
    expect(await storedPoints(store.core, runId, 'val_acc')).toHaveLength(5);
    // One epoch point per logged step, so epoch can be a plot's x axis.
    const epoch = await storedPoints(store.core, runId, 'epoch');
    expect(epoch).toHaveLength(45);
    expect(epoch.filter((p) => p.step === 44)).toEqual([expect.objectContaining({ value: 0 })]);
    expect(epoch.at(-1)).toMatchObject({ step: 224, value: 4 });
    expect(summary.counts.points).toBe(45 + 5 + 5 + 45);
  });

  it('takes params from hparams.yaml and says where the wall times come from', async () => {
    const run = (await store.core.runParts([summary.runs[0].run_id!])).get(summary.runs[0].run_id!)!;
    expect(run.params).toEqual([{ key: 'hidden', value: '128' }, { key: 'lr', value: '0.001' }]);
    expect(run.tags.find((t) => t.key === 'runledger.import.note')?.value).toMatch(/no wall times/);
    const [p] = await storedPoints(store.core, summary.runs[0].run_id!, 'train_loss');
    expect(p.ts).toBe(Math.round(fs.statSync(CSV).mtimeMs));
  });

  it('finds version_N folders under a logger folder, and imports each once', async () => {
    const root = tempDir();
    copyTree(path.join(FIXTURES, 'lightning-csv'), path.join(root, 'my_model/version_0'));
    copyTree(path.join(FIXTURES, 'lightning-csv'), path.join(root, 'my_model/version_1'));
    fs.appendFileSync(path.join(root, 'my_model/version_1/metrics.csv'), '5,229,nan,,\n5,234,inf,,\n');
    const again = await importInto(store.core, root, 'lightning');
    // version_0 is the fixture imported above (same content): already there.
    expect(again.runs.map((r) => [r.name, r.outcome])).toEqual([
      ['my_model/version_0', 'already-there'],
      ['my_model/version_1', 'imported'],
    ]);
    const loss = await storedPoints(store.core, again.runs[1].run_id!, 'train_loss');
    expect(loss.slice(-2).map((p) => p.value)).toEqual([NaN, Infinity]);
  });
});

describe('the small YAML reader', () => {
  it.each<[string, string, unknown]>([
    ['Lightning flat hparams', 'hidden: 128\nlr: 0.001\n', { hidden: '128', lr: '0.001' }],
    ['nested mapping and a list', 'model:\n  layers: 3\n  act: relu\nsizes:\n- 64\n- 128\n', { model: { layers: '3', act: 'relu' }, sizes: ['64', '128'] }],
    ['quoting', "a: 'it''s'\nb: \"tab\\there\"\nc: '0'\nd: ~\ne:\n", { a: "it's", b: 'tab\there', c: '0', d: null, e: null }],
    ['comments and flow', '# saved\nx: [1, 2]  # trailing\ny: {}\nz: []\n', { x: ['1', '2'], y: {}, z: [] }],
    ['folded long plain scalar', 'name: a very long\n  experiment name\nnext: 1\n', { name: 'a very long experiment name', next: '1' }],
    ['python tags dropped', 'betas: !!python/tuple\n- 0.9\n- 0.999\n', { betas: ['0.9', '0.999'] }],
    ['list of mappings', 'items:\n- name: a\n  v: 1\n- name: b\n  v: 2\n', { items: [{ name: 'a', v: '1' }, { name: 'b', v: '2' }] }],
    ['block scalar', 'notes: |\n  line one\n  line two\nafter: x\n', { notes: 'line one\nline two\n', after: 'x' }],
    ['MLflow meta.yaml', "artifact_uri: file:///tmp/mlruns/1/abc/artifacts\nend_time: null\nexperiment_id: '1'\nstatus: 3\ntags: []\n", { artifact_uri: 'file:///tmp/mlruns/1/abc/artifacts', end_time: null, experiment_id: '1', status: '3', tags: [] }],
  ])('%s', (_name, text, expected) => {
    expect(parseYaml(text)).toEqual(expected);
  });

  it('flattens hparams the way MLflow does for Lightning', () => {
    expect(flattenParams(parseYaml('opt:\n  name: adam\n  betas: [0.9, 0.99]\nseed: null\n'))).toEqual([
      { key: 'opt.name', value: 'adam' },
      { key: 'opt.betas', value: '["0.9","0.99"]' },
      { key: 'seed', value: 'None' },
    ]);
  });
});
