/**
 * Trap, interrupt and system-call delivery (spec section 5) and `iret`.
 * Delivery reads the IVT gate and pushes the five-word frame with supervisor
 * rights; a failure while doing so is a fault while delivering: raised in place
 * of an interrupt or software interrupt, a triple fault (VM exit 2 in non-root
 * mode) while delivering an exception, unless it is an EPT violation (an exit).
 */
import type { Cpu } from './cpu';
import { TlbPerm, tlbSlot } from './tlb';
import { ACC_R, ACC_W } from './access';
import { EventKind } from './events';
import { raiseWalkFault, walk, walkFailedOnEpt } from './mmu';
import { newWalkResult, translate } from './translate';
import { Cr0, Status } from './isa/registers';
import { ExitCtl, ExitReason, Gate, Vector } from './isa/abi';
import { vmExit, vmId } from './vmx';
import { countEventStep, countIret, countTrap } from './costCount';

/** Read/write a word with supervisor rights, never raising: returns false on failure. */
function supTranslate(cpu: Cpu, va: number, acc: number): number {
  failedWalk = false;
  // A gate or frame word that is not word-aligned is a fault while delivering, paging or not.
  if ((va & 3) !== 0) return -1;
  if (!cpu.paging) return va >>> 0 < cpu.memSize - 3 ? va : -1;
  const pa = supHit(cpu, va, acc === ACC_W);
  if (pa >= 0) {
    cpu.stats.hits++;
    return pa;
  }
  const h = walk(cpu, va, acc, false, false);
  if (h < 0) {
    failedWalk = true;
    failedVa = va;
  }
  return h;
}
/** Whether the last supTranslate() failed in its walk (then the walk's fault is the one to raise, for `failedVa`), not on alignment or outside memory. */
let failedWalk = false;
let failedVa = 0;

/** Raise an exception (fault) at the current instruction: pc in the frame is cpu.pc. */
export function exception(cpu: Cpu, vector: number, err: number): void {
  if (cpu.nonRoot && vector < 32 && (cpu.excBitmap >>> vector) & 1) {
    vmExit(cpu, ExitReason.EXCEPTION, vector, cpu.pc, 0, vector === Vector.PAGE_FAULT ? cpu.cr2 : 0, 0, err);
    return;
  }
  if (!quickDeliver(cpu, vector, err, cpu.pc, false)) deliver(cpu, vector, err, cpu.pc, EventKind.Trap);
}

/** A physical address outside installed memory: #GP. */
export function busFault(cpu: Cpu, va?: number): void {
  void va;
  exception(cpu, Vector.GP, 0);
}

/**
 * `brk` at cpu.pc (length `len`): int 3, except in a VM whose exception_bitmap has bit 3 set. There
 * it exits before its gate is looked at, as INT3 does on VT-x: its #BP is an exception the bitmap
 * intercepts, and the delivery it replaces (the gate's DPL check included) never happens.
 */
export function breakpoint(cpu: Cpu, len: number): void {
  if (cpu.nonRoot && (cpu.excBitmap >>> Vector.BREAKPOINT) & 1) {
    vmExit(cpu, ExitReason.EXCEPTION, Vector.BREAKPOINT, (cpu.pc + len) | 0, 0, 0, 0, 0);
    return;
  }
  softwareInterrupt(cpu, Vector.BREAKPOINT, len);
}

/**
 * Software interrupt (`int n`, `syscall`, and `brk` outside an intercepting VM) from the
 * instruction at cpu.pc whose length is `len`. Checks the gate's DPL against CPL (else #GP). Never
 * a VM exit of its own (`int 3` included): on VT-x, INT n is a software interrupt, not an exception,
 * and the exception bitmap does not apply to it; only a #GP it raises can exit.
 */
export function softwareInterrupt(cpu: Cpu, vector: number, len: number): void {
  if (quickDeliver(cpu, vector, 0, (cpu.pc + len) | 0, true)) return;
  const gate = cpu.ivt + vector * 8;
  const pa = supTranslate(cpu, gate + 4, ACC_R);
  if (pa >= 0) {
    const flags = cpu.m32[pa >>> 2];
    if ((flags & 1) === 0 || ((flags >>> 1) & 3) < cpu.cpl) {
      exception(cpu, Vector.GP, 0);
      return;
    }
  }
  deliver(cpu, vector, 0, (cpu.pc + len) | 0, EventKind.Trap, true);
}

