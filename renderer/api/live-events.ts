// The typed subscription to the core's live events (`GET /api/events`, server-sent events; topics
// and payloads in native/api/contract.ts ServerEventMap). One EventSource per page, opened on the
// first subscription and closed when the last one leaves; the browser reconnects by itself (the
// server sends `retry:`), and the auth cookie rides along because the stream is same-origin.
import type { ServerEventMap } from '../../native/api/contract';

export type LiveTopic = keyof ServerEventMap & string;
export type LiveListener<K extends LiveTopic> = (payload: ServerEventMap[K]) => void;

export interface LiveEvents {
  on<K extends LiveTopic>(topic: K, listener: LiveListener<K>): () => void;
  /** Called on every (re)connection: a page should refetch what it may have missed while away. */
  onReconnect(listener: () => void): () => void;
}

export interface EventSourceLike {
  addEventListener(type: string, listener: (e: MessageEvent) => void): void;
  close(): void;
  onopen: ((e: Event) => void) | null;
}

export function liveEvents(baseUrl: string, open: (url: string) => EventSourceLike = (url) => new EventSource(url)): LiveEvents {
  const url = new URL('api/events', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const reconnects = new Set<() => void>();
  let source: EventSourceLike | null = null;
  let opened = 0;

  const attach = (topic: string): void => {
    source?.addEventListener(topic, (e) => {
      let payload: unknown;
      try {
        payload = JSON.parse(e.data as string);
      } catch {
        return;
      }
      for (const l of [...(listeners.get(topic) ?? [])]) l(payload);
    });
  };
  const ensure = (): void => {
    if (source) return;
    source = open(url);
    source.onopen = () => {
      if (opened++ > 0) for (const l of [...reconnects]) l();
    };
    for (const topic of listeners.keys()) attach(topic);
  };
  const maybeClose = (): void => {
    if (source && [...listeners.values()].every((s) => s.size === 0) && reconnects.size === 0) {
      source.close();
      source = null;
      opened = 0;
      listeners.clear();
    }
  };

  return {
    on(topic, listener) {
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
        if (source) attach(topic);
      }
      set.add(listener as (p: unknown) => void);
      ensure();
      return () => {
        set.delete(listener as (p: unknown) => void);
        maybeClose();
      };
    },
    onReconnect(listener) {
      reconnects.add(listener);
      return () => {
        reconnects.delete(listener);
        maybeClose();
      };
    },
  };
}
