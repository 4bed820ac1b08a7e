/**
 * Stepping plans. A plan says which extra stops the machine needs (a
 * temporary breakpoint at a physical return address, transitions such as
 * `iret` or VM entry) and decides, at each stop, whether the step is done or
 * moves to its next phase. Step in is one machine step, which already lands
 * on a handler's first instruction for `syscall`, `int`, a fault or a VM exit;
 * step over runs until the frame it pushed is popped again at the return
 * address; step out until the current frame (call, trap or VM exit) is gone.
 */
import { EventKind, isa, Machine, ShadowFrame, TransitionEvent } from '../../emulator';
import { hex8 } from './expressions';
import { pcPhysical } from './machineEnv';
import type { StopInfo } from './runtime';
import { clockText } from './cycles';
import { t, words } from '../../language/l10n';

export interface StepContext {
  tag: number;
  depth: number;
  pc: number;
  icount: number;
  cr3: number;
}

export type PlanStep = { kind: 'budget' } | { kind: 'address'; pa: number } | { kind: 'event'; event: TransitionEvent };

export interface Plan {
  name: string;
  /** Run with every user stop off (time travel). */
  quiet?: boolean;
  /** Report a 'budget' step when icount reaches this. */
  until?: number;
  /** Temporary breakpoint (physical), or -1. */
  tempPa: number;
  /** A breakpoint where the step starts (at this icount) was already seen: do not stop on it again. */
  startIcount?: number;
  events: EventKind[];
  /** A StopInfo to stop, the next phase, or undefined to keep running. */
  advance(step: PlanStep, m: Machine): StopInfo | Plan | undefined;
}

type How = 'in' | 'over';

function stepped(m: Machine, what = t('stepped')): StopInfo {
  return { reason: 'step', text: t('{0} to {1} ({2}, {3})', what, hex8(m.pc), words.whereNow(m), clockText(m)) };
}

/** A step that ended at a VM entry or exit: `what` says where it stopped, and "at" the pc. */
function stoppedAt(m: Machine, what: string): StopInfo {
  return { reason: 'step', text: t('{0} at {1} ({2}, {3})', what, hex8(m.pc), words.whereNow(m), clockText(m)) };
}

const continuePlan = (): Plan => ({ name: 'continue', tempPa: -1, events: [], advance: () => undefined });

function travel(target: number): Plan {
  return {
    name: 'travel',
    quiet: true,
    until: target,
    tempPa: -1,
    events: [],
    advance: (s, m) => (s.kind === 'budget' ? { reason: 'goto', text: t('went to {0}', clockText(m)) } : undefined),
  };
}

/** One machine step; then `how` decides. */
function single(ctx: StepContext, how: How): Plan {
  return {
    name: how === 'in' ? 'stepIn' : 'next',
    until: ctx.icount + 1,
    startIcount: ctx.icount,
    tempPa: -1,
    events: [],
    advance: (s, m) => (s.kind === 'budget' ? afterSingle(ctx, how, m) : undefined),
  };
}

function afterSingle(ctx: StepContext, how: How, m: Machine): StopInfo | Plan {
  // A halted CPU: the next thing that happens is an interrupt (or a VM exit).
  if (m.halted) return wake(ctx, how);
  if (how === 'in') return stepped(m);
  if (m.currentVm !== ctx.tag) {
    // vmlaunch/vmresume stepped over: run the guest until it exits; an exiting guest instruction: until the VM is entered again.
    return ctx.tag === 0 ? untilVmExit() : untilVmEntry(ctx.tag);
  }
  if (m.callDepth > ctx.depth) return untilReturn(ctx, m.callFrames()[0], m, 'over');
  return stepped(m);
}

function wake(ctx: StepContext, how: How): Plan {
  return {
    name: 'wake',
    tempPa: -1,
    events: [EventKind.Interrupt, EventKind.VmExit],
    advance: (s, m) => (s.kind === 'event' || !m.halted ? afterSingle(ctx, how, m) : undefined),
  };
}

