/**
 * The debugger's engine, ignorant of DAP: the program, the machine, its
 * history, and a run loop that works in short slices and yields to the event
 * loop between them, so a `pause` request is read and honoured within a few
 * milliseconds however long the guest runs. Stepping plans (step in, over,
 * out), breakpoint decisions and exception filters all happen at the points
 * where the machine's own run() stops; the fast loop is never slowed.
 */
import { EventKind, Machine, StopReason } from '../../emulator';
import type { CostTable } from '../../emulator/isa/costs';
import { Breakpoints } from './breakpoints';
import { Condition, FILTERS, FilterId } from './exceptions';
import { EvalEnv, hex8 } from './expressions';
import { History } from './history';
import { machineEnv, pcPhysical } from './machineEnv';
import type { Program } from './program';
import { Plan, PlanStep, plans, StepContext } from './stepping';
import { ReverseEngine } from './reverse';
import { clockText } from './cycles';
import { GuestOutput, type OutputCategory } from './guestOutput';
import { t, words } from '../../language/l10n';
import { breakpointStop, exitCodeOf, filterStop, stopAtStop, watchText } from './stops';

export type StopKind = 'entry' | 'step' | 'breakpoint' | 'function breakpoint' | 'instruction breakpoint' | 'data breakpoint' | 'exception' | 'pause' | 'goto';

export interface StopInfo {
  reason: StopKind;
  /** What happened, in a student's words. */
  text: string;
  hitBreakpointIds?: number[];
  exception?: { filter: string; label: string; text: string };
}

export interface RuntimeSink {
  /** The machine starts moving (a run, forward or back, or a jump): a `stopped` follows. */
  continued(): void;
  stopped(info: StopInfo): void;
  output(text: string, category: OutputCategory): void;
  terminated(message: string, exitCode?: number): void;
  vmSeen(id: number): void;
}

export interface RuntimeOptions {
  memory?: number;
  tlbEntries?: number;
  stdin?: string;
  history: number;
  /** The cycle cost table (default: the machine's). */
  costs?: CostTable;
  /** Compile hot code (default true). */
  jit?: boolean;
  /** Run without debugging: no breakpoints, filters or recording; the run just ends. */
  noDebug?: boolean;
  /** Runs a function after pending requests (a pause) are handled: the host's setImmediate. */
  later: (fn: () => void) => void;
}

/** Steps per machine.run call while running freely, and wall time before yielding. */
const SLICE_STEPS = 250_000;
const SLICE_MS = 8;

export class Runtime {
  readonly machine: Machine;
  readonly history: History;
  readonly breakpoints: Breakpoints;
  readonly env: EvalEnv;
  /** Enabled exception filters with their conditions. */
  readonly filters = new Map<FilterId, Condition | undefined>();
  state: 'stopped' | 'running' | 'ended' = 'stopped';
  lastStop: StopInfo | undefined;
  /** The guest can no longer run (a triple fault, hlt with interrupts off): the next resume ends the session. */
  dead = false;
  readonly noDebug: boolean;
  private readonly later: (fn: () => void) => void;

  private current: Plan | undefined;
  private token = 0;
  private pauseRequested = false;
  /** The position after a non-breakpoint stop has not been checked against breakpoints yet. */
  private fresh = false;
  private vmsSeen = 0;
  private armed = { version: -1, dataVersion: -1, quiet: true, temp: -1 };
  private readonly reverse: ReverseEngine;
  private readonly output: GuestOutput;

  constructor(readonly program: Program, opts: RuntimeOptions, private readonly sink: RuntimeSink) {
    this.machine = new Machine({ memory: opts.memory, tlbEntries: opts.tlbEntries, stdin: opts.stdin, costs: opts.costs, jit: opts.jit });
    program.checkFits(this.machine.memorySize);
    this.machine.load(program.asm.segments, program.entry);
    // Code copied to where it runs (overlays.ts) is known by what memory holds now.
    program.attachMemory((pa) => this.machine.readWordPhysical(pa));
    this.breakpoints = new Breakpoints((pa) => program.codeAt(pa));
    this.noDebug = opts.noDebug === true;
    this.later = opts.later;
    this.history = new History(this.noDebug ? 0 : opts.history);
    this.env = machineEnv(this.machine, program);
    this.reverse = new ReverseEngine(this);
    this.output = new GuestOutput(this.machine, (text, category) => sink.output(text, category));
    for (const f of FILTERS) if (f.default) this.filters.set(f.id, undefined);
  }