/**
 * Deliver through the IVT. Returns false when an external interrupt's gate is
 * not present (the interrupt is dropped, like a masked line). `swi`: a software interrupt.
 */
export function deliver(cpu: Cpu, vector: number, err: number, retPc: number, kind: EventKind, swi = false): boolean {
  const benign = swi || kind === EventKind.Interrupt;
  if (cpu.delivering) {
    tripleFault(cpu);
    return true;
  }
  cpu.delivering = true;
  try {
    const gate = cpu.ivt + vector * 8;
    const hpa = supTranslate(cpu, gate, ACC_R);
    // Not read when the first word failed: the fault raised is the first access's.
    const fpa = hpa < 0 ? -1 : supTranslate(cpu, gate + 4, ACC_R);
    if (hpa < 0 || fpa < 0) {
      deliveryFailed(cpu, benign, kind, vector);
      return true;
    }
    const handler = cpu.m32[hpa >>> 2];
    const flags = cpu.m32[fpa >>> 2];
    if ((flags & 1) === 0) {
      cpu.delivering = false;
      if (kind === EventKind.Interrupt) return false;
      tripleFault(cpu);
      return true;
    }
    const fromCpl = cpu.cpl;
    // A ring-1 gate (flags bit 3; x86: a gate whose code segment has DPL 1) runs its handler in
    // ring 1 on ksp1 (x86 TSS.esp1). From ring 0 it would lower privilege: #GP, as on x86.
    const toCpl = flags & Gate.RING1 ? 1 : 0;
    if (toCpl > fromCpl) {
      cpu.delivering = false;
      if (vector === Vector.GP) tripleFault(cpu);
      else exception(cpu, Vector.GP, 0);
      return true;
    }
    const oldStatus = cpu.status;
    const oldSp = cpu.r[15];
    const pcBefore = cpu.pc;
    const top = fromCpl > toCpl ? (toCpl === 1 ? cpu.ksp1 : cpu.ksp) : oldSp;
    // The five-word frame (sp, status, pc, vector, error), pushed in that order without allocating.
    if (!pushFrame(cpu, top, oldSp, oldStatus, retPc, vector, err)) {
      deliveryFailed(cpu, benign, kind, vector);
      return true;
    }
    enterHandler(cpu, vector, err, retPc, kind, fromCpl, toCpl, top, handler, pcBefore);
    cpu.delivering = false;
    return true;
  } finally {
    cpu.delivering = false;
  }
}

/**
 * A fault while delivering an interrupt or a software interrupt: the fault is raised in its place,
 * as on x86, where the two are handled one after the other (only a fault while delivering a fault
 * is a double fault, a triple fault here): a #PF for the gate's or the frame's page, an EPT-violation
 * exit in a VM, #GP for a gate or stack outside memory. The faulting instruction (`int`, `syscall`)
 * is where the fault returns, so it runs again once the handler has mapped what was missing. An
 * interrupt is taken again then, or, if the fault exits the VM, is the exit's idt_vectoring for the
 * hypervisor to inject again (VT-x's IDT-vectoring information); the guest has not received it.
 */
function faultWhileDelivering(cpu: Cpu, kind: EventKind, vector: number): void {
  cpu.delivering = false;
  const irq = kind === EventKind.Interrupt;
  const inVm = cpu.nonRoot;
  if (irq) {
    cpu.faultedIrqStep = cpu.icount;
    cpu.faultedIrq = vector;
  }
  cpu.vectoring = irq && inVm ? (0x80000000 | vector) : 0;
  if (failedWalk) raiseWalkFault(cpu, failedVa);
  else exception(cpu, Vector.GP, 0);
  // No exit took it (vmExit clears vectoring): the line is still up, taken after the handler.
  // (After an exit the CPU is in root mode: the mode before the fault decides.)
  if (irq && (!inVm || cpu.vectoring !== 0)) cpu.pending |= 1 << (vector - Vector.TIMER);
  cpu.vectoring = 0;
}

/** A gate or frame access failed while delivering `vector`: an interrupt or software interrupt raises the fault in its place, an exception's is a fault while delivering a fault. */
function deliveryFailed(cpu: Cpu, benign: boolean, kind: EventKind, vector: number): void {
  if (benign) faultWhileDelivering(cpu, kind, vector);
  else faultDeliveringFault(cpu, vector);
}

