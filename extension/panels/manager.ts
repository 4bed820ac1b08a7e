// Owns the panels: one Page Tables and one Ring Transitions panel per debug session, and the
// serializers that bring them back after a window reload.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { PanelState } from './messages';
import { PageTablesPanel, PAGE_TABLES_VIEW } from './pageTablesPanel';
import { TransitionsPanel, TRANSITIONS_VIEW } from './transitionsPanel';

type Kind = 'pageTables' | 'transitions';

export class PanelManager implements vscode.Disposable {
  private readonly open = new Map<string, PageTablesPanel | TransitionsPanel>();

  constructor(private readonly ctx: Ctx) {
    ctx.track(vscode.window.registerWebviewPanelSerializer(PAGE_TABLES_VIEW, { deserializeWebviewPanel: async (p, s: PanelState | undefined) => void this.adopt('pageTables', p, s) }));
    ctx.track(vscode.window.registerWebviewPanelSerializer(TRANSITIONS_VIEW, { deserializeWebviewPanel: async (p, s: PanelState | undefined) => void this.adopt('transitions', p, s) }));
  }

  private key(kind: Kind, sessionId: string | undefined): string {
    return `${kind}:${sessionId ?? 'none'}`;
  }

  private create(kind: Kind, panel: vscode.WebviewPanel, sessionId: string | undefined): PageTablesPanel | TransitionsPanel {
    const onClose = (p: { sessionId: string | undefined }) => {
      for (const [k, v] of this.open) if (v === p) this.open.delete(k);
    };
    const p = kind === 'pageTables' ? new PageTablesPanel(this.ctx, panel, sessionId, onClose) : new TransitionsPanel(this.ctx, panel, sessionId, onClose);
    this.open.set(this.key(kind, sessionId), p);
    return p;
  }

  /** Restored after reload: bind to the session it showed if it still runs, else the current one. */
  private adopt(kind: Kind, panel: vscode.WebviewPanel, state: PanelState | undefined): void {
    const id = state?.sessionId && this.ctx.sessions.get(state.sessionId) ? state.sessionId : this.ctx.sessions.current()?.session.id;
    this.create(kind, panel, id);
  }

  /** Open (or reveal) the panel of a kind for the current session. */
  show(kind: Kind): PageTablesPanel | TransitionsPanel {
    const sessionId = this.ctx.sessions.current()?.session.id;
    const existing = this.open.get(this.key(kind, sessionId)) ?? (sessionId ? undefined : undefined);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const title = kind === 'pageTables' ? 'Page Tables' : 'Ring Transitions';
    const panel = vscode.window.createWebviewPanel(kind === 'pageTables' ? PAGE_TABLES_VIEW : TRANSITIONS_VIEW, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
    return this.create(kind, panel, sessionId);
  }

  /** Panels open now (tests inspect them). */
  list(): { kind: Kind; sessionId: string | undefined; title: string }[] {
    return [...this.open.entries()].map(([k, p]) => ({ kind: k.split(':')[0] as Kind, sessionId: p.sessionId, title: p.panel.title }));
  }

  dispose(): void {
    for (const p of this.open.values()) p.dispose();
    this.open.clear();
  }
}
