/**
 * The session's life: launch (check the configuration, assemble, start the runtime once the
 * client is configured), configurationDone, disconnect and terminate; and the events the
 * runtime's notifications become (stops, output, the end, a VM seen for the first time).
 */
import { ContinuedEvent, ExitedEvent, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, ThreadEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { AsmDiagnostic } from '../../language/asmTypes';
import { AssemblyError, Program } from '../engine/program';
import { Runtime, type StopInfo } from '../engine/runtime';
import { TransitionNames } from '../engine/transitionNames';
import { STOPPED_EVENT, type LaunchDiagnostic, type LaunchErrorBody } from '../protocol';
import { threadOfVm, threads } from '../views/stackframes';
import { Variables } from '../views/variables';
import { ConfigError, parseLaunchConfig } from './launchConfig';
import { dap, RequestFailure, sendCustomEvent, type Route, type SessionCore } from './route';
import { stopEventBody } from './stopEvent';
import { t } from '../../language/l10n';

async function launch(s: SessionCore, args: DebugProtocol.LaunchRequestArguments, after: (fn: () => void) => void): Promise<void> {
  if (s.rt) throw new Error('this session already runs a program');
  const host = s.host;
  const cfg = parseLaunchConfig((args ?? {}) as Record<string, unknown>, host.cwd());
  const file = host.paths.resolve(cfg.cwd, cfg.program);
  const text = await host.readFile(file).catch((e: Error) => {
    throw new Error(`cannot read program ${file}: ${e.message}`);
  });
  const program = await Program.load(file, text, cfg.cwd, host);
  if (program.warnings.length) s.sendEvent(new OutputEvent(program.warnings.join('\n') + '\n', 'console'));
  // Includes may reach outside the workspace (the workspace is trusted to debug at all): say which.
  const given = (args as { __workspaceFolder?: unknown }).__workspaceFolder;
  const folder = typeof given === 'string' ? given : cfg.cwd;
  const outside = program.filesOutside(folder);
  if (outside.length) s.sendEvent(new OutputEvent(`note: the program reads files outside the workspace folder ${folder}:\n${outside.map((f) => `  ${f}`).join('\n')}\n`, 'console'));
  const noDebug = (args as { noDebug?: unknown }).noDebug === true;
  const stopAt = noDebug ? undefined : cfg.stopAtInstruction;
  // The two ask for different first stops: the check's instruction wins (Debug Test sets it).
  if (stopAt !== undefined && cfg.stopOnEntry) s.sendEvent(new OutputEvent(t('note: stopOnEntry is ignored: stopAtInstruction is set, so the run stops after {0} instructions instead', stopAt) + '\n', 'console'));
  const rt = new Runtime(program, { memory: cfg.memory, tlbEntries: cfg.tlbEntries, stdin: cfg.stdin, history: cfg.history, costs: cfg.costs, jit: cfg.jit, noDebug, later: host.later }, {
    // Every move, whichever request (or panel) caused it: clients track "running" from events.
    continued: () => s.sendEvent(new ContinuedEvent(threadOfVm(rt.machine.currentVm), true)),
    stopped: (info) => stopped(s, rt, info),
    output: (text, category) => s.sendEvent(new OutputEvent(text, category)),
    terminated: (message, exitCode) => {
      s.sendEvent(new OutputEvent(message + '\n', 'console'));
      if (stopAt !== undefined && !rt.lastStop && rt.machine.icount < stopAt) s.sendEvent(new OutputEvent(t('note: the run ended after {0} instructions, before stopAtInstruction {1}: there was nothing to stop at', rt.machine.icount, stopAt) + '\n', 'console'));
      if (exitCode !== undefined) s.sendEvent(new ExitedEvent(exitCode));
      s.sendEvent(new TerminatedEvent());
    },
    vmSeen: (id) => {
      s.knownThreads.add(threadOfVm(id));
      if (!s.liveThreads.has(threadOfVm(id))) {
        s.liveThreads.add(threadOfVm(id));
        s.sendEvent(new ThreadEvent('started', threadOfVm(id)));
      }
    },
  });
  s.rt = rt;
  s.vars = new Variables(rt.machine, rt.env, () => rt.edited(), () => TransitionNames.read(rt.machine, rt.program.transitionNames));
  s.sendEvent(new InitializedEvent());
  await s.configured;
  after(() => rt.start(cfg.stopOnEntry && !noDebug, stopAt !== undefined ? { icount: stopAt, text: cfg.stopAtMessage } : undefined));
}

/** The threads now against those the client was told of: a step back before a VM's first entry ends its thread, going forward again starts it. */
function syncThreads(s: SessionCore, rt: Runtime): void {
  const now = new Set(threads(rt.machine).map((th) => th.id));
  for (const id of [...s.liveThreads]) {
    if (now.has(id)) continue;
    s.liveThreads.delete(id);
    s.sendEvent(new ThreadEvent('exited', id));
  }
  for (const id of now) {
    if (s.liveThreads.has(id)) continue;
    s.liveThreads.add(id);
    s.knownThreads.add(id);
    s.sendEvent(new ThreadEvent('started', id));
  }
}

function stopped(s: SessionCore, rt: Runtime, info: StopInfo): void {
  const m = rt.machine;
  syncThreads(s, rt);
  s.frames.clear();
  s.focus = undefined;
  s.vars?.reset();
  const body = stopEventBody(rt, info, s.pushPageTables);
  // Ringside's own event first: the extension posts it to the panels as it passes, so the
  // panels' update travels ahead of the editor's requests for the standard `stopped` below.
  sendCustomEvent(s, STOPPED_EVENT, body);
  const ev = new StoppedEvent(info.reason, threadOfVm(m.currentVm)) as DebugProtocol.StoppedEvent;
  ev.body.description = info.text;
  ev.body.text = info.text;
  ev.body.allThreadsStopped = true;
  if (info.hitBreakpointIds?.length) ev.body.hitBreakpointIds = info.hitBreakpointIds;
  s.sendEvent(ev);
}

/** An assembler diagnostic as the launch's error response carries it (0-based, as the assembler counts). */
function launchDiagnostic(d: AsmDiagnostic): LaunchDiagnostic {
  const severity = d.severity === 'info' ? 'note' : d.severity;
  return { file: d.file, line: d.line, column: d.col, endLine: d.endLine, endColumn: d.endCol, severity, message: d.message };
}

export const lifecycleRequests: Route[] = [
  dap('launch', async (s, args, reply) => {
    try {
      await launch(s, args, reply.after);
    } catch (e) {
      const msg = e instanceof ConfigError || e instanceof AssemblyError ? e.message : `launch failed: ${(e as Error).message}`;
      // Ringside's extension shows assembler errors itself (in the Problems view, and a dialog
      // that opens the first one): the editor's own dialog would repeat them.
      if (!(e instanceof AssemblyError)) throw new Error(msg);
      const presented = (args as { __ringsidePresentsErrors?: unknown }).__ringsidePresentsErrors === true;
      const body: LaunchErrorBody = { diagnostics: e.errors.map(launchDiagnostic) };
      throw new RequestFailure(msg, presented, body);
    }
    return undefined;
  }),
  // The launch waiting for it goes on after this response (it resumes in a later microtask).
  dap('configurationDone', (s) => s.configurationDone()),
  // DAP: disconnect ends the debuggee, then the adapter itself.
  dap('disconnect', (s, _args, reply) => {
    s.rt?.dispose();
    reply.after(() => s.shutdown());
    return undefined;
  }),
  dap('terminate', (s, _args, reply) => {
    s.rt?.dispose();
    reply.after(() => s.sendEvent(new TerminatedEvent()));
    return undefined;
  }),
];
