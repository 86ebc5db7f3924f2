// `GET /api/events` over a real server: token-protected like every route, run changes and coalesced
// metric appends arrive as typed server-sent events, `?topics=` filters, heartbeats keep the stream
// alive, and shutdown ends every stream instead of hanging server.close().
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../native/events/event-bus';
import { SseEndpoint } from '../../../native/events/sse-endpoint';
import { startTestServer, type TestServer } from '../../helpers/test-server';

interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads a server-sent event stream into a list, for as long as the test keeps it open. */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  let text = '';
  let comments = 0;
  let ended = false;
  const reading = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, cut);
          text = text.slice(cut + 2);
          const lines = block.split('\n');
          if (lines.every((l) => l.startsWith(':') || l.startsWith('retry:'))) comments++;
          const ev = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (ev && data !== undefined) events.push({ event: ev, data: JSON.parse(data) });
        }
      }
    } catch {
      /* aborted */
    }
    ended = true;
  })();
  return {
    res,
    events,
    get comments() {
      return comments;
    },
    get ended() {
      return ended;
    },
    reading,
    close: () => controller.abort(),
  };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('/api/events', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('refuses a client without the token', async () => {
    const res = await fetch(`${srv.origin}/api/events`);
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it('streams run changes and coalesced metric appends', async () => {
    const all = await openStream(`${srv.origin}/api/events`, { Authorization: `Bearer ${srv.token}` });
    const onlyMetrics = await openStream(`${srv.origin}/api/events?topics=metrics.appended`, { Authorization: `Bearer ${srv.token}` });
    expect(all.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const runId = (await srv.mlflow('POST', 'runs/create', { experiment_id: '0', run_name: 'live', start_time: Date.now() })).json.run.info.run_id;
    await until(() => all.events.some((e) => e.event === 'runs.changed' && (e.data as { run_ids: string[] }).run_ids.includes(runId)));
    // Twenty commits in quick succession become one or two events, carrying the newest values.
    for (let step = 0; step < 20; step++) {
      await srv.mlflow('POST', 'runs/log-batch', { run_id: runId, metrics: [{ key: 'loss', value: 1 / (step + 1), timestamp: Date.now(), step }] });
    }
    await until(() => all.events.some((e) => e.event === 'metrics.appended' && (e.data as { last_step: number }).last_step === 19));
    const appended = all.events.filter((e) => e.event === 'metrics.appended');
    expect(appended.length).toBeLessThanOrEqual(3);
    expect(appended.at(-1)!.data).toMatchObject({ run_id: runId, last_step: 19, metrics: { loss: { step: 19, value: 0.05, count: 20 } } });
    await until(() => onlyMetrics.events.length > 0);
    expect(onlyMetrics.events.every((e) => e.event === 'metrics.appended')).toBe(true);
    all.close();
    onlyMetrics.close();
  });

  it('ends open streams on shutdown', async () => {
    const other = await startTestServer();
    const s = await openStream(`${other.origin}/api/events`, { Authorization: `Bearer ${other.token}` });
    const t = Date.now();
    await other.stop();
    await s.reading;
    expect(s.ended).toBe(true);
    expect(s.events.at(-1)?.event).toBe('shutdown');
    expect(Date.now() - t).toBeLessThan(5000);
  });
});

describe('SseEndpoint', () => {
  it('sends heartbeats and forwards whatever is published on the bus', async () => {
    const bus = new EventBus();
    const endpoint = new SseEndpoint(bus, 50);
    const server = http.createServer((req, res) => endpoint.serve(req, res, undefined));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const s = await openStream(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await until(() => s.comments >= 3);
    bus.publish('runs.changed', { run_ids: ['r1'] });
    await until(() => s.events.length === 1);
    expect(s.events[0]).toEqual({ event: 'runs.changed', data: { run_ids: ['r1'] } });
    expect(endpoint.connections).toBe(1);
    s.close();
    await until(() => endpoint.connections === 0 && bus.subscribers === 0);
    server.close();
  });
});
