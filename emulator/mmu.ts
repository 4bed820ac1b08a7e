/**
 * Page walks (spec sections 6 and 7): the guest's two-level tables and, in a
 * VM with EPT, the second stage for every guest-physical address including
 * the guest's own table reads. A successful walk fills the TLB with the
 * combined translation; a failed one raises #PF or an EPT-violation exit.
 */
import type { Cpu } from './cpu';
import { ACC_W, ACC_X } from './access';
import { TlbPerm, tlbSlot } from './tlb';
import { Cr0, EPTE, PTE } from './isa/registers';
import { ExitReason, Vector } from './isa/abi';
import { exception } from './traps';
import { vmExit } from './vmx';

export { EPTE, PTE };

/** Permissions the last EPT translation allowed (R W X), for the TLB entry. */
let eptPerm = 7;
const EPT_FAILED = -2;

/**
 * Guest-physical → host-physical through EPT, or identity without it.
 * Returns -1 when the address is outside memory (no EPT), EPT_FAILED after an
 * EPT violation (the exit is raised when `raise`).
 */
function stage2(cpu: Cpu, gpa: number, acc: number, gva: number, raise: boolean): number {
  if (!cpu.nonRoot || cpu.eptp === 0) {
    eptPerm = 7;
    return gpa >>> 0 < cpu.memSize ? gpa : -1;
  }
  const m = cpu.m32;
  const size = cpu.memSize;
  const dirAddr = (cpu.eptp & ~0xfff) + (gpa >>> 22) * 4;
  let e1 = 0;
  let e2 = 0;
  if (dirAddr < size) {
    e1 = m[dirAddr >>> 2];
    cpu.stats.walkReads++;
    cpu.cWalk++;
    const tAddr = (e1 & ~0xfff) + ((gpa >>> 12) & 0x3ff) * 4;
    if (e1 & 7 && tAddr >>> 0 < size) {
      e2 = m[tAddr >>> 2];
      cpu.stats.walkReads++;
      cpu.cWalk++;
    }
  }
  const perm = e1 & e2 & 7;
  const need = acc === ACC_W ? EPTE.W : acc === ACC_X ? EPTE.X : EPTE.R;
  const hpa = (e2 & ~0xfff) | (gpa & 0xfff);
  if ((perm & need) === 0 || hpa >>> 0 >= size) {
    if (raise) {
      const qual = (acc === ACC_W ? 2 : acc === ACC_X ? 4 : 1) | (perm << 3);
      vmExit(cpu, ExitReason.EPT_VIOLATION, qual, cpu.pc, 0, gva, gpa, 0);
    }
    return EPT_FAILED;
  }
  eptPerm = perm;
  return hpa;
}

/**
 * The slow path of translation: walk, check, set A/D, fill the TLB.
 * `user` is the privilege the access is checked at. Returns the host-physical
 * address, or -1 (after raising the fault when `raise`).
 */
