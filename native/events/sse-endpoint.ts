// `GET /api/events`: the bus as server-sent events. The route is behind the same Host, Origin and
// token checks as every other (http-server.ts). `?topics=a,b` limits what is sent. A comment line
// every `heartbeatMs` keeps proxies and the browser from timing the stream out and lets the server
// notice a vanished client; on shutdown every stream gets a `shutdown` event and is ended, so
// server.close() does not wait on them.
import type http from 'node:http';
import type { EventBus } from './event-bus';

export class SseEndpoint {
  private readonly clients = new Set<http.ServerResponse>();
  private seq = 0;

  constructor(private readonly bus: EventBus, private readonly heartbeatMs = 15_000) {}

  get connections(): number {
    return this.clients.size;
  }

  serve(req: http.IncomingMessage, res: http.ServerResponse, topicsParam: string | undefined): void {
    const topics = topicsParam ? new Set(topicsParam.split(',').filter(Boolean)) : null;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Tells nginx-like proxies on an ssh tunnel host not to buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');
    this.clients.add(res);
    const off = this.bus.subscribe((topic, payload) => {
      if (topics && !topics.has(topic)) return;
      res.write(`id: ${++this.seq}\nevent: ${topic}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), this.heartbeatMs);
    heartbeat.unref();
    const done = (): void => {
      off();
      clearInterval(heartbeat);
      this.clients.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  /** Ends every stream (server shutdown). */
  closeAll(): void {
    for (const res of [...this.clients]) {
      res.write('event: shutdown\ndata: {}\n\n');
      res.end();
    }
  }
}
