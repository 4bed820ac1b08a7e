/**
 * What the editor shows of a stopped machine: threads (the host CPU and each VM's vCPU), the
 * call stack across rings and modes, scopes and variables (and setting one), and the
 * exception the machine stopped on. The views (views/) build them; this maps them to DAP.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { hex8 } from '../engine/expressions';
import { words } from '../../language/l10n';
import { FrameBuilder, threads } from '../views/stackframes';
import { dap, type Route, type SessionCore } from './route';
import { edit } from './edits';
import { checkThread, frameOf, threadGone } from './threadIds';

/**
 * A container's children as asked: `filter` keeps the indexed ones (a list such as the TLB's
 * slots) or the named ones (everything else); `start` and `count` page through what is left,
 * for a client that said it pages (DAP ignores them otherwise).
 */
function page<T>(s: SessionCore, all: T[], indexed: boolean, args: DebugProtocol.VariablesArguments): T[] {
  const kept = args.filter === undefined || (args.filter === 'indexed') === indexed ? all : [];
  if (!s.client.variablePaging) return kept;
  const start = args.start ?? 0;
  return kept.slice(start, args.count ? start + args.count : undefined);
}

export const inspectionRequests: Route[] = [
  dap('threads', (s) => ({ threads: s.rt ? threads(s.rt.machine) : [{ id: 1, name: words.thread(0, false) }] })),
  dap('stackTrace', (s, args) => {
    const rt = s.stopped();
    // VS Code may ask for a VM's thread a step back has undone: it has no frames now. (A failed
    // stackTrace would not pop up either: VS Code shows it in the Call Stack view.)
    if (threadGone(s, rt, args.threadId)) return { stackFrames: [], totalFrames: 0 };
    const all = new FrameBuilder(rt.machine, rt.program).frames(args.threadId);
    const start = args.startFrame ?? 0;
    const slice = all.slice(start, args.levels ? start + args.levels : undefined);
    for (const f of slice) s.frames.set(f.id, f);
    return {
      totalFrames: all.length,
      stackFrames: slice.map((f) => {
        const sf: DebugProtocol.StackFrame = { id: f.id, name: f.name, line: 0, column: 0 };
        if (f.label) sf.presentationHint = 'label';
        else {
          sf.instructionPointerReference = hex8(f.pc);
          if (!f.live) sf.presentationHint = 'subtle';
        }
        if (f.file !== undefined && f.line !== undefined) {
          sf.source = rt.program.source(f.file);
          sf.line = s.lineToClient(f.line);
          sf.column = 1;
        }
        return sf;
      }),
    };
  }),
  dap('scopes', (s, args) => {
    s.stopped();
    const f = frameOf(s, args.frameId)!;
    s.focus = f;
    return { scopes: f.label ? [] : s.vars!.scopes(f).map((sc) => ({ name: sc.name, variablesReference: sc.ref, expensive: sc.expensive, presentationHint: sc.name === 'Registers' ? 'registers' : undefined })) };
  }),
  dap('variables', (s, args) => {
    s.stopped();
    return {
      variables: page(s, s.vars!.variables(args.variablesReference), s.vars!.indexed(args.variablesReference), args).map((v) => ({
        name: v.name,
        value: v.value,
        variablesReference: v.ref,
        evaluateName: v.evaluateName,
        memoryReference: v.memoryReference,
        indexedVariables: v.indexed,
        presentationHint: v.readOnly ? { attributes: ['readOnly'] } : undefined,
      })),
    };
  }),
  dap('setVariable', (s, args, reply) => {
    const rt = s.stopped();
    const vars = s.vars!;
    // A page-table entry or VMCS field is a word of memory: its bytes changed too.
    const pa = vars.physicalOf(args.variablesReference, args.name);
    const value = edit(s, rt, reply, () => vars.set(args.variablesReference, args.name, args.value), () => (pa === undefined ? undefined : { memoryReference: `phys:${hex8(pa)}`, offset: 0, count: 4 }));
    return { value };
  }),
  dap('exceptionInfo', (s, args) => {
    const rt = s.stopped();
    checkThread(rt, args.threadId);
    const e = rt.lastStop?.exception;
    if (!e) throw new Error('the machine did not stop on an exception');
    return { exceptionId: e.filter, description: e.text, breakMode: 'always', details: { message: e.text, typeName: e.label } };
  }),
];
