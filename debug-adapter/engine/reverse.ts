/**
 * Going backward. Both searches work window by window, newest first: restore
 * the snapshot that starts a window, replay it to the window's end and note
 * where the wanted thing happened; the last such point before "now" is the
 * answer, and the machine is then put there exactly.
 *
 * Step back replays a window one step at a time, noting pc, halted, address
 * space and frame depth (so step back over a call or a system call lands on
 * the instruction that made it). Reverse continue replays at full speed with
 * the breakpoints, data breakpoints and exception filters armed.
 */
import { EventKind, isa } from '../../emulator';
import { hex8 } from './expressions';
import { pcPhysical } from './machineEnv';
import { plans } from './stepping';
import type { Runtime, StopInfo } from './runtime';
import { clockText } from './cycles';
import { breakpointStop, filterStop, watchText } from './stops';
import { t, words } from '../../language/l10n';

interface Candidate {
  icount: number;
  kind: 'code' | 'data' | 'event';
  ids: number[];
  codeKind?: 'line' | 'function' | 'instruction';
  watch?: { va: number; pa: number; access: 'read' | 'write' };
  event?: number;
  error?: string;
}

/** A reverse continue in progress (see ReverseEngine.reverseContinue). */
export interface ReverseSearch {
  /** Search one more window back: the stop when the search is over, else undefined. */
  next(): StopInfo | undefined;
  /** Stop searching: the machine goes to the earliest instruction searched so far. */
  pause(): StopInfo;
}

export class ReverseEngine {
  constructor(private readonly rt: Runtime) {}

  private requireHistory(): void {
    if (!this.rt.history.enabled) throw new Error(t('step back is off: the launch configuration sets "history": 0'));
  }

  private atStart(): StopInfo {
    const h = this.rt.history;
    return { reason: 'step', text: t('reached the start of recorded history (instruction {0}); "history" in the launch configuration sets how far back it goes', h.start) };
  }

  /**
   * Whether the instruction the machine is at ran straight into the one of `cur`, in the same frame
   * (same VM, same call depth, the next instruction after it): a `wrsr cr3` that switched the
   * address space is still the line before, though cr3 differs now. Without this, a step back over
   * it looked for an earlier instruction with today's cr3 and landed rounds earlier, or at the start.
   */
  private ranInto(cur: { tag: number; depth: number; pc: number }): boolean {
    const m = this.rt.machine;
    if (m.halted || m.currentVm !== cur.tag || m.callDepth !== cur.depth) return false;
    const pa = m.translate(m.pc);
    const insn = pa < 0 ? undefined : isa.decode(m.readWordPhysical(pa), m.readWordPhysical(pa + 4));
    return insn !== undefined && ((m.pc + insn.length) | 0) === (cur.pc | 0);
  }

