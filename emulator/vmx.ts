/**
 * VMX (spec section 7): the VMCS in physical memory, VM entry and VM exit.
 * Each distinct VMCS address is a VM with a number (1, 2, ...) that is also
 * its TLB tag, so the host's and the VMs' translations never mix.
 */
import type { Cpu } from './cpu';
import { EventKind } from './events';
import { copyStats, newStats, type TlbStats } from './tlb';
import { Cr0, Status, VMCS_FIELDS, VmcsField as F, vmcsFieldAddress } from './isa/registers';
import { Activity, ExitCtl, VmError } from './isa/abi';
import { deliver, tripleFault } from './traps';
import { countVmExit } from './costCount';

const STATUS_DEFINED = Status.FLAGS | Status.CPL_MASK;
const CR0_DEFINED = Cr0.PG | Cr0.WP;
const EXIT_CTLS_DEFINED = Object.values(ExitCtl).reduce((a, b) => a | b, 0);

export function vmcsRead(cpu: Cpu, field: number): number {
  return cpu.m32[vmcsFieldAddress(cpu.vmcs, field) >>> 2];
}

export function vmcsWrite(cpu: Cpu, field: number, v: number): void {
  const a = vmcsFieldAddress(cpu.vmcs, field);
  cpu.m32[a >>> 2] = v;
  cpu.noteWrite(a);
}

/** The number of the current VM (1-based), assigning one to a new VMCS. */
export function vmId(cpu: Cpu): number {
  if (cpu.vmcs < 0) return 0;
  let id = cpu.vmIds.get(cpu.vmcs);
  if (id === undefined) {
    id = cpu.vmIds.size + 1;
    cpu.vmIds.set(cpu.vmcs, id);
  }
  return id;
}

/** What the machine counts of one VM (the VMs panel and `ringside run --json` show it). */
export interface VmStats {
  id: number;
  vmcs: number;
  exits: Map<number, number>;
  entries: number;
  instructions: number;
  /** Cycles spent in the guest, its exits' cost included. */
  cycles: number;
  /** Root-mode cycles from this VM's exits to the next VM entry: the hypervisor's handling. */
  hostCycles: number;
  tlb: TlbStats;
}

/** A copy with statsOf()'s shape (the exits map and TLB counters copied too), for snapshots. */
export function copyVmStats(v: VmStats): VmStats {
  return { id: v.id, vmcs: v.vmcs, exits: new Map(v.exits), entries: v.entries, instructions: v.instructions, cycles: v.cycles, hostCycles: v.hostCycles, tlb: copyStats(v.tlb) };
}

export function statsOf(cpu: Cpu, id: number): VmStats {
  let s = cpu.vmStats.get(id);
  if (!s) {
    s = { id, vmcs: cpu.vmcs, exits: new Map(), entries: 0, instructions: 0, cycles: 0, hostCycles: 0, tlb: newStats() };
    cpu.vmStats.set(id, s);
  }
  return s;
}

/**
 * VMsucceed / VMfailInvalid / VMfailValid(error), as on x86: every arithmetic flag cleared (VT-x
 * clears CF, PF, AF, ZF, SF and OF: here C, Z, N and V), then C set for VMfailInvalid, Z for VMfailValid.
 */
export function vmSucceed(cpu: Cpu): void {
  cpu.fl &= ~Status.ARITH;
}
export function vmFailInvalid(cpu: Cpu): void {
  cpu.fl = (cpu.fl & ~Status.ARITH) | Status.C;
}
export function vmFailValid(cpu: Cpu, error: number): void {
  cpu.fl = (cpu.fl & ~Status.ARITH) | Status.Z;
  vmcsWrite(cpu, F.vm_error, error);
}

export function vmptrld(cpu: Cpu, pa: number): void {
  if ((pa & 0xfff) !== 0 || pa >>> 0 >= cpu.memSize) return vmFailInvalid(cpu);
  cpu.vmcs = pa;
  vmId(cpu);
  vmSucceed(cpu);
}

export function vmread(cpu: Cpu, field: number): number | undefined {
  if (cpu.vmcs < 0) {
    vmFailInvalid(cpu);
    return undefined;
  }
  vmSucceed(cpu);
  return vmcsRead(cpu, field);
}

export function vmwrite(cpu: Cpu, field: number, v: number): void {
  if (cpu.vmcs < 0) return vmFailInvalid(cpu);
  if (!VMCS_FIELDS[field].writable) return vmFailValid(cpu, VmError.READ_ONLY_FIELD);
  // A launched guest given another page directory: its cached translations are of the old one.
  const newSpace = field === F.guest_cr3 && (v | 0) !== (vmcsRead(cpu, F.guest_cr3) | 0) && vmcsRead(cpu, F.launch_state) === 1;
  vmcsWrite(cpu, field, v);
  // No invept or invvpid here: a new EPT pointer, or a launched guest's cr3 changed, flushes the VM's translations (counted as a flush).
  if (field === F.ept_pointer || newSpace) {
    const id = vmId(cpu);
    cpu.tlb.flushTag(id);
    let st = cpu.statsByTag.get(id);
    if (!st) cpu.statsByTag.set(id, (st = newStats()));
    st.flushes++;
  }
  vmSucceed(cpu);
}

