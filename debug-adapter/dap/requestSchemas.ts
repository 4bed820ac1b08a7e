/**
 * One schema per request the adapter answers: the arguments are checked here,
 * at the DAP surface, before a handler runs (session.ts dispatchRequest).
 * Each schema is typed by the protocol's own argument interface
 * (@vscode/debugprotocol; Ringside's own requests have theirs beside their
 * handlers, dap/panels.ts), so a required
 * attribute cannot be forgotten and a misspelt one does not compile.
 *
 * The bounds are the adapter's: numbers are whole and in range (a line of
 * -9007199254740992 or "abc" is refused here, not scanned toward), lists and
 * strings have a length limit.
 */
import type { DebugProtocol as D } from '@vscode/debugprotocol';
import { any, arr, bool, Check, int, obj, oneOf, opt, str } from './validate';

export const U32 = int(0, 0xffffffff);
/** Lines and columns as a client counts them (0- or 1-based). */
const LINE = int(0, 100_000_000);
export const ID = int(0, 0x7fffffff);
export const COUNT = int(0, Number.MAX_SAFE_INTEGER);
const NAME = str(1000);
const EXPR = str(10_000);
const REF = str(100);
const GRANULARITY = opt(oneOf<D.SteppingGranularity>('statement', 'line', 'instruction'));
/** An attribute every client sends but a bare one may leave out. */
const orEmpty =
  (c: Check<string>): Check<string> =>
  (v, at) =>
    v === undefined ? '' : c(v, at);

const source = obj<D.Source>({ name: opt(str(4096)), path: opt(str(4096)), sourceReference: opt(ID), adapterData: any });
const conditions = { condition: opt(EXPR), hitCondition: opt(EXPR) };
const thread = obj<{ threadId: number; singleThread?: boolean; granularity?: D.SteppingGranularity }>({ threadId: ID, singleThread: opt(bool), granularity: GRANULARITY });
const none = obj<Record<string, never>>({});

/** Arguments of every request, by command. */
export interface RequestArguments {
  initialize: D.InitializeRequestArguments;
  launch: D.LaunchRequestArguments;
  configurationDone: D.ConfigurationDoneArguments;
  disconnect: D.DisconnectArguments;
  terminate: D.TerminateArguments;
  setBreakpoints: D.SetBreakpointsArguments;
  breakpointLocations: D.BreakpointLocationsArguments;
  setFunctionBreakpoints: D.SetFunctionBreakpointsArguments;
  setInstructionBreakpoints: D.SetInstructionBreakpointsArguments;
  setExceptionBreakpoints: D.SetExceptionBreakpointsArguments;
  dataBreakpointInfo: D.DataBreakpointInfoArguments;
  setDataBreakpoints: D.SetDataBreakpointsArguments;
  continue: D.ContinueArguments;
  next: D.NextArguments;
  stepIn: D.StepInArguments;
  stepOut: D.StepOutArguments;
  pause: D.PauseArguments;
  stepBack: D.StepBackArguments;
  reverseContinue: D.ReverseContinueArguments;
  gotoTargets: D.GotoTargetsArguments;
  goto: D.GotoArguments;
  threads: Record<string, never>;
  stackTrace: D.StackTraceArguments;
  scopes: D.ScopesArguments;
  variables: D.VariablesArguments;
  setVariable: D.SetVariableArguments;
  completions: D.CompletionsArguments;
  evaluate: D.EvaluateArguments;
  exceptionInfo: D.ExceptionInfoArguments;
  readMemory: D.ReadMemoryArguments;
  writeMemory: D.WriteMemoryArguments;
  disassemble: D.DisassembleArguments;
}

