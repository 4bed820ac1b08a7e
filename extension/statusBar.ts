// While a Ringside session is paused: where the CPU is ("ring 3 · user", "VM 1 ring 0 · non-root").
import * as vscode from 'vscode';
import { vocabulary } from '../emulator/isa/vocabulary';
import type { SessionRegistry, SessionState } from './debug/sessions';
import type { StoppedEventBody } from '../debug-adapter/protocol';

/** The vocabulary in VS Code's display language (the bundle the adapter and the pages read too). */
const words = vocabulary((message, ...args) => vscode.l10n.t(message, ...args));

export function describeMode(stop: Pick<StoppedEventBody, 'cpl' | 'vm'>): string {
  return words.status(stop.vm, stop.cpl);
}

export class ModeStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ringside.mode', vscode.StatusBarAlignment.Left, 100);
  private readonly subs: vscode.Disposable[];

  constructor(private readonly sessions: SessionRegistry) {
    this.item.name = vscode.l10n.t('Ringside: privilege level');
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
    const at = st.stop.cycles !== undefined
      ? vscode.l10n.t('step {0} · {1} cycles · click for the Ring Transitions panel', st.stop.icount, st.stop.cycles.toLocaleString('en-US'))
      : vscode.l10n.t('step {0} · click for the Ring Transitions panel', st.stop.icount);
    this.item.tooltip = `${st.stop.text}\n${at}`;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
    this.item.dispose();
  }
}
