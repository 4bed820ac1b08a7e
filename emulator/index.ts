export * from './machine';
export { Cpu } from './cpu';
export type { StopReason, VmStats, WatchHit } from './cpu';
export { EventKind, causeOf } from './events';
export type { TransitionEvent } from './events';
export type { MachineState } from './snapshot';
export type { TlbStats } from './tlb';
export { PTE, EPTE } from './mmu';
export * as isa from './isa';
