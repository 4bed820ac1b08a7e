/**
 * The R32 processor state and its memory-access paths. The interpreter loop
 * is in exec.ts; page walks in mmu.ts; trap delivery in traps.ts; VMX in vmx.ts.
 */
import { PhysicalMemory } from './memory';
import { newStats, Tlb, TlbPerm, TlbStats, tlbSlot } from './tlb';
import { Console } from './devices';
import { TransitionLog } from './events';
import { Cr0, Status } from './isa/registers';
import { walk } from './mmu';
import { busFault } from './traps';
import { checkWatch } from './watch';
import { selectShadow, ShadowStack } from './shadow';

import type { CompiledLoop } from './jit';
import type { PageCode } from './blocks';
import { copyCosts, CostCounts, CostTable, DEFAULT_COSTS } from './isa/costs';

import { ACC_R, ACC_W, ACC_X } from './access';
export { ACC_R, ACC_W, ACC_X };
import type { StopCause, StopReason } from './stops';
import type { VmStats } from './vmx';

export interface WatchHit {
  va: number;
  pa: number;
  access: 'read' | 'write';
  id: number;
}

/** Compiled blocks one machine keeps at most (blocks.ts; a few KB each): far more than a course program has. */
export const MAX_LIVE_BLOCKS = 5_000;

/**
 * The `cycles` getter's sum as JavaScript source over `cpu` with the instruction count `icount`
 * (an expression), for compiled code that keeps the count in a local: a getter call per
 * transition event was a tenth of a system call's round trip.
 */
export const cyclesSource = (icount: string) =>
  `((${icount}) * cpu.costs.instruction + cpu.cOther)`;

/**
 * updateAccess() after a change of CPL alone (a trap or iret in root mode: paging, the tag and
 * cr0 stay) as source over `cpu` for compiled code, which keeps `pg` (cpu.paging) in a local:
 * the fetches counted so far folded into the TLB hits, the needs of the new CPL `cpl`, the
 * fetch cache dropped. The same statements as updateAccess(), without its call.
 */
export const ringChangeSource = (cpl: string) => `{ if (pg) cpu.stats.hits += cpu.fetchHits; cpu.fetchHits = 0;
      const u = (${cpl}) === 3, wp = (cpu.cr0 & ${Cr0.WP}) !== 0;
      cpu.needR = ${TlbPerm.R} | (u ? ${TlbPerm.U} : 0); cpu.needW = ${TlbPerm.EW | TlbPerm.D} | (u || wp ? ${TlbPerm.W} : 0) | (u ? ${TlbPerm.U} : 0); cpu.needX = ${TlbPerm.X} | (u ? ${TlbPerm.U} : 0);
      cpu.fVa = -1; }`;

export class Cpu {
  readonly r = new Int32Array(16);
  pc = 0;
  /** Arithmetic flags Z N C V (status bits 0-3). */
  fl = 0;
  /** The rest of status: IF, CPL, and (internal, never visible to the guest) the non-root mode bit. */
  st = 0;
  cr0 = 0;
  cr2 = 0;
  cr3 = 0;
  ivt = 0;
  ksp = 0;
  /** The ring-1 stack pointer (x86 TSS.esp1), for gates whose handler runs in ring 1. */
  ksp1 = 0;

  readonly mem: PhysicalMemory;
  readonly m8: Uint8Array;
  readonly m32: Int32Array;
  readonly memSize: number;
  readonly dirty: Uint8Array;
  readonly tlb: Tlb;
  readonly console: Console;
  readonly events: TransitionLog;

  /** Address-space tag (0 host, n VM n) and its TLB counters. */
  tag = 0;
  tagKey = 0;
  stats: TlbStats = newStats();
  readonly statsByTag = new Map<number, TlbStats>([[0, this.stats]]);
  /** Whether linear addresses need translation (paging on, or EPT on in a guest). */
  paging = false;
  needR = 0;
  needW = 0;
  needX = 0;
  /** One-page fetch cache (a TLB entry's translation, or identity when flat); fVa = -1 when invalid. */
  fVa = -1;
  /** Fetches served by the cache since the last fold into `stats.hits` (a TLB hit each, when paging). */
  fetchHits = 0;
  fPa = 0;
  fSlot = -1;

