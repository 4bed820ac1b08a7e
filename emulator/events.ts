/**
 * Transition events (spec section 9): every ring or mode change, stored as
 * columns of typed arrays so a run can hold millions of them without garbage,
 * and a panel can page through them by index.
 */
import { RecentRecords } from './eventRecent';
import { Repeats } from './eventRepeats';
import { Shifts } from './eventShifts';
import { exitReasonName, exitReasonNumbers, SYSCALL_NAMES, syscallName, TRANSITION_KINDS, vectorShort } from './isa/abi';
import { Records, REPEAT, T, Templates, templateOffset, WIDE } from './eventRecords';

/** In the order of isa TRANSITION_KINDS, which names them. */
export enum EventKind {
  /** exception or software interrupt delivered (vector) */
  Trap = 0,
  /** external interrupt delivered */
  Interrupt = 1,
  Iret = 2,
  VmEntry = 3,
  VmExit = 4,
  TripleFault = 5,
}

export interface TransitionEvent {
  index: number;
  icount: number;
  /** The cycle count (§10) just after the transition. */
  cycles: number;
  kind: EventKind;
  fromCpl: number;
  toCpl: number;
  fromVm: number;
  toVm: number;
  /** Trap/interrupt vector, or -1. */
  vector: number;
  /** System-call number (r0) for vector 0x80, else -1. */
  syscall: number;
  /** VM-exit reason, or -1. */
  exitReason: number;
  pcBefore: number;
  pcAfter: number;
  spBefore: number;
  /** Error code (traps) or exit qualification (exits). */
  detail: number;
  /** Human-readable cause: "syscall write", "#PF", "vmexit hlt", "iret". */
  cause: string;
}

/**
 * The log holds records, not events (eventRecords.ts). An explicit record is one event in 12
 * bytes: icount and cycles as 32-bit offsets from their chunk's first event, and the number of
 * its template. A repeat record says "the P explicit records just before me (P = 1..4) happen
 * again, shifted by ΔI instructions and ΔC cycles per repetition, this many times": a guest loop
 * of system calls logs a handful of records whatever its length; an event of a repeat that comes
 * at its step but at other cycles (a TLB miss moved the loop) is a shift of the repeat's cycles
 * from there on (eventShifts.ts). Few bytes matter: writing into
 * never-touched memory costs a page fault per 4 KB on this kind of host.
 */
/** In a template's first word: its VM ids are the event's own, kept aside (the template has none). */
const WIDE_VM = 0x80;
const MAX_PERIOD = 4;
/** A repeat that broke after this many periods may be resumed (TransitionLog.resume). */
const RESUME_AFTER = 2;

/** A template's first word (push() makes it): the kind, the vector and the exit reason it holds. */
const headKind = (h: number) => ((h >> 4) & 7) as EventKind;
const headVector = (h: number) => ((h >> 8) & 0xfff) - 1;
const headExitReason = (h: number) => (h >>> 20) - 1;

export class TransitionLog {
  private readonly recs = new Records();
  private nrec = 0;
  private readonly tpls = new Templates();
  /** The repeat records in order (eventRepeats.ts). */
  private readonly reps = new Repeats();
  /** The repeats' shifts in cycles; the open repeat's cycles added so far. */
  private readonly shifts = new Shifts();
  private shifted = 0;
  /** The last five explicit records: whether a repeat starts, in a few compares. */
  private readonly recent = new RecentRecords();
  /**
   * The repeat that is the last record, while it goes on (period 0: none): its steps, the
   * position in the period of its next event, and the icount, cycles and template words of the
   * next event at each position, so that an event that continues it costs a few comparisons and
   * no memory. `rp` is its period while the log is at its end and below its capacity, else 0:
   * the one test of the fast path.
   */
  private period = 0;
  private rp = 0;
  private rdI = 0;
  private rdC = 0;
  private rs = 0;
  private readonly rI = new Float64Array(MAX_PERIOD);
  private readonly rC = new Float64Array(MAX_PERIOD);
  private readonly rW = new Int32Array(MAX_PERIOD * T);
  private readonly rT = new Int32Array(MAX_PERIOD);
  /** The template of the event pushed last (-1: none, or a wide one): compiled code's sites learn theirs from it (pushSource). */
  private lastId = -1;
  /** What find() found: icount, cycles, template, and the explicit record holding any wide values. */
  private fI = 0;
  private fC = 0;
  private fT = 0;
  private fRec = 0;
  /** The repeat find() decoded last (-1: none), its period, steps, and the records it repeats. */
  private ck = -1;
  private cP = 1;
  private cBase = 0;
  private cS0 = 0;
  private cDI = 0;
  private cDC = 0;
  private readonly cI = new Float64Array(MAX_PERIOD);
  private readonly cC = new Float64Array(MAX_PERIOD);
  private readonly cT = new Int32Array(MAX_PERIOD);
  private n = 0;
  /** Events written so far (n can be moved back below it). */
  private high = 0;
  /** Events beyond this many are counted but not kept. */
  readonly capacity: number;
  dropped = 0;
  /** The dropped events by cause (droppedKey): totals by cause go on where the log stops, at no cost before. */
  private readonly droppedBy = new Map<number, number>();

