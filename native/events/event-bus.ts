// The core's live-event bus. Anything in the core publishes here with publish(topic, payload); the
// SSE endpoint (`GET /api/events`, sse-endpoint.ts) forwards every event to connected pages, and
// tests or other in-process consumers may subscribe directly.
//
// Topics and payload types are declared once in native/api/contract.ts (`ServerEventMap`), so the
// renderer's subscription (renderer/api/live-events.ts) is typed from the same place. To add a topic
// (import progress, issue #8): add it to ServerEventMap and call `core.bus.publish('import.progress', p)`.
// Payloads must be JSON-safe. Publishing is synchronous and never throws into the publisher: a failing
// subscriber is dropped from that event only. Throttle noisy sources before publishing (see
// live-notifier.ts: metric appends are coalesced per run).
import type { ServerEventMap } from '../api/contract';

export type ServerEventTopic = keyof ServerEventMap & string;
export type BusListener = <K extends ServerEventTopic>(topic: K, payload: ServerEventMap[K]) => void;

export class EventBus {
  private readonly listeners = new Set<BusListener>();

  publish<K extends ServerEventTopic>(topic: K, payload: ServerEventMap[K]): void {
    for (const l of [...this.listeners]) {
      try {
        l(topic, payload);
      } catch {
        /* one broken subscriber must not stop the others or the publisher */
      }
    }
  }

  /** Every topic; returns the unsubscribe function. */
  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
