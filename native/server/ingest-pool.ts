// A small pool of worker threads that decode large log-batch bodies off the event loop. Small
// bodies decode inline: a round trip to a worker costs more than parsing a few metrics.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { decodeLogBatch, type DecodedBatch, type DecodeFailure } from '../mlflow/log-batch-decode';
import { MlflowError } from '../mlflow/errors';

const INLINE_BELOW_BYTES = 16 * 1024;

type Pending = { resolve: (b: DecodedBatch) => void; reject: (e: Error) => void };
type Reply = { id: number; ok: true; batch: DecodedBatch } | { id: number; ok: false; failure: DecodeFailure };

export function defaultWorkerCount(): number {
  const env = Number(process.env.RUNLEDGER_INGEST_WORKERS);
  if (Number.isInteger(env) && env >= 0) return env;
  // One core stays with the event loop (HTTP, the write buffer, DuckDB appends).
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

export class IngestPool {
  private readonly workers: { worker: Worker; inFlight: number }[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private broken = false;

  constructor(count = defaultWorkerCount()) {
    for (let i = 0; i < count; i++) this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(new URL('./ingest-worker-boot.mjs', import.meta.url));
    const slot = { worker, inFlight: 0 };
    worker.unref();
    worker.on('message', (reply: Reply) => {
      slot.inFlight--;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.batch);
      else p.reject(new MlflowError(reply.failure.code, reply.failure.message, reply.failure.status));
    });
    worker.on('error', () => {
      // A worker that dies takes no data with it (nothing was stored yet); decode inline from now on.
      this.broken = true;
    });
    this.workers.push(slot);
  }

  /** Decodes a log-batch body; rejects with the MlflowError the request deserves. */
  decode(body: Buffer, contentType: string | undefined): Promise<DecodedBatch> {
    if (body.length < INLINE_BELOW_BYTES || this.workers.length === 0 || this.broken) {
      try {
        return Promise.resolve(decodeLogBatch(body, contentType));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const slot = this.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const id = this.nextId++;
    slot.inFlight++;
    return new Promise<DecodedBatch>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A body that owns its whole ArrayBuffer (Buffer.concat of several chunks) is moved, not copied;
      // one that is a slice of a shared socket or pool buffer must be copied.
      const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
      slot.worker.postMessage({ id, body, contentType }, owned ? [body.buffer as ArrayBuffer] : []);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    for (const p of this.pending.values()) p.reject(new MlflowError('TEMPORARILY_UNAVAILABLE', 'The server is shutting down.'));
    this.pending.clear();
  }
}
