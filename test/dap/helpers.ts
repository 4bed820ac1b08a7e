/** Shared helpers for the debug adapter scenarios: start the stand-alone adapter, launch, step, read the top frame. */
import * as fs from 'fs';
import * as path from 'path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';

export const ROOT = path.resolve(__dirname, '../../..');
export const ADAPTER = path.join(ROOT, 'dist/debugAdapter.js');
export const fixture = (name: string) => path.join(ROOT, 'test/dap/fixtures', name);
export const HELLO = path.join(ROOT, 'samples/hello/hello.rasm');

/** 1-based line of the first line containing `marker` (so tests survive edits to the programs). */
export function lineOf(file: string, marker: string): number {
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not in ${file}`);
  return i + 1;
}

/** A `configure` for launch(): line breakpoints in `file` on the lines of these markers (lineOf). */
export const breakAt = (file: string, ...markers: string[]) => (dc: DebugClient) =>
  dc.setBreakpointsRequest({ source: { path: file }, breakpoints: markers.map((m) => ({ line: lineOf(file, m) })) });

export interface Session {
  dc: DebugClient;
  /** The first stop, for sessions started by launchAndStop. */
  stop?: DebugProtocol.StoppedEvent;
  output: () => string;
  console: () => string;
}

export async function newClient(): Promise<Session> {
  const dc = new DebugClient('node', ADAPTER, 'ringside');
  dc.defaultTimeout = 10000;
  await dc.start();
  let out = '';
  let con = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.category === 'stdout') out += e.body.output;
    else con += e.body.output;
  });
  return { dc, output: () => out, console: () => con };
}

/**
 * Start an adapter, launch `program` with extra attributes, run `configure`
 * between `initialized` and configurationDone. Listen for events before
 * calling this (they may arrive with the launch response).
 */
export async function launch(s: Session, program: string, extra: Record<string, unknown> = {}, configure?: (dc: DebugClient) => Promise<unknown>): Promise<void> {
  await Promise.all([
    s.dc.waitForEvent('initialized').then(async () => {
      if (configure) await configure(s.dc);
      await s.dc.configurationDoneRequest();
    }),
    s.dc.launch({ program, ...extra }),
  ]);
}

/** Launch and wait for the first stop. */
export async function launchAndStop(program: string, extra: Record<string, unknown> = {}, configure?: (dc: DebugClient) => Promise<unknown>): Promise<Session & { stop: DebugProtocol.StoppedEvent }> {
  const s = await newClient();
  const stopped = s.dc.waitForEvent('stopped');
  await launch(s, program, extra, configure);
  return { ...s, stop: (await stopped) as DebugProtocol.StoppedEvent };
}

/** Send a request that makes the machine move and wait for the stop it causes. */
export async function move(dc: DebugClient, send: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped');
  await send();
  return (await stopped) as DebugProtocol.StoppedEvent;
}

export async function frames(dc: DebugClient, threadId = 1): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId })).body.stackFrames;
}

export async function top(dc: DebugClient, threadId = 1): Promise<DebugProtocol.StackFrame> {
  return (await frames(dc, threadId))[0];
}

export async function evaluate(dc: DebugClient, expression: string, context = 'watch'): Promise<string> {
  return (await dc.evaluateRequest({ expression, context })).body.result;
}

/** The value of an expression as a number (evaluate's "0x... (n)" form). */
export async function value(dc: DebugClient, expression: string): Promise<number> {
  return Number((await evaluate(dc, expression)).split(' ')[0]);
}

/** The message of a failed request. */
export async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the request was expected to fail');
}

export async function variables(dc: DebugClient, frameId: number, scope: string): Promise<DebugProtocol.Variable[]> {
  const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
  const sc = scopes.find((x) => x.name === scope);
  if (!sc) throw new Error(`no scope ${scope} (have ${scopes.map((x) => x.name).join(', ')})`);
  return (await dc.variablesRequest({ variablesReference: sc.variablesReference })).body.variables;
}