  constructor(capacity = 4_000_000) {
    this.capacity = capacity;
  }

  get length(): number {
    return this.n;
  }

  /** How many records hold the events written: a measure of how well they repeat. */
  get records(): number {
    return this.nrec;
  }

  /** How many shifts of a repeat's cycles the log holds (eventShifts.ts), 12 bytes each as a record. */
  get shiftCount(): number {
    return this.shifts.count;
  }

  push(
    icount: number, cycles: number, kind: EventKind, fromCpl: number, toCpl: number, fromVm: number, toVm: number,
    vector: number, syscall: number, exitReason: number, pcBefore: number, pcAfter: number, spBefore: number, detail = 0,
  ): void {
    // The transition the repeat that is the last record expects next: when it comes, counted and
    // nothing written; at another time, the repeat goes on from it (resume).
    const n = this.n;
    const p = this.rp;
    if (p !== 0) {
      const s = this.rs;
      const w = this.rW;
      const o = s * T;
      if ((fromVm | toVm) >>> 16 === 0 &&
        w[o] === (fromCpl | (toCpl << 2) | (kind << 4) | ((vector + 1) << 8) | ((exitReason + 1) << 20)) && w[o + 1] === (fromVm | (toVm << 16)) &&
        w[o + 2] === syscall && w[o + 3] === (pcBefore | 0) && w[o + 4] === (pcAfter | 0) && w[o + 5] === (spBefore | 0) && w[o + 6] === (detail | 0)) {
        this.lastId = this.rT[s];
        if (icount === this.rI[s] && (cycles === this.rC[s] || this.shiftable(n))) {
          if (cycles !== this.rC[s]) this.shift(n, cycles - this.rC[s]);
          this.rI[s] = icount + this.rdI;
          this.rC[s] = cycles + this.rdC;
          this.rs = s + 1 === p ? 0 : s + 1;
          this.n = this.high = n + 1;
          if (n + 1 === this.capacity) this.rp = 0;
          return;
        }
        if (this.resumable(n)) {
          this.resume(this.reps.count - 1, n, icount, cycles);
          return;
        }
      }
    }
    if (n >= this.capacity) {
      this.dropped++;
      this.lastId = -1;
      const k = droppedKey(kind, vector, syscall, exitReason);
      this.droppedBy.set(k, (this.droppedBy.get(k) ?? 0) + 1);
      return;
    }
    const narrow = fromVm >>> 16 === 0 && toVm >>> 16 === 0;
    const head = fromCpl | (toCpl << 2) | (kind << 4) | (narrow ? 0 : WIDE_VM) | ((vector + 1) << 8) | ((exitReason + 1) << 20);
    const vms = narrow ? fromVm | (toVm << 16) : 0;
    const id = this.tpls.intern(head, vms, syscall, pcBefore | 0, pcAfter | 0, spBefore | 0, detail | 0);
    this.lastId = narrow ? id : -1;
    if (n < this.high && this.rewrite(n, id, icount, cycles, fromVm, toVm, narrow)) return;
    this.n = this.high = n + 1;
    if (this.period !== 0) {
      // The repeat ends here; the same transition at another time goes on with its steps from there.
      const k = this.reps.count - 1;
      if (narrow && id === this.rT[this.rs] && this.resumable(n)) {
        this.resume(k, n, icount, cycles);
        return;
      }
      this.reps.end[k] = n;
      this.period = this.rp = 0;
    }
    const period = narrow ? this.recent.period(id, icount, cycles, WIDE) : 0;
    if (period !== 0) {
      this.startRepeat(n, period, icount, cycles);
      return;
    }
    this.recs.setExplicit(this.nrec++, id, icount, cycles, fromVm, toVm, narrow);
    this.recent.add(id, icount, cycles);
  }

