/**
 * One schema per request the adapter answers: the arguments are checked here,
 * at the DAP surface, before a handler runs (session.ts dispatchRequest).
 * Each schema is typed by the protocol's own argument interface
 * (@vscode/debugprotocol; Ringside's own requests have theirs beside their
 * handlers, dap/panels.ts), so no attribute can be forgotten (one the adapter
 * does not use is named `ignored`: dropped) and a misspelt one does not compile.
 *
 * The bounds are the adapter's: numbers are whole and in range (a line of
 * -9007199254740992 or "abc" is refused here, not scanned toward), lists and
 * strings have a length limit.
 */
import type { DebugProtocol as D } from '@vscode/debugprotocol';
import { any, arr, bool, Check, ignored, int, obj, oneOf, open, opt, str } from './validate';

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

// setBreakpoints answers with the source as the client sent it: what it says of itself is kept.
const source = obj<D.Source>({
  name: opt(str(4096)), path: opt(str(4096)), sourceReference: opt(ID), adapterData: any,
  presentationHint: opt(oneOf('normal', 'emphasize', 'deemphasize')), origin: opt(str(1000)), sources: ignored, checksums: ignored,
});
/** `format` asks for hex and the like: the adapter claims no value formatting (capabilities.ts). */
const format = { format: ignored };
const conditions = { condition: opt(EXPR), hitCondition: opt(EXPR) };
const thread = obj<{ threadId: number; singleThread?: boolean; granularity?: D.SteppingGranularity }>({ threadId: ID, singleThread: opt(bool), granularity: GRANULARITY });
const none = obj<Record<string, never>>({});

/**
 * A standard request's declaration: the schema of its arguments and, as a type only, its
 * response body (void for a response without one).
 */
export interface StandardRequest<Args, Body> {
  readonly check: Check<Args>;
  /** Never set: it carries the types, so that a handler and its request cannot disagree. */
  readonly types?: { args: Args; body: Body };
}

type BodyOf<R extends D.Response> = unknown extends R['body'] ? void : R['body'];

function request<Args, R extends D.Response>(check: Check<Args>): StandardRequest<Args, BodyOf<R>> {
  return { check };
}

