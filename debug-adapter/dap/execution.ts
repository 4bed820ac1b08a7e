/**
 * Moving the machine: continue and the steps, pause, step back and reverse continue, and goto
 * (move the pc to a line). The response goes out first and the machine moves after it: its
 * stop then arrives as an event the client expects.
 */
import { OutputEvent } from '@vscode/debugadapter';
import { hex8 } from '../engine/expressions';
import type { Runtime } from '../engine/runtime';
import { t } from '../../language/l10n';
import { dap, type Reply, type Route, type SessionCore } from './route';
import { checkSteppable, checkThread } from './threadIds';

function forward(s: SessionCore, threadId: number, kind: 'continue' | 'next' | 'stepIn' | 'stepOut', reply: Reply): void {
  const rt = s.stopped();
  if (kind === 'continue') checkThread(rt, threadId);
  else checkSteppable(rt, threadId);
  const plan = rt.dead ? rt.plan('continue') : rt.plan(kind);
  // The runtime sends `continued` as the machine starts (DAP does not require it after these
  // requests; clients that show "running" then need no list of the requests that resume).
  reply.after(() => rt.resume(plan));
}

/** `step`: a step back (of the thread that runs); else a reverse continue (of the whole machine, as continue). */
function backward(s: SessionCore, threadId: number, reply: Reply, step: boolean, op: (rt: Runtime) => void): void {
  const rt = s.stopped();
  if (step) checkSteppable(rt, threadId);
  else checkThread(rt, threadId);
  if (!rt.history.enabled) throw new Error('step back is off: the launch configuration sets "history": 0');
  reply.after(() => {
    try {
      op(rt);
    } catch (e) {
      s.sendEvent(new OutputEvent(`${(e as Error).message}\n`, 'stderr'));
      rt.finish({ reason: 'step', text: (e as Error).message });
    }
  });
}

export const executionRequests: Route[] = [
  dap('continue', (s, args, reply) => {
    forward(s, args.threadId, 'continue', reply);
    return { allThreadsContinued: true };
  }),
  dap('next', (s, args, reply) => forward(s, args.threadId, 'next', reply)),
  dap('stepIn', (s, args, reply) => forward(s, args.threadId, 'stepIn', reply)),
  dap('stepOut', (s, args, reply) => forward(s, args.threadId, 'stepOut', reply)),
  dap('pause', (s, args) => {
    const rt = s.runtime();
    checkThread(rt, args.threadId);
    rt.pause();
  }),
  dap('stepBack', (s, args, reply) => backward(s, args.threadId, reply, true, (rt) => rt.stepBack(args.granularity === 'instruction'))),
  dap('reverseContinue', (s, args, reply) => backward(s, args.threadId, reply, false, (rt) => rt.reverseContinue())),
  dap('gotoTargets', (s, args) => {
    const rt = s.stopped();
    const r = rt.program.resolveLine(args.source.path ?? '', s.lineToDebugger(args.line));
    if (!r.ok) throw new Error(r.message);
    // Where the line's code is now first: a copy of it a program made (overlays.ts).
    const targets = rt.program.placesNow(r.addresses).map((pa) => {
      const id = s.gotoTargets.size + 1;
      s.gotoTargets.set(id, pa);
      return { id, label: `line ${r.line + 1} (physical ${hex8(pa)})`, line: s.lineToClient(r.line), instructionPointerReference: hex8(rt.program.linkAddress(pa) ?? pa) };
    });
    return { targets };
  }),
  dap('goto', (s, args, reply) => {
    const rt = s.stopped();
    checkThread(rt, args.threadId);
    const pa = s.gotoTargets.get(args.targetId);
    if (pa === undefined) throw new Error(`no goto target ${args.targetId}`);
    const la = rt.program.linkAddress(pa);
    if (la === undefined || rt.machine.translate(la) !== pa) {
      throw new Error(`that line's code (physical ${hex8(pa)}) is not mapped at its address ${hex8(la ?? pa)} in the current address space`);
    }
    rt.machine.pc = la;
    rt.edited();
    reply.after(() => {
      rt.moving();
      rt.finish({ reason: 'goto', text: t('moved pc to {0}', hex8(la)) });
    });
  }),
];