/** Why a VM entry would fail, or 0. Checked before any state changes (documented in docs/isa.md). */
function entryCheck(cpu: Cpu, launch: boolean): number {
  const launched = vmcsRead(cpu, F.launch_state) === 1;
  if (launch && launched) return VmError.LAUNCH_NOT_CLEAR;
  if (!launch && !launched) return VmError.RESUME_NOT_LAUNCHED;
  const ctls = vmcsRead(cpu, F.exit_ctls);
  const eptp = vmcsRead(cpu, F.ept_pointer);
  if (ctls & ~EXIT_CTLS_DEFINED) return VmError.BAD_CONTROLS;
  if (eptp !== 0 && ((eptp & 0xfff) !== 0 || eptp >>> 0 >= cpu.memSize)) return VmError.BAD_CONTROLS;
  const hcr0 = vmcsRead(cpu, F.host_cr0);
  const hcr3 = vmcsRead(cpu, F.host_cr3);
  if (hcr0 & ~CR0_DEFINED) return VmError.BAD_HOST_STATE;
  if (hcr0 & Cr0.PG && ((hcr3 & 0xfff) !== 0 || hcr3 >>> 0 >= cpu.memSize)) return VmError.BAD_HOST_STATE;
  const gst = vmcsRead(cpu, F.guest_status);
  const gcr0 = vmcsRead(cpu, F.guest_cr0);
  const gcr3 = vmcsRead(cpu, F.guest_cr3);
  if (gst & ~STATUS_DEFINED) return VmError.BAD_GUEST_STATE;
  if (gcr0 & ~CR0_DEFINED) return VmError.BAD_GUEST_STATE;
  // CPL 1-3 needs a kernel stack to trap to, and paging off means ring 0 owns everything.
  if (((gst >>> 12) & 3) !== 0 && (gcr0 & Cr0.PG) === 0 && eptp === 0) return VmError.BAD_GUEST_STATE;
  if (gcr0 & Cr0.PG && ((gcr3 & 0xfff) !== 0 || (eptp === 0 && gcr3 >>> 0 >= cpu.memSize))) return VmError.BAD_GUEST_STATE;
  if (vmcsRead(cpu, F.guest_activity) >>> 0 > Activity.HLT) return VmError.BAD_GUEST_STATE;
  return 0;
}

/** vmlaunch / vmresume. */
export function vmEnter(cpu: Cpu, launch: boolean): void {
  if (cpu.vmcs < 0) return vmFailInvalid(cpu);
  const err = entryCheck(cpu, launch);
  if (err) return vmFailValid(cpu, err);
  const id = vmId(cpu);
  const pcBefore = cpu.pc;
  const fromCpl = cpu.cpl;
  vmcsWrite(cpu, F.host_ivt, cpu.ivt);
  vmcsWrite(cpu, F.host_ksp, cpu.ksp);
  vmcsWrite(cpu, F.host_ksp1, cpu.ksp1);
  vmcsWrite(cpu, F.launch_state, 1);
  const ioReg = vmcsRead(cpu, F.exit_io_reg);
  if (!launch && ioReg >= 0 && ioReg < 16) cpu.r[ioReg] = vmcsRead(cpu, F.io_value);
  vmcsWrite(cpu, F.exit_io_reg, -1);
  const gst = vmcsRead(cpu, F.guest_status);
  cpu.pc = vmcsRead(cpu, F.guest_pc);
  cpu.r[15] = vmcsRead(cpu, F.guest_sp);
  cpu.fl = gst & Status.ARITH;
  cpu.st = (gst & (Status.IF | Status.CPL_MASK)) | Status.VM;
  cpu.cr0 = vmcsRead(cpu, F.guest_cr0);
  cpu.cr3 = vmcsRead(cpu, F.guest_cr3);
  cpu.ivt = vmcsRead(cpu, F.guest_ivt);
  cpu.ksp = vmcsRead(cpu, F.guest_ksp);
  cpu.ksp1 = vmcsRead(cpu, F.guest_ksp1);
  cpu.exitCtls = vmcsRead(cpu, F.exit_ctls);
  cpu.excBitmap = vmcsRead(cpu, F.exception_bitmap);
  cpu.eptp = vmcsRead(cpu, F.ept_pointer);
  const timer = vmcsRead(cpu, F.preemption_timer) >>> 0;
  cpu.preemptAt = timer > 0 ? cpu.icount + timer : Infinity;
  cpu.entryIcount = cpu.icount;
  // A guest that exited while it waited in hlt waits on (VT-x's activity state), unless an injected event wakes it.
  cpu.halted = vmcsRead(cpu, F.guest_activity) === Activity.HLT && (vmcsRead(cpu, F.entry_event) & 0x80000000) === 0;
  cpu.setTag(id);
  const s = statsOf(cpu, id);
  s.entries++;
  s.tlb = cpu.stats;
  const now = cpu.cycles;
  if (cpu.lastExitVm !== 0) statsOf(cpu, cpu.lastExitVm).hostCycles += now - cpu.exitCycles;
  cpu.lastExitVm = 0;
  cpu.entryCycles = now;
  cpu.events.push(cpu.icount, now, EventKind.VmEntry, fromCpl, cpu.cpl, 0, id, -1, -1, -1, pcBefore, cpu.pc, cpu.r[15], launch ? 1 : 0);
  if (cpu.eventStopMask & (1 << EventKind.VmEntry)) cpu.requestStop('event');
  cpu.reschedule();
  const ev = vmcsRead(cpu, F.entry_event);
  if (ev & 0x80000000) {
    vmcsWrite(cpu, F.entry_event, ev & 0x7fffffff);
    const vector = ev & 0xff;
    // An injected exception (vector < 32) is a trap in the guest, not an interrupt. Either way a gate
    // that is not present is a fault while delivering (a guest triple fault): the hypervisor asked for
    // this event, and only the machine's own device interrupts are dropped like a masked line.
    if (!deliver(cpu, vector, vmcsRead(cpu, F.entry_error), cpu.pc, vector < 32 ? EventKind.Trap : EventKind.Interrupt)) tripleFault(cpu);
  }
}

