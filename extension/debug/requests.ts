// Ringside's own requests and events, typed by their declarations (debug-adapter/protocol.ts): a
// request's gives its arguments and what comes back, an event's its body, so a panel cannot send
// the wrong shape or misread the answer. The adapter routes and sends the same declarations
// (debug-adapter/dap/panels.ts, dap/route.ts `sendCustomEvent`).
import type * as vscode from 'vscode';
import type { EventType, RequestType } from '../../debug-adapter/protocol';

export async function request<Args, Body>(session: vscode.DebugSession, type: RequestType<Args, Body>, args: NoInfer<Args>): Promise<Body> {
  return (await session.customRequest(type.name, args)) as Body;
}

/** A message's body when it is the event `type` (as a DebugAdapterTracker sees it), else undefined. */
export function eventBody<Body>(type: EventType<Body>, m: { type?: string; event?: string; body?: unknown }): Body | undefined {
  return m.type === 'event' && m.event === type.name && typeof m.body === 'object' && m.body !== null ? (m.body as Body) : undefined;
}
