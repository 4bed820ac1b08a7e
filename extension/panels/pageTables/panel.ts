// The Page Tables panel: the current address space as directory → tables → pages, a walk for
// any virtual address (every memory read, 2 natively, up to 8 with EPT), the TLB, and for a VM
// the guest table and the EPT side by side. Rows come from the adapter as they are drawn: in
// every stop event while the panel is open, else from its `pageView` request; more on demand.
import * as vscode from 'vscode';
import { PAGE_ROWS, PAGE_TABLES, PAGE_VIEW, PANELS, WATCH, type PageView, type PageViewArguments, type StoppedEventBody } from '../../../debug-adapter/protocol';
import { request } from '../../debug/requests';
import type { Ctx } from '../../ctx';
import { stopSummary } from '../messages';
import type { HostToPageTables, PageTablesToHost, SpaceInfo } from './messages';
import type { SessionState } from '../../debug/sessions';
import { RingsidePanel } from '../basePanel';
import { parseAddress } from '../address';


type Base = RingsidePanel<HostToPageTables, PageTablesToHost>;

export class PageTablesPanel extends RingsidePanel<HostToPageTables, PageTablesToHost> {
  private space: number | undefined;
  /** Numbers the states sent: 'moreRows' for an older one is dropped. */
  private seq = 0;
  /** The space of the last state sent, whose tables 'moreRows' reads. */
  private shownSpace = 0;
  /** The session asked to send its page tables with every stop (so a refresh needs no round trip). */
  private subscribed: vscode.DebugSession | undefined;

  constructor(ctx: Ctx, panel: vscode.WebviewPanel, sessionId: string | undefined, title: string, mayAdopt: (p: Base, sessionId: string) => boolean, onClose: (p: Base) => void) {
    super(ctx, panel, sessionId, 'pageTables', title, mayAdopt, onClose);
  }

  protected noSession(message: string): HostToPageTables {
    return { type: 'noSession', message };
  }
  protected errorMessage(message: string): HostToPageTables {
    return { type: 'error', message };
  }

  private bound(): vscode.DebugSession {
    const st = this.session();
    if (!st) throw new Error('no debug session');
    return st.session;
  }

  protected async refresh(stale: () => boolean = () => false): Promise<void> {
    const st = this.session();
    if (!st) return this.post(this.noSession(vscode.l10n.t('No Ringside debug session. Open a .rasm file and press F5, then this panel shows its page tables.')));
    this.setTitle(st);
    if (!st.stop) return this.post({ type: 'running', session: this.sessionInfo(st) });
    const stop = st.stop;
    if (this.subscribed !== st.session) {
      this.subscribed = st.session;
      await request(st.session, PANELS, { pageTables: true }).then(undefined, () => undefined);
    }
    const args = (space: number): PageViewArguments => (space === stop.vm ? { space, va: stop.pc, access: 'fetch', data: stop.data?.va } : { space });
    const view = (space: number) => request(this.bound(), PAGE_VIEW, args(space));
    const chosen = this.space ?? stop.vm;
    // The stop event carries the running space's view: no round trip through the editor for it.
    const pushed = chosen === stop.vm ? stop.pageView : undefined;
    // The stop lists the address spaces (as data, not the threads' names).
    const spaces = stop.spaces;
    const first = pushed ?? (await view(chosen).catch(() => undefined));
    // The space picked earlier may be gone (its VM ended): fall back to the one running now.
    const space = first && spaces.some((s) => s.id === chosen) ? chosen : stop.vm;
    const data = space === chosen && first ? first : await view(space);
    if (stale()) return;
    return this.post(this.stateMessage(st, stop, space, spaces, data));
  }

  protected override quickState(): HostToPageTables | undefined {
    const st = this.session();
    const stop = st?.stop;
    if (!st || !stop?.pageView || this.subscribed !== st.session || (this.space ?? stop.vm) !== stop.vm) return undefined;
    return this.stateMessage(st, stop, stop.vm, stop.spaces, stop.pageView);
  }

