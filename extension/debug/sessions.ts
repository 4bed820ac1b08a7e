// Per-session state for the panels and the status bar, fed by the adapter's events only: its
// custom `ringsideStopped` (CodeLLDB style: webviews are fed from custom DAP events per session)
// and DAP's `continued`, which the adapter sends whenever the machine starts moving; read off
// the wire by a DebugAdapterTracker.
import * as vscode from 'vscode';
import { STOPPED_EVENT, type StoppedEventBody } from '../../debug-adapter/protocol';
import { DEBUG_TYPE } from './configProvider';
import { eventBody } from './requests';

/** How long a resumed program runs before the registry says so. */
const RUNNING_NOTICE_MS = 250;

export interface SessionState {
  readonly session: vscode.DebugSession;
  /** The last stop, or undefined while running. */
  stop: StoppedEventBody | undefined;
  /** Stops seen so far (panels use it to notice a refresh). */
  stops: number;
}

export class SessionRegistry implements vscode.Disposable {
  private readonly states = new Map<string, SessionState>();
  private readonly changed = new vscode.EventEmitter<SessionState>();
  private readonly ended = new vscode.EventEmitter<vscode.DebugSession>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Resumes not announced yet, by session (see resumed). */
  private readonly running = new Map<string, ReturnType<typeof setTimeout>>();
  /** Fires on every stop, and on a resume once the program has kept running (see resumed). */
  readonly onDidChange = this.changed.event;
  readonly onDidEnd = this.ended.event;

  constructor() {
    this.disposables.push(
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === DEBUG_TYPE && !this.states.has(s.id)) this.states.set(s.id, { session: s, stop: undefined, stops: 0 });
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (this.states.delete(s.id)) this.ended.fire(s);
      }),
      // A tracker sees the adapter's messages in the extension host before VS Code's own
      // window does: the panels start their requests ahead of the ones VS Code sends for a
      // stop (threads, stack, variables), which the adapter would otherwise answer first.
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: { type?: string; event?: string; body?: unknown }) => {
            if (m.type !== 'event') return;
            const stop = eventBody(STOPPED_EVENT, m);
            if (stop) {
              const st = this.ensure(session);
              this.cancelRunning(st);
              st.stop = stop;
              st.stops++;
              this.changed.fire(st);
            } else if (m.event === 'continued') {
              this.resumed(this.ensure(session));
            }
          },
        }),
      }),
    );
  }

  /**
   * The machine runs again. A step resumes it for microseconds: announcing that at once would
   * make the panels say "running" and the status bar blink on every step, so the change is
   * announced only once it has run RUNNING_NOTICE_MS without stopping (VS Code's views wait too).
   */
  private resumed(st: SessionState): void {
    st.stop = undefined;
    this.cancelRunning(st);
    this.running.set(
      st.session.id,
      setTimeout(() => {
        this.running.delete(st.session.id);
        if (!st.stop && this.states.get(st.session.id) === st) this.changed.fire(st);
      }, RUNNING_NOTICE_MS),
    );
  }

  private cancelRunning(st: SessionState): void {
    clearTimeout(this.running.get(st.session.id));
    this.running.delete(st.session.id);
  }

  private ensure(session: vscode.DebugSession): SessionState {
    let st = this.states.get(session.id);
    if (!st) this.states.set(session.id, (st = { session, stop: undefined, stops: 0 }));
    return st;
  }

  get(id: string): SessionState | undefined {
    return this.states.get(id);
  }

  /** The active Ringside session, else the most recent one. */
  current(): SessionState | undefined {
    const active = vscode.debug.activeDebugSession;
    if (active && this.states.has(active.id)) return this.states.get(active.id);
    return [...this.states.values()].pop();
  }

  all(): SessionState[] {
    return [...this.states.values()];
  }

  dispose(): void {
    for (const t of this.running.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
    this.ended.dispose();
  }
}