  /** Begin: stop at the entry, at an instruction count (a failed check's step), or run. */
  start(stopOnEntry: boolean, stopAt?: { icount: number; text?: string }): void {
    this.history.begin(this.machine);
    if (stopAt) {
      const travel = plans.travel(stopAt.icount);
      if (stopAt.icount <= this.machine.icount) return this.finish(stopAtStop(this, stopAt.text));
      this.resume({ ...travel, advance: (s, m) => (s.kind === 'budget' ? stopAtStop(this, stopAt.text) : travel.advance(s, m)) });
    } else if (stopOnEntry) this.finish({ reason: 'entry', text: this.program.symbol('_start') ? t('stopped at the entry point _start ({0})', hex8(this.machine.pc)) : t('stopped at the entry point ({0})', hex8(this.machine.pc)) });
    // Nothing has run yet: a breakpoint on the first instruction is hit (a continue from a stop skips the one it stopped at).
    else this.resume(plans.continue(), true);
  }

  // ---------------------------------------------------------------- commands

  /** The plan for a forward command; throws when it makes no sense here (step out of the outermost frame). */
  plan(kind: 'continue' | 'next' | 'stepIn' | 'stepOut'): Plan {
    switch (kind) {
      case 'continue': return plans.continue();
      case 'next': return plans.next(this.context());
      case 'stepIn': return plans.stepIn(this.context());
      case 'stepOut': return plans.stepOut(this.context(), this.machine);
    }
  }
  /** Run forward to an instruction count, ignoring breakpoints. */
  travelForward(icount: number): void {
    this.resume(plans.travel(icount));
  }

  pause(): void {
    if (this.state === 'running') this.pauseRequested = true;
  }

  stepBack(instruction: boolean): void {
    this.moving();
    this.finish(this.reverse.stepBack(instruction));
  }
  /** Reverse continue, sliced like a forward run: a long search back can be paused. */
  reverseContinue(): void {
    const search = this.reverse.reverseContinue();
    this.current = undefined;
    this.running();
    this.sliced(++this.token, () => search.next(), () => search.pause());
  }
  /** The machine was edited while stopped: the recorded future is gone. */
  edited(): void {
    this.history.fork(this.machine);
  }

  /** Guest console input typed by the user. Typed at a point history already went past, it changes that future. */
  input(text: string): void {
    this.machine.feedInput(text);
    if (this.history.enabled && this.history.newest > this.machine.icount) this.history.fork(this.machine);
  }

  /** Stop running: the session is ending. */
  dispose(): void {
    this.token++;
    this.state = 'ended';
  }

  context(): StepContext {
    const m = this.machine;
    return { tag: m.currentVm, depth: m.callDepth, pc: m.pc, icount: m.icount, cr3: m.sysReg(3) };
  }

  // ---------------------------------------------------------------- the run loop

  /**
   * Run a plan. The first slice runs at once, so a short step reports its stop before this returns.
   * `checkHere`: a breakpoint at the pc stops the run before its first instruction.
   */
  resume(plan: Plan, checkHere = false): void {
    if (this.dead) {
      this.end(words.stop(this.machine.stopCause) || t('the machine has stopped'), exitCodeOf(this.machine));
      return;
    }
    this.current = plan;
    this.running();
    this.fresh = checkHere;
    this.output.restart();
    this.sliced(++this.token, () => this.step(), () => ({ reason: 'pause', text: t('paused at {0} ({1})', hex8(this.machine.pc), clockText(this.machine)) }));
  }

  /** The machine moves without a run (step back, goto, a jump back in time): its client hears so, then the stop. */
  moving(): void {
    this.sink.continued();
  }

  private running(): void {
    this.state = 'running';
    this.pauseRequested = false;
    this.moving();
  }

