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
 * Per event: icount and cycles as doubles (they pass 2^32), the rest as 32-bit integers: 56 bytes
 * an event, so the log's 4,000,000 take about 220 MB at most (doubles for every column took 416).
 */
const F64 = 2;
const I32 = 10;
/** Events per chunk: the log grows by whole chunks, never copying what it holds. */
const CHUNK_SHIFT = 12;
const CHUNK = 1 << CHUNK_SHIFT;

export class TransitionLog {
  private wide: Float64Array[] = [];
  private narrow: Int32Array[] = [];
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
    if (this.n >= this.capacity) {
      this.dropped++;
      return;
    }
    const c = this.n >>> CHUNK_SHIFT;
    if (c === this.wide.length) {
      this.wide.push(new Float64Array(CHUNK * F64));
      this.narrow.push(new Int32Array(CHUNK * I32));
    }
    const k = this.n & (CHUNK - 1);
    const w = this.wide[c];
    w[k * F64] = icount;
    w[k * F64 + 1] = cycles;
    const d = this.narrow[c];
    const o = k * I32;
    d[o] = fromCpl | (toCpl << 4) | (kind << 8);
    d[o + 1] = fromVm;
    d[o + 2] = toVm;
    d[o + 3] = vector;
    d[o + 4] = syscall;
    d[o + 5] = exitReason;
    d[o + 6] = pcBefore;
    d[o + 7] = pcAfter;
    d[o + 8] = spBefore;
    d[o + 9] = detail;
    this.n++;
    if (this.n > this.high) this.high = this.n;
  }

  get(i: number): TransitionEvent {
    if (i < 0 || i >= this.n) throw new RangeError(`event ${i} out of range 0..${this.n - 1}`);
    const k = i & (CHUNK - 1);
    const w = this.wide[i >>> CHUNK_SHIFT];
    const d = this.narrow[i >>> CHUNK_SHIFT];
    const o = k * I32;
    const kind = (d[o] >> 8) as EventKind;
    const ev: TransitionEvent = {
      index: i,
      icount: w[k * F64],
      cycles: w[k * F64 + 1],
      kind,
      fromCpl: d[o] & 15,
      toCpl: (d[o] >> 4) & 15,
      fromVm: d[o + 1],
      toVm: d[o + 2],
      vector: d[o + 3],
      syscall: d[o + 4],
      exitReason: d[o + 5],
      pcBefore: d[o + 6] >>> 0,
      pcAfter: d[o + 7] >>> 0,
      spBefore: d[o + 8] >>> 0,
      detail: d[o + 9] >>> 0,
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
