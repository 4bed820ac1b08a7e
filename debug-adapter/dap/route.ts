/**
 * How a request reaches its handler. Each request group (lifecycle.ts, breakpoints.ts,
 * execution.ts, inspection.ts, console.ts, memory.ts, panels.ts) exports a list of routes; the
 * session (session.ts) checks a request's arguments against its route's schema, runs the
 * handler and sends what it returns as the response body. A handler that throws gets an error
 * response with its message. What must happen after the response (the machine resuming, its
 * stop) is queued with `reply.after`. Ringside's own events leave through `sendCustomEvent`.
 */
import { Event } from '@vscode/debugadapter';
import type { DebugProtocol as D } from '@vscode/debugprotocol';
import type { Runtime } from '../engine/runtime';
import type { EventType, RequestType } from '../protocol';
import type { FrameInfo } from '../views/stackframes';
import type { TransitionCounters } from '../views/transitions';
import type { Variables } from '../views/variables';
import type { AdapterHost } from '../host/host';
import { STANDARD_REQUESTS, type ArgsOf, type ReplyOf, type StandardCommand } from './requestSchemas';
import type { Check } from './validate';

/** What the client said at initialize that it understands (events and arguments DAP makes optional). */
export interface ClientSupport {
  invalidatedEvent: boolean;
  memoryEvent: boolean;
  variablePaging: boolean;
}

/** What a handler may use of its session: the runtime, the state the request groups keep, and the wire. */
export interface SessionCore {
  readonly host: AdapterHost;
  /** The program's runtime, once launched. */
  rt: Runtime | undefined;
  vars: Variables | undefined;
  /** Frames handed out since the last stop, by id (stackTrace → scopes). */
  readonly frames: Map<number, FrameInfo>;
  /** The frame the client last asked scopes for: the one its views show (VS Code's Disassembly view follows it). */
  focus: FrameInfo | undefined;
  /** Goto targets handed out, by id (gotoTargets → goto). */
  readonly gotoTargets: Map<number, number>;
  readonly counters: TransitionCounters;
  readonly client: ClientSupport;
  /** Threads the client has been told of: a VM's may be gone after a step back, and is then asked for late. */
  readonly knownThreads: Set<number>;
  /** Threads the client was last told are there (started, not exited since): each stop tells it what changed. */
  readonly liveThreads: Set<number>;
  /** A client's Page Tables panel is open: stop events carry the page tables (PANELS). */
  pushPageTables: boolean;
  /** The adapter ends itself (after disconnect): stand-alone, its process exits; inside another program (a test, a worker), nothing. */
  shutdown(): void;
  /** Resolves once the client sent configurationDone (launch waits for it). */
  readonly configured: Promise<void>;
  /** The client's configurationDone; throws on a second one. */
  configurationDone(): void;
  /** The runtime, or an error saying there is none (not launched, or ended). */
  runtime(): Runtime;
  /** The runtime of a machine that is stopped, or an error saying it runs. */
  stopped(): Runtime;
  sendEvent(event: D.Event): void;
  /** Lines and columns: the client's (1-based unless it said otherwise) and ours (0-based). */
  lineToClient(line: number): number;
  lineToDebugger(line: number): number;
  columnToClient(column: number): number;
  columnToDebugger(column: number): number;
}

export interface Reply {
  /** Run `fn` once the response is sent (resume the machine, report its stop). */
  after(fn: () => void): void;
}

export type Handler<Args, Body> = (s: SessionCore, args: Args, reply: Reply) => Body | Promise<Body>;

export interface Route {
  readonly name: string;
  readonly check: Check<unknown>;
  readonly run: Handler<unknown, unknown>;
}

/**
 * A failure with more to it than its message: `presented`, the client shows it its own way (the
 * error response says so: no dialog on top); `body`, data the error response carries beside
 * DAP's `error` message (a launch's diagnostics, protocol.ts `LaunchErrorBody`).
 */
export class RequestFailure extends Error {
  constructor(
    message: string,
    readonly presented: boolean,
    readonly body?: object,
  ) {
    super(message);
  }
}

/** A standard DAP request, as requestSchemas.ts declares it: its schema, and a handler of its arguments and body. */
export function dap<C extends StandardCommand>(command: C, run: Handler<ArgsOf<C>, ReplyOf<C>>): Route {
  return { name: command, check: STANDARD_REQUESTS[command].check as Check<unknown>, run: run as Handler<unknown, unknown> };
}

/** One of Ringside's own requests (protocol.ts): its schema sits with its handler. */
export function custom<Args, Body>(type: RequestType<Args, Body>, check: Check<Args>, run: Handler<Args, Body>): Route {
  return { name: type.name, check: check as Check<unknown>, run: run as Handler<unknown, unknown> };
}

/** Sends one of Ringside's own events (protocol.ts): the only way to, so that its body is the declared one. */
export function sendCustomEvent<Body>(s: SessionCore, type: EventType<Body>, body: NoInfer<Body>): void {
  s.sendEvent(new Event(type.name, body));
}