  /**
   * Whether the open repeat, met at event n at its step but at other cycles, is shifted: only if it
   * held RESUME_AFTER periods since it began or was last shifted. Moves that come closer together
   * are a new step (the loop's cycles changed for good), which only a new repeat can take: it is
   * broken, resumed if it held long enough, and broken again.
   */
  private shiftable(n: number): boolean {
    const k = this.reps.count - 1;
    const m = this.shifts.count;
    const last = m > this.reps.shift0[k] ? this.shifts.at[m - 1] : this.reps.first[k];
    return n - last >= RESUME_AFTER * this.period;
  }

  /** The open repeat's events from event n on come `d` cycles later (earlier, if negative) than expected. */
  private shift(n: number, d: number): void {
    this.shifted += d;
    this.shifts.add(n, this.shifted);
    for (let x = 0; x < this.period; x++) this.rC[x] += d;
  }

  /** Whether the open repeat, broken at event n by its expected transition at another time, held long enough to resume (RESUME_AFTER). */
  private resumable(n: number): boolean {
    return n - this.reps.first[this.reps.count - 1] >= RESUME_AFTER * this.period;
  }

  /** Start a repeat of the last P explicit records with this event, the first of them again (RecentRecords.period() found P). */
  private startRepeat(n: number, p: number, icount: number, cycles: number): void {
    const R = this.nrec;
    const [dI, dC] = this.recent.stepsOf(p, icount, cycles);
    this.recs.setRepeat(R, p, dI, dC, icount, cycles);
    this.open(this.addRepeat(R, n, R, 0, 0, 0), 1);
  }

  /**
   * Repeat k broke at event n, which is the transition it expected at another time (a loop whose
   * steps a TLB miss or an interrupt moved once): a repeat of the same records with the same
   * steps goes on from this event, one record instead of the explicit ones a new repeat needs
   * before it can be seen. Only after a repeat that held RESUME_AFTER periods, so that a loop
   * whose timing never settles keeps its 12-byte explicit records.
   */
  private resume(k: number, n: number, icount: number, cycles: number): void {
    const rb = this.reps.base[k];
    const p = this.period;
    const s = this.rs;
    const R = this.nrec;
    this.reps.end[k] = n;
    this.recs.setRepeat(R, p, this.rdI, this.rdC, icount, cycles);
    // Its event 0 is at period position s, repetition 1 of the base records.
    this.addRepeat(R, n, rb, s, icount - this.recs.icount(rb - p + s) - this.rdI, cycles - this.recs.cycles(rb - p + s) - this.rdC);
    // What open(k + 1, 1) would make: every position's next event as late as this one, this position's a period on.
    const lateI = icount - this.rI[s];
    const lateC = cycles - this.rC[s];
    for (let x = 0; x < p; x++) {
      this.rI[x] += lateI;
      this.rC[x] += lateC;
    }
    this.rI[s] = icount + this.rdI;
    this.rC[s] = cycles + this.rdC;
    this.rs = s + 1 === p ? 0 : s + 1;
    this.n = this.high = n + 1;
    this.rp = n + 1 < this.capacity ? p : 0;
    this.shifted = 0;
  }

  /** Repeat record R, whose first event is n (Repeats.add); its number. */
  private addRepeat(R: number, n: number, base: number, phase: number, oI: number, oC: number): number {
    this.nrec = R + 1;
    this.recent.clear();
    return this.reps.add(R, n, base, phase, oI, oC, this.shifts.count);
  }

