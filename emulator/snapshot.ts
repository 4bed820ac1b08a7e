/**
 * Save and restore the whole machine. Memory is shared page by page with the
 * previous snapshot (only pages written since are copied), so a snapshot every
 * ~100k steps costs a few pages, not the whole memory.
 */
import type { Cpu } from './cpu';
import type { StopCause } from './stops';
import type { ConsoleState } from './devices';
import type { DroppedState } from './events';
import { copyStats, type TlbStats } from './tlb';
import type { ShadowStack } from './shadow';
import { copyVmStats, type VmStats } from './vmx';

export interface MachineState {
  readonly icount: number;
  readonly regs: Int32Array;
  readonly scalars: Float64Array;
  readonly pages: readonly (Uint8Array | undefined)[];
  readonly tlb: { key: Int32Array; page: Int32Array; perm: Int32Array };
  readonly tlbStats: [number, TlbStats][];
  readonly console: ConsoleState;
  readonly events: number;
  /** The transition log's drops then (past its capacity: counted, not kept). */
  readonly dropped: DroppedState | undefined;
  readonly vmIds: [number, number][];
  readonly vmStats: VmStats[];
  readonly powered: boolean;
  readonly stopCause: StopCause | null;
  readonly shadows: [number, ShadowStack][];
  readonly shadowKeyOfTag: [number, number][];
}

/** Scalar fields saved as numbers, in this order. */
const SCALARS = [
  'pc', 'fl', 'st', 'cr0', 'cr2', 'cr3', 'ivt', 'ksp', 'ksp1', 'tag', 'icount', 'pending', 'timerPeriod', 'timerNext',
  'exitCode', 'vmcs', 'exitCtls', 'excBitmap', 'eptp', 'preemptAt', 'entryIcount', 'halted', 'stiBlocked', 'lastDataVa', 'lastDataPa', 'lastDataTag',
  'cWalk', 'cTrap', 'cIret', 'cFlush', 'cExit', 'cEvSteps', 'cOther', 'entryCycles', 'exitCycles', 'lastExitVm',
] as const;

type ScalarKey = (typeof SCALARS)[number];


export function saveState(cpu: Cpu): MachineState {
  cpu.foldFetchHits();
  const scalars = new Float64Array(SCALARS.length);
  SCALARS.forEach((k, i) => {
    scalars[i] = Number(cpu[k]);
  });
  return {
    icount: cpu.icount,
    regs: cpu.r.slice(),
    scalars,
    pages: cpu.mem.mark(),
    tlb: cpu.tlb.save(),
    tlbStats: [...cpu.statsByTag].map(([k, v]) => [k, copyStats(v)]),
    console: cpu.console.save(),
    events: cpu.events.length,
    dropped: cpu.events.droppedState(),
    vmIds: [...cpu.vmIds],
    vmStats: [...cpu.vmStats.values()].map(copyVmStats),
    powered: cpu.powered,
    stopCause: cpu.stopCause,
    shadows: [...cpu.shadows].map(([k, v]) => [k, v.clone()]),
    shadowKeyOfTag: [...cpu.shadowKeyOfTag],
  };
}

export function restoreState(cpu: Cpu, s: MachineState): void {
  cpu.fetchHits = 0;
  cpu.r.set(s.regs);
  SCALARS.forEach((k: ScalarKey, i) => {
    const v = s.scalars[i];
    // Integers go back as small integers: a double in a field that held small
    // integers changes the object's shape and throws away the optimized interpreter.
    (cpu as unknown as Record<string, number | boolean>)[k] = k === 'halted' ? v !== 0 : Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff ? v | 0 : v;
  });
  cpu.mem.restore(s.pages);
  cpu.tlb.load(s.tlb);
  cpu.statsByTag.clear();
  for (const [k, v] of s.tlbStats) cpu.statsByTag.set(k, copyStats(v));
  cpu.console.load(s.console);
  cpu.events.setLength(s.events);
  cpu.events.restoreDropped(s.dropped);
  cpu.vmIds.clear();
  for (const [k, v] of s.vmIds) cpu.vmIds.set(k, v);
  cpu.vmStats.clear();
  for (const v of s.vmStats) cpu.vmStats.set(v.id, copyVmStats(v));
  cpu.powered = s.powered;
  cpu.stopCause = s.stopCause;
  cpu.stopReq = null;
  cpu.delivering = false;
  cpu.faulted = false;
  cpu.watchHit = null;
  cpu.shadows = new Map(s.shadows.map(([k, v]) => [k, v.clone()]));
  cpu.shadowKeyOfTag = new Map(s.shadowKeyOfTag);
  cpu.setTag(cpu.tag);
  // Per-VM TLB counters are the same objects as the per-tag ones.
  for (const v of cpu.vmStats.values()) {
    const t = cpu.statsByTag.get(v.id);
    if (t) v.tlb = t;
  }
}
