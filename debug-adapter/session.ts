/**
 * The DAP session: a thin mapping from requests to the runtime and its
 * helpers, and from runtime notifications to events. No machine logic here.
 * Every request that cannot be served gets an error response that says why;
 * nothing a client or guest does makes the adapter exit.
 */
import { TransitionNames } from './transitionNames';
import { ContinuedEvent, DebugSession, ExitedEvent, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, ThreadEvent, Event } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { ConfigError, parseLaunchConfig } from './launchConfig';
import { AssemblyError, Program } from './program';
import { Runtime, StopInfo } from './runtime';
import { FrameBuilder, FrameInfo, threads, threadOfVm } from './stackframes';
import { Variables } from './variables';
import { evaluateText, formatValue, hex8 } from './expressions';
import { isCommand, runCommand } from './console';
import { disassembleRange } from './disassembly';
import { pageTables, timeTravelTarget, transitions, TransitionCounters, unwatch, watch } from './panels';
import { pageRows, pageView } from './pageRuns';
import { capabilities } from './capabilities';
import { setLocale, t } from '../language/l10n';
import { stopEventBody } from './stopEvent';
import { completions } from './completions';
import * as P from './protocol';
import { fromBase64, parseReference, readRange, toBase64, writeRange } from './memory';
import type { AdapterHost } from './host/host';
import * as bp from './breakpointRequests';
import { clockText } from './cycles';
import { checkArguments } from './requestSchemas';
import { ArgumentError, describe } from './validate';

type Req = DebugProtocol.Request;

/** Requests VS Code makes on its own to fill its views after a stop (see fail()). */
const VIEW_REQUESTS = new Set(['threads', 'stackTrace', 'scopes', 'variables', 'source', 'loadedSources', 'breakpointLocations', 'exceptionInfo']);

/**
 * Requests whose failure VS Code shows where it was asked: the Debug Console prints it under
 * the line typed, a watch shows it in its row. A notification on top would make a typo in the
 * console look like an error of the editor.
 */
const ANSWERED_IN_PLACE = new Set(['evaluate', 'completions']);

export class RingsideSession extends DebugSession {
  private rt: Runtime | undefined;
  private frames = new Map<number, FrameInfo>();
  private vars: Variables | undefined;
  private configured!: Promise<void>;
  private configDone: () => void = () => undefined;
  private gotoTargets = new Map<number, number>();
  private counters = new TransitionCounters();
  /** A client's Page Tables panel is open: stop events carry the page tables (PANELS). */
  private pushPageTables = false;

  constructor(private readonly host: AdapterHost) {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.configured = new Promise((r) => (this.configDone = r));
    // The library ends the process on any 'error' event, including a frame whose body is not
    // JSON: such a frame is reported and skipped; a broken stream still ends the session.
    this.removeAllListeners('error');
    this.on('error', (e: DebugProtocol.Event) => {
      const why = String(e.body ?? '');
      if (why.startsWith('Error handling data')) this.malformed(why.replace(/^Error handling data: /, 'it is not JSON: '));
      else this.shutdown();
    });
  }

  // ---------------------------------------------------------------- plumbing

  private fail(response: DebugProtocol.Response, message: string, shownByClient = false): void {
    // The message goes through a variable: '{' in it must not be taken for a placeholder.
    // Not shown to the user (VS Code would pop up an error notification that tells them
    // nothing): failures of the requests VS Code sends by itself to refresh its views, which
    // lose a race with the machine moving on (a frame of the previous stop), and any failure
    // once the program has ended (requests still in flight after Shift+F5).
    const showUser = !shownByClient && this.rt?.state !== 'ended' && !VIEW_REQUESTS.has(response.command) && !ANSWERED_IN_PLACE.has(response.command);
    this.sendErrorResponse(response, { id: 1, format: '{_message}', variables: { _message: message }, showUser });
  }