  /** Make repeat k, holding m events so far, the one that goes on. */
  private open(k: number, m: number): void {
    const rr = this.reps.base[k];
    const p = this.recs.word(rr, 2) & 7;
    const dI = this.recs.word(rr, 0);
    const dC = this.recs.word(rr, 1);
    const oI = this.reps.oI[k];
    const oC = this.reps.oC[k];
    // Its events are those of period positions phase, phase + 1, ...; those from its next on as late as its shifts so far made them.
    const M = m + this.reps.phase[k];
    const shifted = this.shiftOf(k, this.reps.first[k] + m - 1);
    for (let s = 0; s < p; s++) {
      // Repetitions 1.. are in the repeat: the next at s is repetition (M - s) / p + 1, rounded up.
      const q = Math.floor((M - s + p - 1) / p) + 1;
      this.rI[s] = this.recs.icount(rr - p + s) + q * dI + oI;
      this.rC[s] = this.recs.cycles(rr - p + s) + q * dC + oC + shifted;
      const id = this.recs.word(rr - p + s, 2);
      this.rT[s] = id;
      const d = this.tpls.chunkOf(id);
      const from = templateOffset(id);
      for (let k = 0; k < T; k++) this.rW[s * T + k] = d[from + k];
    }
    this.period = p;
    this.rdI = dI;
    this.rdC = dC;
    this.shifted = shifted;
    this.rs = M % p | 0;
    this.setLength(this.n);
  }

  /** The cycles repeat k's shifts add to its event i. */
  private shiftOf(k: number, i: number): number {
    const hi = k + 1 < this.reps.count ? this.reps.shift0[k + 1] : this.shifts.count;
    return this.shifts.sumAt(this.reps.shift0[k], hi, i);
  }

  private repEndOf(k: number): number {
    return this.reps.rec[k] === this.nrec - 1 ? this.high : this.reps.end[k];
  }

  /** Repeat k decoded for find(): readers go through a repeat's events one by one. */
  private cache(k: number): void {
    const rr = this.reps.base[k];
    const p = this.recs.word(rr, 2) & 7;
    for (let s = 0; s < p; s++) {
      this.cI[s] = this.recs.icount(rr - p + s) + this.reps.oI[k];
      this.cC[s] = this.recs.cycles(rr - p + s) + this.reps.oC[k];
      this.cT[s] = this.recs.word(rr - p + s, 2);
    }
    this.cP = p;
    this.cBase = rr;
    this.cS0 = this.reps.phase[k];
    this.cDI = this.recs.word(rr, 0);
    this.cDC = this.recs.word(rr, 1);
    this.ck = k;
  }

  /** Event i's icount, cycles, template and record into fI, fC, fT, fRec. */
  private find(i: number): void {
    let r = i;
    const k = this.reps.at(i);
    if (k >= 0) {
      const end = this.repEndOf(k);
      const rr = this.reps.rec[k];
      if (i < end) {
        if (k !== this.ck) this.cache(k);
        const p = this.cP;
        const j = i - this.reps.first[k] + this.cS0;
        const q = (j / p) | 0;
        const s = j - q * p;
        this.fRec = this.cBase - p + s;
        this.fI = this.cI[s] + (q + 1) * this.cDI;
        this.fC = this.cC[s] + (q + 1) * this.cDC + this.shiftOf(k, i);
        this.fT = this.cT[s];
        return;
      }
      r = rr + 1 + (i - end);
    }
    this.fRec = r;
    this.fI = this.recs.icount(r);
    this.fC = this.recs.cycles(r);
    this.fT = this.recs.word(r, 2);
  }

  /**
   * Moved back: a deterministic re-run writes what is there already (true); anything else is a
   * new future, from which the log ends at n, and the repeat it may end in may take this event.
   */
  private rewrite(n: number, id: number, icount: number, cycles: number, fromVm: number, toVm: number, narrow: boolean): boolean {
    if (this.isStored(n, id, icount, cycles, fromVm, toVm)) {
      this.setLength(n + 1);
      return true;
    }
    this.truncate(n);
    const s = this.rs;
    if (this.rp === 0 || id !== this.rT[s] || !narrow || icount !== this.rI[s] || cycles !== this.rC[s]) return false;
    this.rI[s] = icount + this.rdI;
    this.rC[s] = cycles + this.rdC;
    this.rs = s + 1 === this.rp ? 0 : s + 1;
    this.setLength((this.high = n + 1));
    return true;
  }

  private isStored(i: number, id: number, icount: number, cycles: number, fromVm: number, toVm: number): boolean {
    this.find(i);
    if (this.fT !== id || this.fI !== icount || this.fC !== cycles) return false;
    if ((this.tpls.chunkOf(id)[templateOffset(id)] & WIDE_VM) === 0) return true;
    const [f, t] = this.recs.wideVms(this.fRec);
    return f === fromVm && t === toVm;
  }