  /** Steps taken: instructions executed (completed or faulted), interrupts delivered, idle ticks. */
  icount = 0;
  /** The cost model's event counts (cycles = counts × costs; instructions = icount - cEvSteps). */
  costs: CostTable = copyCosts(DEFAULT_COSTS);
  cWalk = 0;
  cTrap = 0;
  cIret = 0;
  cFlush = 0;
  cExit = 0;
  /** Steps that are not instructions: interrupts and VM exits taken between instructions. */
  cEvSteps = 0;
  /**
   * The cycles of the counts above but instructions, less the instruction cost of cEvSteps: added
   * to as each count changes (with the cost of what it counts), so that the cycle count is
   * icount × costs.instruction + cOther, one multiply for every transition event.
   */
  cOther = 0;
  /** VM cycle attribution: cycles at the last entry, at the last exit, and the VM that exited last (0 none). */
  entryCycles = 0;
  exitCycles = 0;
  lastExitVm = 0;
  /** The loop stops to service events when icount reaches this. */
  deadline = 0;
  /** Budget end of the current run() call. */
  limit = 0;

  halted = false;
  /** Pending external interrupts: bit 0 timer (32), bit 1 console (33). */
  pending = 0;
  timerPeriod = 0;
  timerNext = Infinity;
  /** Input bytes already signalled with interrupt 33. */
  inputSignalled = 0;

  powered = true;
  exitCode = 0;
  stopReq: StopReason | null = null;
  /** Why the machine stopped for good (power-off, triple fault, hlt that nothing can wake); words for it live above. */
  stopCause: StopCause | null = null;
  /** Bitmask of 1 << EventKind: stop after such a transition. */
  eventStopMask = 0;
  /** Whether a delivery is in progress (a fault now is a triple fault). */
  delivering = false;
  /**
   * Words the machine itself wrote (A/D bits, trap frames, the VMCS) into pages that hold compiled
   * code: compiled code compares its own words after a walk or a trap only when this moved.
   */
  codeWrites = 0;
  /** Set by slow paths that fault without returning an address. */
  faulted = false;

  /** Breakpoints: one bit per physical word, and a count per physical page. */
  readonly bp: Uint32Array;
  readonly bpPage: Uint16Array;
  bpCount = 0;
  /** Whether the fetch-cache page holds a breakpoint. */
  fBp = false;
  /** Data breakpoints: per physical word, bit 0 read, bit 1 write; virtual ones in a list. */
  watchOn = false;
  watchPhys: Uint8Array | null = null;
  /** Virtual watches; `tag` (and `cr3`) set: only in that address space. */
  watchVirt: { va: number; len: number; mode: number; id: number; tag?: number; cr3?: number }[] = [];
  watchHit: WatchHit | null = null;
  /** Physical address and linear address of the last data access (for the panels), and the
   * address space it was made in (the TLB tag: 0 host, n VM n). */
  lastDataVa = -1;
  lastDataPa = -1;
  lastDataTag = 0;

  /**
   * Shadow call stacks by address space: the tag (host or VM) and the page directory,
   * so each process of a kernel keeps its own frames. `shadow` is the current one.
   */
  shadow = new ShadowStack();
  shadows = new Map<number, ShadowStack>([[0, this.shadow]]);
  /** The shadow-stack key each tag used last (for a VM that is not running now). */
  shadowKeyOfTag = new Map<number, number>([[0, 0]]);

  /** Trap delivery's one-go common case (traps.ts quickDeliver); tests turn it off to hold it to the step-by-step delivery. */
  quickTraps = true;
  /** The loop compiler (jit.ts): on/off, heat of loop heads by physical address, compiled loops. */
  jit = true;
  readonly hot = new Uint8Array(8192);
  readonly loops = new Map<number, CompiledLoop>();
  /** The block compiler (blocks.ts): compiled blocks by physical page and word, entry heat, recompilations. */
  readonly blockPages: (PageCode | undefined)[];
  readonly blockHeat = new Int32Array(65536);
  readonly blockHeatCount = new Uint8Array(65536);
  readonly recompiles = new Map<number, number>();
  /** Blocks compiled into blockPages since the code cache last started afresh (MAX_LIVE_BLOCKS). */
  liveBlocks = 0;
  /** The cap on liveBlocks (a test lowers it). */
  maxLiveBlocks = MAX_LIVE_BLOCKS;

  // VMX
  vmcs = -1;
  readonly vmIds = new Map<number, number>();
  readonly vmStats = new Map<number, VmStats>();
  exitCtls = 0;
  excBitmap = 0;
  eptp = 0;
  preemptAt = Infinity;
  entryIcount = 0;

  constructor(memBytes: number, tlbEntries: number) {
    this.mem = new PhysicalMemory(memBytes);
    this.m8 = this.mem.bytes;
    this.m32 = this.mem.words;
    this.memSize = memBytes;
    this.dirty = this.mem.dirty;
    this.tlb = new Tlb(tlbEntries);
    this.console = new Console();
    this.events = new TransitionLog();
    this.bp = new Uint32Array(Math.ceil(memBytes / 128));
    this.bpPage = new Uint16Array(memBytes >>> 12);
    this.blockPages = new Array<PageCode | undefined>(memBytes >>> 12).fill(undefined);
    this.updateAccess();
  }

