/**
 * What expressions see of the machine: register and flag names, the
 * program's labels (local `.x` names resolve inside the current function),
 * and memory reads that explain why an address cannot be read.
 */
import { isa, Machine, type WalkExplanation } from '../../emulator';
import { EvalEnv, ExprError, hex8 } from './expressions';
import type { Program } from './program';
import { t as tr, words } from '../../language/l10n';

const { SYSTEM_REGISTERS, VMCS_FIELDS, registerNumber } = isa;
/** Flags by name: their bit in status, and what they mean (the Debug Console completes these). */
export const FLAGS: Record<string, { bit: number; doc: string }> = {
  z: { bit: 0, doc: 'zero flag' },
  n: { bit: 1, doc: 'negative flag' },
  c: { bit: 2, doc: 'carry flag' },
  v: { bit: 3, doc: 'overflow flag' },
  if: { bit: 9, doc: 'interrupts enabled' },
};
/** The machine's other names, after labels: what they mean and their value. */
export const MACHINE_NAMES: Record<string, { doc: string; value: (m: Machine) => number }> = {
  cpl: { doc: 'current privilege level (ring)', value: (m) => m.cpl },
  vm: { doc: 'the VM running now (0: host)', value: (m) => m.currentVm },
  icount: { doc: 'instructions executed so far', value: (m) => m.icount },
  cycles: { doc: 'cycles so far (the cost model; expressions see the low 32 bits)', value: (m) => m.cycles >>> 0 },
};

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
  if (Object.hasOwn(FLAGS, n)) return (m.sysReg(0) >>> FLAGS[n].bit) & 1;
  if (Object.hasOwn(MACHINE_NAMES, n)) return MACHINE_NAMES[n].value(m);
  if (m.currentVmcs >= 0) {
    const f = VMCS_FIELDS.find((x) => x.name === n);
    if (f) return m.vmcsField(m.currentVmcs, f.id);
  }
  return undefined;
}

/**
 * `size` bytes at `address`, virtual through the running space or, given `inSpace`, through
 * another (a thread that does not run: its walk, byte by byte, as a word may cross a page).
 */
export function readMemory(m: Machine, address: number, physical: boolean, size: 1 | 4, inSpace?: (va: number) => WalkExplanation): number {
  const memSize = m.memorySize;
  let pa = address >>> 0;
  if (!physical && inSpace) {
    const at = (va: number) => {
      const w = inSpace(va | 0);
      if (w.pa === undefined || w.fault) throw new ExprError(tr('{0} is not mapped', hex8(address)) + (w.fault ? `: ${words.walkFault(w.fault)}` : ''));
      return m.readPhysical(w.pa, 1)[0];
    };
    if (size === 1) return at(address);
    return (at(address) | (at(address + 1) << 8) | (at(address + 2) << 16) | (at(address + 3) << 24)) >>> 0;
  }
  if (!physical) {
    const t = m.translate(address | 0);
    if (t < 0 || (size === 4 && m.translate((address + 3) | 0) < 0)) {
      const w = m.explainWalk(t < 0 ? address : address + 3);
      throw new ExprError(tr('{0} is not mapped', hex8(address)) + (w.fault ? `: ${words.walkFault(w.fault)}` : ''));
    }
    pa = t;
  } else if (pa + size > memSize) {
    throw new ExprError(tr('physical address {0} is past the end of memory ({1} MiB)', hex8(pa), memSize / 1048576));
  }
  if (size === 1) return m.readPhysical(pa, 1)[0];
  const b = physical ? m.readPhysical(pa, 4) : m.readVirtual(address, 4);
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

/**
 * Names as the machine has them now; seen from `frame` (an outer frame of the stopped thread),
 * `pc` is that frame's own, so are sp and status where it saved them (stackframes.ts `saved`), and
 * a local label resolves in its function.
 */
export function machineEnv(m: Machine, program: Program, frame?: { pc: number; pa: number; saved?: { sp: number; status?: number } }): EvalEnv {
  const own = (name: string): number | undefined => {
    const n = name.toLowerCase();
    if (n === 'pc') return frame!.pc >>> 0;
    if ((n === 'sp' || n === 'r15') && frame!.saved) return frame!.saved.sp >>> 0;
    if (n === 'status' && frame!.saved?.status !== undefined) return frame!.saved.status >>> 0;
    return undefined;
  };
  return {
    register: (name) => (frame ? own(name) : undefined) ?? registerValue(m, name) ?? (program.symbol(name) ? undefined : secondaryValue(m, name)),
    symbol: (name) => symbolSeenAt(program, name, frame ? frame.pa : pcPhysical(m)),
    read: (address, physical, size) => readMemory(m, address, physical, size),
  };
}

/** A label or constant as code at physical `pa` names it: a local `.x` is its function's. */
export function symbolSeenAt(program: Program, name: string, pa: number): number | undefined {
  let s = program.symbol(name);
  if (!s && name.startsWith('.')) {
    const fn = program.functionAt(pa);
    if (fn) s = program.symbol(fn + name);
  }
  return s?.value;
}
