// @vitest-environment jsdom
// The Models page over the real core (a DuckDB store in a temp dir, the real RPC handlers, called
// in-process through the renderer's own client): models, versions with source runs, lineage, and
// promote/demote behind a confirmation. Plus the page's pure helpers.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../native/core';
import { createHandlers } from '../../../native/api/handlers';
import type { ModelVersionSummary } from '../../../native/api/contract';
import { createApiClient } from '../../../renderer/api/api-client';
import { inProcessTransport } from '../../../renderer/api/in-process-transport';
import { ModelsPage } from '../../../renderer/features/models/ModelsPage';
import { stageActions } from '../../../renderer/features/models/stage-actions';
import { tempDir } from '../../helpers/test-server';

let core: Core;
let runId: string;
beforeAll(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  core = await createCore({ dataDir: tempDir() });
  runId = await core.runs.create({ experimentId: '0', userId: 'me', runName: 'good-run', startTime: Date.now(), tags: [] });
  await core.runs.logParams(runId, [{ key: 'lr', value: '0.01' }]);
  await core.registry.models.create('churn', [], 'scores churn', 'me');
  for (let i = 0; i < 2; i++) {
    await core.registry.models.versions.create({ name: 'churn', source: `runs:/${runId}/model`, storageLocation: `mlflow-artifacts:/0/${runId}/artifacts/model`, runId, runLink: null, modelId: null, description: null, userId: 'me', tags: [] });
  }
  await core.registry.models.versions.transition('churn', 1, 'Production', false);
  await core.registry.models.setAlias('churn', 'production', 1);
});
afterAll(async () => {
  await core.close();
});

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !check(); i++) await act(async () => new Promise((r) => setTimeout(r, 20)));
};

describe('ModelsPage', () => {
  it('shows versions, stages, aliases, the source run and its lineage; promotes after confirmation', async () => {
    const client = createApiClient(inProcessTransport(createHandlers(core)));
    const opened: string[] = [];
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    await act(async () => root.render(<ModelsPage client={client} onOpenRun={(id) => opened.push(id)} />));
    await until(() => container.querySelector('.model-versions') !== null);

    expect(container.querySelector('.model-list')?.textContent).toContain('2 versions · Production v1');
    const rows = [...container.querySelectorAll('.model-versions tbody tr')].map((r) => [...r.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent));
    expect(rows).toEqual([
      ['v2', 'None', '—', 'good-run'],
      ['v1', 'Production', 'production', 'good-run'],
    ]);
    expect(container.querySelector('[aria-label="Config"]')?.textContent).toContain('lr0.01');
    const runLink = [...container.querySelectorAll('.model-versions button')].find((b) => b.textContent === 'good-run') as HTMLButtonElement;
    await act(async () => runLink.click());
    expect(opened).toEqual([runId]);

    const promote = [...container.querySelectorAll('.stage-actions button')].find((b) => b.textContent === 'Promote to Production') as HTMLButtonElement;
    await act(async () => promote.click());
    const dialog = container.querySelector('[role="alertdialog"]');
    expect(dialog?.textContent).toContain("Move churn v2 from None to Production? v1 leaves Production and is archived. The alias 'production' will point at v2.");
    // Nothing has changed before the confirmation.
    expect((await core.registry.models.versions.mustGet('churn', 2)).current_stage).toBe('None');
    const ok = [...dialog!.querySelectorAll('button')].find((b) => b.textContent === 'Confirm') as HTMLButtonElement;
    await act(async () => ok.click());
    await until(() => (container.textContent ?? '').includes('churn v2: None → Production'));
    expect((await core.registry.models.versions.mustGet('churn', 2)).current_stage).toBe('Production');
    expect((await core.registry.models.versions.mustGet('churn', 1)).current_stage).toBe('Archived');
    // The page reloaded the model: the table shows the new stages, and the message stays.
    await until(() => container.querySelector('.model-versions tbody tr td:nth-child(2)')?.textContent === 'Production');
    expect(container.textContent).toContain('Archived v1.');
    act(() => root.unmount());
  });

  it('a cancelled demotion changes nothing', async () => {
    const client = createApiClient(inProcessTransport(createHandlers(core)));
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    await act(async () => root.render(<ModelsPage client={client} />));
    await until(() => container.querySelector('.stage-actions') !== null);
    const archive = [...container.querySelectorAll('.stage-actions button')].find((b) => b.textContent === 'Archive') as HTMLButtonElement;
    await act(async () => archive.click());
    expect(container.querySelector('[role="alertdialog"]')?.textContent).toContain("The alias 'production' is removed.");
    const cancel = [...container.querySelectorAll('[role="alertdialog"] button')].find((b) => b.textContent === 'Cancel') as HTMLButtonElement;
    await act(async () => cancel.click());
    expect(container.querySelector('[role="alertdialog"]')).toBeNull();
    expect((await core.registry.models.versions.mustGet('churn', 2)).current_stage).toBe('Production');
    act(() => root.unmount());
  });
});

describe('stageActions', () => {
  const v = (version: number, stage: ModelVersionSummary['stage'], aliases: string[] = []): ModelVersionSummary => ({
    name: 'm', version, stage, aliases, source: 's', storage_location: 's', run_id: null, model_id: null, description: null, user_id: null, created: 0, updated: 0, tags: {},
  });
  it('offers the stages a version is not in, naming what each move archives and which alias moves', () => {
    const all = [v(1, 'Staging', ['staging']), v(2, 'None'), v(3, 'Production', ['production'])];
    expect(stageActions(all[1], all).map((a) => a.label)).toEqual(['Promote to Staging', 'Promote to Production', 'Archive']);
    expect(stageActions(all[1], all)[0].confirm).toBe("Move m v2 from None to Staging? v1 leaves Staging and is archived. The alias 'staging' will point at v2.");
    expect(stageActions(all[0], all).map((a) => a.label)).toEqual(['Promote to Production', 'Archive', 'Clear stage']);
    expect(stageActions(all[0], all)[1].confirm).toBe("Move m v1 from Staging to Archived? The alias 'staging' is removed.");
    expect(stageActions(v(4, 'Archived'), all).map((a) => a.to)).toEqual(['Staging', 'Production']);
  });
});
