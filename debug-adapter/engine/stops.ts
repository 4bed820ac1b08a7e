// What each kind of stop says to a student: a code breakpoint, a data breakpoint, an exception
// filter's transition. The forward run loop (runtime.ts) and the backward search (reverse.ts)
// word their stops through these.
import { EXIT_DEADLOCK, EXIT_TRIPLE, type Machine, type TransitionEvent } from '../../emulator';
import { t, words } from '../../language/l10n';
import { clockText } from './cycles';
import { describeContext } from './describeContext';
import { describeEvent, FILTERS } from './exceptions';
import { hex8 } from './expressions';
import { pcPhysical } from './machineEnv';
import type { Runtime, StopInfo } from './runtime';
import { TransitionNames } from './transitionNames';

/** A code breakpoint's stop: which kind, where, in which function, ring and VM, when. */
export function breakpointStop(rt: Runtime, kind: 'line' | 'function' | 'instruction', ids: number[], error?: string): StopInfo {
  const reason = kind === 'line' ? 'breakpoint' : kind === 'function' ? 'function breakpoint' : 'instruction breakpoint';
  const m = rt.machine;
  const fn = rt.program.functionAt(pcPhysical(m));
  const what = kind === 'line' ? t('breakpoint') : kind === 'function' ? t('function breakpoint') : t('instruction breakpoint');
  const ring = words.whereNow(m);
  return { reason, text: error ?? (fn ? t('{0} at {1} in {2} ({3}, {4})', what, hex8(m.pc), fn, ring, clockText(m)) : t('{0} at {1} ({2}, {3})', what, hex8(m.pc), ring, clockText(m))), hitBreakpointIds: ids };
}

/** A data breakpoint's stop text: the access, both addresses, the word now, the ring. */
export function watchText(rt: Runtime, hit: { va: number; pa: number; access: string }): string {
  const m = rt.machine;
  const value = m.readWordPhysical(hit.pa & ~3);
  const ring = words.whereNow(m);
  const access = hit.access === 'write' ? t('write') : hit.access === 'read' ? t('read') : hit.access;
  return t('data breakpoint: {0} of {1} (physical {2}), the word there is now {3}; {4}', access, hex8(hit.va), hex8(hit.pa), hex8(value), ring);
}

/** An exception filter that matches this transition, as a stop. */
export function filterStop(rt: Runtime, ev: TransitionEvent): StopInfo | undefined {
  const names = TransitionNames.read(rt.machine, rt.program.transitionNames);
  for (const f of FILTERS) {
    if (!rt.filters.has(f.id) || !f.matches(ev, names)) continue;
    const cond = rt.filters.get(f.id);
    if (cond) {
      try {
        if (!cond(ev, rt.env)) continue;
      } catch (e) {
        return { reason: 'exception', text: t('{0} condition failed: {1}', t(f.label), (e as Error).message), exception: { filter: f.id, label: t(f.label), text: (e as Error).message } };
      }
    }
    const base = describeEvent(ev, describeContext(rt));
    const text = f.id === 'ring-change' ? t('ring change: {0}', base) : base;
    return { reason: 'exception', text, exception: { filter: f.id, label: t(f.label), text } };
  }
  return undefined;
}

/**
 * The stop at `stopAtInstruction`: its message as given (Debug Test's "check failed: ..."), else
 * the place and the clock as every other stop gives them (instruction N: N have run).
 */
export function stopAtStop(rt: Runtime, message: string | undefined): StopInfo {
  const m = rt.machine;
  const text = message?.trim() ? message : t('stopped at {0} ({1}, {2}): launch attribute stopAtInstruction', hex8(m.pc), words.whereNow(m), clockText(m));
  return { reason: 'goto', text };
}

/** The exit code of a run that has ended, as the CLI gives it: the guest's own, or 125 (triple fault) and 126 (halted forever). */
export function exitCodeOf(m: Machine): number | undefined {
  const c = m.stopCause;
  if (!c) return undefined;
  return c.kind === 'power-off' ? c.code : c.kind === 'triple-fault' ? EXIT_TRIPLE : EXIT_DEADLOCK;
}
