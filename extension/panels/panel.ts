// What both panels share: one webview per debug session, bound to that session's stops,
// restored after a reload by a serializer, and never throwing on data it does not expect.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { SessionState } from '../debug/sessions';
import { panelHtml, webviewOptions } from './html';
import type { PanelState } from './messages';

export abstract class RingsidePanel<ToWebview extends { type: string }, FromWebview extends { type: string }> implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** Whether the webview said it is ready (messages before that would be lost). */
  private ready = false;

  constructor(
    protected readonly ctx: Ctx,
    readonly panel: vscode.WebviewPanel,
    /** The debug session this panel shows; undefined: none yet. */
    public sessionId: string | undefined,
    script: string,
    title: string,
    private readonly onClose: (p: RingsidePanel<ToWebview, FromWebview>) => void,
  ) {
    const ext = ctx.extCtx.extensionUri;
    panel.webview.options = webviewOptions(ext);
    panel.webview.html = panelHtml(panel.webview, ext, script, title);
    panel.iconPath = vscode.Uri.joinPath(ext, 'media', 'ringside.svg');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromWebview) => {
        if (m.type === 'ready') {
          this.ready = true;
          void this.safeRefresh();
          return;
        }
        this.handle(m).catch((e: unknown) => this.showError(e));
      }),
      ctx.sessions.onDidChange((st) => {
        if (!this.sessionId || st.session.id === this.sessionId) {
          this.sessionId = st.session.id;
          void this.safeRefresh();
        }
      }),
      ctx.sessions.onDidEnd((s) => {
        if (s.id === this.sessionId) void this.post(this.noSession(`The debug session "${s.name}" has ended.`));
      }),
    );
  }

  get state(): PanelState {
    return { sessionId: this.sessionId };
  }

  protected session(): SessionState | undefined {
    return this.sessionId ? this.ctx.sessions.get(this.sessionId) : undefined;
  }

  /** Rebuild the view from the session's current state. */
  protected abstract refresh(): Promise<void>;
  protected abstract handle(m: FromWebview): Promise<void>;
  protected abstract noSession(message: string): ToWebview;
  protected abstract errorMessage(message: string): ToWebview;

  async safeRefresh(): Promise<void> {
    if (!this.ready || this.disposed) return;
    try {
      await this.refresh();
    } catch (e) {
      this.showError(e);
    }
  }

  protected showError(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    void this.post(this.errorMessage(msg));
  }

  protected async post(m: ToWebview): Promise<void> {
    if (this.disposed || !this.ready) return;
    await this.panel.webview.postMessage(m);
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onClose(this);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
