// A small keep-alive HTTP load generator: N connections, each sending its next request as soon as
// the previous answer arrived (closed loop), or at a fixed total rate (open loop, for latency).
import http from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  latenciesMs: Float64Array;
  firstError?: string;
}

export interface LoadOptions {
  port: number;
  path: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** Body of the i-th request of connection c. */
  body: (c: number, i: number) => string;
  /** Total requests per second across all connections; closed loop when absent. */
  rate?: number;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const lat: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const interval = o.rate ? (1000 * o.connections) / o.rate : 0;

  const send = (body: string): Promise<void> =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        { port: o.port, host: '127.0.0.1', method: 'POST', path: o.path, agent, headers: { ...o.headers, 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode === 200) lat.push(performance.now() - t0);
            else {
              errors++;
              firstError ??= `${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 200)}`;
            }
            resolve();
          });
        },
      );
      req.on('error', (e) => {
        errors++;
        firstError ??= e.message;
        resolve();
      });
      req.end(body);
    });

  await Promise.all(
    Array.from({ length: o.connections }, async (_, c) => {
      let next = start + (interval * c) / o.connections;
      for (let i = 0; performance.now() < end; i++) {
        if (interval > 0) {
          const wait = next - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          next += interval;
        }
        await send(o.body(c, i));
      }
    }),
  );
  agent.destroy();
  const seconds = (performance.now() - start) / 1000;
  return { requests: lat.length, errors, seconds, latenciesMs: Float64Array.from(lat).sort(), firstError };
}
