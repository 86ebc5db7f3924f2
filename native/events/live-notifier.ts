// Turns the store's change notifications into bus events for live pages: run changes pass through,
// and metric commits (up to hundreds a second under load) are coalesced per run into at most one
// `metrics.appended` every `intervalMs`, carrying the newest value of each key and the last step, so
// a table updates in place and a chart asks only for the points after what it has.
import type { Core } from '../core';
import type { MetricsAppendedEvent } from '../api/contract';
import { metricValue } from '../api/handlers';
import type { EventBus } from './event-bus';

export class LiveNotifier {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(private readonly core: Core, private readonly bus: EventBus, private readonly intervalMs = 500) {}

  start(): void {
    const onFlushed = (runIds: string[]): void => {
      for (const id of runIds) this.dirty.add(id);
      this.timer ??= setTimeout(() => this.emit(), this.intervalMs);
    };
    const onChanged = (runIds: string[]): void => this.bus.publish('runs.changed', { run_ids: runIds });
    this.core.events.on('metrics.flushed', onFlushed);
    this.core.events.on('runs.changed', onChanged);
    this.offs.push(() => this.core.events.off('metrics.flushed', onFlushed), () => this.core.events.off('runs.changed', onChanged));
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private emit(): void {
    this.timer = null;
    const runs = [...this.dirty];
    this.dirty.clear();
    for (const runId of runs) {
      const states = this.core.writer.latestOf(runId);
      if (states.length === 0) continue;
      const event: MetricsAppendedEvent = { run_id: runId, last_step: -Infinity, metrics: {} };
      for (const s of states) {
        event.metrics[s.key] = { step: s.step, timestamp: s.ts, value: metricValue(s.value), count: s.count };
        if (s.lastStep > event.last_step) event.last_step = s.lastStep;
      }
      this.bus.publish('metrics.appended', event);
    }
  }
}
