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
 * Per event 12 bytes: icount and cycles as 32-bit offsets from the first event of their chunk
 * (the chunk's base, a double each: they pass 2^32), and the number of its template: everything
 * else (kind, rings, vector and exit reason packed in one word, both VM ids in another, the
 * system call, the three addresses, the detail), kept once however often it recurs. A loop of
 * system calls or page faults repeats a handful of templates; a log of all-different events
 * costs 40 bytes each (its templates and their hash table). Few bytes matter: writing into
 * never-touched memory costs a page fault per 4 KB on this kind of host. Chunks are small
 * (1,024 events, 12 KB) so the allocator can hand a new log the memory a dropped one freed.
 */
const E32 = 3;
/** Words per template. */
const T = 7;
/** Events (and templates) per chunk: the log grows by whole chunks, never copying what it holds. */
const CHUNK_SHIFT = 10;
const CHUNK = 1 << CHUNK_SHIFT;
/** An offset that did not fit in 32 bits, or VM ids that did not fit in 16: the values are in `wideOf`. */
const WIDE = -1;

function hash7(a: number, b: number, c: number, d: number, e: number, f: number, g: number): number {
  let h = Math.imul(a ^ 0x2545f491, 0x9e3779b1);
  h = Math.imul(h ^ b, 0x85ebca6b);
  h = Math.imul(h ^ c, 0xc2b2ae35);
  h = Math.imul(h ^ d, 0x9e3779b1);
  h = Math.imul(h ^ e, 0x85ebca6b);
  h = Math.imul(h ^ f, 0xc2b2ae35);
  h = Math.imul(h ^ g, 0x9e3779b1);
  return h ^ (h >>> 15);
}

export class TransitionLog {
  private base: number[] = [];
  private offs: Uint32Array[] = [];
  /** Templates (T words each) in chunks, and an open-addressing table of their numbers + 1 (0: free). */
  private tpl: Int32Array[] = [];
  private tplCount = 0;
  private recent0 = 0;
  private recent1 = 0;
  private table = new Int32Array(1024);
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
    if (c === this.offs.length) this.offs.push(new Uint32Array(CHUNK * E32));
    // A chunk's base is the first event ever written in it; kept when the log was moved back and
    // writes again (what it still holds past the length stays readable; an event below it is wide).
    if (k === 0 && n >= this.high) {
      this.base[c * 2] = icount;
      this.base[c * 2 + 1] = cycles;
    }
    const di = icount - this.base[c * 2];
    const dc = cycles - this.base[c * 2 + 1];
    const o = this.offs[c];
    const q = k * E32;
    let vms = 0;
    if (di >= 0 && di < WIDE >>> 0 && dc >= 0 && dc < WIDE >>> 0 && fromVm >>> 16 === 0 && toVm >>> 16 === 0) {
      o[q] = di;
      o[q + 1] = dc;
      vms = fromVm | (toVm << 16);
      if (this.wideOf.size !== 0) this.wideOf.delete(n);
    } else {
      o[q] = WIDE >>> 0;
      this.wideOf.set(n, [icount, cycles, fromVm, toVm]);
    }
    const head = fromCpl | (toCpl << 2) | (kind << 4) | ((vector + 1) << 8) | ((exitReason + 1) << 20);
    o[q + 2] = this.intern(head, vms, syscall, pcBefore | 0, pcAfter | 0, spBefore | 0, detail | 0);
    this.n = n + 1;
    if (this.n > this.high) this.high = this.n;
  }

  /** The number of the template with these words, added if new. */
  private intern(a: number, b: number, c: number, d: number, e: number, f: number, g: number): number {
    // The two templates used last first: a loop's transitions alternate between a few.
    const r0 = this.recent0;
    if (this.isTemplate(r0, a, b, c, d, e, f, g)) return r0;
    const r1 = this.recent1;
    this.recent1 = r0;
    if (this.isTemplate(r1, a, b, c, d, e, f, g)) return (this.recent0 = r1);
    return (this.recent0 = this.lookup(a, b, c, d, e, f, g));
  }

  private isTemplate(id: number, a: number, b: number, c: number, d: number, e: number, f: number, g: number): boolean {
    if (id >= this.tplCount) return false;
    const t = this.tpl[id >>> CHUNK_SHIFT];
    const o = (id & (CHUNK - 1)) * T;
    return t[o] === a && t[o + 1] === b && t[o + 2] === c && t[o + 3] === d && t[o + 4] === e && t[o + 5] === f && t[o + 6] === g;
  }

  private lookup(a: number, b: number, c: number, d: number, e: number, f: number, g: number): number {
    const table = this.table;
    const mask = table.length - 1;
    let i = hash7(a, b, c, d, e, f, g) & mask;
    for (;;) {
      const s = table[i];
      if (s === 0) break;
      const t = this.tpl[(s - 1) >>> CHUNK_SHIFT];
      const o = ((s - 1) & (CHUNK - 1)) * T;
      if (t[o] === a && t[o + 1] === b && t[o + 2] === c && t[o + 3] === d && t[o + 4] === e && t[o + 5] === f && t[o + 6] === g) return s - 1;
      i = (i + 1) & mask;
    }
    const id = this.tplCount++;
    if (id >>> CHUNK_SHIFT === this.tpl.length) this.tpl.push(new Int32Array(CHUNK * T));
    const t = this.tpl[id >>> CHUNK_SHIFT];
    const o = (id & (CHUNK - 1)) * T;
    t[o] = a;
    t[o + 1] = b;
    t[o + 2] = c;
    t[o + 3] = d;
    t[o + 4] = e;
    t[o + 5] = f;
    t[o + 6] = g;
    table[i] = id + 1;
    if (this.tplCount * 2 > table.length) this.rehash();
    return id;
  }

  /** Twice the table, every template placed again. */
  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let id = 0; id < this.tplCount; id++) {
      const t = this.tpl[id >>> CHUNK_SHIFT];
      const o = (id & (CHUNK - 1)) * T;
      let i = hash7(t[o], t[o + 1], t[o + 2], t[o + 3], t[o + 4], t[o + 5], t[o + 6]) & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = id + 1;
    }
    this.table = table;
  }

  get(i: number): TransitionEvent {
    if (i < 0 || i >= this.n) throw new RangeError(`event ${i} out of range 0..${this.n - 1}`);
    const c = i >>> CHUNK_SHIFT;
    const q = (i & (CHUNK - 1)) * E32;
    const o = this.offs[c];
    const id = o[q + 2];
    const d = this.tpl[id >>> CHUNK_SHIFT];
    const p = (id & (CHUNK - 1)) * T;
    const h = d[p];
    const wide = o[q] === WIDE >>> 0 ? this.wideOf.get(i) : undefined;
    const ev: TransitionEvent = {
      index: i,
      icount: wide ? wide[0] : this.base[c * 2] + o[q],
      cycles: wide ? wide[1] : this.base[c * 2 + 1] + o[q + 1],
      kind: ((h >> 4) & 15) as EventKind,
      fromCpl: h & 3,
      toCpl: (h >> 2) & 3,
      fromVm: wide ? wide[2] : d[p + 1] & 0xffff,
      toVm: wide ? wide[3] : d[p + 1] >>> 16,
      vector: ((h >> 8) & 0xfff) - 1,
      syscall: d[p + 2],
      exitReason: (h >>> 20) - 1,
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