/**
 * VM exit: save guest state, record why, load host state.
 * `guestPc` is where the guest resumes (or the exiting instruction).
 */
export function vmExit(cpu: Cpu, reason: number, qual: number, guestPc: number, len: number, gva: number, gpa: number, err: number): void {
  const id = vmId(cpu);
  const fromCpl = cpu.cpl;
  const pcBefore = cpu.pc;
  const spBefore = cpu.r[15];
  vmcsWrite(cpu, F.guest_pc, guestPc);
  vmcsWrite(cpu, F.guest_sp, cpu.r[15]);
  vmcsWrite(cpu, F.guest_status, cpu.status);
  vmcsWrite(cpu, F.guest_cr0, cpu.cr0);
  vmcsWrite(cpu, F.guest_cr3, cpu.cr3);
  vmcsWrite(cpu, F.guest_ivt, cpu.ivt);
  vmcsWrite(cpu, F.guest_ksp, cpu.ksp);
  vmcsWrite(cpu, F.guest_ksp1, cpu.ksp1);
  vmcsWrite(cpu, F.guest_activity, cpu.halted ? Activity.HLT : Activity.ACTIVE);
  // A timer that ran out on the same step as another exit keeps 1 step, so it fires right
  // after the next entry instead of reading as 0 (= off).
  if (cpu.preemptAt !== Infinity) vmcsWrite(cpu, F.preemption_timer, Math.max(1, cpu.preemptAt - cpu.icount));
  vmcsWrite(cpu, F.exit_reason, reason);
  vmcsWrite(cpu, F.exit_qual, qual);
  vmcsWrite(cpu, F.exit_len, len);
  vmcsWrite(cpu, F.exit_gva, gva);
  vmcsWrite(cpu, F.exit_gpa, gpa);
  vmcsWrite(cpu, F.exit_error, err);
  vmcsWrite(cpu, F.idt_vectoring, cpu.vectoring);
  cpu.vectoring = 0;
  const s = statsOf(cpu, id);
  s.exits.set(reason, (s.exits.get(reason) ?? 0) + 1);
  s.instructions += cpu.icount - cpu.entryIcount;
  countVmExit(cpu);
  const now = cpu.cycles;
  s.cycles += now - cpu.entryCycles;
  cpu.exitCycles = now;
  cpu.lastExitVm = id;
  cpu.pc = vmcsRead(cpu, F.host_pc);
  cpu.r[15] = vmcsRead(cpu, F.host_sp);
  cpu.cr0 = vmcsRead(cpu, F.host_cr0);
  cpu.cr3 = vmcsRead(cpu, F.host_cr3);
  cpu.ivt = vmcsRead(cpu, F.host_ivt);
  cpu.ksp = vmcsRead(cpu, F.host_ksp);
  cpu.ksp1 = vmcsRead(cpu, F.host_ksp1);
  cpu.st = 0;
  cpu.fl = 0;
  cpu.halted = false;
  cpu.delivering = false;
  cpu.preemptAt = Infinity;
  cpu.eptp = 0;
  cpu.setTag(0);
  cpu.events.push(cpu.icount, now, EventKind.VmExit, fromCpl, 0, id, 0, -1, -1, reason, pcBefore, cpu.pc, spBefore, qual);
  if (cpu.eventStopMask & (1 << EventKind.VmExit)) cpu.requestStop('event');
  cpu.reschedule();
}