/**
 * A fault while delivering a fault (an exception): a triple fault, the spec's simplification of
 * x86's double fault. Not an EPT violation in a VM: on VT-x the guest never sees EPT, and the
 * hypervisor's missing mapping exits (48) whatever the guest was doing. The exception is the exit's
 * idt_vectoring; guest_pc is the instruction that raised it, which raises it again when resumed
 * (a hypervisor that maps guest memory on demand keeps its guest at a first fault whose handler's
 * stack page it has not mapped yet).
 */
function faultDeliveringFault(cpu: Cpu, vector: number): void {
  cpu.delivering = false;
  if (!cpu.nonRoot || !failedWalk || !walkFailedOnEpt()) {
    tripleFault(cpu);
    return;
  }
  // An interrupt whose delivery raised this exception (faultWhileDelivering) is not the exit's
  // idt_vectoring, which this exception takes: it stays pending, as when no exit comes.
  const outer = cpu.vectoring;
  cpu.vectoring = 0x80000000 | vector;
  raiseWalkFault(cpu, failedVa);
  cpu.vectoring = outer;
}

/** After the frame was pushed below `top`: switch to the handler, record the shadow frame and the event. */
function enterHandler(cpu: Cpu, vector: number, err: number, retPc: number, kind: EventKind, fromCpl: number, toCpl: number, top: number, handler: number, pcBefore: number): void {
  const oldSp = cpu.r[15];
  const sp = (top - 20) | 0;
  cpu.r[15] = sp;
  cpu.shadow.push(1, retPc, sp, vector, fromCpl);
  cpu.st = (cpu.st & ~(Status.CPL_MASK | Status.IF)) | (toCpl << Status.CPL_SHIFT);
  cpu.pc = handler;
  cpu.halted = false;
  cpu.updateAccess();
  countTrap(cpu);
  const vm = cpu.nonRoot ? vmId(cpu) : 0;
  const syscall = vector === Vector.SYSCALL ? cpu.r[0] : -1;
  cpu.events.push(cpu.icount, cpu.cycles, kind, fromCpl, toCpl, vm, vm, vector, syscall, -1, pcBefore, handler, oldSp, err);
  if (cpu.eventStopMask & (1 << kind)) cpu.requestStop('event');
}

/**
 * A supervisor access's translation when it is a TLB hit (or paging is off), -1 otherwise:
 * nothing counted, nothing walked. Reads need R; writes EW and D, and W when cr0.WP is set.
 */
function supHit(cpu: Cpu, va: number, write: boolean): number {
  if (!cpu.paging) return (va & 3) === 0 && va >>> 0 < cpu.memSize - 3 ? va : -1;
  const t = cpu.tlb;
  const key = (va >>> 12) | cpu.tagKey;
  const i = tlbSlot(key, t.mask);
  if (t.key[i] !== key) return -1;
  const p = t.perm[i];
  if (write ? (p & (TlbPerm.EW | TlbPerm.D)) !== (TlbPerm.EW | TlbPerm.D) || ((cpu.cr0 & Cr0.WP) !== 0 && (p & TlbPerm.W) === 0) : (p & TlbPerm.R) === 0) return -1;
  return t.page[i] | (va & 0xfff);
}

/**
 * Delivery's common case in one go: root mode, a present ring-0 gate (whose DPL allows the
 * current ring, for a software interrupt), and the gate and the frame each on one page that is in
 * the TLB or that a walk finds. Returns false, having done nothing, when any of that does not hold:
 * deliver() then does it step by step. The result is deliver()'s to the last count: the gate is
 * read as deliver() reads it (three times for a software interrupt, whose DPL check reads it
 * first; twice for an exception), the frame's five words written; each a TLB hit but a walk's miss.
 */
