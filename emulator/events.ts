/**
 * Transition events (spec section 9): every ring or mode change, stored as
 * columns of typed arrays so a run can hold millions of them without garbage,
 * and a panel can page through them by index.
 */
import { exitReasonName, syscallName, TRANSITION_KINDS, vectorShort } from './isa/abi';

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
 * Per event 36 bytes: icount and cycles as 32-bit offsets from the first event of their chunk
 * (the chunk's base, a double each: they pass 2^32), the kind, rings, vector and exit reason
 * packed in one word, both VM ids in another, then five words. Chunks are small (1,024 events,
 * under 30 KB an array) so the allocator hands a new log the memory a dropped one freed, already
 * touched: writing into never-touched memory costs a page fault per 4 KB on this kind of host.
 */
const I32 = 7;
/** Events per chunk: the log grows by whole chunks, never copying what it holds. */
const CHUNK_SHIFT = 10;
const CHUNK = 1 << CHUNK_SHIFT;
/** An offset that did not fit in 32 bits, or VM ids that did not fit in 16: the values are in `wideOf`. */
const WIDE = -1;

export class TransitionLog {
  private base: number[] = [];
  private offs: Uint32Array[] = [];
  private narrow: Int32Array[] = [];
  /** Exact icount, cycles, fromVm, toVm of the (rare) events whose fields did not fit. */
  private wideOf = new Map<number, [number, number, number, number]>();
  private n = 0;
  /** Entries written so far in the buffer (n can be moved back below it). */
  private high = 0;
  /** Events beyond this many are counted but not kept. */
  readonly capacity: number;
  dropped = 0;

  constructor(capacity = 4_000_000) {
    this.capacity = capacity;
  }

  get length(): number {
    return this.n;
  }

  push(
    icount: number, cycles: number, kind: EventKind, fromCpl: number, toCpl: number, fromVm: number, toVm: number,
    vector: number, syscall: number, exitReason: number, pcBefore: number, pcAfter: number, spBefore: number, detail = 0,
  ): void {
    const n = this.n;
    if (n >= this.capacity) {
      this.dropped++;
      return;
    }
    const c = n >>> CHUNK_SHIFT;
    const k = n & (CHUNK - 1);
    if (c === this.offs.length) {
      this.offs.push(new Uint32Array(CHUNK * 2));
      this.narrow.push(new Int32Array(CHUNK * I32));
    }
    // A chunk's base is the first event ever written in it; kept when the log was moved back and
    // writes again (what it still holds past the length stays readable; an event below it is wide).
    if (k === 0 && n >= this.high) {
      this.base[c * 2] = icount;
      this.base[c * 2 + 1] = cycles;
    }
    const di = icount - this.base[c * 2];
    const dc = cycles - this.base[c * 2 + 1];
    const o = this.offs[c];
    const d = this.narrow[c];
    const q = k * I32;
    if (di >= 0 && di < WIDE >>> 0 && dc >= 0 && dc < WIDE >>> 0 && fromVm >>> 16 === 0 && toVm >>> 16 === 0) {
      o[k * 2] = di;
      o[k * 2 + 1] = dc;
      d[q + 1] = fromVm | (toVm << 16);
      if (this.wideOf.size !== 0) this.wideOf.delete(n);
    } else {
      o[k * 2] = WIDE >>> 0;
      this.wideOf.set(n, [icount, cycles, fromVm, toVm]);
    }
    d[q] = fromCpl | (toCpl << 2) | (kind << 4) | ((vector + 1) << 8) | ((exitReason + 1) << 20);
    d[q + 2] = syscall;
    d[q + 3] = pcBefore;
    d[q + 4] = pcAfter;
    d[q + 5] = spBefore;
    d[q + 6] = detail;
    this.n = n + 1;
    if (this.n > this.high) this.high = this.n;
  }

  get(i: number): TransitionEvent {
    if (i < 0 || i >= this.n) throw new RangeError(`event ${i} out of range 0..${this.n - 1}`);
    const c = i >>> CHUNK_SHIFT;
    const k = i & (CHUNK - 1);
    const o = this.offs[c];
    const d = this.narrow[c];
    const q = k * I32;
    const h = d[q];
    const wide = o[k * 2] === WIDE >>> 0 ? this.wideOf.get(i) : undefined;
    const ev: TransitionEvent = {
      index: i,
      icount: wide ? wide[0] : this.base[c * 2] + o[k * 2],
      cycles: wide ? wide[1] : this.base[c * 2 + 1] + o[k * 2 + 1],
      kind: ((h >> 4) & 15) as EventKind,
      fromCpl: h & 3,
      toCpl: (h >> 2) & 3,
      fromVm: wide ? wide[2] : d[q + 1] & 0xffff,
      toVm: wide ? wide[3] : d[q + 1] >>> 16,
      vector: ((h >> 8) & 0xfff) - 1,
      syscall: d[q + 2],
      exitReason: (h >>> 20) - 1,
      pcBefore: d[q + 3] >>> 0,
      pcAfter: d[q + 4] >>> 0,
      spBefore: d[q + 5] >>> 0,
      detail: d[q + 6] >>> 0,
      cause: '',
    };
    ev.cause = causeOf(ev);
    return ev;
  }

  /**
   * Set the visible length (restoring a snapshot). Entries past the current
   * length stay in the buffer, so moving forward again to a later snapshot of
   * the same deterministic run shows them again.
   */
  setLength(n: number): void {
    this.n = Math.min(n, this.high);
  }
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
