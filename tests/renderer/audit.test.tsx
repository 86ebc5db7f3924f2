// @vitest-environment jsdom
// The audit view and the run history, rendered against a real core (real DuckDB in a temp dir)
// through the in-process transport: what the user reads for a clean log, and for a broken one.
import fs from 'node:fs';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../native/core';
import { createHandlers } from '../../native/api/handlers';
import { exec, inTransaction } from '../../native/store/open-database';
import { createApiClient, type ApiClient } from '../../renderer/api/api-client';
import { inProcessTransport } from '../../renderer/api/in-process-transport';
import { AuditPage } from '../../renderer/features/audit/AuditPage';
import { RunHistory } from '../../renderer/features/audit/RunHistory';
import { tempDir } from '../helpers/test-server';
import { makeHistory } from '../native/audit/support';

let core: Core;
let client: ApiClient;
let runIds: string[];
let root: Root | null = null;
let container: HTMLElement;
const dir = tempDir('runledger-audit-ui-');

beforeAll(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  core = await createCore({ dataDir: dir, auditCheckpointEvery: 4 });
  ({ runIds } = await makeHistory(core));
  client = createApiClient(inProcessTransport(createHandlers(core)));
});
afterAll(async () => {
  await core.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  container.remove();
});

async function render(node: React.ReactNode): Promise<string> {
  container = document.body.appendChild(document.createElement('div'));
  root = createRoot(container);
  await act(async () => root!.render(node));
  // useAsync settles on the next ticks; the core answers from DuckDB.
  for (let i = 0; i < 20 && /Loading|Verifying/.test(container.textContent ?? ''); i++) await act(() => new Promise((r) => setTimeout(r, 25)));
  return container.textContent ?? '';
}

describe('RunHistory', () => {
  it("lists the run's changes newest first, with the delete reason and who did it", async () => {
    const text = await render(<RunHistory client={client} runId={runIds[0]} />);
    const items = [...container.querySelectorAll('.run-history li .audit-what')].map((li) => li.textContent);
    expect(items).toEqual(['Deleted: “leaked test labels”', 'Note added', 'Finished as FINISHED', 'Tags set: priority=p0', 'Created run “baseline”']);
    expect(text).toContain('no signing key');
  });
});

describe('AuditPage', () => {
  it('shows the verification state and the events', async () => {
    const text = await render(<AuditPage client={client} />);
    expect(text).toContain('Events match, but checkpoints are not all signed');
    expect(text).toContain('Experiment renamed “credit-risk” → “credit-risk-v2”');
    expect(container.querySelectorAll('.audit-table tbody tr').length).toBeGreaterThan(8);
  });

  it('says loudly when the log does not verify, naming the event', async () => {
    // Edited behind the data layer's back, as only direct file access could.
    await inTransaction(core.db, (con) => exec(con, `UPDATE audit_event SET event_json = replace(event_json, 'leaked', 'routine') WHERE action = 'run.soft_delete'`));
    const text = await render(<AuditPage client={client} />);
    expect(container.querySelector('.audit-bad')).not.toBeNull();
    expect(text).toMatch(/Verification FAILED at event \d+: event \d+ does not match its leaf hash/);
  });
});