export function quickDeliver(cpu: Cpu, vector: number, err: number, retPc: number, swi: boolean): boolean {
  if ((cpu.st & Status.VM) !== 0 || cpu.delivering || !cpu.quickTraps) return false;
  const gate = (cpu.ivt + vector * 8) | 0;
  if ((gate & 3) !== 0 || (gate & 0xfff) > 0xff8) return false;
  // The gate: a TLB hit, or a walk that will succeed (looked at first without side effects).
  let gp = supHit(cpu, gate, false);
  const gateWalk = gp < 0 && cpu.paging;
  if (gateWalk) gp = lookAhead(cpu, gate, false);
  if (gp < 0 || (gp + 4) >>> 0 >= cpu.memSize - 3) return false;
  const m = cpu.m32;
  const flags = m[(gp >>> 2) + 1];
  const fromCpl = cpu.cpl;
  if ((flags & (Gate.PRESENT | Gate.RING1)) !== Gate.PRESENT || (swi && ((flags >>> Gate.DPL_SHIFT) & 3) < fromCpl)) return false;
  const sp = cpu.r[15];
  const top = fromCpl > 0 ? cpu.ksp : sp;
  const low = (top - 20) | 0;
  if ((top & 3) !== 0 || (low & -4096) !== ((top - 4) & -4096) || (!cpu.paging && low >>> 0 >= cpu.memSize - 3)) return false;
  // The frame: a TLB hit that the gate's walk will not have taken, or a walk that will succeed.
  const fva = (top - 4) | 0;
  const t = cpu.tlb;
  let fp = supHit(cpu, fva, true);
  const frameWalk = cpu.paging && (fp < 0 || (gateWalk && tlbSlot((fva >>> 12) | cpu.tagKey, t.mask) === tlbSlot((gate >>> 12) | cpu.tagKey, t.mask)));
  if (frameWalk && lookAhead(cpu, fva, true) < 0) return false;
  if (!frameWalk && fp < 0) return false;
  // Nothing can fail from here: the walks are made, in the order delivery makes them.
  if (gateWalk) gp = walk(cpu, gate, ACC_R, false, false);
  if (frameWalk) fp = walk(cpu, fva, ACC_W, false, false);
  const i = fp >>> 2;
  m[i] = sp;
  m[i - 1] = cpu.status;
  m[i - 2] = retPc;
  m[i - 3] = vector;
  m[i - 4] = err;
  cpu.noteWrite(fp);
  // Every access a hit but the walks' misses: the gate read two or three times (see above), the frame's five words.
  if (cpu.paging) cpu.stats.hits += (swi ? 3 : 2) + 5 - (gateWalk ? 1 : 0) - (frameWalk ? 1 : 0);
  enterHandler(cpu, vector, err, retPc, EventKind.Trap, fromCpl, 0, top, m[gp >>> 2], cpu.pc);
  return true;
}

/** A walk's result for the look ahead: kept apart from the MMU's own. */
const ahead = newWalkResult();

/** Where a supervisor access of `va` would land after a walk (side-effect free: nothing set, counted or filled); -1 if the walk would fail. Root mode only. */
export function lookAhead(cpu: Cpu, va: number, write: boolean): number {
  return translate(cpu.m32, cpu.memSize, cpu.cr0, cpu.cr3, 0, va, write ? ACC_W : ACC_R, false, ahead) ? ahead.hpa : -1;
}

/** Write one frame word at top - 4 * (i + 1); false when its page cannot be written. */
function frameWord(cpu: Cpu, top: number, i: number, w: number): boolean {
  const pa = supTranslate(cpu, (top - 4 * (i + 1)) | 0, ACC_W);
  if (pa < 0) return false;
  cpu.m32[pa >>> 2] = w;
  cpu.noteWrite(pa);
  return true;
}

function pushFrame(cpu: Cpu, top: number, sp: number, status: number, pc: number, vector: number, err: number): boolean {
  // The usual frame lies in one page: one translation, and the four words after the first are
  // the TLB hits they would have been one by one.
  const low = (top - 20) | 0;
  if ((top & 3) === 0 && (low & -4096) === ((top - 4) & -4096)) {
    const pa = supTranslate(cpu, (top - 4) | 0, ACC_W);
    if (pa < 0) return false;
    if (cpu.paging) cpu.stats.hits += 4;
    else if (low >>> 0 >= cpu.memSize - 3) return frameWords(cpu, top, sp, status, pc, vector, err);
    const m = cpu.m32;
    const i = pa >>> 2;
    m[i] = sp;
    m[i - 1] = status;
    m[i - 2] = pc;
    m[i - 3] = vector;
    m[i - 4] = err;
    cpu.noteWrite(pa);
    return true;
  }
  return frameWords(cpu, top, sp, status, pc, vector, err);
}

function frameWords(cpu: Cpu, top: number, sp: number, status: number, pc: number, vector: number, err: number): boolean {
  return frameWord(cpu, top, 0, sp) && frameWord(cpu, top, 1, status) && frameWord(cpu, top, 2, pc) && frameWord(cpu, top, 3, vector) && frameWord(cpu, top, 4, err);
}

