/**
 * Privileged, I/O, system-register and VMX instructions (spec sections 5, 8 and 7), for the
 * interpreter (exec.ts): rarely executed, kept out of its hot switch. The debugger reads and
 * writes system registers through readSysReg/writeSysReg, the same code the instructions use.
 */
import type { Cpu } from './cpu';
import { Op } from './isa/opcodes';
import { validX } from './isa/codec';
import { PRIVILEGE_BY_OPCODE } from './isa/table';
import { Cr0, Status, SysReg, VmcsField as F } from './isa/registers';
import { CR3_QUAL_READ, ExitCtl, ExitReason, Port, Vector, VmError } from './isa/abi';
import { exception, iret } from './traps';
import { vmcsWrite, vmEnter, vmExit, vmFailValid, vmptrld, vmread, vmwrite } from './vmx';
import { countFlush } from './costCount';

/** Privileged, I/O, system-register and VMX instructions: rarely executed, kept out of the hot switch.
 * Returns false when the instruction faulted, exited or otherwise must not advance pc. */
export function system(cpu: Cpu, op: number, w: number, a: number, pc: number): boolean {
  const r = cpu.r;
  const x = w >>> 16;
  const nonRoot = cpu.nonRoot;
  const ctl = cpu.exitCtls;
  // The X field must name a real system register / VMCS field (the decoder agrees: see validX).
  if (!validX(op, x)) { exception(cpu, Vector.UNDEFINED, 0); return false; }
  const privilege = PRIVILEGE_BY_OPCODE[op];
  if (privilege === 'vmx-root') {
    if (op === Op.VMCALL && nonRoot) { vmExit(cpu, ExitReason.VMCALL, 0, pc, 4, 0, 0, 0); return false; }
    if (nonRoot || cpu.cpl !== 0) { exception(cpu, Vector.UNDEFINED, 0); return false; }
    switch (op) {
      case Op.VMPTRLD: vmptrld(cpu, r[a]); return true;
      case Op.VMREAD: { const v = vmread(cpu, x); if (v !== undefined) r[a] = v; return true; }
      case Op.VMWRITE: vmwrite(cpu, x, r[a]); return true;
      case Op.VMLAUNCH: case Op.VMRESUME: {
        vmEnter(cpu, op === Op.VMLAUNCH);
        return true;
      }
      default: vmFailValid(cpu, VmError.VMCALL_IN_ROOT); return true;
    }
  }
  if (op === Op.NOP) return true;
  if (op === Op.RDSR && x === SysReg.STATUS) {
    r[a] = cpu.status;
    return true;
  }
  if (privilege !== 'cpl0' && privilege !== 'cpl0-but-status') { exception(cpu, Vector.UNDEFINED, 0); return false; }
  if (cpu.cpl !== 0) { exception(cpu, Vector.GP, 0); return false; }
  switch (op) {
    case Op.IRET: return iret(cpu);
    case Op.HLT:
      if (nonRoot && ctl & ExitCtl.HLT) { vmExit(cpu, ExitReason.HLT, 0, pc, 4, 0, 0, 0); return false; }
      cpu.halted = true;
      cpu.reschedule();
      return true;
    case Op.CLI: cpu.st &= ~Status.IF; return true;
    case Op.STI:
      // IF from 0 to 1: not one interrupt before the next instruction has run (the STI shadow).
      if ((cpu.st & Status.IF) === 0) cpu.stiBlocked = cpu.icount;
      cpu.st |= Status.IF;
      cpu.reschedule();
      return true;
    case Op.IN:
      if (nonRoot && ctl & ExitCtl.IO) {
        vmExit(cpu, ExitReason.IO, (x << 16) | 8, pc, 4, 0, 0, 0);
        vmcsWrite(cpu, F.exit_io_reg, a);
        return false;
      }
      r[a] = portIn(cpu, x);
      return true;
    case Op.OUT:
      if (nonRoot && ctl & ExitCtl.IO) {
        const v = r[a];
        vmExit(cpu, ExitReason.IO, x << 16, pc, 4, 0, 0, 0);
        vmcsWrite(cpu, F.io_value, v);
        return false;
      }
      portOut(cpu, x, r[a]);
      return true;
    case Op.RDSR:
      // A shadow-paging hypervisor hides its shadow directory: it answers the read in the register.
      if (x === SysReg.CR3 && nonRoot && ctl & ExitCtl.CR3_READ) { vmExit(cpu, ExitReason.CR3_ACCESS, a | CR3_QUAL_READ, pc, 4, 0, 0, 0); return false; }
      r[a] = readSysReg(cpu, x);
      return true;
    case Op.WRSR:
      if (x === SysReg.CR3 && nonRoot && ctl & ExitCtl.CR3_WRITE) { vmExit(cpu, ExitReason.CR3_ACCESS, a, pc, 4, 0, 0, 0); return false; }
      writeSysReg(cpu, x, r[a]);
      // §10 charges cr3 writes and invlpg; a cr0 write flushes too but is not in the table.
      if (x === SysReg.CR3) countFlush(cpu);
      return true;
    case Op.INVLPG:
      if (nonRoot && ctl & ExitCtl.INVLPG) { vmExit(cpu, ExitReason.INVLPG, r[a], pc, 4, r[a], 0, 0); return false; }
      cpu.tlb.invalidate(r[a], cpu.tag);
      cpu.fVa = -1;
      countFlush(cpu);
      return true;
  }
  return true;
}