function untilVmExit(): Plan {
  return {
    name: 'untilVmExit',
    tempPa: -1,
    events: [EventKind.VmExit],
    advance: (s, m) => (s.kind === 'event' && s.event.kind === EventKind.VmExit ? stoppedAt(m, t('the guest ran until a VM exit ({0}); stopped in the hypervisor', isa.exitReasonName(s.event.exitReason))) : undefined),
  };
}

function untilVmEntry(tag: number | undefined): Plan {
  return {
    name: 'untilVmEntry',
    tempPa: -1,
    events: [EventKind.VmEntry],
    advance: (s, m) =>
      s.kind === 'event' && s.event.kind === EventKind.VmEntry && (tag === undefined || s.event.toVm === tag) ? stoppedAt(m, t('VM entry into VM {0}: stopped in the guest', s.event.toVm)) : undefined,
  };
}

/**
 * Run until `frame` (the one pushed above the step's start, or the current one for step out) is
 * popped, known as gdb knows a frame, by its place on the stack: a `ret` to its return address
 * that leaves sp just above it, or an `iret` that pops it (its own trap frame; or, in the same
 * address space, any that returns to code whose sp is above it: a handler that abandons the calls
 * inside it). Not by depth: two processes
 * running the same code (a shared library, the same program forked) reach the same return address
 * at the same depth, each on its own stack; and a trap handler may resume elsewhere (past the
 * instruction it emulated, at a fixup) or in another address space (execve), popping that frame.
 */
function untilReturn(ctx: StepContext, frame: ShadowFrame, m0: Machine, how: How | 'out'): Plan {
  const pa = m0.translate(frame.returnPc);
  const at = frame.sp >>> 0;
  return {
    name: 'untilReturn',
    tempPa: pa,
    events: [EventKind.Iret],
    advance: (s, m) => {
      if (m.currentVm !== ctx.tag) return undefined;
      const back =
        s.kind === 'address'
          ? s.pa === pa && pcPhysical(m) === pa && m.register(15) >>> 0 === (at + 4) >>> 0
          : s.kind === 'event' && s.event.kind === EventKind.Iret && (s.event.spBefore >>> 0 === at || (m.register(15) >>> 0 > at && m.sysReg(3) === ctx.cr3));
      if (!back) return undefined;
      // Back at the instruction we started on: an interrupt or a fault came first. Now really step over it.
      if (how === 'over' && m.pc === ctx.pc && m.icount > ctx.icount) return single({ ...ctx, icount: m.icount }, 'over');
      return stepped(m, how === 'out' ? t('stepped out') : t('stepped'));
    },
  };
}

/** Whether the last VM transition was an exit: the host runs the hypervisor's exit path. */
function inExitPath(m: Machine): boolean {
  if (m.nonRoot || m.currentVmcs < 0) return false;
  for (let i = m.eventCount - 1, n = 0; i >= 0 && n < 100_000; i--, n++) {
    const k = m.event(i).kind;
    if (k === EventKind.VmExit) return true;
    if (k === EventKind.VmEntry) return false;
  }
  return false;
}

function stepOut(ctx: StepContext, m: Machine): Plan {
  const frames = m.callFrames();
  if (inExitPath(m)) {
    const hostSp = m.vmcsField(m.currentVmcs, isa.VmcsField.host_sp);
    // Frames pushed since the exit sit below host_sp; older ones belong to before the VM entry.
    if (!frames.length || (frames[0].kind === 'call' && frames[0].sp >= hostSp)) return untilVmEntry(undefined);
  }
  if (!frames.length) {
    throw new Error(`nothing to step out of: ${hex8(m.pc)} is in the outermost frame (no call, trap or VM exit to return from)`);
  }
  return untilReturn(ctx, frames[0], m, 'out');
}

export const plans = {
  continue: continuePlan,
  travel,
  stepIn: (ctx: StepContext) => single(ctx, 'in'),
  next: (ctx: StepContext) => single(ctx, 'over'),
  stepOut,
};
