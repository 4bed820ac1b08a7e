// Per-session state for the panels and the status bar, fed by the adapter's custom
// `ringsideStopped` event (CodeLLDB style: webviews are fed from custom DAP events per session).
import * as vscode from 'vscode';
import { STOPPED_EVENT, type StoppedEventBody } from '../../debug-adapter/protocol';
import { DEBUG_TYPE } from './configProvider';

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
  /** Fires on every stop and every resume of a Ringside session. */
  readonly onDidChange = this.changed.event;
  readonly onDidEnd = this.ended.event;

  constructor() {
    this.disposables.push(
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === DEBUG_TYPE) this.states.set(s.id, { session: s, stop: undefined, stops: 0 });
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (this.states.delete(s.id)) this.ended.fire(s);
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type !== DEBUG_TYPE || e.event !== STOPPED_EVENT) return;
        const st = this.ensure(e.session);
        st.stop = e.body as StoppedEventBody;
        st.stops++;
        this.changed.fire(st);
      }),
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: { type?: string; event?: string }) => {
            if (m.type === 'event' && m.event === 'continued') {
              const st = this.ensure(session);
              st.stop = undefined;
              this.changed.fire(st);
            }
          },
        }),
      }),
    );
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
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
    this.ended.dispose();
  }
}