  get cpl(): number {
    return (this.st >>> 12) & 3;
  }

  get nonRoot(): boolean {
    return (this.st & Status.VM) !== 0;
  }

  /** The architectural status: flags, IF, CPL. The non-root bit is left out: no instruction tells a guest it runs in a VM. */
  get status(): number {
    return (this.st & ~Status.VM) | this.fl;
  }

  /** The cycle count (§10): every event counted so far times its cost (cyclesSource below is the same sum, for compiled code). */
  get cycles(): number {
    return this.icount * this.costs.instruction + this.cOther;
  }

  costCounts(): CostCounts {
    return { instructions: this.icount - this.cEvSteps, walkReads: this.cWalk, traps: this.cTrap, irets: this.cIret, flushes: this.cFlush, vmExits: this.cExit };
  }

  /** Switch to the shadow stack of the current tag and page directory (shadow.ts: how many are kept). */
  selectShadow(): void {
    selectShadow(this);
  }

  /** Count the fetch-cache hits as TLB hits of the address space they happened in. */
  foldFetchHits(): void {
    if (this.paging) this.stats.hits += this.fetchHits;
    this.fetchHits = 0;
  }

  /** Recompute what translation needs after a change of CPL, cr0, mode or tag (ringChangeSource below: its CPL part, for compiled code). */
  updateAccess(): void {
    this.foldFetchHits();
    const T = TlbPerm;
    const user = this.cpl === 3;
    const wp = (this.cr0 & Cr0.WP) !== 0;
    this.needR = T.R | (user ? T.U : 0);
    this.needW = T.EW | T.D | (user || wp ? T.W : 0) | (user ? T.U : 0);
    this.needX = T.X | (user ? T.U : 0);
    this.paging = (this.cr0 & Cr0.PG) !== 0 || (this.nonRoot && this.eptp !== 0);
    this.tagKey = this.tag << 20;
    this.fVa = -1;
  }

  setTag(tag: number): void {
    this.foldFetchHits();
    this.tag = tag;
    this.selectShadow();
    let s = this.statsByTag.get(tag);
    if (!s) this.statsByTag.set(tag, (s = newStats()));
    this.stats = s;
    this.updateAccess();
  }

  /**
   * tr()'s common case for a data access (ACC_R or ACC_W): flat and inside memory, or a TLB hit
   * with the access's rights, and no data breakpoint set. Counted and noted as tr() does; -1, with
   * nothing changed, when only tr() can say. The interpreter tries it before writing its state back.
   */
  quick(va: number, acc: number): number {
    if (this.watchOn) return -1;
    let pa: number;
    if (!this.paging) {
      if (va >>> 0 >= this.memSize) return -1;
      pa = va;
    } else {
      const key = (va >>> 12) | this.tagKey;
      const t = this.tlb;
      const i = tlbSlot(key, t.mask);
      const need = acc === ACC_R ? this.needR : this.needW;
      if (t.key[i] !== key || (t.perm[i] & need) !== need) return -1;
      this.stats.hits++;
      pa = t.page[i] | (va & 0xfff);
    }
    this.lastDataVa = va;
    this.lastDataPa = pa;
    this.lastDataTag = this.tag;
    return pa;
  }

  /** Translate a linear address for an access at the current CPL. Returns the
   * physical address, or -1 after the fault (or VM exit) has been raised. */
  tr(va: number, acc: number): number {
    if (acc !== ACC_X) {
      const q = this.quick(va, acc);
      if (q >= 0) return q;
    }
    return this.trMiss(va, acc);
  }

  /** tr() once quick() has said no to a data access (callers try it first), or for a fetch. */
  trMiss(va: number, acc: number): number {
    let pa: number;
    if (!this.paging) {
      if (va >>> 0 >= this.memSize) {
        busFault(this, va);
        return -1;
      }
      pa = va;
    } else {
      const key = (va >>> 12) | this.tagKey;
      const t = this.tlb;
      const i = tlbSlot(key, t.mask);
      const need = acc === ACC_R ? this.needR : acc === ACC_W ? this.needW : this.needX;
      // A data access comes here only after quick() probed the TLB: with no data breakpoint set, a miss.
      if ((acc === ACC_X || this.watchOn) && t.key[i] === key && (t.perm[i] & need) === need) {
        this.stats.hits++;
        pa = t.page[i] | (va & 0xfff);
      } else {
        pa = walk(this, va, acc, this.cpl === 3, true);
        if (pa < 0) return -1;
      }
    }
    if (acc !== ACC_X) {
      this.lastDataVa = va;
      this.lastDataPa = pa;
      this.lastDataTag = this.tag;
      if (this.watchOn) checkWatch(this, va, pa, acc);
    }
    return pa;
  }

