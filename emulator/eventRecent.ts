/**
 * The transition log's last five explicit records (events.ts): their templates, icounts and
 * cycles, newest first, kept in fields so that a push can tell in a few compares whether a repeat
 * starts with it, without reading the records back. A template of -1 stands for a repeat record,
 * or for none: the window never reaches across a repeat.
 */
export class RecentRecords {
  t1 = -1;
  t2 = -1;
  t3 = -1;
  t4 = -1;
  t5 = -1;
  i1 = 0;
  i2 = 0;
  i3 = 0;
  i4 = 0;
  i5 = 0;
  c1 = 0;
  c2 = 0;
  c3 = 0;
  c4 = 0;
  c5 = 0;

  /** An explicit record was appended. */
  add(id: number, icount: number, cycles: number): void {
    this.t5 = this.t4;
    this.t4 = this.t3;
    this.t3 = this.t2;
    this.t2 = this.t1;
    this.t1 = id;
    this.i5 = this.i4;
    this.i4 = this.i3;
    this.i3 = this.i2;
    this.i2 = this.i1;
    this.i1 = icount;
    this.c5 = this.c4;
    this.c4 = this.c3;
    this.c3 = this.c2;
    this.c2 = this.c1;
    this.c1 = cycles;
  }

  /** A repeat record was appended: nothing before it can be repeated. */
  clear(): void {
    this.t5 = this.t4 = this.t3 = this.t2 = this.t1 = -1;
  }

  /** Set from records, newest first (template -1: a repeat record or none). */
  set(t: readonly number[], i: readonly number[], c: readonly number[]): void {
    [this.t1, this.t2, this.t3, this.t4, this.t5] = t;
    [this.i1, this.i2, this.i3, this.i4, this.i5] = i;
    [this.c1, this.c2, this.c3, this.c4, this.c5] = c;
  }

  /**
   * The shortest period P (1 to 4) of a repeat that starts with this event (template `id`): it has
   * record P's template, the newest record has record P + 1's, and both came the same instruction
   * and cycle steps (positive and below `wide`) after those; all of them explicit. 0 if none: one
   * matching template alone would take an A, A, B loop for a run of A's.
   */
  period(id: number, icount: number, cycles: number, wide: number): number {
    const { t1, t2, t3, t4, t5, i1, c1 } = this;
    if (t1 < 0 || t2 < 0) return 0;
    if (id === t1 && t1 === t2 && steps(icount - i1, cycles - c1, i1 - this.i2, c1 - this.c2, wide)) return 1;
    if (t3 < 0) return 0;
    if (id === t2 && t1 === t3 && steps(icount - this.i2, cycles - this.c2, i1 - this.i3, c1 - this.c3, wide)) return 2;
    if (t4 < 0) return 0;
    if (id === t3 && t1 === t4 && steps(icount - this.i3, cycles - this.c3, i1 - this.i4, c1 - this.c4, wide)) return 3;
    if (t5 < 0) return 0;
    if (id === t4 && t1 === t5 && steps(icount - this.i4, cycles - this.c4, i1 - this.i5, c1 - this.c5, wide)) return 4;
    return 0;
  }

  /** Steps of the period that would start: the icount and cycle steps of record P (valid when period() returned P). */
  stepsOf(p: number, icount: number, cycles: number): [number, number] {
    const i = p === 1 ? this.i1 : p === 2 ? this.i2 : p === 3 ? this.i3 : this.i4;
    const c = p === 1 ? this.c1 : p === 2 ? this.c2 : p === 3 ? this.c3 : this.c4;
    return [icount - i, cycles - c];
  }
}

function steps(dI: number, dC: number, lastI: number, lastC: number, wide: number): boolean {
  return dI > 0 && dI < wide && dC >= 0 && dC < wide && lastI === dI && lastC === dC;
}
