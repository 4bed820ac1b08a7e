/**
 * The DAP session: the plumbing between the wire and the request groups. A
 * request's arguments are checked against its route's schema, its handler
 * runs (route.ts; one file per group of requests), and what it returns is the
 * response. Every request that cannot be served gets an error response that
 * says why; nothing a client or guest does makes the adapter exit.
 */
import { DebugSession, OutputEvent, Response } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { EventEmitter } from 'events';
import type { Runtime } from '../engine/runtime';
import type { FrameInfo } from '../views/stackframes';
import { TransitionCounters } from '../views/transitions';
import type { Variables } from '../views/variables';
import { setLocale, t } from '../../language/l10n';
import { CUSTOM_REQUESTS } from '../protocol';
import type { AdapterHost } from '../host/host';
import { breakpointRequests } from './breakpoints';
import { capabilities } from './capabilities';
import { consoleRequests } from './console';
import { FrameReader, MAX_FRAME_BYTES } from './framing';
import { executionRequests } from './execution';
import { inspectionRequests } from './inspection';
import { lifecycleRequests } from './lifecycle';
import { memoryRequests } from './memory';
import { panelRequests } from './panels';
import { checkArguments } from './requestSchemas';
import { type ClientSupport, RequestFailure, type Route, type SessionCore } from './route';
import { outOfOrder } from './order';
import { ArgumentError, describe } from './validate';

type Req = DebugProtocol.Request;

/** DAP requests the adapter does not serve (its capabilities do not announce them). */
const NOT_ANNOUNCED = new Set(['restart', 'restartFrame', 'setExpression', 'loadedSources', 'source', 'stepInTargets', 'terminateThreads', 'cancel', 'modules', 'locations']);

/** Why a request has no route: a DAP request not announced, or a name nobody knows. */
function notServed(command: string): string {
  if (command === 'attach') return 'attach is not supported: Ringside starts the program itself (use a launch configuration)';
  return NOT_ANNOUNCED.has(command) ? `'${command}' is not supported by the Ringside debugger (its capabilities do not announce it)` : `unknown request '${command}'`;
}

/** Requests VS Code makes on its own to fill its views after a stop (see fail()). */
const VIEW_REQUESTS = new Set(['threads', 'stackTrace', 'scopes', 'variables', 'source', 'loadedSources', 'breakpointLocations', 'exceptionInfo']);

/**
 * Requests whose failure VS Code shows where it was asked: the Debug Console prints it under
 * the line typed, a watch shows it in its row. A notification on top would make a typo in the
 * console look like an error of the editor.
 */
const ANSWERED_IN_PLACE = new Set(['evaluate', 'completions']);

/**
 * Ringside's own requests: the extension's panels send them and show a failure in the panel.
 * VS Code would also pop up a notification for one marked showUser, so a panel refresh that
 * loses the race with a step (the machine already running again) would look like an error.
 */
const SHOWN_BY_PANELS = new Set(CUSTOM_REQUESTS.map((r) => r.name));

/** Every request the adapter answers beyond initialize, by command: each group's routes. */
export const ROUTES: ReadonlyMap<string, Route> = new Map(
  [...lifecycleRequests, ...breakpointRequests, ...executionRequests, ...inspectionRequests, ...consoleRequests, ...memoryRequests, ...panelRequests].map((r) => [r.name, r]),
);

export class RingsideSession extends DebugSession implements SessionCore {
  rt: Runtime | undefined;
  readonly frames = new Map<number, FrameInfo>();
  focus: FrameInfo | undefined;
  vars: Variables | undefined;
  readonly configured: Promise<void>;
  private configDone: () => void = () => undefined;
  private configuredOnce = false;
  /** initialize has been answered: DAP's first request, made once. */
  private initialized = false;
  client: ClientSupport = { invalidatedEvent: false, memoryEvent: false, variablePaging: false };
  readonly knownThreads = new Set([1]);
  readonly liveThreads = new Set([1]);
  readonly gotoTargets = new Map<number, number>();
  readonly counters = new TransitionCounters();
  pushPageTables = false;

  constructor(readonly host: AdapterHost) {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.configured = new Promise((r) => (this.configDone = r));
  }

