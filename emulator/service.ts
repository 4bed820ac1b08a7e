/**
 * What happens between instructions: timer ticks, console input, the
 * preemption timer, interrupt delivery, halting, and the step budget. The
 * interpreter calls this only when icount reaches cpu.deadline, and this sets
 * the next deadline, so the hot loop checks one number per instruction.
 */
import type { Cpu } from './cpu';
import type { StopReason } from './stops';
import { Status } from './isa/registers';
import { ExitCtl, ExitReason } from './isa/abi';
import { takeInterrupt } from './traps';
import { vmExit } from './vmx';
import { countEventStep } from './costCount';

const TIMER_BIT = 1;
const CONSOLE_BIT = 2;
/** Steps between two looks at the compile budget at most (see the deadline below). */
const BUDGET_LOOK = 1 << 20;
/**
 * Steps between two services at most otherwise. A far deadline (the run's limit, 2^53) would be
 * stored in the deadline as a heap number, and V8 then keeps every machine's deadline as one for
 * the rest of the process: compiled regions that read it ran a third slower (the paged counting
 * loop at 4,600 MIPS against 6,900, once any run without the compiler had set one).
 */
const SERVICE_LOOK = 1 << 29;

export function service(cpu: Cpu): StopReason | null {
  for (;;) {
    if (cpu.stopReq) {
      const s = cpu.stopReq;
      cpu.stopReq = null;
      return s;
    }
    if (!cpu.powered) return 'poweroff';
    const ic = cpu.icount;
    if (ic >= cpu.timerNext) {
      cpu.pending |= TIMER_BIT;
      const p = cpu.timerPeriod;
      cpu.timerNext += Math.max(1, Math.ceil((ic - cpu.timerNext + 1) / p)) * p;
    }
    if (cpu.console.takeArrivals(ic)) cpu.pending |= CONSOLE_BIT;
    if (ic >= cpu.limit) return 'limit';
    const nonRoot = cpu.nonRoot;
    if (nonRoot && ic >= cpu.preemptAt) {
      cpu.icount++;
      countEventStep(cpu);
      vmExit(cpu, ExitReason.PREEMPTION_TIMER, 0, cpu.pc, 0, 0, 0, 0);
      continue;
    }
    if (cpu.pending !== 0 && takeInterrupt(cpu)) continue;
    const next = Math.min(cpu.timerNext, nonRoot ? cpu.preemptAt : Infinity, cpu.console.nextUnannounced());
    if (cpu.halted) {
      const canWake = (cpu.st & Status.IF) !== 0 || (nonRoot && ((cpu.exitCtls & ExitCtl.EXTINT) !== 0 || cpu.preemptAt !== Infinity));
      if (!canWake || next === Infinity) {
        cpu.stopCause = { kind: 'halted', pc: cpu.pc, interruptsOff: !canWake };
        return 'deadlock';
      }
      // Idle ticks count as steps, so the timer keeps its meaning while halted.
      cpu.icount = Math.min(next, cpu.limit);
      continue;
    }
    // On the compile budget, the interpreter asks again at least every BUDGET_LOOK steps whether a
    // compile could happen (blocks.ts compiling): until then it offers the compilers nothing, and a
    // long run on one page would otherwise never look.
    cpu.deadline = Math.min(cpu.limit, next, ic + (cpu.jit && cpu.compileBudget ? BUDGET_LOOK : SERVICE_LOOK));
    // An interrupt held back by sti's shadow is taken after the next instruction.
    if (cpu.pending !== 0 && ic === cpu.stiBlocked) cpu.deadline = Math.min(cpu.deadline, ic + 1);
    return null;
  }
}