export function walk(cpu: Cpu, va: number, acc: number, user: boolean, raise: boolean): number {
  cpu.stats.misses++;
  const m = cpu.m32;
  const write = acc === ACC_W;
  let permBits: number;
  let pageGpa: number;
  let dirty = true;
  if ((cpu.cr0 & Cr0.PG) === 0) {
    // Guest paging off inside an EPT guest: linear = guest-physical.
    pageGpa = va & ~0xfff;
    permBits = TlbPerm.W | TlbPerm.U | TlbPerm.D;
  } else {
    const errBase = (write ? 2 : 0) | (user ? 4 : 0) | (acc === ACC_X ? 16 : 0);
    const pdeGpa = (cpu.cr3 & ~0xfff) + (va >>> 22) * 4;
    const pdeHpa = stage2(cpu, pdeGpa, 0, va, raise);
    if (pdeHpa === EPT_FAILED) return -1;
    if (pdeHpa < 0) return pageFault(cpu, va, errBase, raise);
    let pde = m[pdeHpa >>> 2];
    cpu.stats.walkReads++;
    cpu.cWalk++;
    if ((pde & PTE.P) === 0) return pageFault(cpu, va, errBase, raise);
    const pteGpa = (pde & ~0xfff) + ((va >>> 12) & 0x3ff) * 4;
    const pteHpa = stage2(cpu, pteGpa, 0, va, raise);
    if (pteHpa === EPT_FAILED) return -1;
    if (pteHpa < 0) return pageFault(cpu, va, errBase, raise);
    let pte = m[pteHpa >>> 2];
    cpu.stats.walkReads++;
    cpu.cWalk++;
    if ((pte & PTE.P) === 0) return pageFault(cpu, va, errBase, raise);
    const u = pde & pte & PTE.U;
    const w = pde & pte & PTE.W;
    if (user && !u) return pageFault(cpu, va, errBase | 1, raise);
    if (write && !w && (user || (cpu.cr0 & Cr0.WP) !== 0)) return pageFault(cpu, va, errBase | 1, raise);
    // Accessed and dirty bits are written back as the hardware would.
    if ((pde & PTE.A) === 0) {
      pde |= PTE.A;
      m[pdeHpa >>> 2] = pde;
      cpu.dirty[pdeHpa >>> 12] = 1;
    }
    const newPte = pte | PTE.A | (write ? PTE.D : 0);
    if (newPte !== pte) {
      pte = newPte;
      m[pteHpa >>> 2] = pte;
      cpu.dirty[pteHpa >>> 12] = 1;
    }
    dirty = (pte & PTE.D) !== 0;
    permBits = (w ? TlbPerm.W : 0) | (u ? TlbPerm.U : 0) | (dirty ? TlbPerm.D : 0);
    pageGpa = pte & ~0xfff;
  }
  const hpaPage = stage2(cpu, pageGpa | (va & 0xfff), acc, va, raise);
  if (hpaPage === EPT_FAILED) return -1;
  if (hpaPage < 0) {
    if (raise) busFault(cpu);
    return -1;
  }
  const ep = eptPerm;
  permBits |= (ep & EPTE.R ? TlbPerm.R : 0) | (ep & EPTE.X ? TlbPerm.X : 0) | (ep & EPTE.W ? TlbPerm.EW : 0);
  const t = cpu.tlb;
  const key = (va >>> 12) | cpu.tagKey;
  const i = tlbSlot(key, t.mask);
  if (i === cpu.fSlot) cpu.fVa = -1;
  t.key[i] = key;
  t.page[i] = hpaPage & ~0xfff;
  t.perm[i] = permBits;
  return hpaPage;
}

function busFault(cpu: Cpu): void {
  exception(cpu, Vector.GP, 0);
}

function pageFault(cpu: Cpu, va: number, err: number, raise: boolean): number {
  if (raise) {
    cpu.cr2 = va;
    exception(cpu, Vector.PAGE_FAULT, err);
  }
  return -1;
}

/**
 * Side-effect-free translation for the tools (breakpoint checks, the
 * debugger's memory view): TLB first, as the CPU would see it, then a pure
 * walk that sets no A/D bits, counts nothing and raises nothing. -1 if unmapped.
 */
export function peekTranslate(cpu: Cpu, va: number, acc: number): number {
  if (!cpu.paging) return va >>> 0 < cpu.memSize ? va >>> 0 : -1;
  const t = cpu.tlb;
  const key = (va >>> 12) | cpu.tagKey;
  const i = tlbSlot(key, t.mask);
  if (t.key[i] === key) return t.page[i] | (va & 0xfff);
  return pureWalk(cpu, va, acc);
}

function pureStage2(cpu: Cpu, gpa: number): number {
  if (!cpu.nonRoot || cpu.eptp === 0) return gpa >>> 0 < cpu.memSize ? gpa >>> 0 : -1;
  const m = cpu.m32;
  const dir = (cpu.eptp & ~0xfff) + (gpa >>> 22) * 4;
  if (dir >>> 0 >= cpu.memSize) return -1;
  const e1 = m[dir >>> 2];
  if ((e1 & 7) === 0) return -1;
  const ta = (e1 & ~0xfff) + ((gpa >>> 12) & 0x3ff) * 4;
  if (ta >>> 0 >= cpu.memSize) return -1;
  const e2 = m[ta >>> 2];
  if ((e1 & e2 & 7) === 0) return -1;
  const hpa = (e2 & ~0xfff) | (gpa & 0xfff);
  return hpa >>> 0 < cpu.memSize ? hpa : -1;
}

function pureWalk(cpu: Cpu, va: number, acc: number): number {
  void acc;
  if ((cpu.cr0 & Cr0.PG) === 0) return pureStage2(cpu, va);
  const m = cpu.m32;
  const pdeH = pureStage2(cpu, (cpu.cr3 & ~0xfff) + (va >>> 22) * 4);
  if (pdeH < 0) return -1;
  const pde = m[pdeH >>> 2];
  if ((pde & PTE.P) === 0) return -1;
  const pteH = pureStage2(cpu, (pde & ~0xfff) + ((va >>> 12) & 0x3ff) * 4);
  if (pteH < 0) return -1;
  const pte = m[pteH >>> 2];
  if ((pte & PTE.P) === 0) return -1;
  return pureStage2(cpu, (pte & ~0xfff) | (va & 0xfff));
}
