// Worker thread body: decodes log-batch request bodies (see mlflow/log-batch-decode.ts) and sends
// the columns back, transferring the typed arrays instead of copying them.
import { parentPort } from 'node:worker_threads';
import { decodeLogBatch, failureOf } from '../mlflow/log-batch-decode';

export interface DecodeRequest {
  id: number;
  body: Uint8Array;
  contentType: string | undefined;
}

parentPort?.on('message', (msg: DecodeRequest) => {
  try {
    const batch = decodeLogBatch(msg.body, msg.contentType);
    const m = batch.metrics;
    parentPort!.postMessage({ id: msg.id, ok: true, batch }, [m.keyIndex.buffer, m.step.buffer, m.ts.buffer, m.value.buffer] as ArrayBuffer[]);
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, ok: false, failure: failureOf(err) });
  }
});
