// Which TensorBoard runs a path holds. As in TensorBoard, every folder with event files is a run,
// named by its path below the logdir. One exception: torch's SummaryWriter.add_hparams writes its
// hparams into a child folder named by a time stamp (`<run>/<time.time()>/`); that folder belongs
// to its parent run and is merged into it.
import fs from 'node:fs';
import path from 'node:path';

export const EVENT_FILE = /(^|\.)tfevents\./;
const TIMESTAMP_DIR = /^\d{9,}(\.\d+)?$/;
const MAX_DEPTH = 12;

export interface TbRun {
  name: string;
  dir: string;
  /** Event files in reading order: the run's own (oldest first), then merged hparams folders'. */
  files: string[];
  /** Paths relative to `dir`, for the run's identity. */
  rels: string[];
  /** Other files in the run folder (checkpoints and the like): not imported, counted. */
  otherFiles: number;
}

async function walk(dir: string, depth: number, found: Map<string, string[]>, others: Map<string, number>): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return; // unreadable folders are skipped; the files that are found still import
  }
  const events: string[] = [];
  let other = 0;
  for (const e of entries) {
    if (e.isFile() && EVENT_FILE.test(e.name)) events.push(path.join(dir, e.name));
    else if (e.isFile()) other++;
  }
  if (events.length > 0) {
    found.set(dir, events);
    others.set(dir, other);
  }
  if (depth >= MAX_DEPTH) return;
  for (const e of entries) {
    if (e.isDirectory() && !e.name.startsWith('.')) await walk(path.join(dir, e.name), depth + 1, found, others);
  }
}

/** Event files are named `events.out.tfevents.<unix seconds>.<host>.<pid>.<n>`: order by time, then name. */
function byWriteTime(a: string, b: string): number {
  const t = (f: string): number => Number(/tfevents\.(\d+)/.exec(path.basename(f))?.[1] ?? 0);
  return t(a) - t(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export async function findTensorBoardRuns(root: string): Promise<TbRun[]> {
  const abs = path.resolve(root);
  const stat = await fs.promises.stat(abs).catch(() => null);
  if (!stat) return [];
  const found = new Map<string, string[]>();
  const others = new Map<string, number>();
  if (stat.isFile()) {
    if (!EVENT_FILE.test(path.basename(abs))) return [];
    found.set(path.dirname(abs), [abs]);
    others.set(path.dirname(abs), 0);
  } else {
    await walk(abs, 0, found, others);
  }
  const base = stat.isFile() ? path.dirname(abs) : abs;
  const runs = new Map<string, TbRun>();
  const dirs = [...found.keys()].sort();
  for (const dir of dirs) {
    const parent = path.dirname(dir);
    const host = TIMESTAMP_DIR.test(path.basename(dir)) && found.has(parent) ? runs.get(parent) : undefined;
    const files = found.get(dir)!.sort(byWriteTime);
    if (host) {
      // Sorted order puts the parent first, so its run exists already.
      host.files.push(...files);
      host.rels.push(...files.map((f) => path.relative(host.dir, f).split(path.sep).join('/')));
      host.otherFiles += others.get(dir) ?? 0;
      continue;
    }
    const rel = path.relative(base, dir).split(path.sep).join('/');
    runs.set(dir, {
      name: rel === '' ? path.basename(base) : rel,
      dir,
      files,
      rels: files.map((f) => path.basename(f)),
      otherFiles: others.get(dir) ?? 0,
    });
  }
  return [...runs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