/** One word of the iret frame; sets cpu.faulted after a fault. */
function popWord(cpu: Cpu, sp: number, i: number): number {
  return cpu.faulted ? 0 : cpu.load32((sp + 4 * i) | 0);
}

/** `iret` at CPL 0: pop error, vector, pc, status, sp. Returns false after a fault. */
export function iret(cpu: Cpu): boolean {
  const sp = cpu.r[15];
  let vector: number, pc: number, status: number, newSp: number;
  if ((sp & 3) === 0 && (sp & 0xfff) <= 0xfec && !cpu.watchOn) {
    // The frame in one page: one translation; the other four reads are the TLB hits they would be.
    const pa = cpu.tr(sp, ACC_R);
    if (pa < 0) return false;
    const m = cpu.m32;
    const i = pa >>> 2;
    vector = m[i + 1];
    pc = m[i + 2];
    status = m[i + 3];
    newSp = m[i + 4];
    if (cpu.paging) cpu.stats.hits += 4;
    cpu.lastDataVa = (sp + 16) | 0;
    cpu.lastDataPa = pa + 16;
  } else {
    cpu.faulted = false;
    // In order, stopping at the first fault (words are read without allocating an array).
    popWord(cpu, sp, 0);
    vector = popWord(cpu, sp, 1);
    pc = popWord(cpu, sp, 2);
    status = popWord(cpu, sp, 3);
    newSp = popWord(cpu, sp, 4);
    if (cpu.faulted) {
      cpu.faulted = false;
      return false;
    }
  }
  const fromCpl = cpu.cpl;
  const pcBefore = cpu.pc;
  cpu.fl = status & Status.ARITH;
  cpu.st = (status & (Status.IF | Status.CPL_MASK)) | (cpu.st & Status.VM);
  cpu.r[15] = newSp;
  cpu.pc = pc;
  cpu.shadow.popTrap();
  cpu.updateAccess();
  // Only an interrupt waiting for IF needs the service loop now: the deadline already covers timers, input and the budget.
  if (cpu.pending !== 0) cpu.reschedule();
  countIret(cpu);
  const vm = cpu.nonRoot ? vmId(cpu) : 0;
  cpu.events.push(cpu.icount, cpu.cycles, EventKind.Iret, fromCpl, cpu.cpl, vm, vm, vector, -1, -1, pcBefore, pc, sp, 0);
  if (cpu.eventStopMask & (1 << EventKind.Iret)) cpu.requestStop('event');
  return true;
}

/** A fault while delivering a fault. Root mode: the machine stops. Non-root: VM exit 2. */
export function tripleFault(cpu: Cpu): void {
  cpu.delivering = false;
  const vm = cpu.nonRoot ? vmId(cpu) : 0;
  cpu.events.push(cpu.icount, cpu.cycles, EventKind.TripleFault, cpu.cpl, cpu.cpl, vm, vm, -1, -1, -1, cpu.pc, cpu.pc, cpu.r[15], 0);
  if (cpu.nonRoot) {
    vmExit(cpu, ExitReason.TRIPLE_FAULT, 0, cpu.pc, 0, 0, 0, 0);
    return;
  }
  cpu.powered = false;
  cpu.stopCause = { kind: 'triple-fault', pc: cpu.pc };
  cpu.requestStop('triple-fault');
}

/** Deliver the lowest pending external interrupt if allowed. Called between instructions. */
export function takeInterrupt(cpu: Cpu): boolean {
  const bit = cpu.pending & -cpu.pending;
  const vector = bit === 1 ? Vector.TIMER : Vector.CONSOLE;
  if (cpu.nonRoot && cpu.exitCtls & ExitCtl.EXTINT) {
    cpu.pending &= ~bit;
    cpu.icount++;
    countEventStep(cpu);
    vmExit(cpu, ExitReason.EXTERNAL_INTERRUPT, vector, cpu.pc, 0, 0, 0, 0);
    return true;
  }
  if ((cpu.st & Status.IF) === 0 || cpu.icount === cpu.stiBlocked) return false;
  cpu.pending &= ~bit;
  cpu.icount++;
  countEventStep(cpu);
  if (!deliver(cpu, vector, 0, cpu.pc, EventKind.Interrupt)) cpu.droppedStep = cpu.icount;
  return true;
}