  /**
   * The one run loop, forward and backward: `step` runs a little and returns a stop, 'done'
   * (the run ended or needs no stop), or undefined to go on. Slices last SLICE_MS and yield to
   * the event loop between them, so a pause request is read in time; a newer run (its token)
   * ends this one. A bug in the adapter stops the run with a message instead of leaving it
   * running forever.
   */
  private sliced(token: number, step: () => StopInfo | 'done' | undefined, paused: () => StopInfo): void {
    const slice = (): void => {
      try {
        const t0 = performance.now();
        for (;;) {
          if (token !== this.token) return;
          if (this.pauseRequested) {
            this.pauseRequested = false;
            return this.finish(paused());
          }
          const r = step();
          if (r === 'done') return;
          if (r) return this.finish(r);
          if (performance.now() - t0 > SLICE_MS) return this.later(slice);
        }
      } catch (e) {
        this.sink.output(`ringside debug adapter: internal error: ${(e as Error).stack ?? e}\n`, 'stderr');
        this.finish({ reason: 'pause', text: t('stopped by an internal error of the debugger: {0}', (e as Error).message) });
      }
    };
    slice();
  }

  /** One machine.run of the current plan, at most a slice's worth of steps. */
  private step(): StopInfo | 'done' | undefined {
    const m = this.machine;
    const plan = this.current;
    if (!plan) return 'done';
    this.arm(plan);
    if (this.fresh && !plan.quiet) {
      this.fresh = false;
      const s = this.breakpointHere(plan);
      if (s) return s;
    }
    // Never more than a slice at once, whatever the plan's target: a pause must be read in time.
    const budget = Math.min(plan.until !== undefined ? Math.max(1, plan.until - m.icount) : SLICE_STEPS, SLICE_STEPS, this.history.stepsUntilDue(m.icount));
    const evStart = m.eventCount;
    const r = m.run(budget);
    this.history.record(m);
    this.output.flush(true);
    const res = this.classify(r, evStart, plan);
    if (res === 'ended') return 'done';
    if (res) return res;
    const flood = this.output.flooded;
    if (flood) return { reason: 'pause', text: flood };
    return undefined;
  }

  /** Decide what a stop of machine.run means for the plan: a StopInfo to stop, undefined to go on. */
  private classify(r: StopReason, evStart: number, plan: Plan): StopInfo | 'ended' | undefined {
    const m = this.machine;
    switch (r) {
      case 'limit':
        this.fresh = true;
        return this.advance(plan, plan.until !== undefined && m.icount >= plan.until ? { kind: 'budget' } : undefined);
      case 'breakpoint': {
        const pa = pcPhysical(m);
        const d = this.breakpoints.decide(pa, this.env, true, (t) => this.output.log(t), m.icount);
        if (d.stop) return breakpointStop(this, d.kind ?? 'line', d.ids, d.error);
        return this.advance(plan, { kind: 'address', pa });
      }
      case 'watchpoint': {
        this.fresh = true;
        const hit = m.takeWatchHit();
        if (hit) {
          const d = this.breakpoints.decideData(hit.id, this.env, true, m.icount);
          if (d.stop) return { reason: 'data breakpoint', text: d.error ?? watchText(this, hit), hitBreakpointIds: d.ids };
        }
        return this.advance(plan, plan.until !== undefined && m.icount >= plan.until ? { kind: 'budget' } : undefined);
      }
      case 'event': {
        this.fresh = true;
        for (let i = evStart; i < m.eventCount; i++) {
          const s = filterStop(this, m.event(i));
          if (s) return s;
        }
        for (let i = evStart; i < m.eventCount; i++) {
          const res = this.advance(plan, { kind: 'event', event: m.event(i) });
          if (res !== undefined || this.current !== plan) return res;
        }
        return this.advance(plan, plan.until !== undefined && m.icount >= plan.until ? { kind: 'budget' } : undefined);
      }
      case 'pause':
        return { reason: 'pause', text: t('paused at {0} ({1})', hex8(m.pc), clockText(m)) };
      case 'poweroff':
        this.end(this.dead ? words.stop(m.stopCause) : t('the guest powered off with exit code {0}', m.exitCode), m.exitCode);
        return 'ended';
      case 'triple-fault':
      case 'deadlock': {
        // The machine has stopped for good: the vocabulary words why, as the CLI says it. A hlt with
        // interrupts on and nothing pending can still be woken here by input typed in the Debug Console.
        const c = m.stopCause;
        if (r === 'triple-fault' || (c?.kind === 'halted' && c.interruptsOff)) this.dead = true;
        const text = words.stop(m.stopCause);
        if (this.noDebug) return this.end(text, exitCodeOf(m)), 'ended';
        const exception = r === 'triple-fault' ? { filter: 'triple-fault', label: t('Triple fault'), text } : { filter: 'deadlock', label: t('Halted forever'), text };
        return { reason: 'exception', text, exception };
      }
    }
  }

