// Evaluates a relative time (`now - 7d`, `today - 1d`, a date) to epoch milliseconds at compile time.
// Calendar words ("today", a date) are read in the caller's UTC offset: the CLI and the UI pass
// theirs, so "yesterday" means the user's yesterday, not UTC's.
import type { TimeRef } from './ast';

export interface Clock {
  /** Epoch ms that `now` means. */
  now: number;
  /** Minutes east of UTC of the user's local time (e.g. 60 for CET); 0 is UTC. */
  utcOffsetMinutes: number;
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DAY = UNIT_MS.d;

export function timeMs(t: TimeRef, clock: Clock): number {
  const offset = clock.utcOffsetMinutes * 60_000;
  switch (t.anchor) {
    case 'epoch':
      return t.ms;
    case 'now':
      return t.minus ? clock.now - t.minus.amount * UNIT_MS[t.minus.unit] : clock.now;
    case 'today':
      return Math.floor((clock.now + offset) / DAY) * DAY - offset - t.minusDays * DAY;
    case 'date': {
      const [y, mo, d, h = 0, mi = 0, s = 0] = t.date.split(/[-T:]/).map(Number);
      return Date.UTC(y, mo - 1, d, h, mi, s) - offset;
    }
  }
}
