// What the engine's stop and event texts may look at (exceptions.ts DescribeContext): the
// instruction at an address and why an access faults, for the machine as it is now. In the
// engine, not with the disassembly view, because the run loop words its stops with it.
import { isa, Machine } from '../../emulator';
import { disassemble as disasmBytes } from '../../language/disassembler';
import type { DescribeContext } from './exceptions';
import { TransitionNames } from './transitionNames';
import type { Program } from './program';

/** The instruction at a virtual address in the current address space, as text. */
export function disassembleOne(m: Machine, program: Program, va: number): string | undefined {
  const pa = m.translate(va | 0);
  if (pa < 0) return undefined;
  const bytes = m.readVirtual(va, 8);
  if (bytes.length < 4) return undefined;
  const d = disasmBytes(bytes, va >>> 0, (a) => program.labelAt(a, pa))[0];
  return d && d.defined ? d.text : undefined;
}

/** What exception texts may look at, for the machine as it is now. */
export function describeContext(rt: { machine: Machine; program: Program }): DescribeContext {
  const m = rt.machine;
  return {
    cr2: m.sysReg(isa.SysReg.CR2) >>> 0,
    names: TransitionNames.read(m, rt.program.transitionNames),
    instructionAt: (va) => disassembleOne(m, rt.program, va),
    faultReason: (va, access, cpl) => {
      const w = m.explainWalk(va, access, cpl);
      const msg = w.fault?.message;
      return msg?.replace(/^page fault \(#PF, error 0x[0-9a-f]+\): /, '');
    },
  };
}
