// Identity of a source run, derived from content, so importing the same files again (from any
// path, after copying them anywhere) is recognised and creates nothing new.
import crypto from 'node:crypto';
import fs from 'node:fs';

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * sha256 over the format and each file's path relative to the run and its content hash: the file
 * names are part of a run's identity (TensorBoard names carry host, pid and time), the folder the
 * run sits in is not.
 */
export async function contentIdentity(format: string, files: readonly { rel: string; abs: string }[]): Promise<string> {
  const hash = crypto.createHash('sha256').update(`${format}\0`);
  for (const f of [...files].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
    hash.update(`${f.rel}\0${await sha256File(f.abs)}\n`);
  }
  return hash.digest('hex');
}

export function textIdentity(...parts: string[]): string {
  return crypto.createHash('sha256').update(parts.join('\0')).digest('hex');
}

/** A relative artifact path from arbitrary names: no '..', no control characters, no backslashes. */
export function safeRelPath(...segments: string[]): string {
  return segments
    .flatMap((s) => s.split('/'))
    .filter((s) => s.length > 0)
    .map((s) => s.replace(/[\u0000-\u001f\u007f-\u009f\\:*?"<>|]/g, '_'))
    .map((s) => (s === '.' || s === '..' ? '_' : s))
    .join('/');
}
