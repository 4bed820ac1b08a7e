/**
 * What the editor shows of a stopped machine: threads (the host CPU and each VM's vCPU), the
 * call stack across rings and modes, scopes and variables (and setting one), and the
 * exception the machine stopped on. The views (views/) build them; this maps them to DAP.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { hex8 } from '../engine/expressions';
import { words } from '../../language/l10n';
import { FrameBuilder, threads } from '../views/stackframes';
import { dap, type Route } from './route';

export const inspectionRequests: Route[] = [
  dap('threads', (s) => ({ threads: s.rt ? threads(s.rt.machine) : [{ id: 1, name: words.thread(0) }] })),
  dap('stackTrace', (s, args) => {
    const rt = s.stopped();
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
    const f = s.frames.get(args.frameId);
    if (!f) throw new Error(`no frame ${args.frameId} (frames expire when the machine moves)`);
    return { scopes: f.label ? [] : s.vars!.scopes(f).map((sc) => ({ name: sc.name, variablesReference: sc.ref, expensive: sc.expensive, presentationHint: sc.name === 'Registers' ? 'registers' : undefined })) };
  }),
  dap('variables', (s, args) => {
    s.stopped();
    return {
      variables: s.vars!.variables(args.variablesReference).map((v) => ({
        name: v.name,
        value: v.value,
        variablesReference: v.ref,
        evaluateName: v.evaluateName,
        memoryReference: v.memoryReference,
        presentationHint: v.readOnly ? { attributes: ['readOnly'] } : undefined,
      })),
    };
  }),
  dap('setVariable', (s, args) => {
    s.stopped();
    return { value: s.vars!.set(args.variablesReference, args.name, args.value) };
  }),
  dap('exceptionInfo', (s) => {
    const rt = s.stopped();
    const e = rt.lastStop?.exception;
    if (!e) throw new Error('the machine did not stop on an exception');
    return { exceptionId: e.filter, description: e.text, breakMode: 'always', details: { message: e.text, typeName: e.label } };
  }),
];
