/**
 * Time travel: snapshots of the whole machine every `interval` steps plus
 * deterministic replay. Any instruction count inside the window can be
 * reached by restoring the snapshot at or before it and running forward
 * exactly the difference; the machine makes the same run every time.
 *
 * A snapshot shares unchanged memory pages with the previous one, so it costs
 * the pages written since; the interval grows when snapshots get expensive,
 * keeping the cost under `bytesPerStepBudget` bytes per step of history.
 *
 * Editing the machine (registers, memory, pc) forks the timeline: the
 * snapshots after the edit describe a future that no longer happens, so they
 * are dropped and a snapshot of the edited state is taken.
 */
import type { Machine, MachineState, StopReason } from '../../emulator';
import { t } from '../../language/l10n';

export interface Snapshot {
  icount: number;
  state: MachineState;
  /** Estimated bytes this snapshot added. */
  bytes: number;
}

export const DEFAULT_INTERVAL = 1 << 16;

/** The most the snapshots of one session take (a client may ask for any `history`). */
export const MAX_HISTORY_BYTES = 256 * 1024 * 1024;

export class History {
  private snaps: Snapshot[] = [];
  private interval: number;
  private totalBytes = 0;
  /** Instruction counts where the machine was edited (ascending). */
  private forks: number[] = [];

  /**
   * @param limit steps of history to keep (0 = no recording)
   * @param bytesPerStepBudget the interval grows to keep snapshots under this many bytes per step
   * @param maxBytes the snapshots' total size at most: a longer window (a huge `history`) starts later
   */
  constructor(
    readonly limit: number,
    interval = DEFAULT_INTERVAL,
    private readonly bytesPerStepBudget = 8,
    private readonly maxBytes = MAX_HISTORY_BYTES,
  ) {
    this.interval = Math.max(1, interval);
  }

  get enabled(): boolean {
    return this.limit > 0;
  }

  /** Earliest reachable instruction count. */
  get start(): number {
    return this.snaps.length ? this.snaps[0].icount : 0;
  }

  /** The newest snapshot's instruction count. */
  get newest(): number {
    return this.snaps.length ? this.snaps[this.snaps.length - 1].icount : 0;
  }

  get snapshotCount(): number {
    return this.snaps.length;
  }

  /** Bytes held by all snapshots (estimate). */
  get bytes(): number {
    return this.totalBytes;
  }

  get currentInterval(): number {
    return this.interval;
  }

  /** Take the first snapshot (after loading the program). */
  begin(m: Machine): void {
    this.snaps = [];
    this.forks = [];
    this.totalBytes = 0;
    if (this.enabled) this.push(m);
  }

  /** Steps the machine may run before the next snapshot is due (Infinity when off). */
  stepsUntilDue(icount: number): number {
    if (!this.enabled || !this.snaps.length) return Infinity;
    const next = this.newest + this.interval;
    // Re-running already recorded time: nothing to take until past the newest snapshot.
    return Math.max(1, next - icount);
  }

  /** Call after every run slice: takes a snapshot when one is due. */
  record(m: Machine): void {
    if (!this.enabled || !this.snaps.length) return;
    if (m.icount >= this.newest + this.interval) this.push(m);
  }

  private push(m: Machine): void {
    const state = m.saveState();
    const prev = this.snaps[this.snaps.length - 1];
    const bytes = estimateBytes(state, prev?.state);
    this.snaps.push({ icount: m.icount, state, bytes });
    this.totalBytes += bytes;
    if (prev) {
      const perStep = bytes / Math.max(1, m.icount - prev.icount);
      if (perStep > this.bytesPerStepBudget) this.interval = Math.min(1 << 24, Math.ceil(bytes / this.bytesPerStepBudget));
    }
    // Keep one snapshot at or before (now - limit) so the whole window stays reachable.
    while (this.snaps.length > 2 && this.snaps[1].icount <= m.icount - this.limit) {
      this.totalBytes -= this.snaps.shift()!.bytes;
    }
    // Whatever `history` asks for, the snapshots fit in maxBytes: the oldest go first.
    while (this.snaps.length > 2 && this.totalBytes > this.maxBytes) {
      this.totalBytes -= this.snaps.shift()!.bytes;
    }
  }

  /** The newest snapshot at or before `icount`, or undefined before the window. */
  base(icount: number): Snapshot | undefined {
    let lo = 0;
    let hi = this.snaps.length - 1;
    let found: Snapshot | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.snaps[mid].icount <= icount) {
        found = this.snaps[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * Put the machine at exactly `icount` (inside the window): restore the
   * snapshot before it and replay. The caller turns breakpoints and other
   * stops off first; replay runs through any that remain.
   */
  seek(m: Machine, icount: number): void {
    const b = this.base(icount);
    if (!b) throw new RangeError(t('instruction {0} is before the start of recorded history ({1})', icount, this.start));
    if (this.forks.length && icount < this.forks[this.forks.length - 1]) {
      // Before an edit: the edited future will not happen again.
      this.truncateAfter(b.icount);
      while (this.forks.length && this.forks[this.forks.length - 1] > b.icount) this.forks.pop();
    }
    if (!(m.icount >= b.icount && m.icount <= icount)) m.restoreState(b.state);
    replay(m, icount);
  }

  /** The machine was edited at its current instruction count: drop the old future. */
  fork(m: Machine): void {
    if (!this.enabled) return;
    while (this.snaps.length && this.snaps[this.snaps.length - 1].icount >= m.icount) {
      this.totalBytes -= this.snaps.pop()!.bytes;
    }
    this.push(m);
    this.forks.push(m.icount);
  }

  /** Drop snapshots after `icount` (the machine went back and will make a different future). */
  truncateAfter(icount: number): void {
    while (this.snaps.length > 1 && this.snaps[this.snaps.length - 1].icount > icount) {
      this.totalBytes -= this.snaps.pop()!.bytes;
    }
  }
}

/** Run exactly to `icount`, through any stop that is not the end of the machine. */
export function replay(m: Machine, icount: number): StopReason | undefined {
  let last: StopReason | undefined;
  while (m.icount < icount) {
    last = m.run(icount - m.icount);
    if (last === 'poweroff' || last === 'triple-fault' || last === 'deadlock') break;
  }
  return last;
}

function estimateBytes(s: MachineState, prev: MachineState | undefined): number {
  let bytes = 1024 + s.pages.length * 8 + s.tlb.key.length * 12;
  for (const [, sh] of s.shadows) bytes += sh.bytes;
  for (let i = 0; i < s.pages.length; i++) {
    const p = s.pages[i];
    if (p && (!prev || prev.pages[i] !== p)) bytes += p.length;
  }
  return bytes;
}
