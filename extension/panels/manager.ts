// Owns the panels: at most one panel of each kind (kinds.ts) per debug session, and the
// serializers that bring them back after a window reload. A panel's session can
// change (it adopts the next session after its own ended), so panels are looked up by what
// they show now, never by the session they were opened for.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { PanelState } from './messages';
import { PROJECTOR_SETTING, type PanelKind, type PanelView } from './basePanel';
import { PANEL_KINDS } from './kinds';
import { PANELS, type AnyPanel } from './registry';

export interface PanelInfo {
  kind: PanelKind;
  sessionId: string | undefined;
  title: string;
  /** What the webview last drew; undefined until it has drawn once. */
  view: PanelView | undefined;
}

export class PanelManager implements vscode.Disposable {
  private readonly open = new Set<AnyPanel>();

  constructor(private readonly ctx: Ctx) {
    for (const k of PANEL_KINDS) ctx.track(vscode.window.registerWebviewPanelSerializer(k.viewType, { deserializeWebviewPanel: async (p, s: unknown) => void this.adopt(k.kind, p, s) }));
    ctx.track(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(PROJECTOR_SETTING)) for (const p of this.open) p.settingsChanged();
    }));
  }

  private find(kind: PanelKind, sessionId: string | undefined): AnyPanel | undefined {
    for (const p of this.open) if (p.kind === kind && p.sessionId === sessionId) return p;
    return undefined;
  }

  private create(kind: PanelKind, panel: vscode.WebviewPanel, sessionId: string | undefined): AnyPanel {
    const onClose = (p: unknown) => this.open.delete(p as AnyPanel);
    // A panel without a session takes the next one only if that session has no panel of its kind.
    const mayAdopt = (p: { kind: PanelKind }, id: string) => this.find(p.kind, id) === undefined;
    const p = PANELS[kind].create(this.ctx, panel, sessionId, mayAdopt, onClose);
    this.open.add(p);
    return p;
  }

  /** Restored after reload: bind to the session it showed if it still runs, else the current one. */
  private adopt(kind: PanelKind, panel: vscode.WebviewPanel, state: unknown): void {
    // The state was written by an older page, possibly an older version: trust nothing in it.
    const saved = (state as PanelState | undefined)?.sessionId;
    const id = typeof saved === 'string' && this.ctx.sessions.get(saved) ? saved : this.ctx.sessions.current()?.session.id;
    this.create(kind, panel, id !== undefined && this.find(kind, id) === undefined ? id : undefined);
  }

  /** Open (or reveal) the panel of a kind for the current session. */
  show(kind: PanelKind): AnyPanel {
    const sessionId = this.ctx.sessions.current()?.session.id;
    let existing = this.find(kind, sessionId);
    if (!existing && sessionId !== undefined) {
      // A panel that shows no session (never had one, or its session ended) is reused.
      existing = this.find(kind, undefined);
      existing?.bind(sessionId);
    }
    if (existing) {
      existing.reveal();
      return existing;
    }
    const title = PANELS[kind].title();
    // Next to the code, and in the column of a panel already open: Beside is relative to the
    // active group, which is that panel's own when it has the focus (a third column).
    const column = [...this.open].map((p) => p.panel.viewColumn).find((c) => c !== undefined) ?? vscode.ViewColumn.Beside;
    const viewType = PANEL_KINDS.find((k) => k.kind === kind)!.viewType;
    const panel = vscode.window.createWebviewPanel(viewType, title, { viewColumn: column, preserveFocus: true }, {});
    return this.create(kind, panel, sessionId);
  }

  /** Panels open now (the extension API reports them; tests inspect them). */
  /** Redraw every panel from its session's current state (a test hook: a refresh with no stop). */
  refreshAll(): void {
    for (const p of this.open) void p.safeRefresh();
  }

  list(): PanelInfo[] {
    return [...this.open].map((p) => ({ kind: p.kind, sessionId: p.sessionId, title: p.panel.title, view: p.lastView }));
  }

  dispose(): void {
    for (const p of [...this.open]) p.dispose();
    this.open.clear();
  }
}
