// Experiments an import puts runs into, by name: an existing one is used as it is; a missing one is
// created (with the source's tags). A source experiment that is deleted there is created active
// (runs can only go into an active one) and deleted once its runs are in, which marks them deleted
// with it, as MLflow does.
import type { Core } from '../core';

interface Target {
  id: string;
  deleted: boolean;
  deleteAtEnd: boolean;
}

export class ImportExperiments {
  private readonly byName = new Map<string, Target>();

  constructor(
    private readonly core: Core,
    private readonly onCreated: () => void,
  ) {}

  async get(name: string, tags: { key: string; value: string }[], deletedInSource: boolean): Promise<{ id: string; deleted: boolean }> {
    const known = this.byName.get(name);
    if (known) return known;
    const existing = await this.core.experiments.getByName(name);
    let t: Target;
    if (existing) t = { id: existing.experiment_id, deleted: existing.lifecycle_stage === 'deleted', deleteAtEnd: false };
    else {
      t = { id: await this.core.experiments.create(name, undefined, tags), deleted: false, deleteAtEnd: deletedInSource };
      this.onCreated();
    }
    this.byName.set(name, t);
    return t;
  }

  /** A local experiment that is deleted: runs imported into it are deleted too (and come back with it). */
  isDeleted(id: string): boolean {
    return [...this.byName.values()].some((t) => t.id === id && t.deleted);
  }

  async deleteThoseDeletedInSource(): Promise<void> {
    for (const t of this.byName.values()) if (t.deleteAtEnd) await this.core.experiments.setLifecycle(t.id, 'deleted');
  }
}