  /** Fetch translation (the slow path: fills the one-page cache). */
  fetchPa(pc: number): number {
    if ((pc & -4096) === this.fVa) {
      this.fetchHits++;
      return this.fPa | (pc & 0xfff);
    }
    const pa = this.tr(pc, ACC_X);
    if (pa >= 0) {
      this.fVa = pc & -4096;
      this.fPa = pa & -4096;
      this.fBp = this.bpPage[pa >>> 12] !== 0;
      if (this.paging) {
        const key = (pc >>> 12) | this.tagKey;
        this.fSlot = tlbSlot(key, this.tlb.mask);
      } else this.fSlot = -1;
    }
    return pa;
  }

  /** Load a word; on a fault sets `faulted` and returns 0. */
  load32(va: number): number {
    if ((va & 3) === 0) {
      const pa = this.tr(va, ACC_R);
      if (pa < 0) return this.fail();
      return this.m32[pa >>> 2];
    }
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const pa = this.tr((va + i) | 0, ACC_R);
      if (pa < 0) return this.fail();
      v |= this.m8[pa] << (8 * i);
    }
    return v;
  }

  load8(va: number): number {
    const pa = this.tr(va, ACC_R);
    if (pa < 0) return this.fail();
    return this.m8[pa];
  }

  /** Store a word; returns false after a fault. Checks every byte's page before writing any. */
  store32(va: number, v: number): boolean {
    return this.quickStore32(va, v) || this.store32Miss(va, v);
  }

  /** store32() once quickStore32() has said no. */
  store32Miss(va: number, v: number): boolean {
    if ((va & 3) === 0) return this.write32(this.trMiss(va, ACC_W), v);
    const pas = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      const pa = this.tr((va + i) | 0, ACC_W);
      if (pa < 0) return false;
      pas[i] = pa;
    }
    for (let i = 0; i < 4; i++) {
      this.m8[pas[i]] = v >>> (8 * i);
      this.dirty[pas[i] >>> 12] = 1;
    }
    return true;
  }

  /** store32() when it is an aligned store that quick() translates; false, with nothing changed, otherwise. */
  quickStore32(va: number, v: number): boolean {
    return (va & 3) === 0 && this.write32(this.quick(va, ACC_W), v);
  }

  /** store8() when quick() translates it; false, with nothing changed, otherwise. */
  quickStore8(va: number, v: number): boolean {
    return this.write8(this.quick(va, ACC_W), v);
  }

  store8(va: number, v: number): boolean {
    return this.quickStore8(va, v) || this.store8Miss(va, v);
  }

  /** store8() once quickStore8() has said no. */
  store8Miss(va: number, v: number): boolean {
    return this.write8(this.trMiss(va, ACC_W), v);
  }

  /** Write a word at physical `pa` translated for a store; false (nothing written) when the translation failed (pa < 0). */
  private write32(pa: number, v: number): boolean {
    if (pa < 0) return false;
    this.m32[pa >>> 2] = v;
    this.dirty[pa >>> 12] = 1;
    return true;
  }

  private write8(pa: number, v: number): boolean {
    if (pa < 0) return false;
    this.m8[pa] = v;
    this.dirty[pa >>> 12] = 1;
    return true;
  }

  /** Push at the current sp; sp changes only if the store succeeds. */
  push(v: number): boolean {
    return this.quickPush(v) || this.pushMiss(v);
  }

  /** push() once quickPush() has said no. */
  pushMiss(v: number): boolean {
    const sp = (this.r[15] - 4) | 0;
    if (!this.store32Miss(sp, v)) return false;
    this.r[15] = sp;
    return true;
  }

  /** push() when quickStore32() can make the store; false, with nothing changed, otherwise. */
  quickPush(v: number): boolean {
    const sp = (this.r[15] - 4) | 0;
    if (!this.quickStore32(sp, v)) return false;
    this.r[15] = sp;
    return true;
  }

  private fail(): number {
    this.faulted = true;
    return 0;
  }

  /** Count a word the machine itself wrote at physical `pa` (see codeWrites). */
  noteWrite(pa: number): void {
    this.dirty[pa >>> 12] = 1;
    if (this.blockPages[pa >>> 12] !== undefined) this.codeWrites++;
  }

  /** Ask the loop to stop before the next instruction. */
  requestStop(reason: StopReason): void {
    this.stopReq = reason;
    this.deadline = 0;
  }

  /** Make the loop re-check interrupts, timers and stop requests before the next instruction. */
  reschedule(): void {
    this.deadline = 0;
  }
}
