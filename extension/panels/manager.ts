// Owns the panels: at most one Page Tables and one Ring Transitions panel per debug session,
// and the serializers that bring them back after a window reload. A panel's session can
// change (it adopts the next session after its own ended), so panels are looked up by what
// they show now, never by the session they were opened for.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { PanelState } from './messages';
import { PROJECTOR_SETTING, type PanelKind, type PanelView } from './panel';
import { PageTablesPanel, PAGE_TABLES_VIEW } from './pageTablesPanel';
import { TransitionsPanel, TRANSITIONS_VIEW } from './transitionsPanel';

type AnyPanel = PageTablesPanel | TransitionsPanel;

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
    ctx.track(vscode.window.registerWebviewPanelSerializer(PAGE_TABLES_VIEW, { deserializeWebviewPanel: async (p, s: unknown) => void this.adopt('pageTables', p, s) }));
    ctx.track(vscode.window.registerWebviewPanelSerializer(TRANSITIONS_VIEW, { deserializeWebviewPanel: async (p, s: unknown) => void this.adopt('transitions', p, s) }));
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
    const p = kind === 'pageTables' ? new PageTablesPanel(this.ctx, panel, sessionId, mayAdopt, onClose) : new TransitionsPanel(this.ctx, panel, sessionId, mayAdopt, onClose);
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
    const title = kind === 'pageTables' ? vscode.l10n.t('Page Tables') : vscode.l10n.t('Ring Transitions');
    // Next to the code, and in the column of a panel already open: Beside is relative to the
    // active group, which is that panel's own when it has the focus (a third column).
    const column = [...this.open].map((p) => p.panel.viewColumn).find((c) => c !== undefined) ?? vscode.ViewColumn.Beside;
    const panel = vscode.window.createWebviewPanel(kind === 'pageTables' ? PAGE_TABLES_VIEW : TRANSITIONS_VIEW, title, { viewColumn: column, preserveFocus: true }, {});
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