  /** Drop the events from n on: the records before the one holding n stay, and a repeat holding n keeps what it had before n. */
  private truncate(n: number): void {
    const k = n > 0 ? this.reps.at(n - 1) : -1;
    let R = n;
    if (k >= 0) {
      const end = this.repEndOf(k);
      R = this.reps.rec[k] + 1 + (n < end ? 0 : n - end);
    }
    this.reps.keep(k + 1);
    this.shifts.cut(n);
    this.ck = -1;
    this.nrec = R;
    this.high = n;
    const back = [1, 2, 3, 4, 5].map((k) => R - k);
    const t = (r: number) => (r >= 0 && this.recs.word(r, 2) < REPEAT ? this.recs.word(r, 2) : -1);
    this.recent.set(back.map(t), back.map((r) => (t(r) >= 0 ? this.recs.icount(r) : 0)), back.map((r) => (t(r) >= 0 ? this.recs.cycles(r) : 0)));
    this.period = this.rp = 0;
    if (R > 0 && this.recs.word(R - 1, 2) >= REPEAT) this.open(k, n - this.reps.first[k]);
  }

  get(i: number): TransitionEvent {
    if (i < 0 || i >= this.n) throw new RangeError(`event ${i} out of range 0..${this.n - 1}`);
    this.find(i);
    const d = this.tpls.chunkOf(this.fT);
    const p = templateOffset(this.fT);
    const h = d[p];
    const wide = (h & WIDE_VM) !== 0 ? this.recs.wideVms(this.fRec) : undefined;
    const ev: TransitionEvent = {
      index: i,
      icount: this.fI,
      cycles: this.fC,
      kind: headKind(h),
      fromCpl: h & 3,
      toCpl: (h >> 2) & 3,
      fromVm: wide ? wide[0] : d[p + 1] & 0xffff,
      toVm: wide ? wide[1] : d[p + 1] >>> 16,
      vector: headVector(h),
      syscall: d[p + 2],
      exitReason: headExitReason(h),
      pcBefore: d[p + 3] >>> 0,
      pcAfter: d[p + 4] >>> 0,
      spBefore: d[p + 5] >>> 0,
      detail: d[p + 6] >>> 0,
      cause: '',
    };
    ev.cause = causeOf(ev);
    return ev;
  }

  /**
   * Set the visible length (restoring a snapshot). The events past it stay, so moving forward
   * again to a later snapshot of the same deterministic run shows them again; an event written
   * there that differs from the one kept drops the kept ones from it on.
   */
  setLength(n: number): void {
    this.n = Math.min(n, this.high);
    // Back before the log filled up: none of the dropped events has happened yet.
    if (this.n < this.capacity) {
      this.dropped = 0;
      this.droppedBy.clear();
    }
    this.rp = this.n === this.high && this.n < this.capacity ? this.period : 0;
  }

  /** What was dropped so far, for a snapshot (undefined while nothing was). */
  droppedState(): DroppedState | undefined {
    return this.dropped === 0 ? undefined : { dropped: this.dropped, by: [...this.droppedBy] };
  }

  /** Back to a snapshot's drops (after setLength to its length): later ones have not happened there. */
  restoreDropped(s: DroppedState | undefined): void {
    this.dropped = s?.dropped ?? 0;
    this.droppedBy.clear();
    for (const [k, v] of s?.by ?? []) this.droppedBy.set(k, v);
  }

