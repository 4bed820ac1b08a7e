// Records Ringside debug sessions as VS Code reports them (start, `ringsideStopped`, end) from
// before a test acts, so a test waits on protocol events that may already have arrived and
// never on time. dispose() stops whatever sessions the test left running.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StoppedEventBody } from '../../debug-adapter/protocol';

interface Waiter {
  /** Settles the wait if its condition holds now; true when settled. */
  readonly check: () => boolean;
  readonly cancel: () => void;
}

export interface AdapterResponse {
  command: string;
  success: boolean;
  message?: string;
  body?: unknown;
}

export interface StackFrame {
  id: number;
  name: string;
  line: number;
  source?: { path?: string; name?: string };
  instructionPointerReference?: string;
}

export class DebugRecorder implements vscode.Disposable {
  private readonly started: vscode.DebugSession[] = [];
  /** Every session VS Code created, launched or not. */
  private readonly created: vscode.DebugSession[] = [];
  private readonly ended = new Set<string>();
  /** Sessions VS Code itself has ended (onDidTerminateDebugSession): the adapter may exit a moment before (it shuts itself down after disconnect). */
  private readonly terminated = new Set<string>();
  private readonly stops = new Map<string, StoppedEventBody[]>();
  /** Responses the adapter sent, by session id (a DebugAdapterTracker sees them all). */
  private readonly responses = new Map<string, AdapterResponse[]>();
  /** How many stops of each session a test has taken with nextStop(). */
  private readonly taken = new Map<string, number>();
  private waiters: Waiter[] = [];
  private readonly subs: vscode.Disposable[];
  private static names = 0;

