/**
 * The DAP session: a thin mapping from requests to the runtime and its
 * helpers, and from runtime notifications to events. No machine logic here.
 * Every request that cannot be served gets an error response that says why;
 * nothing a client or guest does makes the adapter exit.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ContinuedEvent, DebugSession, ExitedEvent, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, ThreadEvent, Event } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { ConfigError, parseLaunchConfig } from './launchConfig';
import { AssemblyError, pathKey, Program } from './program';
import { Runtime, StopInfo } from './runtime';
import { FILTERS, FilterId, parseFilterCondition } from './exceptions';
import { CodeBreakpoint, DataBreakpoint, parseCondition, parseHitCondition } from './breakpoints';
import { FrameBuilder, FrameInfo, threads, threadOfVm } from './stackframes';
import { Variables } from './variables';
import { evaluateText, formatValue, hex8 } from './expressions';
import { isCommand, runCommand } from './console';
import { disassembleRange } from './disassembly';
import { pcPhysical } from './machineEnv';
import { pageTables, transitions, TransitionCounters } from './panels';
import * as P from './protocol';
import { readRange, writeRange } from './memory';

type Req = DebugProtocol.Request;

export class RingsideSession extends DebugSession {
  private rt: Runtime | undefined;
  private frames = new Map<number, FrameInfo>();
  private vars: Variables | undefined;
  private configured!: Promise<void>;
  private configDone: () => void = () => undefined;
  private gotoTargets = new Map<number, number>();
  private counters = new TransitionCounters();

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.configured = new Promise((r) => (this.configDone = r));
  }

  // ---------------------------------------------------------------- plumbing

  private fail(response: DebugProtocol.Response, message: string): void {
    // The message goes through a variable: '{' in it must not be taken for a placeholder.
    this.sendErrorResponse(response, { id: 1, format: '{_message}', variables: { _message: message }, showUser: true });
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
      super.dispatchRequest(request);
    } catch (e) {
      const response: DebugProtocol.Response = { type: 'response', seq: 0, request_seq: request.seq, command: request.command, success: false };
      this.fail(response, (e as Error).message);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsInstructionBreakpoints: true,
      supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true,
      supportsBreakpointLocationsRequest: true,
      breakpointModes: [
        { mode: 'virtual', label: 'Virtual address', description: 'Watch the address in whichever address space runs', appliesTo: ['data'] },
        { mode: 'physical', label: 'Physical address', description: 'Watch the physical word, whatever maps it', appliesTo: ['data'] },
      ],
      exceptionBreakpointFilters: FILTERS.map((f) => ({ filter: f.id, label: f.label, description: f.description, default: f.default, supportsCondition: true, conditionDescription: f.conditionDescription })),
      supportsExceptionFilterOptions: true,
      supportsExceptionInfoRequest: true,
      supportsStepBack: true,
      supportsSteppingGranularity: true,
      supportsSetVariable: true,
      supportsEvaluateForHovers: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsGotoTargetsRequest: true,
      supportsTerminateRequest: true,
      supportsValueFormattingOptions: false,
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    try {
      if (this.rt) throw new Error('this session already runs a program');
      const cfg = parseLaunchConfig((args ?? {}) as Record<string, unknown>, process.cwd());
      const file = path.resolve(cfg.cwd, cfg.program);
      try {
        fs.accessSync(file, fs.constants.R_OK);
        if (fs.statSync(file).isDirectory()) throw new Error('it is a directory');
      } catch (e) {
        throw new Error(`cannot read program ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
      const program = Program.load(file, cfg.cwd);
      this.rt = new Runtime(program, { memory: cfg.memory, tlbEntries: cfg.tlbEntries, stdin: cfg.stdin, history: cfg.history }, {
        stopped: (info) => this.onStopped(info),
        output: (text, category) => this.sendEvent(new OutputEvent(text, category)),
        terminated: (message, exitCode) => {
          this.sendEvent(new OutputEvent(message + '\n', 'console'));
          if (exitCode !== undefined) this.sendEvent(new ExitedEvent(exitCode));
          this.sendEvent(new TerminatedEvent());
        },
        vmSeen: (id) => this.sendEvent(new ThreadEvent('started', threadOfVm(id))),
      });
      this.vars = new Variables(this.rt.machine, this.rt.env, () => this.rt!.edited());
      this.sendEvent(new InitializedEvent());
      await this.configured;
      this.sendResponse(response);
      this.rt.start(cfg.stopOnEntry);
    } catch (e) {
      const msg = e instanceof ConfigError || e instanceof AssemblyError ? e.message : `launch failed: ${(e as Error).message}`;
      this.fail(response, msg);
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
    const ev = new StoppedEvent(info.reason, threadId) as DebugProtocol.StoppedEvent;
    ev.body.description = info.text;
    ev.body.text = info.text;
    ev.body.allThreadsStopped = true;
    if (info.hitBreakpointIds?.length) ev.body.hitBreakpointIds = info.hitBreakpointIds;
    this.sendEvent(ev);
    const body: P.StoppedEventBody = {
      reason: info.reason,
      text: info.text,
      threadId,
      icount: m.icount,
      pc: m.pc,
      pa: pcPhysical(m),
      cpl: m.cpl,
      vm: m.currentVm,
      transitions: m.eventCount,
      historyStart: rt.history.start,
      historyEnd: Math.max(m.icount, rt.history.newest),
      historyBytes: rt.history.bytes,
    };
    this.sendEvent(new Event(P.STOPPED_EVENT, body));
  }

  // ---------------------------------------------------------------- breakpoints

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.guard(response, () => {
      const file = args.source.path ?? args.source.name ?? '';
      const wanted: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
      const rt = this.rt;
      const out: DebugProtocol.Breakpoint[] = [];
      const armed: CodeBreakpoint[] = [];
      for (const b of wanted) {
        const id = rt?.breakpoints.newId() ?? 0;
        const line0 = this.convertClientLineToDebugger(b.line);
        if (!rt) {
          out.push({ id, verified: false, line: b.line, message: 'the program is not assembled yet', reason: 'pending' });
          continue;
        }
        const r = rt.program.resolveLine(file, line0);
        if (!r.ok) {
          out.push({ id, verified: false, line: b.line, source: args.source, message: r.message, reason: 'failed' });
          continue;
        }
        try {
          const bp: CodeBreakpoint = { id, kind: 'line', pas: r.addresses, hits: 0, condition: parseCondition(b.condition), logMessage: b.logMessage };
          if (b.hitCondition) bp.hitCondition = parseHitCondition(b.hitCondition);
          armed.push(bp);
          out.push({ id, verified: true, line: this.convertDebuggerLineToClient(r.line), source: args.source, message: r.moved ? `moved to line ${r.line + 1}: line ${line0 + 1} has no instruction` : undefined });
        } catch (e) {
          out.push({ id, verified: false, line: b.line, source: args.source, message: (e as Error).message, reason: 'failed' });
        }
      }
      rt?.breakpoints.setLine(pathKey(file), armed);
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    this.guard(response, () => {
      const rt = this.runtime();
      const from = this.convertClientLineToDebugger(args.line);
      const to = this.convertClientLineToDebugger(args.endLine ?? args.line);
      const lines = rt.program.codeLines(args.source.path ?? '').filter((l) => l >= from && l <= to);
      response.body = { breakpoints: lines.map((l) => ({ line: this.convertDebuggerLineToClient(l) })) };
      this.sendResponse(response);
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.guard(response, () => {
      const rt = this.runtime();
      const out: DebugProtocol.Breakpoint[] = [];
      const armed: CodeBreakpoint[] = [];
      for (const b of args.breakpoints) {
        const id = rt.breakpoints.newId();
        const s = rt.program.symbol(b.name.trim());
        if (!s || s.kind !== 'label' || s.load === undefined) {
          out.push({ id, verified: false, message: s ? `${b.name} is a constant (.equ), not a label` : `no label named '${b.name}'`, reason: 'failed' });
          continue;
        }
        try {
          const bp: CodeBreakpoint = { id, kind: 'function', pas: [s.load], hits: 0, condition: parseCondition(b.condition) };
          if (b.hitCondition) bp.hitCondition = parseHitCondition(b.hitCondition);
          armed.push(bp);
          const loc = rt.program.location(s.load);
          out.push({ id, verified: true, line: loc ? this.convertDebuggerLineToClient(loc.line) : undefined, source: loc ? { name: path.basename(loc.file), path: loc.file } : undefined, instructionReference: hex8(s.value) });
        } catch (e) {
          out.push({ id, verified: false, message: (e as Error).message, reason: 'failed' });
        }
      }
      rt.breakpoints.setFunction(armed);
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.guard(response, () => {
      const rt = this.runtime();
      const out: DebugProtocol.Breakpoint[] = [];
      const armed: CodeBreakpoint[] = [];
      for (const b of args.breakpoints) {
        const id = rt.breakpoints.newId();
        try {
          const ref = parseReference(b.instructionReference);
          const addr = (ref.address + (b.offset ?? 0)) >>> 0;
          const pa = ref.physical ? addr : rt.machine.translate(addr);
          if (pa < 0 || pa >= rt.machine.memorySize) throw new Error(`${hex8(addr)} is not mapped in the current address space`);
          const bp: CodeBreakpoint = { id, kind: 'instruction', pas: [pa], hits: 0, condition: parseCondition(b.condition) };
          if (b.hitCondition) bp.hitCondition = parseHitCondition(b.hitCondition);
          armed.push(bp);
          const loc = rt.program.location(pa);
          out.push({ id, verified: true, instructionReference: b.instructionReference, offset: b.offset, line: loc ? this.convertDebuggerLineToClient(loc.line) : undefined, source: loc ? { name: path.basename(loc.file), path: loc.file } : undefined });
        } catch (e) {
          out.push({ id, verified: false, message: (e as Error).message, reason: 'failed' });
        }
      }
      rt.breakpoints.setInstruction(armed);
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.guard(response, () => {
      const rt = this.runtime();
      const wanted = [...(args.filters ?? []).map((f) => ({ filterId: f, condition: undefined as string | undefined })), ...(args.filterOptions ?? [])];
      const out: DebugProtocol.Breakpoint[] = [];
      rt.filters.clear();
      for (const w of wanted) {
        const def = FILTERS.find((f) => f.id === w.filterId);
        if (!def) {
          out.push({ verified: false, message: `unknown exception filter '${w.filterId}' (filters: ${FILTERS.map((f) => f.id).join(', ')})` });
          continue;
        }
        try {
          rt.filters.set(def.id as FilterId, parseFilterCondition(def.id, w.condition));
          out.push({ verified: true });
        } catch (e) {
          out.push({ verified: false, message: (e as Error).message });
        }
      }
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.guard(response, () => {
      const rt = this.runtime();
      const bytes = Math.max(1, Math.min(args.bytes ?? 4, 4096));
      let address: number;
      let physical = args.mode === 'physical';
      if (args.variablesReference) {
        this.stopped();
        const pa = this.vars!.physicalOf(args.variablesReference, args.name);
        if (pa === undefined) {
          response.body = { dataId: null, description: `${args.name} is not in memory (registers cannot be watched): watch an address instead, e.g. [sp] or phys:0x12000` };
          return this.sendResponse(response);
        }
        address = pa;
        physical = true;
      } else if (args.asAddress) {
        const ref = parseReference(args.name);
        address = ref.address;
        physical ||= ref.physical;
      } else {
        const v = evaluateText(args.name, rt.env);
        address = v.memory ? v.memory.address : v.value;
        physical ||= v.memory ? v.memory.physical : v.physical === true;
      }
      const what = `${bytes} byte${bytes === 1 ? '' : 's'} at ${physical ? 'physical ' : ''}${hex8(address)}`;
      response.body = { dataId: `${physical ? 'p' : 'v'}:${hex8(address)}:${bytes}`, description: what, accessTypes: ['read', 'write', 'readWrite'], canPersist: true };
      this.sendResponse(response);
    });
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.guard(response, () => {
      const rt = this.runtime();
      const out: DebugProtocol.Breakpoint[] = [];
      const armed: DataBreakpoint[] = [];
      for (const b of args.breakpoints) {
        const id = rt.breakpoints.newId();
        const m = /^([pv]):(0x[0-9a-f]+):(\d+)$/i.exec(b.dataId);
        try {
          if (!m) throw new Error(`'${b.dataId}' is not a data breakpoint id from dataBreakpointInfo`);
          if (armed.length >= 63) throw new Error('at most 63 data breakpoints (the machine keeps 6 bits per watched word)');
          const physical = m[1] === 'p';
          const address = Number(m[2]);
          if (physical && address >= rt.machine.memorySize) throw new Error(`physical ${hex8(address)} is past the end of memory`);
          const bp: DataBreakpoint = { id, slot: 0, address, length: Number(m[3]), physical, mode: b.accessType === 'read' ? 1 : b.accessType === 'readWrite' ? 3 : 2, hits: 0, condition: parseCondition(b.condition) };
          if (b.hitCondition) bp.hitCondition = parseHitCondition(b.hitCondition);
          armed.push(bp);
          out.push({ id, verified: true, message: `${b.accessType ?? 'write'} of ${physical ? 'physical ' : ''}${hex8(address)}` });
        } catch (e) {
          out.push({ id, verified: false, message: (e as Error).message, reason: 'failed' });
        }
      }
      rt.breakpoints.setData(armed);
      response.body = { breakpoints: out };
      this.sendResponse(response);
    });
  }

  // ---------------------------------------------------------------- execution

  private forward(response: DebugProtocol.Response, kind: 'continue' | 'next' | 'stepIn' | 'stepOut'): void {
    this.guard(response, () => {
      const rt = this.stopped();
      const plan = rt.dead ? rt.plan('continue') : rt.plan(kind);
      if (kind === 'continue') (response as DebugProtocol.ContinueResponse).body = { allThreadsContinued: true };
      this.sendResponse(response);
      this.sendEvent(new ContinuedEvent(threadOfVm(rt.machine.currentVm), true));
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
      rt.finish({ reason: 'goto', text: `moved pc to ${hex8(la)}` });
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
            sf.source = { name: path.basename(f.file), path: f.file };
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

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.guard(response, () => {
      const rt = this.runtime();
      const text = args.expression;
      if (args.context === 'repl' && rt.state === 'running' && !/^\s*(help|info|va2pa|x[/\s])/.test(text)) {
        // While the guest runs, what is typed goes to its console.
        const s = /^\s*input\b/.test(text) ? runCommand(rt, text) : (rt.input(text + '\n'), `sent ${JSON.stringify(text + '\n')} to the guest's console`);
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
      response.body = { address: (ref.physical ? 'phys:' : '') + hex8(r.address), data: Buffer.from(r.data).toString('base64'), unreadableBytes: r.unreadable };
      this.sendResponse(response);
    });
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.guard(response, () => {
      const rt = this.stopped();
      const ref = parseReference(args.memoryReference);
      const address = ref.address + (args.offset ?? 0);
      const n = writeRange(rt.machine, address, ref.physical, new Uint8Array(Buffer.from(args.data, 'base64')));
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
            if (d.file !== lastFile) ins.location = { name: path.basename(d.file), path: d.file };
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
          response.body = pageTables(this.stopped().machine, (args ?? {}) as P.PageTablesArguments);
          return this.sendResponse(response);
        case P.TRANSITIONS: {
          const rt = this.stopped();
          response.body = transitions(rt.machine, rt.program, this.counters, (args ?? {}) as P.TransitionsArguments);
          return this.sendResponse(response);
        }
        case P.WATCH: {
          const rt = this.runtime();
          const a = (args ?? {}) as P.WatchArguments;
          if (typeof a.address !== 'number' || a.address < 0 || a.address > 0xffffffff) throw new Error('ringsideWatch needs { address, physical }');
          const physical = a.physical === true;
          if (physical && a.address >= rt.machine.memorySize) throw new Error(`physical ${hex8(a.address)} is past the end of memory`);
          const id = rt.breakpoints.newId();
          const access = a.access ?? 'write';
          rt.breakpoints.addPanelWatch({ id, slot: 0, address: a.address, length: Math.max(1, a.length ?? 4), physical, mode: access === 'read' ? 1 : access === 'readWrite' ? 3 : 2, hits: 0 });
          const description = a.description ?? `${access} of ${physical ? 'physical ' : ''}${hex8(a.address)}`;
          response.body = { id, description } satisfies P.WatchResponseBody;
          return this.sendResponse(response);
        }
        case P.UNWATCH: {
          const id = (args as P.UnwatchArguments | undefined)?.id;
          if (!this.runtime().breakpoints.removePanelWatch(Number(id))) throw new Error(`no panel watch ${id}`);
          return this.sendResponse(response);
        }
        case P.TIME_TRAVEL: {
          const rt = this.stopped();
          const n = (args as P.TimeTravelArguments | undefined)?.icount;
          if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error('timeTravel needs { icount: a whole number }');
          if (n < rt.machine.icount) {
            if (!rt.history.enabled) throw new Error('going back is off: the launch configuration sets "history": 0');
            if (n < rt.history.start) throw new Error(`instruction ${n} is before the start of recorded history (${rt.history.start})`);
            rt.seekQuietly(n);
            const body: P.TimeTravelResponseBody = { icount: rt.machine.icount, pc: rt.machine.pc };
            response.body = body;
            this.sendResponse(response);
            return rt.finish({ reason: 'goto', text: `went back to instruction ${n}` });
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

/** `0x00400000` (virtual) or `phys:0x00200000`. */
export function parseReference(ref: string): { address: number; physical: boolean } {
  const m = /^\s*(phys:)?\s*(0x[0-9a-f]+|\d+)\s*$/i.exec(ref);
  if (!m) throw new Error(`'${ref}' is not an address (write 0x... or phys:0x...)`);
  const address = Number(m[2]);
  if (address > 0xffffffff) throw new Error(`${ref} does not fit in 32 bits`);
  return { address, physical: m[1] !== undefined };
}

