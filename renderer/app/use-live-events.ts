// React side of the live events: `useLiveEvents(live, 'metrics.appended', handler)` subscribes for
// the component's lifetime (the latest handler is always the one called, without resubscribing).
// `runChanges(live)` adapts the stream to the runs table's RunChangeSource: every run whose row may
// have changed (status, name, tags, newest metric values).
import { useEffect, useRef } from 'react';
import type { LiveEvents, LiveListener, LiveTopic } from '../api/live-events';

export function useLiveEvents<K extends LiveTopic>(live: LiveEvents | null | undefined, topic: K, handler: LiveListener<K>): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!live) return;
    return live.on(topic, (p) => latest.current(p));
  }, [live, topic]);
}

export function runChanges(live: LiveEvents): (listener: (runIds: string[]) => void) => () => void {
  return (listener) => {
    const offs = [live.on('runs.changed', (p) => listener(p.run_ids)), live.on('metrics.appended', (p) => listener([p.run_id]))];
    return () => offs.forEach((off) => off());
  };
}
