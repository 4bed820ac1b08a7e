/**
 * The cost model's counts (§10) as they are taken: each counted event bumps its count and adds its
 * cost to the running cycle sum (cpu.cOther) here, so the two never part. The cycle count is then
 * icount × costs.instruction + cOther (cpu.ts `cycles`); the differential tests hold it to the
 * counts times the costs at every stop.
 */
import type { Cpu } from './cpu';

/** Page-walk reads (a TLB miss's walk, EPT reads included). */
export function countWalkReads(cpu: Cpu, reads: number): void {
  cpu.cWalk += reads;
  cpu.cOther += reads * cpu.costs.walkRead;
}

/** A trap, interrupt or system call delivered. */
export function countTrap(cpu: Cpu): void {
  cpu.cTrap++;
  cpu.cOther += cpu.costs.trap;
}

export function countIret(cpu: Cpu): void {
  cpu.cIret++;
  cpu.cOther += cpu.costs.iret;
}

/** A cr3 write or invlpg. */
export function countFlush(cpu: Cpu): void {
  cpu.cFlush++;
  cpu.cOther += cpu.costs.flush;
}

export function countVmExit(cpu: Cpu): void {
  cpu.cExit++;
  cpu.cOther += cpu.costs.vmExit;
}

/** A step that is not an instruction (an interrupt or VM exit taken between instructions): icount moves, the instruction count does not. */
export function countEventStep(cpu: Cpu): void {
  cpu.cEvSteps++;
  cpu.cOther -= cpu.costs.instruction;
}

/** The same counts as source over `cpu`, for compiled code that writes them out instead of calling. */
export const countSource = {
  walkReads: (reads: string) => `cpu.cWalk += ${reads}; cpu.cOther += ${reads} * cpu.costs.walkRead;`,
  trap: 'cpu.cTrap++; cpu.cOther += cpu.costs.trap;',
  iret: 'cpu.cIret++; cpu.cOther += cpu.costs.iret;',
} as const;
