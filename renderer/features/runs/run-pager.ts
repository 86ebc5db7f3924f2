// The runs table's rows, fetched a page at a time through `runs.page` as the window scrolls over
// them: 100k summaries at once cost the core about a minute and 45 MB of JSON (measured), a page of
// 200 about 0.2 s. Pages are kept once loaded; live updates replace single rows in place
// (`refreshRows`), so a run logging metrics does not make the table fetch everything again.
import type { RunRowSummary } from '../../../native/api/contract';
import type { ApiClient } from '../../api/api-client';

export interface PagerQuery {
  filter: string;
  orderBy: string[];
  view?: 'active' | 'deleted' | 'all';
}

export interface PagerSnapshot {
  /** Rows in the result; null until the first page answers. */
  total: number | null;
  error: Error | null;
  /** Bumped on every change, for useSyncExternalStore. */
  version: number;
}

export class RunPager {
  private readonly pages = new Map<number, RunRowSummary[]>();
  private readonly inFlight = new Set<number>();
  private readonly listeners = new Set<() => void>();
  private readonly controller = new AbortController();
  private snapshot: PagerSnapshot = { total: null, error: null, version: 0 };
  /** run id → absolute row index, for in-place updates. */
  private readonly indexOf = new Map<string, number>();

  constructor(
    private readonly client: ApiClient,
    readonly query: PagerQuery,
    readonly pageSize = 200,
    private readonly utcOffsetMinutes = -new Date().getTimezoneOffset(),
  ) {}

  getSnapshot = (): PagerSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  rowAt(index: number): RunRowSummary | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Ids of the loaded rows in [a, b] (inclusive): what a Shift-click range can select. */
  idsBetween(a: number, b: number): string[] {
    const ids: string[] = [];
    for (let i = a; i <= b; i++) {
      const row = this.rowAt(i);
      if (row) ids.push(row.run_id);
    }
    return ids;
  }

  /** Fetches the pages covering rows [start, end) that are neither loaded nor on their way. */
  ensure(start: number, end: number): void {
    const last = this.snapshot.total === null ? start : Math.min(end, this.snapshot.total);
    const first = Math.floor(start / this.pageSize);
    const lastPage = Math.max(first, Math.floor(Math.max(start, last - 1) / this.pageSize));
    for (let p = first; p <= lastPage; p++) {
      if (!this.pages.has(p) && !this.inFlight.has(p)) void this.load(p);
    }
  }

  /** Replaces the rows of these runs where they are loaded; answers the ids it did not have. */
  async refreshRows(ids: readonly string[]): Promise<string[]> {
    const known = ids.filter((id) => this.indexOf.has(id));
    const unknown = ids.filter((id) => !this.indexOf.has(id));
    if (known.length === 0) return unknown;
    const rows = await this.client.call('runs.rows', { ids: known }, { signal: this.controller.signal });
    for (const row of rows) {
      const index = this.indexOf.get(row.run_id);
      const page = index === undefined ? undefined : this.pages.get(Math.floor(index / this.pageSize));
      if (page && index !== undefined) page[index % this.pageSize] = row;
    }
    this.emit({});
    return unknown;
  }

  dispose(): void {
    this.controller.abort();
    this.listeners.clear();
  }

  private async load(page: number): Promise<void> {
    this.inFlight.add(page);
    try {
      const result = await this.client.call(
        'runs.page',
        { filter: this.query.filter, orderBy: this.query.orderBy, view: this.query.view, offset: page * this.pageSize, limit: this.pageSize, utc_offset_minutes: this.utcOffsetMinutes },
        { signal: this.controller.signal },
      );
      this.pages.set(page, result.runs);
      result.runs.forEach((r, i) => this.indexOf.set(r.run_id, page * this.pageSize + i));
      this.emit({ total: result.total, error: null });
    } catch (error) {
      if (this.controller.signal.aborted) return;
      this.emit({ error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      this.inFlight.delete(page);
    }
  }

  private emit(patch: Partial<PagerSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch, version: this.snapshot.version + 1 };
    for (const listener of this.listeners) listener();
  }
}
