// While a Ringside session is paused: where the CPU is ("ring 3 · user", "VM 1 · ring 0 · non-root").
import * as vscode from 'vscode';
import type { SessionRegistry, SessionState } from './debug/sessions';
import type { StoppedEventBody } from '../debug-adapter/protocol';

const RING_NAMES = ['kernel', 'ring 1', 'ring 2', 'user'];

export function describeMode(stop: Pick<StoppedEventBody, 'cpl' | 'vm'>): string {
  if (stop.vm > 0) return `VM ${stop.vm} · ring ${stop.cpl} · non-root`;
  return stop.cpl === 0 ? 'ring 0 · kernel' : `ring ${stop.cpl} · ${RING_NAMES[stop.cpl]}`;
}

export class ModeStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ringside.mode', vscode.StatusBarAlignment.Left, 100);
  private readonly subs: vscode.Disposable[];

  constructor(private readonly sessions: SessionRegistry) {
    this.item.name = 'Ringside: privilege level';
    this.item.command = 'ringside.openTransitions';
    this.subs = [
      sessions.onDidChange(() => this.update()),
      // The active session changes before or after a session's end is known: listen to both.
      sessions.onDidEnd(() => this.update()),
      vscode.debug.onDidChangeActiveDebugSession(() => this.update()),
    ];
  }

  /** The text shown now ('' when hidden): tests read it. */
  text = '';

  update(): void {
    const st: SessionState | undefined = this.sessions.current();
    if (!st?.stop) {
      this.text = '';
      this.item.hide();
      return;
    }
    this.text = describeMode(st.stop);
    this.item.text = `$(shield) ${this.text}`;
    this.item.tooltip = `${st.stop.text}\nstep ${st.stop.icount}${st.stop.cycles !== undefined ? ` · ${st.stop.cycles.toLocaleString('en-US')} cycles` : ''} · click for the Ring Transitions panel`;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
    this.item.dispose();
  }
}
