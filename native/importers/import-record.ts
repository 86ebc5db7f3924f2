// The importer contract (DESIGN.md §7): a small registry of `{ id, detect(path), read(path) }`.
// `read` yields records, never throws for bad input: a damaged record, an unreadable file or a run
// that cannot be read becomes a record that says so, and the rest of the import goes on.
import type { Readable } from 'node:stream';
import type { MetricColumns } from '../store/metric-writer';
import type { KeyValue, RunStatus } from '../store/run-repository';

export type ImportFormat = 'tensorboard' | 'lightning-csv' | 'mlflow-dir' | 'spool' | 'runbundle';

/** Refers to a run within one import (the importer's own handle, not a store run id). */
export type RunRef = string;

export interface RunStart {
  kind: 'run';
  ref: RunRef;
  /** sha256 hex of the source run's identity: the same source gives the same identity. */
  identity: string;
  name: string;
  /** Absolute path the run was read from. */
  source: string;
  /** Experiment by name (TensorBoard, Lightning: the --experiment option, else the default). */
  experiment?: string;
  startTime: number;
  userId: string;
  params: KeyValue[];
  tags: KeyValue[];
}

export type ImportRecord =
  /** Totals known up front, for the progress bar. */
  | { kind: 'plan'; runs: number; bytes: number }
  | { kind: 'experiment'; name: string; tags: KeyValue[]; lifecycle: 'active' | 'deleted' }
  | RunStart
  | { kind: 'params'; ref: RunRef; params: KeyValue[] }
  | { kind: 'tags'; ref: RunRef; tags: KeyValue[] }
  | { kind: 'points'; ref: RunRef; columns: MetricColumns }
  | {
      kind: 'artifact';
      ref: RunRef;
      path: string;
      mediaType: string | null;
      open: () => Readable;
      what: 'text' | 'histogram' | 'file';
      /** Summaries the artifact holds (text entries, histogram steps); 1 for a plain file. */
      items: number;
    }
  | {
      kind: 'run-end';
      ref: RunRef;
      status: RunStatus;
      endTime: number | null;
      /** Set for runs deleted in their source (MLflow's lifecycle_stage: deleted). */
      deleted?: { at: number | null };
    }
  /** A run the importer gave up on (its points so far stay; the run is marked FAILED). */
  | { kind: 'run-failed'; ref: RunRef; reason: string }
  /** A damaged record that was skipped; the rest of its file was still read. */
  | { kind: 'damaged'; file: string; offset: number; reason: string }
  /** Data seen but not imported (images, graphs, checkpoints): counted, never an error. */
  | { kind: 'ignored'; what: string; count: number }
  | { kind: 'bytes'; done: number }
  /** Something that stopped part of the import, in words (an unreadable file, a bad meta.yaml). */
  | { kind: 'problem'; message: string };

export interface ReadOptions {
  /** Target experiment for formats that have none of their own. */
  experiment?: string;
  /**
   * Asked before a run's content is read: false when a run with this identity is already in the
   * store (the importer then skips the run without reading it).
   */
  shouldImport(run: { identity: string; name: string; source: string }): Promise<boolean>;
}

export interface Detection {
  format: ImportFormat;
  /** What was recognised, in words: "2 TensorBoard runs", "an MLflow store with 3 experiments". */
  description: string;
}

export interface Importer {
  id: ImportFormat;
  /** Whether `path` holds this format; cheap (looks at names and a few bytes). */
  detect(path: string): Promise<Detection | null>;
  read(path: string, options: ReadOptions): AsyncIterable<ImportRecord>;
  /** Set for formats recognised but not importable yet: the message says why. */
  unsupported?: string;
}
