// The Ring Transitions page's data, as parallel arrays (100,000 transitions cost little), shared
// by the list (list.ts) and the timeline (timeline.ts, view.ts).
import type { StopSummary } from '../../messages';
import type { TransitionChunk } from '../messages';

export const D = {
  icount: [] as number[],
  kind: [] as number[],
  from: [] as number[],
  to: [] as number[],
  fromVm: [] as number[],
  toVm: [] as number[],
  /** The machine's cycle count at each transition (0 from a host that sends none). */
  cycles: [] as number[],
  cause: [] as number[],
  pcBefore: [] as number[],
  pcAfter: [] as number[],
  target: [] as (string | null)[],
  text: [] as string[],
  causes: [] as string[],
  /** The run's index of the first transition held: a long run's oldest are not sent (the host's WINDOW). */
  base: 0,
  /** Transitions held that happened by the stop: those after it (index >= present) are the future the student came back from. */
  present: 0,
  stop: undefined as StopSummary | undefined,
  hasVms: false,
  /** VMs seen, in order of their numbers: each has its own colour. */
  vms: [] as number[],
  /** How many transitions of each kind are held: the legend and the filters list the kinds that occur. */
  kindCount: [] as number[],
};

/** Count the kinds afresh (the transitions held were cut or replaced). */
function recountKinds(): void {
  D.kindCount = [];
  for (const k of D.kind) D.kindCount[k] = (D.kindCount[k] ?? 0) + 1;
}

/** Whether any transition of kind `k` is held. */
export function kindOccurs(k: number): boolean {
  return (D.kindCount[k] ?? 0) > 0;
}

const COLUMNS = ['icount', 'kind', 'from', 'to', 'fromVm', 'toVm', 'cycles', 'cause', 'pcBefore', 'pcAfter', 'target', 'text'] as const;

export function truncate(keep: number): void {
  if (keep >= D.icount.length) return;
  for (const c of COLUMNS) (D[c] as unknown[]).length = keep;
  recountKinds();
}

/** Forget the `n` oldest transitions held (the window moved on). */
export function dropFront(n: number): void {
  if (n <= 0) return;
  for (const c of COLUMNS) (D[c] as unknown[]).splice(0, n);
  D.base += n;
  recountKinds();
}

export function appendChunk(c: TransitionChunk): boolean {
  if (c.start !== D.base + D.icount.length) return false; // out of order: the next reset resends
  for (const k of COLUMNS) {
    // An older host sends no VMs: the host's then (0).
    const col = (c[k] as unknown[] | undefined) ?? c.icount.map(() => 0);
    (D[k] as unknown[]).push(...col);
  }
  for (const k of c.kind) D.kindCount[k] = (D.kindCount[k] ?? 0) + 1;
  for (const v of [...c.fromVm ?? [], ...c.toVm ?? []]) if (v > 0 && !D.vms.includes(v)) D.vms.push(v);
  D.vms.sort((a, b) => a - b);
  return true;
}

/**
 * The time axis: instruction counts, or the machine's cycles once its stops report them (the
 * cycle count of the stop is what the axis needs besides the transitions' own). Everything
 * that places a transition in time asks here.
 */
export const AXIS = {
  unit: 'step' as 'step' | 'cycle',
  /** The transitions' times along the axis, ascending. */
  times: (): number[] => (AXIS.unit === 'cycle' ? D.cycles : D.icount),
  now: (): number => (AXIS.unit === 'cycle' ? stopCycles() ?? 0 : D.stop?.icount ?? 0),
};

/** The stop's cycle count, when the adapter sends one. */
export function stopCycles(): number | undefined {
  const c = (D.stop as { cycles?: unknown } | undefined)?.cycles;
  return typeof c === 'number' ? c : undefined;
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
