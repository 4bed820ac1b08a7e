/**
 * The transition log's repeats (events.ts), in the order they were written: for each, its record,
 * its first event and where it ended, and what it repeats — the explicit records before `base` (a
 * repeat record: its own number, or for a resumed repeat that of the repeat it goes on with), from
 * period position `phase` on, `oI` instructions and `oC` cycles later than that repeat's steps
 * would put them.
 */
/** A typed array twice as long holding `a`'s values: the log's columns grow so, never by push. */
export function doubled<A extends Int32Array | Float64Array>(a: A): A {
  const b = new (a.constructor as new (n: number) => A)(a.length * 2);
  b.set(a);
  return b;
}

export class Repeats {
  // Typed arrays grown by doubling: a loop whose timing a TLB miss moves now and then resumes its
  // repeat at each move (demand paging: one event in 37), and with seven plain arrays grown by push
  // a resume took about 190 ns (their growth and its garbage), now about 60.
  rec = new Int32Array(16);
  first = new Int32Array(16);
  /** The event after the last (0 while it is the log's last record: the log's end is its end). */
  end = new Int32Array(16);
  base = new Int32Array(16);
  phase = new Int32Array(16);
  oI = new Float64Array(16);
  oC = new Float64Array(16);
  /** Its first shift (eventShifts.ts): its shifts run up to the next repeat's first. */
  shift0 = new Int32Array(16);
  count = 0;
  /** The repeat at() found last: readers and re-runs go forward. */
  private last = 0;

  /** Repeat record R, whose first event is n; its number. */
  add(R: number, n: number, base: number, phase: number, oI: number, oC: number, shift0: number): number {
    const k = this.count;
    if (k === this.rec.length) this.grow();
    this.rec[k] = R;
    this.first[k] = n;
    this.end[k] = 0;
    this.base[k] = base;
    this.phase[k] = phase;
    this.oI[k] = oI;
    this.oC[k] = oC;
    this.shift0[k] = shift0;
    this.count = k + 1;
    return k;
  }

  private grow(): void {
    this.rec = doubled(this.rec);
    this.first = doubled(this.first);
    this.end = doubled(this.end);
    this.base = doubled(this.base);
    this.phase = doubled(this.phase);
    this.oI = doubled(this.oI);
    this.oC = doubled(this.oC);
    this.shift0 = doubled(this.shift0);
  }

  /** The last repeat whose first event is at or before event i, or -1. */
  at(i: number): number {
    const first = this.first;
    const k = this.last;
    const count = this.count;
    if (k < count && first[k] <= i && (k + 1 === count || first[k + 1] > i)) return k;
    let lo = 0;
    let hi = count - 1;
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
    this.count = n;
    this.last = 0;
  }
}
