// The core's typed contract, the part for compare's downsampled series and the live events (issue #4).
// native/api/contract.ts re-exports it. Types only and JSON-safe, like the rest of the contract.
import type { ImportProgress, MetricSummary } from './contract';

// ── Compare (native/series): downsampled metric series, and live events (native/events) ──

/** What the Compare charts put on x. Epoch and `{ metric }` are joined to the series by step. */
export type SeriesXAxis = 'step' | 'relative_time' | 'wall_time' | 'epoch' | { metric: string };

/** A typed array as base64 of its little-endian bytes (Float64Array unless said otherwise). */
export type Base64Array = string;

export interface SeriesQueryArgs {
  runIds: string[];
  keys: string[];
  xAxis?: SeriesXAxis;
  /** Chart width in pixels: about one bucket per pixel. */
  width: number;
  /**
   * Per run, only points with step in [min, max] (a zoom, or the new tail for live updates). A range
   * with few enough points comes back at full resolution (bucket_size 1).
   */
  stepRanges?: Record<string, [number, number]>;
  /**
   * Per run, only points after this position in series order (live tails): later segments whole,
   * and in `segment` the steps above `step`. Answered from the points themselves.
   */
  after?: Record<string, { segment: number; step: number }>;
}

/**
 * One downsampled series: each bucket's first, last, min and max finite points in series order, the
 * last point always among them. NaN/±Inf never enter the line: `markers` has, per bucket and kind,
 * the first such point and how many there were.
 */
export interface SeriesData {
  run_id: string;
  key: string;
  step: Base64Array;
  /** Wall-clock milliseconds. */
  ts: Base64Array;
  value: Base64Array;
  /** For an epoch or metric x axis: that metric's latest value at or before each point's step (NaN before its first). */
  x: Base64Array | null;
  markers: { step: Base64Array; ts: Base64Array; x: Base64Array | null; /** Uint8Array: 0 NaN, 1 +Inf, 2 -Inf */ kind: Base64Array; count: Base64Array };
  /** Where each resume segment starts in the columns (segment > 0 is a resume: its step went backwards). */
  segments: { segment: number; index: number; step: number; ts: number }[];
  /** Points in range before downsampling, and how many of them were NaN, +Inf, -Inf. */
  points: number;
  nan: number;
  pos_inf: number;
  neg_inf: number;
  /** Points per bucket; 1: every point in range came back. */
  bucket_size: number;
  source: 'raw' | 'rollup';
}

/** Newest values of a run's metrics after points were committed (coalesced: at most one per run every 500 ms). */
export interface MetricsAppendedEvent {
  run_id: string;
  /** The step of the most recently logged point (a chart asks for points after what it has). */
  last_step: number;
  metrics: Record<string, { step: number; timestamp: number; value: MetricSummary['value']; count: number }>;
}

/**
 * Live events, `GET /api/events` (server-sent events: `event: <topic>`, `data: <json payload>`), and
 * the in-process bus they come from (native/events/event-bus.ts). Add a topic here, then publish it.
 */
export interface ServerEventMap {
  /** Runs created, updated, ended, deleted, restored, imported or marked interrupted. */
  'runs.changed': { run_ids: string[] };
  'metrics.appended': MetricsAppendedEvent;
  /** A running import's progress, a few times a second, and once more when it ends (issue #8). */
  'import.progress': ImportProgress;
}