export const REQUEST_SCHEMAS: { [C in keyof RequestArguments]: Check<RequestArguments[C]> } = {
  initialize: obj<D.InitializeRequestArguments>({
    adapterID: orEmpty(NAME), clientID: opt(NAME), clientName: opt(NAME), locale: opt(NAME),
    linesStartAt1: opt(bool), columnsStartAt1: opt(bool), pathFormat: opt(NAME),
  }),
  // The launch configuration's own attributes are checked by parseLaunchConfig, which names each one.
  launch: obj<D.LaunchRequestArguments>({ noDebug: opt(bool), __restart: any }),
  configurationDone: none,
  disconnect: obj<D.DisconnectArguments>({ restart: opt(bool), terminateDebuggee: opt(bool), suspendDebuggee: opt(bool) }),
  terminate: obj<D.TerminateArguments>({ restart: opt(bool) }),
  setBreakpoints: obj<D.SetBreakpointsArguments>({
    source,
    breakpoints: opt(arr(obj<D.SourceBreakpoint>({ line: LINE, column: opt(LINE), ...conditions, logMessage: opt(EXPR), mode: opt(NAME) }), 10_000)),
    lines: opt(arr(LINE, 10_000)),
    sourceModified: opt(bool),
  }),
  breakpointLocations: obj<D.BreakpointLocationsArguments>({ source, line: LINE, column: opt(LINE), endLine: opt(LINE), endColumn: opt(LINE) }),
  setFunctionBreakpoints: obj<D.SetFunctionBreakpointsArguments>({ breakpoints: arr(obj<D.FunctionBreakpoint>({ name: NAME, ...conditions }), 10_000) }),
  setInstructionBreakpoints: obj<D.SetInstructionBreakpointsArguments>({
    breakpoints: arr(obj<D.InstructionBreakpoint>({ instructionReference: REF, offset: opt(int(-0xffffffff, 0xffffffff)), ...conditions, mode: opt(NAME) }), 10_000),
  }),
  setExceptionBreakpoints: obj<D.SetExceptionBreakpointsArguments>({
    filters: arr(NAME, 100),
    filterOptions: opt(arr(obj<D.ExceptionFilterOptions>({ filterId: NAME, condition: opt(EXPR), mode: opt(NAME) }), 100)),
  }),
  dataBreakpointInfo: obj<D.DataBreakpointInfoArguments>({ variablesReference: opt(ID), name: EXPR, frameId: opt(ID), bytes: opt(int(1, 4096)), asAddress: opt(bool), mode: opt(NAME) }),
  setDataBreakpoints: obj<D.SetDataBreakpointsArguments>({
    breakpoints: arr(obj<D.DataBreakpoint>({ dataId: str(1000), accessType: opt(oneOf<D.DataBreakpointAccessType>('read', 'write', 'readWrite')), ...conditions }), 1000),
  }),
  continue: thread,
  next: thread,
  stepIn: obj<D.StepInArguments>({ threadId: ID, singleThread: opt(bool), targetId: opt(ID), granularity: GRANULARITY }),
  stepOut: thread,
  pause: obj<D.PauseArguments>({ threadId: ID }),
  stepBack: thread,
  reverseContinue: obj<D.ReverseContinueArguments>({ threadId: ID, singleThread: opt(bool) }),
  gotoTargets: obj<D.GotoTargetsArguments>({ source, line: LINE, column: opt(LINE) }),
  goto: obj<D.GotoArguments>({ threadId: ID, targetId: ID }),
  threads: none,
  stackTrace: obj<D.StackTraceArguments>({ threadId: ID, startFrame: opt(ID), levels: opt(ID) }),
  scopes: obj<D.ScopesArguments>({ frameId: ID }),
  variables: obj<D.VariablesArguments>({ variablesReference: ID, filter: opt(oneOf('indexed', 'named')), start: opt(ID), count: opt(ID) }),
  setVariable: obj<D.SetVariableArguments>({ variablesReference: ID, name: NAME, value: EXPR }),
  completions: obj<D.CompletionsArguments>({ frameId: opt(ID), text: EXPR, column: LINE, line: opt(LINE) }),
  evaluate: obj<D.EvaluateArguments>({ expression: EXPR, frameId: opt(ID), line: opt(LINE), column: opt(LINE), source: opt(source), context: opt(NAME) }),
  exceptionInfo: obj<D.ExceptionInfoArguments>({ threadId: ID }),
  readMemory: obj<D.ReadMemoryArguments>({ memoryReference: REF, offset: opt(int(-0xffffffff, 0xffffffff)), count: COUNT }),
  writeMemory: obj<D.WriteMemoryArguments>({ memoryReference: REF, offset: opt(int(-0xffffffff, 0xffffffff)), allowPartial: opt(bool), data: str() }),
  disassemble: obj<D.DisassembleArguments>({
    memoryReference: REF, offset: opt(int(-0xffffffff, 0xffffffff)), instructionOffset: opt(int(-(2 ** 32), 2 ** 32)),
    instructionCount: int(0, 1_000_000), resolveSymbols: opt(bool),
  }),
};

/** The checked arguments of a request; throws ArgumentError naming the bad attribute. Commands without a schema pass as they are. */
export function checkArguments(command: string, args: unknown): unknown {
  const check = (REQUEST_SCHEMAS as Record<string, Check<unknown>>)[command];
  if (!check || !Object.prototype.hasOwnProperty.call(REQUEST_SCHEMAS, command)) return args;
  return check(args ?? {}, '');
}
