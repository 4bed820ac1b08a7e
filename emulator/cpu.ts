/**
 * The R32 processor: its behaviour over the state in cpuState.ts (translation, the memory-access
 * paths, the mode and the CPL's access rights). The interpreter loop is in exec.ts; page walks in
 * mmu.ts; trap delivery in traps.ts; VMX in vmx.ts.
 */
import { newStats, TlbPerm, tlbSlot } from './tlb';
import { Cr0, Status } from './isa/registers';
import { walk } from './mmu';
import { busFault } from './traps';
import { checkWatch } from './watch';
import { selectShadow } from './shadow';
import type { CostCounts } from './isa/costs';
import { CpuState } from './cpuState';

import { ACC_R, ACC_W, ACC_X } from './access';
export { ACC_R, ACC_W, ACC_X };
export { MAX_LIVE_BLOCKS } from './cpuState';
export type { WatchHit } from './cpuState';
import type { StopReason } from './stops';

/**
 * The `cycles` getter's sum as JavaScript source over `cpu` with the instruction count `icount`
 * (an expression), for compiled code that keeps the count in a local: a getter call per
 * transition event was a tenth of a system call's round trip.
 */
export const cyclesSource = (icount: string) =>
  `((${icount}) * cpu.costs.instruction + cpu.cOther)`;

/**
 * updateAccess() after a change of CPL alone (a trap or iret in root mode: paging, the tag and
 * cr0 stay) as source over `cpu` for compiled code, which keeps `pg` (cpu.paging) and the TLB
 * hits it has yet to count (`dh`) in locals: the fetches counted so far (the cpu's, and the
 * region's own `fetched` not yet added to them) folded into the TLB hits, the needs of the new
 * CPL `cpl`, the fetch cache dropped. The same statements as updateAccess(), without its call.
 */
export const ringChangeSource = (cpl: string, fetched: string) => `{ if (pg) dh += cpu.fetchHits + (${fetched}); cpu.fetchHits = 0;
      const u = (${cpl}) === 3, wp = (cpu.cr0 & ${Cr0.WP}) !== 0;
      cpu.needR = ${TlbPerm.R} | (u ? ${TlbPerm.U} : 0); cpu.needW = ${TlbPerm.EW | TlbPerm.D} | (u || wp ? ${TlbPerm.W} : 0) | (u ? ${TlbPerm.U} : 0); cpu.needX = ${TlbPerm.X} | (u ? ${TlbPerm.U} : 0);
      cpu.fVa = -1; }`;

export class Cpu extends CpuState {
  constructor(memBytes: number, tlbEntries: number) {
    super(memBytes, tlbEntries);
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
    const pa = this.paging ? this.tlbHit(va, acc) : va >>> 0 < this.memSize ? va : -1;
    if (pa >= 0) this.noteData(va, pa);
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
      // A data access comes here only after quick() probed the TLB: with no data breakpoint set, a miss.
      pa = acc === ACC_X || this.watchOn ? this.tlbHit(va, acc) : -1;
      if (pa < 0) {
        pa = walk(this, va, acc, this.cpl === 3, true);
        if (pa < 0) return -1;
      }
    }
    if (acc !== ACC_X) {
      this.noteData(va, pa);
      if (this.watchOn) checkWatch(this, va, pa, acc);
    }
    return pa;
  }

  /** The TLB's translation of `va` when it holds the page with the rights `acc` needs at the CPL (the hit counted); else -1. */
  private tlbHit(va: number, acc: number): number {
    const key = (va >>> 12) | this.tagKey;
    const t = this.tlb;
    const i = tlbSlot(key, t.mask);
    const need = acc === ACC_R ? this.needR : acc === ACC_W ? this.needW : this.needX;
    if (t.key[i] !== key || (t.perm[i] & need) !== need) return -1;
    this.stats.hits++;
    return t.page[i] | (va & 0xfff);
  }

  /** The last data access, for the panels. */
  private noteData(va: number, pa: number): void {
    this.lastDataVa = va;
    this.lastDataPa = pa;
    this.lastDataTag = this.tag;
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
