/**
 * The MMU's slow path (spec sections 6 and 7): on a TLB miss, the page walk
 * (translate.ts, the one walker), then what only the CPU does with it: count
 * it, write the accessed and dirty bits back, fill the TLB with the combined
 * translation, or raise #PF, an EPT-violation exit or #GP.
 */
import type { Cpu } from './cpu';
import { ACC_ANY, ACC_W } from './access';
import { TlbPerm, tlbSlot } from './tlb';
import { Cr0, EPTE, PTE, Status } from './isa/registers';
import { ExitReason, PfError, Vector } from './isa/abi';
import { exception } from './traps';
import { vmExit } from './vmx';
import { newWalkResult, plainNeed, plainWalk, translate, WalkFail } from './translate';
import { countSource, countWalkReads } from './costCount';

export { EPTE, PTE };

/** The walk's result, reused: a miss allocates nothing. */
const res = newWalkResult();
/** A separate one for the tools, so a view never disturbs a walk in progress. */
const peekRes = newWalkResult();

/** The running address space's EPT pointer, 0 when its addresses are host-physical. */
const eptOf = (cpu: Cpu) => (cpu.nonRoot ? cpu.eptp : 0);

/**
 * Translate on a TLB miss: walk, check, set A/D, fill the TLB. `user` is the
 * privilege the access is checked at. Returns the host-physical address, or
 * -1 (after raising the fault when `raise`).
 */
export function walk(cpu: Cpu, va: number, acc: number, user: boolean, raise: boolean): number {
  cpu.stats.misses++;
  const cr0 = cpu.cr0;
  // The common case (no EPT, both entries allowing the access) without translate()'s steps; anything else goes through them.
  const h = (cr0 & Cr0.PG) !== 0 && !cpu.nonRoot ? plainWalk(cpu.m32, cpu.memSize, cpu.cr3, va, plainNeed(cr0, acc, user), res) : -1;
  if (h >= 0) {
    res.reads = 2;
    res.eptPerm = 7;
    res.hpa = h;
  }
  const ok = h >= 0 || translate(cpu.m32, cpu.memSize, cr0, cpu.cr3, eptOf(cpu), va, acc, user, res);
  cpu.stats.walkReads += res.reads;
  countWalkReads(cpu, res.reads);
  if (!ok) {
    if (raise) fault(cpu, va);
    return -1;
  }
  let permBits = TlbPerm.W | TlbPerm.U | TlbPerm.D;
  if (res.pteHpa >= 0) {
    // Accessed and dirty bits are written back as the hardware would.
    const m = cpu.m32;
    const pde = res.pde;
    if ((pde & PTE.A) === 0) {
      m[res.pdeHpa >>> 2] = pde | PTE.A;
      cpu.noteWrite(res.pdeHpa);
    }
    let pte = res.pte;
    const newPte = pte | PTE.A | (acc === ACC_W ? PTE.D : 0);
    if (newPte !== pte) {
      pte = newPte;
      m[res.pteHpa >>> 2] = pte;
      cpu.noteWrite(res.pteHpa);
    }
    permBits = pagePerm(pde & pte, pte);
  }
  const ep = res.eptPerm;
  permBits |= (ep & EPTE.R ? TlbPerm.R : 0) | (ep & EPTE.X ? TlbPerm.X : 0) | (ep & EPTE.W ? TlbPerm.EW : 0);
  const hpa = res.hpa;
  const t = cpu.tlb;
  const key = (va >>> 12) | cpu.tagKey;
  const i = tlbSlot(key, t.mask);
  if (i === cpu.fSlot) cpu.fVa = -1;
  t.key[i] = key;
  t.page[i] = hpa & ~0xfff;
  t.perm[i] = permBits;
  return hpa;
}

/**
 * The TLB permissions W, U and D of a walk's two entries (`both`, the PDE and PTE anded; `pte`):
 * shifts rather than tests, since PTE.W and PTE.U sit one bit above TlbPerm.W and TlbPerm.U and
 * PTE.D four bits above TlbPerm.D (a test holds the layout). Also as source for compiled code (the
 * TLB-miss loop measured 1% to 4% faster with the shifts than with three tests: within the noise).
 */
export const pagePermSource = (both: string, pte: string) => `(((${both}) >>> 1) & ${TlbPerm.W | TlbPerm.U}) | (((${pte}) >>> 4) & ${TlbPerm.D})`;
export const pagePerm = (both: number, pte: number): number => ((both >>> 1) & (TlbPerm.W | TlbPerm.U)) | ((pte >>> 4) & TlbPerm.D);

/**
 * walk()'s common case as source for compiled code (blockgen.ts), which saves a call with its
 * spills on a TLB miss: root mode, paging on, both entries inside memory, present and allowing the
 * access (plainWalk()'s test). Counts the miss and its two reads, writes the A bits (and for a
 * write the PTE's D bit) that are not set yet, fills the TLB slot `i` of `key` and drops the fetch
 * cache if it held that slot, as walk() does, and sets `pa`. A PTE that is not present (demand
 * paging's fault) is counted as walk() counts it and leaves its #PF error code in `pe` (translate()
 * finds the same: two reads, the fault at the table step); anything else leaves `pa` at -1 for
 * walk(). Over the region's locals (m32, msz, tkey, tpage, tperm, cpl, pe); the differential tests
 * hold it to walk().
 */
