/**
 * What expressions see of the machine: register and flag names, the
 * program's labels (local `.x` names resolve inside the current function),
 * and memory reads that explain why an address cannot be read.
 */
import { explainWalk, isa, Machine } from '../emulator';
import { EvalEnv, ExprError, hex8 } from './expressions';
import type { Program } from './program';

const { SYSTEM_REGISTERS, VMCS_FIELDS, registerNumber } = isa;
const FLAG_BITS: Record<string, number> = { z: 0, n: 1, c: 2, v: 3, if: 9 };

/** Physical address of the instruction at pc, or -1. */
export function pcPhysical(m: Machine): number {
  return m.translate(m.pc);
}

export function registerValue(m: Machine, name: string): number | undefined {
  const n = name.toLowerCase();
  const r = registerNumber(n);
  if (r !== undefined) return m.register(r);
  if (n === 'pc') return m.pc;
  if (n === 'flags') return m.sysReg(0) & isa.Status.FLAGS;
  const sr = SYSTEM_REGISTERS.find((s) => s.name === n);
  if (sr) return m.sysReg(sr.id);
  return undefined;
}

/** Names that come after labels (a label called `c` wins over the carry flag). */
function secondaryValue(m: Machine, name: string): number | undefined {
  const n = name.toLowerCase();
  if (n in FLAG_BITS) return (m.sysReg(0) >>> FLAG_BITS[n]) & 1;
  if (n === 'cpl') return m.cpl;
  if (n === 'vm') return m.currentVm;
  if (n === 'icount') return m.icount;
  if (m.currentVmcs >= 0) {
    const f = VMCS_FIELDS.find((x) => x.name === n);
    if (f) return m.readWordPhysical(m.currentVmcs + f.id * 4);
  }
  return undefined;
}

export function readMemory(m: Machine, address: number, physical: boolean, size: 1 | 4): number {
  const memSize = m.memorySize;
  let pa = address >>> 0;
  if (!physical) {
    const t = m.translate(address | 0);
    if (t < 0 || (size === 4 && m.translate((address + 3) | 0) < 0)) {
      const w = explainWalk(m.cpu, t < 0 ? address : address + 3);
      throw new ExprError(`${hex8(address)} is not mapped${w.fault ? `: ${w.fault.message}` : ''}`);
    }
    pa = t;
  } else if (pa + size > memSize) {
    throw new ExprError(`physical address ${hex8(pa)} is past the end of memory (${memSize / 1048576} MiB)`);
  }
  if (size === 1) return m.readPhysical(pa, 1)[0];
  const b = physical ? m.readPhysical(pa, 4) : m.readVirtual(address, 4);
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

export function machineEnv(m: Machine, program: Program): EvalEnv {
  return {
    register: (name) => registerValue(m, name) ?? (program.symbol(name) ? undefined : secondaryValue(m, name)),
    symbol: (name) => {
      let s = program.symbol(name);
      if (!s && name.startsWith('.')) {
        const fn = program.functionAt(pcPhysical(m));
        if (fn) s = program.symbol(fn + name);
      }
      return s?.value;
    },
    read: (address, physical, size) => readMemory(m, address, physical, size),
  };
}
