/**
 * Pages of the transition log for the Ring Transitions panel: each event with its kind by
 * name, a sentence for a student and the label it went to, and counters by cause and kind.
 */
import { causeOf, EventKind, isa, Machine, TransitionEvent } from '../../emulator';
import { describeEvent } from '../engine/exceptions';
import { TransitionNames } from '../engine/transitionNames';
import type { Program } from '../engine/program';
import type { Transition, TransitionKind, TransitionsArguments, TransitionsResponseBody } from '../protocol';

const KIND_NAMES: readonly TransitionKind[] = isa.TRANSITION_KINDS;

/** Counts of the event log by cause and kind, kept up to date incrementally (the log only grows, or is cut back by time travel). */
export class TransitionCounters {
  private counted = 0;
  private byCause: Record<string, number> = {};
  private byKind = Object.fromEntries(KIND_NAMES.map((k) => [k, 0])) as Record<TransitionKind, number>;

  update(m: Machine, names: TransitionNames = TransitionNames.none): void {
    if (m.eventCount < this.counted) {
      this.counted = 0;
      this.byCause = {};
      for (const k of KIND_NAMES) this.byKind[k] = 0;
    }
    for (; this.counted < m.eventCount; this.counted++) {
      const e = m.event(this.counted);
      const cause = names.of(e)?.cause ?? e.cause;
      this.byCause[cause] = (this.byCause[cause] ?? 0) + 1;
      this.byKind[KIND_NAMES[e.kind]]++;
    }
  }

  snapshot(): { byCause: Record<string, number>; byKind: Record<TransitionKind, number> } {
    return { byCause: { ...this.byCause }, byKind: { ...this.byKind } };
  }
}

function firstAtOrAfter(m: Machine, icount: number): number {
  let lo = 0;
  let hi = m.eventCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (m.event(mid).icount < icount) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `names`: what the program calls its transitions (transitionNames.ts): their cause and words. */
export function toTransition(e: TransitionEvent, program: Program, names: TransitionNames = TransitionNames.none): Transition {
  const named = names.of(e);
  return {
    index: e.index,
    icount: e.icount,
    cycles: e.cycles,
    kind: KIND_NAMES[e.kind],
    fromCpl: e.fromCpl,
    toCpl: e.toCpl,
    fromVm: e.fromVm,
    toVm: e.toVm,
    vector: e.vector,
    syscall: e.syscall,
    exitReason: e.exitReason,
    pcBefore: e.pcBefore,
    pcAfter: e.pcAfter,
    cause: named?.cause ?? causeOf(e),
    text: describeEvent(e, { names }),
    target: program.labelAt(e.pcAfter),
  };
}

export function transitions(m: Machine, program: Program, counters: TransitionCounters, args: TransitionsArguments): TransitionsResponseBody {
  const from = args.fromIcount !== undefined ? firstAtOrAfter(m, args.fromIcount) : 0;
  const to = args.toIcount !== undefined ? firstAtOrAfter(m, args.toIcount) : m.eventCount;
  const start = Math.max(0, args.start ?? 0);
  const count = Math.max(0, Math.min(args.count ?? 1000, 100_000));
  for (const k of args.kinds ?? []) if (!KIND_NAMES.includes(k)) throw new Error(`unknown transition kind '${k}' (kinds: ${KIND_NAMES.join(', ')})`);
  const kinds = args.kinds?.length ? new Set(args.kinds.map((k) => KIND_NAMES.indexOf(k) as EventKind)) : undefined;
  const events: Transition[] = [];
  const names = TransitionNames.read(m, program.transitionNames);
  let total: number;
  if (!kinds) {
    total = Math.max(0, to - from);
    for (let i = from + start; i < to && events.length < count; i++) events.push(toTransition(m.event(i), program, names));
  } else {
    total = 0;
    for (let i = from; i < to; i++) {
      const e = m.event(i);
      if (!kinds.has(e.kind)) continue;
      if (total >= start && events.length < count) events.push(toTransition(e, program, names));
      total++;
    }
  }
  counters.update(m, names);
  return { total, start, events, ...counters.snapshot(), dropped: m.limits.eventsDropped };
}