  /**
   * Frames are read by framing.ts, not the library (which misreads every frame after a bad
   * header, and buffers quadratically); the library still gets the stream's close and errors.
   */
  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    const ends = Object.assign(new EventEmitter(), { resume: () => inStream.resume() });
    super.start(ends as unknown as NodeJS.ReadableStream, outStream);
    inStream.on('close', () => ends.emit('close'));
    inStream.on('error', (e) => ends.emit('error', e));
    const reader = new FrameReader({
      message: (text) => this.frame(text),
      skipped: (why) => this.malformed(why),
      // Refused unread: no handler sees it (a long stdin, say), but the client gets its answer.
      tooLarge: ({ seq, command }, bytes) =>
        this.fail({ type: 'response', seq: 0, request_seq: seq, command, success: false }, `the '${command}' request is ${bytes} bytes, over the limit of ${MAX_FRAME_BYTES >> 20} MiB for one message`),
    });
    inStream.on('data', (d: Buffer | string) => reader.push(typeof d === 'string' ? Buffer.from(d) : d));
  }

  /** One frame's body: a body that is not JSON is reported and skipped. */
  private frame(text: string): void {
    let msg: DebugProtocol.ProtocolMessage;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return this.malformed(`it is not JSON: ${(e as Error).message}`);
    }
    try {
      this.handleMessage(msg);
    } catch (e) {
      this.sendEvent(new OutputEvent(`ringside debug adapter: internal error handling a message: ${(e as Error).stack ?? e}\n`, 'stderr'));
    }
  }

  // ---------------------------------------------------------------- plumbing

  private fail(response: DebugProtocol.Response, message: string, shownByClient = false, body?: object): void {
    // The message goes through a variable: '{' in it must not be taken for a placeholder.
    // Not shown to the user (VS Code would pop up an error notification that tells them
    // nothing): failures of the requests VS Code sends by itself to refresh its views, which
    // lose a race with the machine moving on (a frame of the previous stop), and any failure
    // once the program has ended (requests still in flight after Shift+F5).
    const showUser = !shownByClient && this.rt?.state !== 'ended' && !VIEW_REQUESTS.has(response.command) && !ANSWERED_IN_PLACE.has(response.command) && !SHOWN_BY_PANELS.has(response.command);
    // The library adds DAP's `error` to a body already there.
    if (body) response.body = { ...body };
    this.sendErrorResponse(response, { id: 1, format: '{_message}', variables: { _message: message }, showUser });
  }

  runtime(): Runtime {
    if (!this.rt) throw new Error('no program is running: launch one first');
    if (this.rt.state === 'ended') throw new Error('the program has ended');
    return this.rt;
  }

  stopped(): Runtime {
    const rt = this.runtime();
    // VS Code offers these requests only at a stop: one that finds the machine running lost a
    // race with a step or continue (a view's refresh, a step command queued behind the last
    // stop). The client shows the failure where it asked; a notification would tell the
    // student of an error they did not make.
    if (rt.state === 'running') throw new RequestFailure('the machine is running: pause it first', true);
    return rt;
  }

  configurationDone(): void {
    if (this.configuredOnce) throw new Error(t("configurationDone was already received: a session is configured once"));
    this.configuredOnce = true;
    this.configDone();
  }
  lineToClient(line: number): number {
    return this.convertDebuggerLineToClient(line);
  }
  lineToDebugger(line: number): number {
    return this.convertClientLineToDebugger(line);
  }
  columnToClient(column: number): number {
    return this.convertDebuggerColumnToClient(column);
  }
  columnToDebugger(column: number): number {
    return this.convertClientColumnToDebugger(column);
  }

  protected override dispatchRequest(request: Req): void {
    const response = new Response(request);
    const route = ROUTES.get(request.command);
    // DAP: initialize comes first, once (a launch before it would wait for a configurationDone that never comes).
    const order = outOfOrder(request.command, this.initialized);
    if (order) return this.fail(response, order);
    let args: unknown;
    try {
      // Arguments are checked against the request's schema before any handler sees them.
      if (!route) {
        // Only initialize goes through the library (it reads the client's line and column bases
        // there); its default answers to the rest would say success and do nothing.
        if (request.command !== 'initialize') return this.fail(response, notServed(request.command));
        const init = checkArguments(request.command, request.arguments) as DebugProtocol.InitializeRequestArguments;
        // DAP's default path format is 'path' (the library refuses an initialize that leaves it out).
        init.pathFormat ??= 'path';
        request.arguments = init;
        return super.dispatchRequest(request);
      }
      args = route.check(request.arguments ?? {}, '');
    } catch (e) {
      return this.fail(response, e instanceof ArgumentError ? `${request.command}: ${e.message}` : (e as Error).message);
    }
    const after: (() => void)[] = [];
    const answer = (body: unknown) => {
      if (body !== undefined) (response as DebugProtocol.Response).body = body;
      this.sendResponse(response);
      for (const fn of after) {
        try {
          fn();
        } catch (e) {
          this.sendEvent(new OutputEvent(`ringside debug adapter: internal error after ${request.command}: ${(e as Error).stack ?? e}\n`, 'stderr'));
        }
      }
    };
    const failed = (e: unknown) => this.fail(response, e instanceof Error ? e.message : String(e), e instanceof RequestFailure && e.presented, e instanceof RequestFailure ? e.body : undefined);
    try {
      const out = route.run(this, args, { after: (fn) => void after.push(fn) });
      // Most handlers answer at once (the response then leaves before this returns); launch waits.
      if (out instanceof Promise) out.then(answer, failed);
      else answer(out);
    } catch (e) {
      failed(e);
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

  // ---------------------------------------------------------------- initialize

  // Through the library's own dispatch: it reads the client's line and column bases from it.
  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    // The editor's display language (VS Code sends it): every message after this is in it.
    setLocale(typeof args?.locale === 'string' ? args.locale : undefined);
    this.client = { invalidatedEvent: args.supportsInvalidatedEvent === true, memoryEvent: args.supportsMemoryEvent === true, variablePaging: args.supportsVariablePaging === true };
    this.initialized = true;
    response.body = capabilities();
    this.sendResponse(response);
  }

  /** A request no route knows (the library passes every unknown command here). */
  protected override customRequest(command: string, response: DebugProtocol.Response): void {
    this.fail(response, `unknown request '${command}'`);
  }
}