  /** Let the plan look at what happened; it may finish, or switch to its next phase. */
  private advance(plan: Plan, step: PlanStep | undefined): StopInfo | undefined {
    if (!step) return undefined;
    const next = plan.advance(step, this.machine);
    if (next === undefined) return undefined;
    if ('reason' in next) return next;
    this.current = next;
    return undefined;
  }

  /** After a stop that was not a breakpoint check, a breakpoint at the current pc still counts. */
  private breakpointHere(plan: Plan): StopInfo | undefined {
    const pa = pcPhysical(this.machine);
    // Halted, the CPU is not about to run pc: it waits for an interrupt, whose handler runs first.
    if (this.machine.halted || pa < 0 || (!this.breakpoints.has(pa) && pa !== plan.tempPa) || plan.startIcount === this.machine.icount) return undefined;
    const d = this.breakpoints.decide(pa, this.env, true, (t) => this.output.log(t), this.machine.icount);
    if (d.stop) return breakpointStop(this, d.kind ?? 'line', d.ids, d.error);
    return this.advance(plan, { kind: 'address', pa });
  }

  /** Event kinds the machine must stop after for the enabled filters. */
  filterKinds(): EventKind[] {
    const kinds = new Set<EventKind>();
    for (const f of FILTERS) if (this.filters.has(f.id)) for (const k of f.kinds) kinds.add(k);
    return [...kinds];
  }

  /** Put the machine's breakpoint bitmap, watches and event stops in line with the plan. */
  arm(plan: Plan | undefined): void {
    const m = this.machine;
    const quiet = plan?.quiet === true || this.noDebug;
    const temp = plan?.tempPa ?? -1;
    const a = this.armed;
    if (quiet) {
      if (!a.quiet) {
        m.clearBreakpoints();
        m.setWatches([]);
      }
      m.stopOnEvents([]);
      this.armed = { version: -1, dataVersion: -1, quiet: true, temp: -1 };
      return;
    }
    if (a.quiet || a.version !== this.breakpoints.version || a.temp !== temp) {
      m.clearBreakpoints();
      for (const pa of this.breakpoints.addresses()) m.setBreakpoint(pa, true);
      if (temp >= 0) m.setBreakpoint(temp, true);
    }
    if (a.quiet || a.dataVersion !== this.breakpoints.dataVersion) {
      m.setWatches(this.breakpoints.data.map((d) => ({ address: d.address, length: d.length, mode: d.mode, physical: d.physical, id: d.slot, space: d.space })));
    }
    m.stopOnEvents([...this.filterKinds(), ...(plan?.events ?? [])]);
    this.armed = { version: this.breakpoints.version, dataVersion: this.breakpoints.dataVersion, quiet: false, temp };
  }

  /** Restore/replay to an instruction count with every stop off. */
  seekQuietly(icount: number): void {
    this.arm({ ...plans.continue(), quiet: true });
    this.history.seek(this.machine, icount);
    this.dead = !this.machine.powered;
  }

  finish(info: StopInfo): void {
    this.token++;
    // After a move back in time, the hits of the undone future no longer count.
    this.breakpoints.rewind(this.machine.icount);
    this.current = undefined;
    this.state = 'stopped';
    this.lastStop = info;
    this.output.flush();
    const vms = this.machine.vms();
    for (; this.vmsSeen < vms.length; this.vmsSeen++) this.sink.vmSeen(vms[this.vmsSeen].id);
    this.sink.stopped(info);
  }

  private end(message: string, exitCode?: number): void {
    this.token++;
    this.current = undefined;
    this.state = 'ended';
    this.output.flush();
    this.sink.terminated(message, exitCode);
  }
}

