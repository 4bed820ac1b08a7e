// The Ring Transitions page's data, as parallel arrays (100,000 transitions cost little), shared
// by the list (transitions.ts) and the timeline (timeline.ts).
import type { StopSummary, TransitionChunk } from '../panels/messages';
import { LANES } from '../panels/messages';

export const D = {
  icount: [] as number[],
  kind: [] as number[],
  from: [] as number[],
  to: [] as number[],
  fromVm: [] as number[],
  toVm: [] as number[],
  cause: [] as number[],
  pcBefore: [] as number[],
  pcAfter: [] as number[],
  target: [] as (string | null)[],
  text: [] as string[],
  causes: [] as string[],
  /** Transitions that happened by the stop: those after it (index >= present) are the future the student came back from. */
  present: 0,
  stop: undefined as StopSummary | undefined,
  hasVms: false,
  /** VMs seen, in order of their numbers: each has its own colour. */
  vms: [] as number[],
};

const COLUMNS = ['icount', 'kind', 'from', 'to', 'fromVm', 'toVm', 'cause', 'pcBefore', 'pcAfter', 'target', 'text'] as const;

export function truncate(keep: number): void {
  for (const c of COLUMNS) (D[c] as unknown[]).length = keep;
}

export function appendChunk(c: TransitionChunk): boolean {
  if (c.start !== D.icount.length) return false; // out of order: the next reset resends
  for (const k of COLUMNS) {
    // An older host sends no VMs: the host's then (0).
    const col = (c[k] as unknown[] | undefined) ?? c.icount.map(() => 0);
    (D[k] as unknown[]).push(...col);
  }
  for (const v of [...c.fromVm ?? [], ...c.toVm ?? []]) if (v > 0 && !D.vms.includes(v)) D.vms.push(v);
  D.vms.sort((a, b) => a - b);
  return true;
}

/**
 * The time axis: instruction counts today. The machine may later report cycles beside them;
 * the axis would then read them here (and its unit word), and nothing else would change.
 */
export const AXIS = { unit: 'step', at: (i: number) => D.icount[i], now: () => D.stop?.icount ?? 0 };

/** Short names of the lanes for the rows and the timeline's gutter ("hypervisor (root)" is long). */
export const LANE_SHORT = ['ring 3', 'ring 1/2', 'ring 0', 'hypervisor'] as const;

/** A level in words: "VM 1 ring 0", "hypervisor", "ring 3". */
export function levelName(lane: number, vm: number): string {
  return `${vm > 0 && lane !== 3 ? `VM ${vm} ` : ''}${LANE_SHORT[lane] ?? LANES[lane]}`;
}

export function lowerBound(arr: number[], v: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (arr[m] < v) lo = m + 1;
    else hi = m;
  }
  return lo;
}
