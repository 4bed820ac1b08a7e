/**
 * The Debug Console and watches: evaluate (an expression, a console command, or while the
 * guest runs a line for its console) and completions.
 */
import { evaluateText, formatValue, hex8 } from '../engine/expressions';
import { t } from '../../language/l10n';
import { completions } from '../views/completions';
import { isTopFrame, runsNow, vmOfThread } from '../views/stackframes';
import { machineEnv } from '../engine/machineEnv';
import { sleepingEnv } from '../engine/sleepingEnv';
import { isCommand, runCommand } from '../views/console';
import { dap, type Route } from './route';
import { frameOf } from './threadIds';

export const consoleRequests: Route[] = [
  dap('completions', (s, args) => {
    const rt = s.runtime();
    const items = completions(rt.machine, rt.program, args.text ?? '', s.columnToDebugger(args.column));
    for (const i of items) if (i.start !== undefined) i.start = s.columnToClient(i.start);
    return { targets: items };
  }),
  dap('evaluate', (s, args) => {
    const rt = s.runtime();
    const text = args.expression;
    if (args.context === 'repl' && /^\s*help\s*$/.test(text)) return { result: runCommand(rt, text), variablesReference: 0 };
    if (args.context === 'repl' && rt.state === 'running' && !/^\s*(info|va2pa|x[/\s])/.test(text)) {
      // While the guest runs, what is typed goes to its console.
      const said = /^\s*input\b/.test(text) ? runCommand(rt, text) : (rt.input(text + '\n'), t("sent {0} to the guest's console", JSON.stringify(text + '\n')));
      return { result: said, variablesReference: 0 };
    }
    s.stopped();
    // Seen from an outer frame of the running code: its pc, and local labels in its function.
    const f = frameOf(s, args.frameId);
    // A frame whose code does not run now (another thread's, or a VM's below the exit the hypervisor
    // handles): its VMCS-saved state and its own address space.
    const env = f && !f.label && !runsNow(rt.machine, f) ? sleepingEnv(rt.machine, rt.program, { ...f, space: f.space ?? vmOfThread(f.threadId) }) : f && !f.label && !isTopFrame(f) ? machineEnv(rt.machine, rt.program, f) : rt.env;
    // Commands too (x/i disassembles in the frame's own address space, as the Disassembly view does).
    if (args.context === 'repl' && isCommand(text)) return { result: runCommand(rt, text, { env, tr: f?.tr }), variablesReference: 0 };
    const v = evaluateText(text, env);
    return { result: formatValue(v.value), variablesReference: 0, memoryReference: v.physical ? `phys:${hex8(v.value)}` : hex8(v.value) };
  }),
];