  private stateMessage(st: SessionState, stop: StoppedEventBody, space: number, spaces: SpaceInfo[], data: PageView): HostToPageTables {
    this.setTitle(st);
    this.shownSpace = space;
    return { type: 'state', seq: ++this.seq, session: this.sessionInfo(st), stop: stopSummary(stop), spaces, space, data };
  }

  override dispose(): void {
    const s = this.subscribed;
    this.subscribed = undefined;
    // Stop events need not carry page tables once no panel shows them.
    if (s && this.ctx.sessions.get(s.id)) void Promise.resolve(request(s, PANELS, { pageTables: false })).catch(() => undefined);
    super.dispose();
  }

  protected async handle(m: PageTablesToHost): Promise<void> {
    switch (m.type) {
      case 'selectSpace':
        this.space = m.space;
        return this.refresh();
      case 'translate': {
        const va = parseAddress(m.va);
        if (va === undefined) return this.post({ type: 'error', message: vscode.l10n.t("'{0}' is not an address: type it as 0x00400000 or a decimal number.", m.va) });
        const st = this.session();
        if (!st?.stop) return this.post({ type: 'error', message: vscode.l10n.t('The program is running: pause it to translate an address.') });
        const data = await request(st.session, PAGE_TABLES, { space: this.space ?? st.stop.vm, va, access: m.access, limit: 0 });
        if (data.walk) return this.post({ type: 'walk', walk: data.walk, reads: data.walk.reads.length });
        return;
      }
      case 'moreRows': {
        if (m.seq !== this.seq) return; // a newer state is on its way
        const seq = this.seq;
        const rows = await request(this.bound(), PAGE_ROWS, { space: this.shownSpace, ept: m.ept, dir: m.dir, from: m.from, count: m.count });
        if (seq !== this.seq) return;
        return this.post({ type: 'rows', seq, ept: m.ept, dir: m.dir, from: Math.max(0, Math.floor(m.from)), hash: rows.hash, runs: rows.runs });
      }
      case 'reveal':
        return this.revealMemory(m.address, m.physical, m.title);
      case 'watch':
        return this.watch(m.address, m.physical, m.title);
    }
  }

  /** Translate an address from a command (palette): show the panel's walk for it. */
  async translate(va: number): Promise<void> {
    await this.handle({ type: 'translate', va: '0x' + va.toString(16), access: 'read' });
  }

  private async revealMemory(address: number, physical: boolean, title: string): Promise<void> {
    const st = this.session();
    if (!st) return;
    const memoryReference = physical ? `phys:0x${address.toString(16)}` : `0x${address.toString(16)}`;
    // VS Code's memory view needs the Hex Editor extension; without it, show a dump here.
    if (vscode.extensions.getExtension('ms-vscode.hexeditor')) {
      const uri = vscode.Uri.from({ scheme: 'vscode-debug-memory', authority: st.session.id, path: `/${encodeURIComponent(memoryReference)}`, query: `?range=0:4096` });
      await vscode.commands.executeCommand('vscode.openWith', uri, 'hexEditor.hexedit');
      return;
    }
    const res = (await st.session.customRequest('readMemory', { memoryReference, offset: 0, count: 64 })) as { address: string; data?: string; unreadableBytes?: number };
    // atob, not Buffer: the extension also runs in the browser's extension host.
    const bytes = Uint8Array.from(atob(res.data ?? ''), (c) => c.charCodeAt(0));
    const hex: string[] = [];
    for (let i = 0; i < bytes.length; i += 16) hex.push([...bytes.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' '));
    await this.post({ type: 'memory', title, address, hex });
  }

  private async watch(address: number, physical: boolean, title: string): Promise<void> {
    const st = this.session();
    if (!st) return;
    await request(st.session, WATCH, { address, physical, access: 'write', description: title });
    await this.post({ type: 'info', message: vscode.l10n.t('Watching {0}: the debugger stops when it is written.', title) });
  }
}
