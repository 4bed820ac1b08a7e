/**
 * The transition log's shifts (events.ts): where an open repeat's events came at their expected
 * instruction but later (or earlier) in cycles, and everything after them in the repeat with
 * them. A loop whose cycles a TLB miss moves now and then (demand paging: a kernel page's entry
 * pushed out of the TLB by the pages it maps, about one fault in nine) keeps its repeat going, at
 * 12 bytes a move, where a resumed repeat took a record and a repeat's columns, and cost the
 * compiled code about 100 ns an event. Each shift is the event it starts at and the cycles added
 * from there on, counted from the start of its repeat (which knows its first shift: Repeats.shift0).
 */
import { doubled } from './eventRepeats';

export class Shifts {
  // Typed arrays grown by doubling (eventRepeats.ts doubled), as the repeats' columns.
  at = new Int32Array(16);
  sum = new Float64Array(16);
  count = 0;

  /** From event n on, the repeat's events are `sum` cycles later than its steps put them. */
  add(n: number, sum: number): void {
    const k = this.count;
    if (k === this.at.length) {
      this.at = doubled(this.at);
      this.sum = doubled(this.sum);
    }
    this.at[k] = n;
    this.sum[k] = sum;
    this.count = k + 1;
  }

  /** The cycles added to event i by the shifts lo..hi-1 (a repeat's): the last of them at or before i, 0 if none. */
  sumAt(lo: number, hi: number, i: number): number {
    const at = this.at;
    if (hi <= lo || at[lo] > i) return 0;
    if (at[hi - 1] <= i) return this.sum[hi - 1];
    // at[lo] <= i < at[hi - 1]: the last at or before i.
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (at[mid] <= i) lo = mid;
      else hi = mid;
    }
    return this.sum[lo];
  }

  /** Drop the shifts at event n and after. */
  cut(n: number): void {
    let k = this.count;
    while (k > 0 && this.at[k - 1] >= n) k--;
    this.count = k;
  }
}