  /** Run a handler; any exception becomes an error response with its message. */
  private guard(response: DebugProtocol.Response, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.fail(response, e instanceof Error ? e.message : String(e));
    }
  }

  private runtime(): Runtime {
    if (!this.rt) throw new Error('no program is running: launch one first');
    if (this.rt.state === 'ended') throw new Error('the program has ended');
    return this.rt;
  }

  private stopped(): Runtime {
    const rt = this.runtime();
    if (rt.state === 'running') throw new Error('the machine is running: pause it first');
    return rt;
  }

  protected override dispatchRequest(request: Req): void {
    try {
      // Arguments are checked against the request's schema before any handler sees them.
      request.arguments = checkArguments(request.command, request.arguments);
      super.dispatchRequest(request);
    } catch (e) {
      const response: DebugProtocol.Response = { type: 'response', seq: 0, request_seq: request.seq, command: request.command, success: false };
      this.fail(response, e instanceof ArgumentError ? `${request.command}: ${e.message}` : (e as Error).message);
    }
  }

  /**
   * A message that is not a DAP request, response or event (null, a number, a request without
   * a command) is answered with an error when it names a request, and logged in any case: it
   * never ends the session (the library would take it for a broken stream and exit).
   */
  override handleMessage(msg: DebugProtocol.ProtocolMessage): void {
    const m = msg as unknown as Record<string, unknown> | null;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) return this.malformed(`a message must be a JSON object, not ${describe(m)}`);
    if (m.type === 'request') {
      if (typeof m.command !== 'string' || m.command === '' || typeof m.seq !== 'number') {
        const seq = typeof m.seq === 'number' ? m.seq : 0;
        const command = typeof m.command === 'string' ? m.command : '';
        this.malformed(`a request needs a "command" (a string) and a "seq" (a number); got command ${describe(m.command)}, seq ${describe(m.seq)}`);
        if (seq) this.fail({ type: 'response', seq: 0, request_seq: seq, command, success: false }, `malformed request: it needs a "command" (a string) and a "seq" (a number)`);
        return;
      }
    } else if (m.type !== 'response' && m.type !== 'event') {
      return this.malformed(`a message's "type" must be "request", "response" or "event", not ${describe(m.type)}`);
    }
    super.handleMessage(msg);
  }

  /** Malformed frames are also logged on stderr (off for a session run inside another program, such as the tests). */
  logToStderr = true;

  private malformed(why: string): void {
    const text = `ringside debug adapter: ignored a malformed message: ${why}\n`;
    if (this.logToStderr) process.stderr.write(text);
    this.sendEvent(new OutputEvent(text, 'stderr'));
  }

  // ---------------------------------------------------------------- lifecycle

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    // The editor's display language (VS Code sends it): every message after this is in it.
    setLocale(typeof args?.locale === 'string' ? args.locale : undefined);
    response.body = capabilities();
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    try {
      if (this.rt) throw new Error('this session already runs a program');
      const host = this.host;
      const cfg = parseLaunchConfig((args ?? {}) as Record<string, unknown>, host.cwd());
      const file = host.paths.resolve(cfg.cwd, cfg.program);
      const text = await host.readFile(file).catch((e: Error) => {
        throw new Error(`cannot read program ${file}: ${e.message}`);
      });
      const program = await Program.load(file, text, cfg.cwd, host);
      if (program.warnings.length) this.sendEvent(new OutputEvent(program.warnings.join('\n') + '\n', 'console'));
      // Includes may reach outside the workspace (the workspace is trusted to debug at all): say which.
      const given = (args as { __workspaceFolder?: unknown }).__workspaceFolder;
      const folder = typeof given === 'string' ? given : cfg.cwd;
      const outside = program.filesOutside(folder);
      if (outside.length) this.sendEvent(new OutputEvent(`note: the program reads files outside the workspace folder ${folder}:\n${outside.map((f) => `  ${f}`).join('\n')}\n`, 'console'));
      const noDebug = (args as { noDebug?: unknown }).noDebug === true;
      this.rt = new Runtime(program, { memory: cfg.memory, tlbEntries: cfg.tlbEntries, stdin: cfg.stdin, history: cfg.history, costs: cfg.costs, jit: cfg.jit, noDebug, later: host.later }, {
        stopped: (info) => this.onStopped(info),
        output: (text, category) => this.sendEvent(new OutputEvent(text, category)),
        terminated: (message, exitCode) => {
          this.sendEvent(new OutputEvent(message + '\n', 'console'));
          if (exitCode !== undefined) this.sendEvent(new ExitedEvent(exitCode));
          this.sendEvent(new TerminatedEvent());
        },
        vmSeen: (id) => this.sendEvent(new ThreadEvent('started', threadOfVm(id))),
      });
      const rt = this.rt;
      this.vars = new Variables(rt.machine, rt.env, () => rt.edited(), () => TransitionNames.read(rt.machine, rt.program.transitionNames));
      this.sendEvent(new InitializedEvent());
      await this.configured;
      this.sendResponse(response);
      this.rt.start(cfg.stopOnEntry && !noDebug, cfg.stopAtInstruction !== undefined && !noDebug ? { icount: cfg.stopAtInstruction, text: cfg.stopAtMessage } : undefined);
    } catch (e) {
      const msg = e instanceof ConfigError || e instanceof AssemblyError ? e.message : `launch failed: ${(e as Error).message}`;
      // Ringside's extension shows assembler errors itself (in the Problems view, and a dialog
      // that opens the first one): the editor's own dialog would repeat them.
      const presented = e instanceof AssemblyError && (args as { __ringsidePresentsErrors?: unknown }).__ringsidePresentsErrors === true;
      this.fail(response, msg, presented);
    }
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configDone();
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.rt?.dispose();
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.rt?.dispose();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  private onStopped(info: StopInfo): void {
    const rt = this.rt!;
    const m = rt.machine;
    this.frames.clear();
    this.vars?.reset();
    const threadId = threadOfVm(m.currentVm);
    const body = stopEventBody(rt, info, this.pushPageTables);
    // Ringside's own event first: the extension posts it to the panels as it passes, so the
    // panels' update travels ahead of the editor's requests for the standard `stopped` below.
    this.sendEvent(new Event(P.STOPPED_EVENT, body));
    const ev = new StoppedEvent(info.reason, threadId) as DebugProtocol.StoppedEvent;
    ev.body.description = info.text;
    ev.body.text = info.text;
    ev.body.allThreadsStopped = true;
    if (info.hitBreakpointIds?.length) ev.body.hitBreakpointIds = info.hitBreakpointIds;
    this.sendEvent(ev);
  }

  // ---------------------------------------------------------------- breakpoints

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.guard(response, () => {
      response.body = { breakpoints: bp.lineBreakpoints(this.rt, args, this.lines()) };
      this.sendResponse(response);
    });
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    this.guard(response, () => {
      response.body = { breakpoints: bp.breakpointLocations(this.runtime(), args, this.lines()) };
      this.sendResponse(response);
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.guard(response, () => {
      response.body = { breakpoints: bp.functionBreakpoints(this.runtime(), args, this.lines()) };
      this.sendResponse(response);
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.guard(response, () => {
      response.body = { breakpoints: bp.instructionBreakpoints(this.runtime(), args, this.lines()) };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.guard(response, () => {
      response.body = { breakpoints: bp.exceptionFilters(this.runtime(), args) };
      this.sendResponse(response);
    });
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.guard(response, () => {
      const rt = this.runtime();
      if (args.variablesReference) this.stopped();
      response.body = bp.dataBreakpointInfo(rt, this.vars!, args);
      this.sendResponse(response);
    });
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.guard(response, () => {
      response.body = { breakpoints: bp.dataBreakpoints(this.runtime(), args) };
      this.sendResponse(response);
    });
  }

  /** Line numbers: the client's (1-based unless it says otherwise) and ours (0-based). */
  private lines(): bp.Lines {
    return { toClient: (l) => this.convertDebuggerLineToClient(l), toDebugger: (l) => this.convertClientLineToDebugger(l) };
  }

  // ---------------------------------------------------------------- execution

  private forward(response: DebugProtocol.Response, kind: 'continue' | 'next' | 'stepIn' | 'stepOut'): void {
    this.guard(response, () => {
      const rt = this.stopped();
      const plan = rt.dead ? rt.plan('continue') : rt.plan(kind);
      if (kind === 'continue') (response as DebugProtocol.ContinueResponse).body = { allThreadsContinued: true };
      // No `continued` event: the client knows these requests resume (DAP says an adapter is
      // not expected to send one), and VS Code would redo its continue handling for it.
      this.sendResponse(response);
      rt.resume(plan);
    });
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.forward(response, 'continue');
  }
  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.forward(response, 'next');
  }
  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.forward(response, 'stepIn');
  }
  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.forward(response, 'stepOut');
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.guard(response, () => {
      this.runtime().pause();
      this.sendResponse(response);
    });
  }

  private backward(response: DebugProtocol.Response, op: (rt: Runtime) => void): void {
    this.guard(response, () => {
      const rt = this.stopped();
      if (!rt.history.enabled) throw new Error('step back is off: the launch configuration sets "history": 0');
      this.sendResponse(response);
      try {
        op(rt);
      } catch (e) {
        this.sendEvent(new OutputEvent(`${(e as Error).message}\n`, 'stderr'));
        rt.finish({ reason: 'step', text: (e as Error).message });
      }
    });
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.backward(response, (rt) => rt.stepBack(args.granularity === 'instruction'));
  }
  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.backward(response, (rt) => rt.reverseContinue());
  }

  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    this.guard(response, () => {
      const rt = this.stopped();
      const r = rt.program.resolveLine(args.source.path ?? '', this.convertClientLineToDebugger(args.line));
      if (!r.ok) throw new Error(r.message);
      const targets = r.addresses.map((pa) => {
        const id = this.gotoTargets.size + 1;
        this.gotoTargets.set(id, pa);
        return { id, label: `line ${r.line + 1} (physical ${hex8(pa)})`, line: this.convertDebuggerLineToClient(r.line), instructionPointerReference: hex8(rt.program.asm.sourceMap.linkAddress(pa) ?? pa) };
      });
      response.body = { targets };
      this.sendResponse(response);
    });
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    this.guard(response, () => {
      const rt = this.stopped();
      const pa = this.gotoTargets.get(args.targetId);
      if (pa === undefined) throw new Error(`no goto target ${args.targetId}`);
      const la = rt.program.asm.sourceMap.linkAddress(pa);
      if (la === undefined || rt.machine.translate(la) !== pa) {
        throw new Error(`that line's code (physical ${hex8(pa)}) is not mapped at its address ${hex8(la ?? pa)} in the current address space`);
      }
      rt.machine.pc = la;
      rt.edited();
      this.sendResponse(response);
      rt.finish({ reason: 'goto', text: t('moved pc to {0}', hex8(la)) });
    });
  }

  // ---------------------------------------------------------------- state

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: this.rt ? threads(this.rt.machine) : [{ id: 1, name: 'host' }] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.guard(response, () => {
      const rt = this.stopped();
      const all = new FrameBuilder(rt.machine, rt.program).frames(args.threadId);
      const start = args.startFrame ?? 0;
      const slice = all.slice(start, args.levels ? start + args.levels : undefined);
      for (const f of slice) this.frames.set(f.id, f);
      response.body = {
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
            sf.line = this.convertDebuggerLineToClient(f.line);
            sf.column = 1;
          }
          return sf;
        }),
      };
      this.sendResponse(response);
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.guard(response, () => {
      this.stopped();
      const f = this.frames.get(args.frameId);
      if (!f) throw new Error(`no frame ${args.frameId} (frames expire when the machine moves)`);
      response.body = { scopes: f.label ? [] : this.vars!.scopes(f).map((s) => ({ name: s.name, variablesReference: s.ref, expensive: s.expensive, presentationHint: s.name === 'Registers' ? 'registers' : undefined })) };
      this.sendResponse(response);
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.guard(response, () => {
      this.stopped();
      response.body = {
        variables: this.vars!.variables(args.variablesReference).map((v) => ({
          name: v.name,
          value: v.value,
          variablesReference: v.ref,
          evaluateName: v.evaluateName,
          memoryReference: v.memoryReference,
          presentationHint: v.readOnly ? { attributes: ['readOnly'] } : undefined,
        })),
      };
      this.sendResponse(response);
    });
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.guard(response, () => {
      this.stopped();
      response.body = { value: this.vars!.set(args.variablesReference, args.name, args.value) };
      this.sendResponse(response);
    });
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    this.guard(response, () => {
      const rt = this.runtime();
      const items = completions(rt.machine, rt.program, args.text ?? '', this.convertClientColumnToDebugger(args.column));
      for (const i of items) if (i.start !== undefined) i.start = this.convertDebuggerColumnToClient(i.start);
      response.body = { targets: items };
      this.sendResponse(response);
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.guard(response, () => {
      const rt = this.runtime();
      const text = args.expression;
      if (args.context === 'repl' && /^\s*help\s*$/.test(text)) {
        response.body = { result: runCommand(rt, text), variablesReference: 0 };
        return this.sendResponse(response);
      }
      if (args.context === 'repl' && rt.state === 'running' && !/^\s*(info|va2pa|x[/\s])/.test(text)) {
        // While the guest runs, what is typed goes to its console.
        const s = /^\s*input\b/.test(text) ? runCommand(rt, text) : (rt.input(text + '\n'), t("sent {0} to the guest's console", JSON.stringify(text + '\n')));
        response.body = { result: s, variablesReference: 0 };
        return this.sendResponse(response);
      }
      this.stopped();
      if (args.context === 'repl' && isCommand(text)) {
        response.body = { result: runCommand(rt, text), variablesReference: 0 };
        return this.sendResponse(response);
      }
      const v = evaluateText(text, rt.env);
      response.body = { result: formatValue(v.value), variablesReference: 0, memoryReference: v.physical ? `phys:${hex8(v.value)}` : hex8(v.value) };
      this.sendResponse(response);
    });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    this.guard(response, () => {
      const rt = this.stopped();
      const e = rt.lastStop?.exception;
      if (!e) throw new Error('the machine did not stop on an exception');
      response.body = { exceptionId: e.filter, description: e.text, breakMode: 'always', details: { message: e.text, typeName: e.label } };
      this.sendResponse(response);
    });
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.guard(response, () => {
      const rt = this.stopped();
      const ref = parseReference(args.memoryReference);
      const r = readRange(rt.machine, ref.address + (args.offset ?? 0), ref.physical, Math.max(0, Math.min(args.count, 1 << 20)));
      response.body = { address: (ref.physical ? 'phys:' : '') + hex8(r.address), data: toBase64(r.data), unreadableBytes: r.unreadable };
      this.sendResponse(response);
    });
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.guard(response, () => {
      const rt = this.stopped();
      const ref = parseReference(args.memoryReference);
      const address = ref.address + (args.offset ?? 0);
      const n = writeRange(rt.machine, address, ref.physical, fromBase64(args.data));
      if (n > 0) rt.edited();
      response.body = { bytesWritten: n, offset: args.offset };
      this.sendResponse(response);
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.guard(response, () => {
      const rt = this.stopped();
      const ref = parseReference(args.memoryReference);
      if (ref.physical) throw new Error('disassembly reads virtual addresses (as the pc sees them)');
      const list = disassembleRange(rt.machine, rt.program, ref.address + (args.offset ?? 0), args.instructionOffset ?? 0, Math.min(args.instructionCount, 10_000));
      let lastFile: string | undefined;
      response.body = {
        instructions: list.map((d) => {
          const ins: DebugProtocol.DisassembledInstruction = { address: hex8(d.address), instructionBytes: d.bytes, instruction: d.text };
          if (d.symbol && args.resolveSymbols !== false) ins.symbol = d.symbol;
          if (d.invalid) ins.presentationHint = 'invalid';
          if (d.file !== undefined && d.line !== undefined) {
            if (d.file !== lastFile) ins.location = rt.program.source(d.file);
            lastFile = d.file;
            ins.line = this.convertDebuggerLineToClient(d.line);
          }
          return ins;
        }),
      };
      this.sendResponse(response);
    });
  }

  // ---------------------------------------------------------------- panels

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.guard(response, () => {
      switch (command) {
        case P.PAGE_TABLES:
          response.body = pageTables(this.stopped().machine, (args ?? {}) as P.PageTablesArguments, this.stopped().program.guestPaging);
          return this.sendResponse(response);
        case P.PAGE_VIEW:
          response.body = pageView(this.stopped().machine, (args ?? {}) as P.PageViewArguments, this.stopped().program.guestPaging);
          return this.sendResponse(response);
        case P.PAGE_ROWS:
          response.body = pageRows(this.stopped().machine, (args ?? {}) as P.PageRowsArguments);
          return this.sendResponse(response);
        case P.TRANSITIONS: {
          const rt = this.stopped();
          response.body = transitions(rt.machine, rt.program, this.counters, (args ?? {}) as P.TransitionsArguments);
          return this.sendResponse(response);
        }
        case P.PANELS:
          this.pushPageTables = (args as P.PanelsArguments | undefined)?.pageTables === true;
          return this.sendResponse(response);
        case P.WATCH:
          response.body = watch(this.runtime(), (args ?? {}) as P.WatchArguments);
          return this.sendResponse(response);
        case P.UNWATCH:
          unwatch(this.runtime(), (args ?? {}) as P.UnwatchArguments);
          return this.sendResponse(response);
        case P.TIME_TRAVEL: {
          const rt = this.stopped();
          const n = timeTravelTarget(rt, args as P.TimeTravelArguments | undefined);
          if (n < rt.machine.icount) {
            // A custom request, so VS Code does not know the machine moved: without `continued`
            // it keeps the previous stop's reason in the Call Stack's header (it keeps stop
            // details until a thread continues) and shows that over the new stop.
            this.sendEvent(new ContinuedEvent(threadOfVm(rt.machine.currentVm), true));
            rt.seekQuietly(n);
            response.body = { icount: rt.machine.icount, pc: rt.machine.pc } satisfies P.TimeTravelResponseBody;
            this.sendResponse(response);
            return rt.finish({ reason: 'goto', text: t('went back to {0}', clockText(rt.machine)) });
          }
          response.body = { icount: n, pc: rt.machine.pc } satisfies P.TimeTravelResponseBody;
          this.sendResponse(response);
          this.sendEvent(new ContinuedEvent(threadOfVm(rt.machine.currentVm), true));
          return rt.travelForward(n);
        }
        default:
          throw new Error(`unknown request '${command}'`);
      }
    });
  }
}
