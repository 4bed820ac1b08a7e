// Ringside's own requests, sent typed: the request's declaration (debug-adapter/protocol.ts)
// gives its arguments and what comes back, so a panel cannot send the wrong shape or misread
// the answer. The adapter routes the same declaration (debug-adapter/dap/panels.ts).
import type * as vscode from 'vscode';
import type { RequestType } from '../../debug-adapter/protocol';

export async function request<Args, Body>(session: vscode.DebugSession, type: RequestType<Args, Body>, args: Args): Promise<Body> {
  return (await session.customRequest(type.name, args)) as Body;
}