export const quickWalkSource = (va: string, write: boolean): string => {
  // The miss and its two reads, counted whether the walk fills the TLB or finds the PTE not present.
  const countMiss = `const st = cpu.stats; st.misses++; st.walkReads += 2; ${countSource.walkReads('2')}`;
  return `if ((cpu.cr0 & ${Cr0.PG}) !== 0 && (cpu.st & ${Status.VM}) === 0) {
          const u = cpl === 3, need = ${PTE.P} | (u ? ${PTE.U} : 0)${write ? ` | (u || (cpu.cr0 & ${Cr0.WP}) !== 0 ? ${PTE.W} : 0)` : ''};
          const pdeHpa = (cpu.cr3 & -4096) + (${va} >>> 22) * 4;
          if (pdeHpa >>> 0 < msz) { const pde = m32[pdeHpa >>> 2], pteHpa = (pde & -4096) + ((${va} >>> 12) & 0x3ff) * 4;
            if ((pde & need) === need && pteHpa >>> 0 < msz) { const pte = m32[pteHpa >>> 2], h = ((pte & -4096) | (${va} & 0xfff)) >>> 0;
              if ((pte & need) === need && h < msz) {
                ${countMiss}
                if ((pde & ${PTE.A}) === 0) { m32[pdeHpa >>> 2] = pde | ${PTE.A}; cpu.noteWrite(pdeHpa); }
                const pte2 = pte | ${write ? PTE.A | PTE.D : PTE.A};
                if (pte2 !== pte) { m32[pteHpa >>> 2] = pte2; cpu.noteWrite(pteHpa); }
                const both = pde & pte2;
                if (i === cpu.fSlot) cpu.fVa = -1;
                tkey[i] = key; tpage[i] = h & -4096;
                tperm[i] = ${pagePermSource('both', 'pte2')} | ${TlbPerm.R | TlbPerm.X | TlbPerm.EW};
                pa = h; }
              else if ((pte & ${PTE.P}) === 0) {
                ${countMiss}
                pe = ${write ? PfError.W : 0} | (u ? ${PfError.U} : 0); } } } }`;
};

/** Raise the fault the last walk (with raise = false) of `va` found, as that walk would have with raise = true: compiled code calls it once its state is written back. */
export function raiseWalkFault(cpu: Cpu, va: number): void {
  fault(cpu, va);
}

/** #PF for `va` with this error code (cr2 = the address). */
export function pageFault(cpu: Cpu, va: number, error: number): void {
  // One the hypervisor intercepts exits with the address in exit_gva and leaves cr2 alone: on
  // VT-x a page fault that causes a VM exit does not update CR2 (the host's cr2 is the guest's too).
  if (cpu.nonRoot && (cpu.excBitmap >>> Vector.PAGE_FAULT) & 1) {
    vmExit(cpu, ExitReason.EXCEPTION, Vector.PAGE_FAULT, cpu.pc, 0, va, 0, error);
    return;
  }
  cpu.cr2 = va;
  exception(cpu, Vector.PAGE_FAULT, error);
}

/** The error code of the page fault the last walk (with raise = false) found, or -1 when it found another fault: compiled code delivers a #PF itself when it can. */
export function walkPageFault(): number {
  return res.fail === WalkFail.PAGE_FAULT ? res.error : -1;
}

/** Whether the last walk (with raise = false) failed on an EPT violation (raising it exits the VM). */
export function walkFailedOnEpt(): boolean {
  return res.fail === WalkFail.EPT_VIOLATION;
}

function fault(cpu: Cpu, va: number): void {
  switch (res.fail) {
    case WalkFail.PAGE_FAULT:
      pageFault(cpu, va, res.error);
      break;
    case WalkFail.EPT_VIOLATION:
      vmExit(cpu, ExitReason.EPT_VIOLATION, res.error, cpu.pc, 0, va, res.gpa, 0);
      break;
    default:
      exception(cpu, Vector.GP, 0);
  }
}

/**
 * Side-effect-free translation for the tools (breakpoint checks, the
 * debugger's memory view): TLB first, as the CPU would see it, then the walk
 * for whether the page is mapped, which sets no A/D bits, counts nothing and
 * raises nothing. -1 if unmapped.
 */
export function peekTranslate(cpu: Cpu, va: number): number {
  if (!cpu.paging) return va >>> 0 < cpu.memSize ? va >>> 0 : -1;
  const t = cpu.tlb;
  const key = (va >>> 12) | cpu.tagKey;
  const i = tlbSlot(key, t.mask);
  if (t.key[i] === key) return t.page[i] | (va & 0xfff);
  return translate(cpu.m32, cpu.memSize, cpu.cr0, cpu.cr3, eptOf(cpu), va, ACC_ANY, false, peekRes) ? peekRes.hpa : -1;
}