  constructor() {
    this.subs = [
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === 'ringside') this.started.push(s);
        this.poke();
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.ended.add(s.id);
        this.terminated.add(s.id);
        this.poke();
      }),
      vscode.debug.registerDebugAdapterTrackerFactory('ringside', {
        createDebugAdapterTracker: (session) => {
          // Created before the launch request: the only sign of a session whose launch fails
          // (VS Code reports only sessions that launched through onDidStartDebugSession).
          this.created.push(session);
          this.poke();
          return {
            onExit: () => {
              this.ended.add(session.id);
              this.poke();
            },
            onDidSendMessage: (m: { type?: string } & AdapterResponse) => {
              if (m.type !== 'response') return;
              const list = this.responses.get(session.id) ?? [];
              list.push({ command: m.command, success: m.success, message: m.message, body: m.body });
              this.responses.set(session.id, list);
              this.poke();
            },
          };
        },
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event !== 'ringsideStopped') return;
        const list = this.stops.get(e.session.id) ?? [];
        list.push(e.body as StoppedEventBody);
        this.stops.set(e.session.id, list);
        this.poke();
      }),
    ];
  }

  private poke(): void {
    for (const w of [...this.waiters]) w.check();
  }

  /** Waits until `probe` returns a value (or throws), re-checked on every recorded event, not on a timer. */
  private until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        settle();
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
      const waiter: Waiter = {
        check: () => {
          try {
            const v = probe();
            if (v === undefined) return false;
            finish(() => resolve(v));
          } catch (e) {
            finish(() => reject(e));
          }
          return true;
        },
        cancel: () => finish(() => reject(new Error(`stopped waiting for ${what}: the recorder was disposed`))),
      };
      if (!waiter.check()) this.waiters.push(waiter);
    });
  }

  /** Starts a session with a unique name; resolves once VS Code reports it started. */
  async start(config: Omit<vscode.DebugConfiguration, 'name'> & { name?: string }, folder?: vscode.WorkspaceFolder): Promise<vscode.DebugSession> {
    const name = config.name ?? `ringside test ${++DebugRecorder.names}`;
    const ok = await vscode.debug.startDebugging(folder ?? vscode.workspace.workspaceFolders?.[0], { ...config, name } as vscode.DebugConfiguration);
    if (!ok) {
      // What VS Code does not say when it refuses a start: whether an adapter was made, what it answered.
      const made = this.created.find((s) => s.name === name);
      const answers = made ? JSON.stringify(this.responses.get(made.id) ?? []) : 'no adapter was created';
      const running = this.started.filter((s) => !this.ended.has(s.id)).map((s) => s.name);
      assert.fail(`vscode.debug.startDebugging("${name}") returned false (workspace trusted: ${vscode.workspace.isTrusted}; sessions still running: ${JSON.stringify(running)}; the adapter's responses: ${answers})`);
    }
    return this.until(`session "${name}" to start`, () => this.started.find((s) => s.name === name));
  }

  /** The session's next stop not yet taken by a test. */
  async nextStop(session: vscode.DebugSession, timeoutMs?: number): Promise<StoppedEventBody> {
    const i = this.taken.get(session.id) ?? 0;
    const stop = await this.until(`stop #${i + 1} of "${session.name}"`, () => {
      if (this.ended.has(session.id) && (this.stops.get(session.id)?.length ?? 0) <= i) throw new Error(`"${session.name}" ended before stopping`);
      return this.stops.get(session.id)?.[i];
    }, timeoutMs);
    this.taken.set(session.id, i + 1);
    return stop;
  }

  /** Sends a request that makes the machine move, and resolves with the stop it causes. */
  async move(session: vscode.DebugSession, command: string, args: Record<string, unknown> = { threadId: 1 }): Promise<StoppedEventBody> {
    // Stops before this one were either taken or are stale: the move's stop is the next one.
    this.taken.set(session.id, this.stops.get(session.id)?.length ?? 0);
    await session.customRequest(command, args);
    return this.nextStop(session);
  }

  /** Runs a VS Code command that makes the machine move (Step Over…), and resolves with the stop it causes. */
  async command(session: vscode.DebugSession, command: string): Promise<StoppedEventBody> {
    this.taken.set(session.id, this.stops.get(session.id)?.length ?? 0);
    await vscode.commands.executeCommand(command);
    return this.nextStop(session);
  }

  /** The thread's call stack, innermost first (never empty). */
  async frames(session: vscode.DebugSession, threadId = 1): Promise<StackFrame[]> {
    const res = (await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 20 })) as { stackFrames: StackFrame[] };
    assert.ok(res.stackFrames.length > 0, `stackTrace returned no frame on thread ${threadId}`);
    return res.stackFrames;
  }

  async topFrame(session: vscode.DebugSession, threadId = 1): Promise<StackFrame> {
    return (await this.frames(session, threadId))[0];
  }

  /** How many responses to `command` the session's adapter has sent so far. */
  responseCount(session: vscode.DebugSession, command: string): number {
    return (this.responses.get(session.id) ?? []).filter((r) => r.command === command).length;
  }

  /** The first response to `command` from the session's adapter that satisfies `pred`. */
  response(session: vscode.DebugSession, command: string, pred: (r: AdapterResponse) => boolean = () => true): Promise<AdapterResponse> {
    return this.until(`a '${command}' response from "${session.name}"`, () => this.responses.get(session.id)?.find((r) => r.command === command && pred(r)));
  }

  /** Sessions whose name matches, as VS Code started them (also ones started by VS Code itself, e.g. F5). */
  session(name: string | RegExp): Promise<vscode.DebugSession> {
    return this.until(`a session named ${name}`, () => this.created.find((s) => (typeof name === 'string' ? s.name === name : name.test(s.name))));
  }

  hasEnded(session: vscode.DebugSession): boolean {
    return this.ended.has(session.id);
  }

  ending(session: vscode.DebugSession): Promise<void> {
    return this.until(`"${session.name}" to end`, () => (this.ended.has(session.id) ? true : undefined)).then(() => undefined);
  }

  /** Stops every session this recorder saw start and waits for each to end. */
  async stopAll(): Promise<void> {
    for (const s of this.started) {
      if (this.terminated.has(s.id)) continue;
      if (!this.ended.has(s.id)) await vscode.debug.stopDebugging(s);
      // Until VS Code has ended it too, not only until its adapter exited: the next test must find no session.
      await this.until(`"${s.name}" to be ended by VS Code`, () => (this.terminated.has(s.id) ? true : undefined));
    }
  }

  /** The end of a suite: stops what is still running (and, asked, clears breakpoints), then disposes. */
  async close(clearBreakpoints = false): Promise<void> {
    if (clearBreakpoints) vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    try {
      await this.stopAll();
    } finally {
      this.dispose();
    }
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    for (const w of [...this.waiters]) w.cancel();
  }
}
