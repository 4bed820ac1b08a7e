/**
 * The transition log's repeats (events.ts), in the order they were written: for each, its record,
 * its first event and where it ended, and what it repeats — the explicit records before `base` (a
 * repeat record: its own number, or for a resumed repeat that of the repeat it goes on with), from
 * period position `phase` on, `oI` instructions and `oC` cycles later than that repeat's steps
 * would put them. Plain arrays: a repeat is rare next to the events it holds.
 */
export class Repeats {
  readonly rec: number[] = [];
  readonly first: number[] = [];
  /** The event after the last (0 while it is the log's last record: the log's end is its end). */
  readonly end: number[] = [];
  readonly base: number[] = [];
  readonly phase: number[] = [];
  readonly oI: number[] = [];
  readonly oC: number[] = [];
  /** The repeat at() found last: readers and re-runs go forward. */
  private last = 0;

  get count(): number {
    return this.rec.length;
  }

  /** Repeat record R, whose first event is n; its number. */
  add(R: number, n: number, base: number, phase: number, oI: number, oC: number): number {
    this.rec.push(R);
    this.first.push(n);
    this.end.push(0);
    this.base.push(base);
    this.phase.push(phase);
    this.oI.push(oI);
    this.oC.push(oC);
    return this.rec.length - 1;
  }

  /** The last repeat whose first event is at or before event i, or -1. */
  at(i: number): number {
    const first = this.first;
    const k = this.last;
    if (k < first.length && first[k] <= i && (k + 1 === first.length || first[k + 1] > i)) return k;
    let lo = 0;
    let hi = first.length - 1;
    if (hi < 0 || first[0] > i) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (first[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return (this.last = lo);
  }

  /** Keep the first n repeats. */
  keep(n: number): void {
    this.rec.length = this.first.length = this.end.length = n;
    this.base.length = this.phase.length = this.oI.length = this.oC.length = n;
    this.last = 0;
  }
}
