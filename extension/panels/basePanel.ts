// What every panel shares: one webview per debug session, bound to that session's stops,
// restored after a reload by a serializer, and never throwing on data it does not expect.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { SessionState } from '../debug/sessions';
import { panelHtml, webviewOptions } from './html';
import type { CommonToHost, PanelSettings, PanelState, Rendered, SessionInfo } from './messages';
import { programFile, programUri, sessionProgram } from '../debug/programName';
import { saveFigure } from './exportFigure';
import { showStopBeside } from './sourceBeside';

/** The setting that turns the panels' projector mode (larger text) on. */
export const PROJECTOR_SETTING = 'ringside.panels.projectorMode';

export type { PanelKind } from './kinds';
import type { PanelKind } from './kinds';

/** What a panel last showed, as the extension API reports it. */
export interface PanelView {
  readonly view: Rendered['view'];
  readonly icount: number;
  readonly rows: number;
  readonly text: string;
  /** Inside the webview: message in → page laid out. */
  readonly renderMs: number;
  /**
   * From the stop reaching the extension to the webview's page laid out (adapter requests
   * included), by the wall clock both sides share; the message back is not counted.
   */
  readonly refreshMs: number | undefined;
  /** Of refreshMs: until the extension had posted the data (requests to the adapter, when the stop did not carry it). */
  readonly hostMs: number | undefined;
  /** Of refreshMs: from the host's postMessage to the message's arrival in the page. */
  readonly relayMs: number | undefined;
  /** The wall-clock marks behind these figures (Date.now()), to line them up with a browser trace. */
  readonly marks?: { stop: number; posted?: number; arrived: number; done: number };
}