  /** Back one instruction (or, by line, to the previous instruction of this frame: over calls and traps). */
  stepBack(instruction: boolean): StopInfo {
    this.requireHistory();
    const rt = this.rt;
    const m = rt.machine;
    const h = rt.history;
    const now = m.icount;
    if (now <= h.start) return this.atStart();
    const cur = rt.context();
    const want = (halted: boolean, tag: number, depth: number, cr3: number) =>
      !halted && (instruction || (tag === cur.tag && depth <= cur.depth && cr3 === cur.cr3));

    // Where the step back may land when the previous step was deeper (a call, a
    // trap, a VM exit returned here): the instruction before pc (a call, int,
    // syscall, vmcall, hlt) or pc itself (a fault or interrupt, then retried).
    const sites = [8, 4, 0].map((d) => m.translate((cur.pc - d) | 0)).filter((pa) => pa >= 0);

    // By line, the step that crossed a VM entry or exit is the way back, as step in came
    // (the exiting guest instruction, or vmlaunch/vmresume): the other side is its caller.
    let crossed = false;
    for (let i = m.eventCount - 1; i >= 0 && m.event(i).icount === now && !crossed; i--) crossed = m.event(i).kind === EventKind.VmEntry || m.event(i).kind === EventKind.VmExit;
    if (!instruction && crossed) {
      rt.seekQuietly(now - 1);
      return this.stepped(t('stepped back'));
    }

    // Usually the previous step is the answer: try it before tracing a window. Not when
    // an iret just returned here: the instruction was interrupted or faulted and is
    // about to be retried, so by line the step back goes to before the first attempt.
    rt.seekQuietly(now - 1);
    const last = m.eventCount ? m.event(m.eventCount - 1) : undefined;
    const resumed = !instruction && last !== undefined && last.icount === m.icount && last.kind === EventKind.Iret;
    if (!resumed && (want(m.halted, m.currentVm, m.callDepth, m.sysReg(3)) || (!instruction && this.ranInto(cur)))) return this.stepped(t('stepped back'));

    if (!instruction) {
      // Replay at full speed with breakpoints on those sites: fast even over a long call.
      const back = this.lastAt(sites, now, () => want(m.halted, m.currentVm, m.callDepth, m.sysReg(3)));
      if (back !== undefined) {
        rt.seekQuietly(back);
        return this.stepped(t('stepped back'));
      }
    }

    // Trace backward in growing chunks: the answer is usually a few steps back
    // (the call or trap just stepped over), so most step backs trace little.
    let end = now;
    let chunk = 1024;
    for (;;) {
      const base = h.base(end - 1);
      if (!base || end <= h.start) break;
      const from = Math.max(base.icount, end - chunk);
      rt.seekQuietly(from);
      const n = end - from;
      const ok = new Uint8Array(n);
      const pcs = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        ok[i] = want(m.halted, m.currentVm, m.callDepth, m.sysReg(3)) ? 1 : 0;
        pcs[i] = m.pc;
        if (m.run(1) !== 'limit' && m.icount !== from + i + 1) break;
      }
      let i = ok.lastIndexOf(1);
      // By line: an instruction that trapped and was resumed counts from its first attempt.
      while (!instruction && i > 0) {
        let j = i - 1;
        while (j >= 0 && !ok[j]) j--;
        if (j >= 0 && j < i - 1 && pcs[j] === pcs[i]) i = j;
        else break;
      }
      if (i >= 0) {
        rt.seekQuietly(from + i);
        return this.stepped(t('stepped back'));
      }
      end = from;
      chunk *= 8;
    }
    rt.seekQuietly(h.start);
    return this.atStart();
  }

  /**
   * The last instruction count before `end` where the pc is at one of `pas`
   * and `accept` holds, searching window by window with the machine's own
   * breakpoints. A fault or interrupt retried after its handler counts from
   * the first attempt.
   */
  private lastAt(pas: number[], end: number, accept: () => boolean): number | undefined {
    const rt = this.rt;
    const m = rt.machine;
    const h = rt.history;
    while (end > h.start && pas.length) {
      const base = h.base(end - 1);
      if (!base) break;
      rt.seekQuietly(base.icount);
      for (const pa of pas) m.setBreakpoint(pa, true);
      const hits: { icount: number; pc: number }[] = [];
      const note = () => {
        if (m.icount < end && pas.includes(pcPhysical(m)) && accept()) hits.push({ icount: m.icount, pc: m.pc });
      };
      note();
      while (m.icount < end) {
        const r = m.run(end - m.icount);
        if (r === 'breakpoint') note();
        else if (r !== 'limit') break;
      }
      m.clearBreakpoints();
      if (hits.length) {
        let k = hits.length - 1;
        while (k > 0 && hits[k - 1].pc === hits[k].pc && this.retried(hits[k - 1].icount, hits[k].icount, hits[k].pc)) k--;
        return hits[k].icount;
      }
      end = base.icount;
    }
    return undefined;
  }

  /** Whether the instruction at pc trapped at step `first` and was resumed by an iret at `again`, nothing else between at this level. */
  private retried(first: number, again: number, pc: number): boolean {
    const m = this.rt.machine;
    let trap: number | undefined;
    let ret: number | undefined;
    for (let i = m.eventCount - 1; i >= 0; i--) {
      const e = m.event(i);
      if (e.icount <= first) break;
      if (e.icount <= again && e.kind === EventKind.Iret && e.pcAfter >>> 0 === pc >>> 0 && ret === undefined) ret = e.icount;
      if (e.icount === first + 1 && (e.kind === EventKind.Trap || e.kind === EventKind.Interrupt) && e.pcBefore >>> 0 === pc >>> 0) trap = e.icount;
    }
    return trap !== undefined && ret === again;
  }

  private stepped(what: string): StopInfo {
    const m = this.rt.machine;
    const ring = words.whereNow(m);
    return { reason: 'step', text: t('{0} to {1} ({2}, {3})', what, hex8(m.pc), ring, clockText(m)) };
  }

  /**
   * Back to the most recent breakpoint, data breakpoint or exception-filter stop before now,
   * one window per call of the job's `next` (undefined: not found yet), so that the run loop
   * can slice a long search and a pause can stop it where it has got to.
   */
  reverseContinue(): ReverseSearch {
    this.requireHistory();
    const rt = this.rt;
    const h = rt.history;
    const from = rt.machine.icount;
    let end = from;
    return {
      next: () => {
        const base = end > h.start ? h.base(end - 1) : undefined;
        if (!base) {
          rt.seekQuietly(h.start);
          return this.atStart();
        }
        const found = this.searchWindow(base.icount, end);
        if (found) {
          rt.seekQuietly(found.icount);
          return this.describe(found);
        }
        end = base.icount;
        return undefined;
      },
      pause: () => {
        rt.seekQuietly(end);
        return { reason: 'pause', text: t('paused going back: no breakpoint between instruction {0} and instruction {1}', end, from) };
      },
    };
  }

  /** Replay [start, end) with user stops armed; the last qualifying point. */
  private searchWindow(start: number, end: number): Candidate | undefined {
    const rt = this.rt;
    const m = rt.machine;
    rt.seekQuietly(start);
    rt.arm(plans.continue());
    let last: Candidate | undefined;
    const checkCode = () => {
      const pa = pcPhysical(m);
      if (pa < 0 || !rt.breakpoints.has(pa) || m.icount >= end) return;
      const d = rt.breakpoints.decide(pa, rt.env, false, () => undefined, m.icount);
      if (d.stop) last = { icount: m.icount, kind: 'code', ids: d.ids, codeKind: d.kind, error: d.error };
    };
    checkCode();
    while (m.icount < end) {
      const evStart = m.eventCount;
      const r = m.run(end - m.icount);
      if (r === 'breakpoint') {
        checkCode();
        continue;
      }
      if (r === 'watchpoint') {
        const hit = m.takeWatchHit();
        if (hit && m.icount < end) {
          const d = rt.breakpoints.decideData(hit.id, rt.env, false, m.icount);
          if (d.stop) last = { icount: m.icount, kind: 'data', ids: d.ids, watch: hit, error: d.error };
        }
      } else if (r === 'event') {
        for (let i = evStart; i < m.eventCount && m.icount < end; i++) {
          if (filterStop(rt, m.event(i))) last = { icount: m.icount, kind: 'event', ids: [], event: i };
        }
      } else break;
      // run() does not check a breakpoint where it starts: do it here.
      checkCode();
    }
    return last;
  }

  private describe(c: Candidate): StopInfo {
    const rt = this.rt;
    if (c.kind === 'code') return breakpointStop(rt, c.codeKind ?? 'line', c.ids, c.error);
    if (c.kind === 'data') return { reason: 'data breakpoint', text: c.error ?? watchText(rt, c.watch!), hitBreakpointIds: c.ids };
    const s = filterStop(rt, rt.machine.event(c.event!));
    return s ?? { reason: 'step', text: t('went back to {0}', clockText(rt.machine)) };
  }
}
