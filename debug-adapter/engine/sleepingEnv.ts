/**
 * Expressions seen from a frame of a thread that does not run (a VM the hypervisor is not in, or
 * the host while a guest runs): what the VMCS saved for it (pc, sp, status, cr0, cr3) and its
 * memory through its own address space. Its general registers are nowhere to be read: VM entry
 * and exit neither save nor load them (the hypervisor keeps them), so asking for one says so.
 */
import { isa, Machine } from '../../emulator';
import { EvalEnv, ExprError } from './expressions';
import { readMemory, symbolSeenAt } from './machineEnv';
import type { Program } from './program';
import { spaceOf } from './spaces';
import { t as tr, words } from '../../language/l10n';

const F = isa.VmcsField;

export interface SleepingFrame {
  pc: number;
  pa: number;
  /** The thread's address space: 0 the host, n VM n. */
  space: number;
  /** What an outer frame saved (stackframes.ts), else the VMCS's. */
  saved?: { sp: number; status?: number };
}

export function sleepingEnv(m: Machine, program: Program, frame: SleepingFrame): EvalEnv {
  const { space, cpl } = spaceOf(m, frame.space);
  const vmcs = frame.space > 0 ? m.vms().find((v) => v.id === frame.space)?.vmcs ?? -1 : m.currentVmcs;
  const field = (id: number) => (vmcs >= 0 ? m.vmcsField(vmcs, id) >>> 0 : 0);
  const sp = () => frame.saved?.sp ?? field(frame.space > 0 ? F.guest_sp : F.host_sp);
  const status = () => frame.saved?.status ?? (frame.space > 0 ? field(F.guest_status) : 0);
  const known: Record<string, () => number> = {
    pc: () => frame.pc >>> 0,
    sp: () => sp() >>> 0,
    r15: () => sp() >>> 0,
    status: () => status() >>> 0,
    flags: () => status() & isa.Status.FLAGS,
    cr0: () => space.cr0 >>> 0,
    cr3: () => space.cr3 >>> 0,
    cpl: () => (frame.saved?.status !== undefined ? (frame.saved.status >>> 12) & 3 : cpl),
    vm: () => frame.space,
  };
  return {
    register: (name) => {
      const n = name.toLowerCase();
      if (Object.hasOwn(known, n)) return known[n]();
      if (isa.registerNumber(n) !== undefined && !program.symbol(name)) {
        throw new ExprError(tr("{0} of {1} is not kept anywhere while it does not run: VM entry and exit neither save nor load the general registers (the hypervisor keeps them)", name, words.space(frame.space)));
      }
      return undefined;
    },
    symbol: (name) => symbolSeenAt(program, name, frame.pa),
    read: (address, physical, size) => readMemory(m, address, physical, size, (va) => m.explainWalk(va, 'read', known.cpl(), space)),
  };
}