  /**
   * The events so far by cause (causeOf), those counted past the capacity included: counted by
   * template, a repeat's by its period rather than event by event, so that a summary of millions
   * of events (the CLI's --json, at every stop of a view that shows one) costs what the log's
   * records do. Reading every event took about 0.2 µs each.
   */
  byCause(): Record<string, number> {
    const byTpl = new Map<number, number>();
    const add = (id: number, c: number) => byTpl.set(id, (byTpl.get(id) ?? 0) + c);
    const n = this.n;
    const reps = this.reps;
    // Events i0..i1-1 held by explicit records from r0 on.
    const explicit = (r0: number, i0: number, i1: number) => {
      for (let i = i0; i < i1; i++) add(this.recs.word(r0 + i - i0, 2), 1);
    };
    explicit(0, 0, Math.min(n, reps.count > 0 ? reps.first[0] : n));
    for (let k = 0; k < reps.count && reps.first[k] < n; k++) {
      // Repeat k's events are its period's positions phase, phase + 1, ... in turn (find()).
      const end = this.repEndOf(k);
      const len = Math.min(end, n) - reps.first[k];
      const rr = reps.base[k];
      const p = this.recs.word(rr, 2) & 7;
      const j0 = reps.phase[k];
      for (let s = 0; s < p; s++) {
        const j = j0 + ((((s - j0) % p) + p) % p);
        if (j < j0 + len) add(this.recs.word(rr - p + s, 2), Math.floor((j0 + len - 1 - j) / p) + 1);
      }
      explicit(reps.rec[k] + 1, end, Math.min(n, k + 1 < reps.count ? reps.first[k + 1] : n));
    }
    // In the order the causes first came (templates are met in event order), those dropped after.
    const out: Record<string, number> = {};
    for (const [id, c] of byTpl) {
      const d = this.tpls.chunkOf(id);
      const p = templateOffset(id);
      const h = d[p];
      const cause = causeOf({ kind: headKind(h), vector: headVector(h), syscall: d[p + 2], exitReason: headExitReason(h) });
      out[cause] = (out[cause] ?? 0) + c;
    }
    for (const [c, k] of Object.entries(this.droppedByCause())) out[c] = (out[c] ?? 0) + k;
    return out;
  }

  /** The events counted past the capacity, by cause as causeOf names them. */
  droppedByCause(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of this.droppedBy) {
      const c = droppedCause(k);
      out[c] = (out[c] ?? 0) + v;
    }
    return out;
  }
}

/** The drops of a log at some moment (a snapshot's). */
export interface DroppedState {
  readonly dropped: number;
  readonly by: readonly [number, number][];
}

/** A number for what causeOf reads of an event: a system call by its number (negative), else kind, vector and exit reason. */
function droppedKey(kind: EventKind, vector: number, syscall: number, exitReason: number): number {
  return kind === EventKind.Trap && vector === 0x80 ? -1 - (syscall >>> 0) : kind + 8 * (vector + 1) + 4096 * (exitReason + 1);
}

/** causeOf for a droppedKey. */
function droppedCause(k: number): string {
  if (k < 0) return causeOf({ kind: EventKind.Trap, vector: 0x80, syscall: (-1 - k) | 0, exitReason: -1 });
  return causeOf({ kind: k % 8, vector: (Math.floor(k / 8) % 512) - 1, syscall: -1, exitReason: Math.floor(k / 4096) - 1 });
}

/** The cause as a short label: the counters and the timeline use it. */
export function causeOf(e: Pick<TransitionEvent, 'kind' | 'vector' | 'syscall' | 'exitReason'>): string {
  switch (e.kind) {
    case EventKind.Trap:
      if (e.vector === 0x80) return `syscall ${syscallName(e.syscall) ?? e.syscall}`;
      return vectorShort(e.vector);
    case EventKind.Interrupt:
      return `irq ${vectorShort(e.vector)}`;
    case EventKind.VmExit:
      return `${TRANSITION_KINDS[e.kind]} ${exitReasonName(e.exitReason)}`;
    case EventKind.Iret:
    case EventKind.VmEntry:
    case EventKind.TripleFault:
      return TRANSITION_KINDS[e.kind];
  }
}

let causes: Set<string> | undefined;
/**
 * Whether `name` is a cause causeOf can give (as --json's byCause and the transitions panel name
 * them): a check file naming one that can never happen ('#PFF') is a teacher's typo, not a count of 0.
 */
export function knownCause(name: string): boolean {
  if (!causes) {
    causes = new Set(['iret', 'vmentry', 'triple-fault']);
    for (let v = 0; v < 256; v++) {
      if (v !== 0x80) causes.add(vectorShort(v));
      causes.add(`irq ${vectorShort(v)}`);
    }
    for (const n of Object.values(SYSCALL_NAMES)) causes.add(`syscall ${n}`);
    for (const r of exitReasonNumbers()) causes.add(`${TRANSITION_KINDS[EventKind.VmExit]} ${exitReasonName(r)}`);
  }
  // A number is how causeOf names a system call or an exit reason that has no name (a named one is named).
  const n = /^(syscall|vmexit reason) (\d+)$/.exec(name);
  if (n) return n[1] === 'syscall' ? syscallName(Number(n[2])) === undefined : exitReasonName(Number(n[2])) === `reason ${n[2]}`;
  return causes.has(name);
}
