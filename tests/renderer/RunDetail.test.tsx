// @vitest-environment jsdom
// The run detail page against a real core: the five dimensions as tabs, INTERRUPTED with its last
// step, the dataset-changed warning, and artifact previews (JSON pretty, Markdown as text only,
// Parquet as a table read by DuckDB, images by same-origin URL).
import { Readable } from 'node:stream';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../native/core';
import { createHandlers } from '../../native/api/handlers';
import { createApiClient, type ApiClient } from '../../renderer/api/api-client';
import { inProcessTransport } from '../../renderer/api/in-process-transport';
import { RunDetailPage } from '../../renderer/features/detail/RunDetailPage';
import { tempDir } from '../helpers/test-server';

const dir = tempDir('runledger-detail-');
let core: Core;
let client: ApiClient;
let runId: string;

beforeAll(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  core = await createCore({ dataDir: dir, interruptAfterMs: 60_000 });
  client = createApiClient(inProcessTransport(createHandlers(core)));
  const earlier = await core.runs.create({ experimentId: '0', userId: 'me', runName: 'earlier', startTime: 1000, tags: [] });
  runId = await core.runs.create({ experimentId: '0', userId: 'me', runName: 'resnet-a', startTime: 2000, tags: [] });
  await core.runs.logParams(runId, [{ key: 'lr', value: '0.01' }, { key: 'model', value: 'resnet' }]);
  const inputs = (digest: string) => [{ name: 'imagenet-mini', digest, source_type: 'local', source: '/data/x', schema: '', profile: '', tags: [] }];
  await core.runs.logInputs(earlier, inputs('d-old'));
  await core.runs.logInputs(runId, inputs('d-new'));
  const put = (p: string, body: string) => core.artifacts.put(runId, p, Readable.from([Buffer.from(body)]), null, 1 << 20);
  await put('config.json', '{"layers":[64,128]}');
  await put('NOTES.md', '## Result\n\n<img src=x onerror=alert(1)> **good**');
  await put('plots/loss.png', 'not really a png');
});
afterAll(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => cleanup());

describe('RunDetailPage', () => {
  it('shows the run, its dimensions as tabs, and the params', async () => {
    render(<RunDetailPage client={client} runId={runId} />);
    await screen.findByRole('heading', { name: 'resnet-a' });
    expect(screen.getAllByRole('tab').map((t) => /^[A-Za-z]+/.exec(t.textContent ?? '')?.[0])).toEqual(['Code', 'Data', 'Config', 'Context', 'Metrics', 'Artifacts', 'History']);
    expect(screen.getByRole('tabpanel').textContent).toContain('No code state was recorded');
    fireEvent.click(screen.getByRole('tab', { name: /^Config/ }));
    const params = screen.getByRole('table', { name: 'Params' });
    expect(within(params).getAllByRole('row').map((r) => r.textContent)).toEqual(['lr0.01', 'modelresnet']);
  });

  it('shows the run\'s history from the audit log', async () => {
    await core.runs.setTags(runId, [{ key: 'priority', value: 'p0' }]);
    render(<RunDetailPage client={client} runId={runId} />);
    await screen.findByRole('heading', { name: 'resnet-a' });
    fireEvent.click(screen.getByRole('tab', { name: /^History/ }));
    const panel = screen.getByRole('tabpanel');
    await screen.findAllByText(/priority/);
    expect(panel.textContent).toMatch(/run\.create|created/i);
  });

  it('warns when the dataset changed since an earlier run', async () => {
    render(<RunDetailPage client={client} runId={runId} />);
    await screen.findByRole('heading', { name: 'resnet-a' });
    fireEvent.click(screen.getByRole('tab', { name: /^Data/ }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The data under “imagenet-mini” changed');
    expect(alert.textContent).toContain('d-old');
    fireEvent.click(screen.getByRole('button', { name: 'History of this name' }));
    const history = await screen.findByRole('table', { name: 'History of imagenet-mini' });
    expect(within(history).getAllByRole('row')).toHaveLength(3);
  });

  it('previews JSON pretty, Markdown as text only, and images by URL', async () => {
    render(<RunDetailPage client={client} runId={runId} />);
    await screen.findByRole('heading', { name: 'resnet-a' });
    fireEvent.click(screen.getByRole('tab', { name: /^Artifacts/ }));
    fireEvent.click(screen.getByRole('button', { name: 'config.json' }));
    expect((await screen.findByText(/"layers"/)).textContent).toBe('{\n  "layers": [\n    64,\n    128\n  ]\n}');
    fireEvent.click(screen.getByRole('button', { name: 'NOTES.md' }));
    const md = await screen.findByRole('heading', { name: 'Result' });
    const block = md.closest('.artifact-markdown')!;
    expect(block.querySelector('img')).toBeNull();
    expect(block.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(block.querySelector('strong')?.textContent).toBe('good');
    fireEvent.click(screen.getByRole('button', { name: 'plots/loss.png' }));
    const img = (await screen.findByRole('img', { name: 'plots/loss.png' })) as HTMLImageElement;
    expect(img.getAttribute('src')).toBe(`/api/artifacts/raw?run=${runId}&path=plots%2Floss.png`);
  });

  it('shows an interrupted run with the step it stopped at', async () => {
    const id = await core.runs.create({ experimentId: '0', userId: 'me', runName: 'stalled', startTime: 3000, tags: [] });
    await core.db.writer.run(`UPDATE runs SET interrupted_at = 5 WHERE run_id = '${id}'`);
    render(<RunDetailPage client={client} runId={id} />);
    await screen.findByRole('heading', { name: 'stalled' });
    expect(screen.getByText(/^INTERRUPTED/)).toBeTruthy();
  });

  it('reports a run it cannot find', async () => {
    render(<RunDetailPage client={client} runId="run-nope" />);
    expect((await screen.findByRole('alert')).textContent).toContain('Could not load run run-nope');
  });
});