export abstract class RingsidePanel<ToWebview extends { type: string }, FromWebview extends { type: string }> implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** Whether the webview said it is ready (messages before that would be lost). */
  private ready = false;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  /** Bumped by every refresh: one that finds it changed after an await is stale. */
  private generation = 0;
  /** When the refresh for a stop began, to time it once the webview reports it drawn. */
  private refreshStart: { icount: number; wall: number; t: number; posted?: number; postedWall?: number } | undefined;
  lastView: PanelView | undefined;
  /** Set when this panel's session ended, until another session takes the panel. */
  private endedNote: string | undefined;

  constructor(
    protected readonly ctx: Ctx,
    readonly panel: vscode.WebviewPanel,
    /** The debug session this panel shows; undefined: none (yet, or it ended). */
    public sessionId: string | undefined,
    /** Its page is dist/webview/<kind>.js. */
    readonly kind: PanelKind,
    private readonly title: string,
    /** Whether this panel may take a session that has no panel of its kind yet. */
    private readonly mayAdopt: (p: RingsidePanel<ToWebview, FromWebview>, sessionId: string) => boolean,
    private readonly onClose: (p: RingsidePanel<ToWebview, FromWebview>) => void,
  ) {
    const ext = ctx.extCtx.extensionUri;
    panel.webview.options = webviewOptions(ext);
    panel.webview.html = panelHtml(panel.webview, ext, `${kind}.js`, title);
    panel.iconPath = vscode.Uri.joinPath(ext, 'media', 'ringside.svg');
    // A panel restored after a reload keeps its old title, naming a session that is gone.
    if (sessionId === undefined) panel.title = title;
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      // Hidden, the page is discarded (retainContextWhenHidden is off): stop refreshing it until
      // it is shown again, reloads and says 'ready'.
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.ready = false;
      }),
      panel.webview.onDidReceiveMessage((m: FromWebview | Rendered | undefined) => {
        // The webview is a page we wrote, but a message is still data: check its shape.
        if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
        if (m.type === 'ready') {
          // A (re)loaded page holds nothing: hidden webviews are discarded and rebuilt.
          this.ready = true;
          this.webviewReloaded();
          void this.post(this.settings() as unknown as ToWebview);
          void this.safeRefresh();
          return;
        }
        if (m.type === 'rendered') return this.rendered(m as Rendered);
        if (m.type === 'projector' || m.type === 'export') {
          this.common(m as unknown as CommonToHost).catch((e: unknown) => this.showError(e));
          return;
        }
        this.handle(m as FromWebview).catch((e: unknown) => this.showError(e));
      }),
      ctx.sessions.onDidChange((st) => {
        if (this.sessionId === undefined && this.mayAdopt(this, st.session.id)) this.sessionId = st.session.id;
        if (st.session.id === this.sessionId) {
          this.endedNote = undefined;
          this.setTitle(st);
          // Before VS Code shows the stop: in the panel's own group, it would hide the panel.
          if (st.stop) showStopBeside(this.panel, st.stop.source);
          void this.safeRefresh();
        }
      }),
      ctx.sessions.onDidEnd((s) => {
        if (s.id !== this.sessionId) return;
        // Unbound, so that the next session (F5 again) fills this panel instead of opening another.
        this.sessionId = undefined;
        this.panel.title = vscode.l10n.t('{0} — {1} (ended)', title, programFile(s));
        this.endedNote = vscode.l10n.t('The debug session of {0} has ended. Start another (F5) and this panel follows it.', sessionProgram(s));
        void this.safeRefresh();
      }),
    );
  }

  /** The tab names the program (hello.rasm): two sessions' panels can be told apart. */
  protected setTitle(st: SessionState): void {
    this.panel.title = vscode.l10n.t('{0} — {1}', this.title, programFile(st.session));
  }

  protected sessionInfo(st: SessionState): SessionInfo {
    return { id: st.session.id, name: st.session.name, program: sessionProgram(st.session) };
  }

  private settings(): PanelSettings {
    return { type: 'settings', projector: vscode.workspace.getConfiguration().get<boolean>(PROJECTOR_SETTING) === true };
  }

  /** The projector setting changed (here or in another panel): every page follows. */
  settingsChanged(): void {
    void this.post(this.settings() as unknown as ToWebview);
  }

  private async common(m: CommonToHost): Promise<void> {
    if (m.type === 'projector') {
      // A setting, not the page's own state: every panel and the next session follow it.
      await vscode.workspace.getConfiguration().update(PROJECTOR_SETTING, m.on === true, vscode.ConfigurationTarget.Global);
      return;
    }
    const st = this.session();
    const program = st?.session.configuration.program;
    await saveFigure(m, typeof program === 'string' && program ? programUri(program) : undefined);
  }

  /** Show this session from now on (a panel that showed none is reused). */
  bind(sessionId: string): void {
    this.sessionId = sessionId;
    this.endedNote = undefined;
    void this.safeRefresh();
  }

  get state(): PanelState {
    return { sessionId: this.sessionId };
  }

  protected session(): SessionState | undefined {
    return this.sessionId ? this.ctx.sessions.get(this.sessionId) : undefined;
  }

  /**
   * Rebuild the view from the session's current state. `stale()` turns true once a newer
   * refresh has posted: after an await, check it before posting.
   */
  protected abstract refresh(stale: () => boolean): Promise<void>;
  /** The refresh's message when it needs no request (nothing to wait for), else undefined. */
  protected quickState(): ToWebview | undefined {
    return undefined;
  }
  protected abstract handle(m: FromWebview): Promise<void>;
  protected abstract noSession(message: string): ToWebview;
  protected abstract errorMessage(message: string): ToWebview;
  /** Whether the page is open and listening: a long load stops when it is closed or hidden. */
  protected live(): boolean {
    return !this.disposed && this.ready;
  }
  /** The page was (re)loaded: forget what it was sent before. */
  protected webviewReloaded(): void {}

  /**
   * Called on every stop and on a resume the registry announces. Refreshes one at a time: a
   * stop that arrives during a refresh causes exactly one more.
   */
  safeRefresh(): Promise<void> {
    if (!this.ready || this.disposed) return Promise.resolve();
    // A stop whose data is at hand is posted now, before this call returns: the session
    // tracker sees the adapter's ringsideStopped before VS Code forwards it and the standard
    // `stopped` behind it, so the panel's message leaves ahead of the editor's own traffic.
    const quick = this.quickState();
    if (quick) {
      // A refresh still waiting for data would draw an older state over this one.
      this.generation++;
      this.refreshAgain = false;
      this.markStart();
      void this.post(quick).catch((e: unknown) => this.showError(e));
      return Promise.resolve();
    }
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        const gen = ++this.generation;
        this.markStart();
        try {
          // A hidden webview is discarded: when shown again it must still say its session ended.
          if (this.sessionId === undefined && this.endedNote) await this.post(this.noSession(this.endedNote));
          else await this.refresh(() => gen !== this.generation);
        } catch (e) {
          this.showError(e);
        }
      } while (this.refreshAgain && !this.disposed);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** A refresh begins: note when, to time it once the webview reports the stop drawn. */
  private markStart(): void {
    const stop = this.session()?.stop;
    this.refreshStart = stop ? { icount: stop.icount, wall: Date.now(), t: performance.now() } : undefined;
  }

  private rendered(m: Rendered): void {
    const start = this.refreshStart;
    const timed = m.view === 'state' && start !== undefined && start.icount === m.icount;
    this.lastView = {
      view: m.view,
      icount: Number(m.icount),
      rows: Number(m.rows),
      text: String(m.text),
      renderMs: Number(m.renderMs),
      refreshMs: timed ? Math.max(0, Number(m.doneAt) - start.wall) : undefined,
      hostMs: timed && start.posted !== undefined ? start.posted - start.t : undefined,
      relayMs: timed && start.postedWall !== undefined ? Number(m.arrivedAt) - start.postedWall : undefined,
      marks: timed ? { stop: start.wall, posted: start.postedWall, arrived: Number(m.arrivedAt), done: Number(m.doneAt) } : undefined,
    };
    if (timed) this.refreshStart = undefined;
  }

  protected showError(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    void this.post(this.errorMessage(msg));
  }

  protected async post(m: ToWebview): Promise<void> {
    if (this.disposed || !this.ready) return;
    if (this.refreshStart) {
      this.refreshStart.posted = performance.now();
      this.refreshStart.postedWall = Date.now();
    }
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
