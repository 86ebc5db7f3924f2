// Verified staging copies of bundles being browsed without importing (`bundle.browse`, issue #6).
// Browsing reads Parquet and artifacts, so it needs files on disk: verification stages the payload
// into `<data>/bundle-browse/<process>/<n>/` while hashing it, and every read afterwards comes from
// those verified bytes, never from the bundle again (it may change under us). One entry per bundle
// path, replaced when the file's mtime or size changes; a few entries at most; all removed when the
// core closes, and folders left by a process that died are swept on first use.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TrustStore } from '../keys';
import { pidAlive } from '../server/running-instance';
import { verifyBundle, type VerifiedBundle } from './verify-bundle';

/** Bundles kept staged at once: a staged copy is as large as the bundle's payload. */
const MAX_ENTRIES = 3;

interface Entry {
  stamp: string;
  dir: string;
  bundle: Promise<VerifiedBundle>;
  used: number;
}

export class BrowseCache {
  private readonly entries = new Map<string, Entry>();
  private root: string | null = null;

  constructor(private readonly dataDir: string) {}

  /** The verified (or refused) bundle at `file`, staging it on first use. */
  async get(file: string, trust: TrustStore): Promise<VerifiedBundle> {
    const st = await fs.promises.stat(file).catch(() => null);
    const stamp = st ? `${st.mtimeMs}:${st.size}:${st.ino}` : 'missing';
    const hit = this.entries.get(file);
    if (hit && hit.stamp === stamp) {
      hit.used = Date.now();
      return hit.bundle;
    }
    if (hit) this.drop(file);
    const dir = path.join(this.processRoot(), crypto.randomBytes(6).toString('hex'));
    const bundle = verifyBundle(file, { trust, stageDir: dir });
    const entry: Entry = { stamp, dir, bundle, used: Date.now() };
    this.entries.set(file, entry);
    // A refused bundle is not kept: the next try verifies again (the user may have fixed the file).
    void bundle.then((v) => (v.valid ? undefined : this.drop(file, entry)), () => this.drop(file, entry));
    this.evict();
    return bundle;
  }

  /** Removes every staged copy (the core is closing). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.entries.values()].map((e) => e.bundle));
    this.entries.clear();
    if (this.root) fs.rmSync(this.root, { recursive: true, force: true });
    this.root = null;
  }

  private processRoot(): string {
    if (this.root) return this.root;
    const parent = path.join(this.dataDir, 'bundle-browse');
    fs.mkdirSync(parent, { recursive: true, mode: 0o700 });
    sweepDeadProcesses(parent);
    this.root = path.join(parent, `${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
    fs.mkdirSync(this.root, { mode: 0o700 });
    return this.root;
  }

  /** Forgets `file`'s entry (only while it still is `entry`) and removes that entry's staged copy. */
  private drop(file: string, entry = this.entries.get(file)): void {
    if (!entry) return;
    if (this.entries.get(file) === entry) this.entries.delete(file);
    removeWhenSettled(entry);
  }

  private evict(): void {
    while (this.entries.size > MAX_ENTRIES) {
      const [oldest] = [...this.entries.entries()].sort((a, b) => a[1].used - b[1].used);
      this.drop(oldest[0]);
    }
  }
}

/** A folder is removed only after its verification finished writing into it. */
function removeWhenSettled(e: Entry): void {
  const rm = (): void => fs.rmSync(e.dir, { recursive: true, force: true });
  void e.bundle.then(rm, rm);
}

function sweepDeadProcesses(parent: string): void {
  for (const name of fs.readdirSync(parent)) {
    const pid = Number(name.split('-')[0]);
    // This process's other cores, and other live processes sharing the data dir, keep theirs.
    if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || pidAlive(pid))) continue;
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

const caches = new WeakMap<object, BrowseCache>();

/** The cache of one core (keyed by the core object, so tests with several data dirs stay apart). */
export function browseCacheOf(owner: object, dataDir: string): BrowseCache {
  let c = caches.get(owner);
  if (!c) {
    c = new BrowseCache(dataDir);
    caches.set(owner, c);
  }
  return c;
}

/** Removes the core's staged copies, if it ever browsed. */
export async function closeBrowseCache(owner: object): Promise<void> {
  await caches.get(owner)?.close();
  caches.delete(owner);
}