export function readSysReg(cpu: Cpu, id: number): number {
  switch (id) {
    case SysReg.STATUS: return cpu.status;
    case SysReg.CR0: return cpu.cr0;
    case SysReg.CR2: return cpu.cr2;
    case SysReg.CR3: return cpu.cr3;
    case SysReg.IVT: return cpu.ivt;
    case SysReg.KSP1: return cpu.ksp1;
    default: return cpu.ksp;
  }
}

export function writeSysReg(cpu: Cpu, id: number, v: number): void {
  switch (id) {
    case SysReg.CR0:
      cpu.cr0 = v & (Cr0.PG | Cr0.WP);
      flush(cpu);
      break;
    case SysReg.CR2: cpu.cr2 = v; break;
    case SysReg.CR3:
      cpu.cr3 = v & ~0xfff;
      cpu.selectShadow();
      flush(cpu);
      break;
    case SysReg.IVT: cpu.ivt = v; break;
    case SysReg.KSP: cpu.ksp = v; break;
    case SysReg.KSP1: cpu.ksp1 = v; break;
  }
}

function flush(cpu: Cpu): void {
  cpu.tlb.flushTag(cpu.tag);
  cpu.stats.flushes++;
  cpu.updateAccess();
}

function portIn(cpu: Cpu, port: number): number {
  switch (port) {
    case Port.CONSOLE_IN: return cpu.console.read(cpu.icount);
    // The cycle counter, like x86's time-stamp counter: the machine's own count, readable by kernels and hypervisors.
    case Port.CYCLES_LO: return cpu.cycles | 0;
    case Port.CYCLES_HI: return Math.floor(cpu.cycles / 0x100000000) | 0;
    // Performance counters, like x86's counting in every mode (no host/guest filter), so a
    // hypervisor's reading covers its guests and itself alike.
    case Port.TLB_MISSES: return machineWide(cpu, 'misses');
    case Port.WALK_READS: return machineWide(cpu, 'walkReads');
    default: return -1;
  }
}

function machineWide(cpu: Cpu, counter: 'misses' | 'walkReads'): number {
  let n = 0;
  for (const s of cpu.statsByTag.values()) n += s[counter];
  return n | 0;
}

function portOut(cpu: Cpu, port: number, v: number): void {
  switch (port) {
    case Port.CONSOLE_OUT: cpu.console.write(v & 0xff); break;
    case Port.TIMER:
      cpu.timerPeriod = v >>> 0;
      cpu.timerNext = cpu.timerPeriod ? cpu.icount + cpu.timerPeriod : Infinity;
      cpu.reschedule();
      break;
    case Port.POWER:
      cpu.powered = false;
      cpu.exitCode = v;
      cpu.stopCause = { kind: 'power-off', code: v };
      cpu.requestStop('poweroff');
      break;
  }
}