/** Every standard request the adapter checks and answers, by command. */
export const STANDARD_REQUESTS = {
  initialize: request<D.InitializeRequestArguments, D.InitializeResponse>(obj({
    adapterID: orEmpty(NAME), clientID: opt(NAME), clientName: opt(NAME), locale: opt(NAME),
    linesStartAt1: opt(bool), columnsStartAt1: opt(bool), pathFormat: opt(NAME),
    supportsInvalidatedEvent: opt(bool), supportsMemoryEvent: opt(bool), supportsVariablePaging: opt(bool),
    // What else a client can do: nothing the adapter would use.
    supportsVariableType: ignored, supportsRunInTerminalRequest: ignored, supportsMemoryReferences: ignored, supportsProgressReporting: ignored,
    supportsArgsCanBeInterpretedByShell: ignored, supportsStartDebuggingRequest: ignored, supportsANSIStyling: ignored,
  })),
  // The launch configuration's own attributes are checked by parseLaunchConfig, which names each one: kept.
  launch: request<D.LaunchRequestArguments, D.LaunchResponse>(open({ noDebug: opt(bool), __restart: any })),
  configurationDone: request<D.ConfigurationDoneArguments, D.ConfigurationDoneResponse>(none),
  disconnect: request<D.DisconnectArguments, D.DisconnectResponse>(obj({ restart: opt(bool), terminateDebuggee: opt(bool), suspendDebuggee: opt(bool) })),
  terminate: request<D.TerminateArguments, D.TerminateResponse>(obj({ restart: opt(bool) })),
  setBreakpoints: request<D.SetBreakpointsArguments, D.SetBreakpointsResponse>(obj({
    source,
    breakpoints: opt(arr(obj<D.SourceBreakpoint>({ line: LINE, column: opt(LINE), ...conditions, logMessage: opt(EXPR), mode: opt(NAME) }), 10_000)),
    lines: opt(arr(LINE, 10_000)),
    sourceModified: opt(bool),
  })),
  breakpointLocations: request<D.BreakpointLocationsArguments, D.BreakpointLocationsResponse>(obj({ source, line: LINE, column: opt(LINE), endLine: opt(LINE), endColumn: opt(LINE) })),
  setFunctionBreakpoints: request<D.SetFunctionBreakpointsArguments, D.SetFunctionBreakpointsResponse>(obj({ breakpoints: arr(obj<D.FunctionBreakpoint>({ name: NAME, ...conditions }), 10_000) })),
  setInstructionBreakpoints: request<D.SetInstructionBreakpointsArguments, D.SetInstructionBreakpointsResponse>(obj({
    breakpoints: arr(obj<D.InstructionBreakpoint>({ instructionReference: REF, offset: opt(int(-0xffffffff, 0xffffffff)), ...conditions, mode: opt(NAME) }), 10_000),
  })),
  setExceptionBreakpoints: request<D.SetExceptionBreakpointsArguments, D.SetExceptionBreakpointsResponse>(obj({
    filters: arr(NAME, 100),
    filterOptions: opt(arr(obj<D.ExceptionFilterOptions>({ filterId: NAME, condition: opt(EXPR), mode: opt(NAME) }), 100)),
    // Needs supportsExceptionOptions, which the adapter does not claim (it has filterOptions).
    exceptionOptions: ignored,
  })),
  dataBreakpointInfo: request<D.DataBreakpointInfoArguments, D.DataBreakpointInfoResponse>(obj({ variablesReference: opt(ID), name: EXPR, frameId: opt(ID), bytes: opt(int(1, 4096)), asAddress: opt(bool), mode: opt(NAME) })),
  setDataBreakpoints: request<D.SetDataBreakpointsArguments, D.SetDataBreakpointsResponse>(obj({
    breakpoints: arr(obj<D.DataBreakpoint>({ dataId: str(1000), accessType: opt(oneOf<D.DataBreakpointAccessType>('read', 'write', 'readWrite')), ...conditions }), 1000),
  })),
  continue: request<D.ContinueArguments, D.ContinueResponse>(thread),
  next: request<D.NextArguments, D.NextResponse>(thread),
  stepIn: request<D.StepInArguments, D.StepInResponse>(obj({ threadId: ID, singleThread: opt(bool), targetId: opt(ID), granularity: GRANULARITY })),
  stepOut: request<D.StepOutArguments, D.StepOutResponse>(thread),
  pause: request<D.PauseArguments, D.PauseResponse>(obj({ threadId: ID })),
  stepBack: request<D.StepBackArguments, D.StepBackResponse>(thread),
  reverseContinue: request<D.ReverseContinueArguments, D.ReverseContinueResponse>(obj({ threadId: ID, singleThread: opt(bool) })),
  gotoTargets: request<D.GotoTargetsArguments, D.GotoTargetsResponse>(obj({ source, line: LINE, column: opt(LINE) })),
  goto: request<D.GotoArguments, D.GotoResponse>(obj({ threadId: ID, targetId: ID })),
  threads: request<Record<string, never>, D.ThreadsResponse>(none),
  stackTrace: request<D.StackTraceArguments, D.StackTraceResponse>(obj({ threadId: ID, startFrame: opt(ID), levels: opt(ID), ...format })),
  scopes: request<D.ScopesArguments, D.ScopesResponse>(obj({ frameId: ID })),
  variables: request<D.VariablesArguments, D.VariablesResponse>(obj({ variablesReference: ID, filter: opt(oneOf('indexed', 'named')), start: opt(ID), count: opt(ID), ...format })),
  setVariable: request<D.SetVariableArguments, D.SetVariableResponse>(obj({ variablesReference: ID, name: NAME, value: EXPR, ...format })),
  completions: request<D.CompletionsArguments, D.CompletionsResponse>(obj({ frameId: opt(ID), text: EXPR, column: LINE, line: opt(LINE) })),
  evaluate: request<D.EvaluateArguments, D.EvaluateResponse>(obj({ expression: EXPR, frameId: opt(ID), line: opt(LINE), column: opt(LINE), source: opt(source), context: opt(NAME), ...format })),
  exceptionInfo: request<D.ExceptionInfoArguments, D.ExceptionInfoResponse>(obj({ threadId: ID })),
  readMemory: request<D.ReadMemoryArguments, D.ReadMemoryResponse>(obj({ memoryReference: REF, offset: opt(int(-0xffffffff, 0xffffffff)), count: COUNT })),
  writeMemory: request<D.WriteMemoryArguments, D.WriteMemoryResponse>(obj({ memoryReference: REF, offset: opt(int(-0xffffffff, 0xffffffff)), allowPartial: opt(bool), data: str() })),
  disassemble: request<D.DisassembleArguments, D.DisassembleResponse>(obj({
    memoryReference: REF, offset: opt(int(-0xffffffff, 0xffffffff)), instructionOffset: opt(int(-(2 ** 32), 2 ** 32)),
    instructionCount: int(0, 1_000_000), resolveSymbols: opt(bool),
  })),
};

export type StandardCommand = keyof typeof STANDARD_REQUESTS;
type Declared<C extends StandardCommand> = NonNullable<(typeof STANDARD_REQUESTS)[C]['types']>;
/** The arguments and the response body of a standard request, as declared. */
export type ArgsOf<C extends StandardCommand> = Declared<C>['args'];
export type ReplyOf<C extends StandardCommand> = Declared<C>['body'];

/** The checked arguments of a request; throws ArgumentError naming the bad attribute. Commands without a schema pass as they are. */
export function checkArguments(command: string, args: unknown): unknown {
  if (!Object.prototype.hasOwnProperty.call(STANDARD_REQUESTS, command)) return args;
  return STANDARD_REQUESTS[command as StandardCommand].check(args ?? {}, '');
}
