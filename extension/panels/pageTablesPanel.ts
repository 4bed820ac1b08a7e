// The Page Tables panel: the current address space as directory → tables → pages, a walk for
// any virtual address (every memory read, 2 natively, up to 8 with EPT), the TLB, and for a VM
// the guest table and the EPT side by side. Data comes from the adapter's `pageTables` request.
import * as vscode from 'vscode';
import { PAGE_TABLES, PANELS, type PageTablesArguments, type PageTablesResponseBody, type StoppedEventBody } from '../../debug-adapter/protocol';
import type { Ctx } from '../ctx';
import { stopSummary, type HostToPageTables, type PageTablesToHost, type SpaceInfo } from './messages';
import type { SessionState } from '../debug/sessions';
import { RingsidePanel } from './panel';
import { parseAddress, spacesOf } from './spaces';
import { pageTablesView, type RunCache } from './pageRuns';

export const PAGE_TABLES_VIEW = 'ringside.pageTables';

type Base = RingsidePanel<HostToPageTables, PageTablesToHost>;

export class PageTablesPanel extends RingsidePanel<HostToPageTables, PageTablesToHost> {
  readonly kind = 'pageTables';
  private space: number | undefined;
  /** The rows behind the last state sent, numbered by `seq`, for 'moreRows'. */
  private seq = 0;
  private cache: RunCache | undefined;
  private spaceCache: { sessionId: string; version: number; spaces: SpaceInfo[] } | undefined;
  /** The session asked to send its page tables with every stop (so a refresh needs no round trip). */
  private subscribed: vscode.DebugSession | undefined;

  constructor(ctx: Ctx, panel: vscode.WebviewPanel, sessionId: string | undefined, mayAdopt: (p: Base, sessionId: string) => boolean, onClose: (p: Base) => void) {
    super(ctx, panel, sessionId, 'pageTables.js', 'Page Tables', mayAdopt, onClose);
  }

  protected noSession(message: string): HostToPageTables {
    return { type: 'noSession', message };
  }
  protected errorMessage(message: string): HostToPageTables {
    return { type: 'error', message };
  }

  private async request(args: PageTablesArguments): Promise<PageTablesResponseBody> {
    const st = this.session();
    if (!st) throw new Error('no debug session');
    return (await st.session.customRequest(PAGE_TABLES, args)) as PageTablesResponseBody;
  }

  protected async refresh(stale: () => boolean = () => false): Promise<void> {
    const st = this.session();
    if (!st) return this.post(this.noSession('No Ringside debug session. Open a .rasm file and press F5, then this panel shows its page tables.'));
    this.panel.title = `Page Tables — ${st.session.name}`;
    if (!st.stop) return this.post({ type: 'running', session: { id: st.session.id, name: st.session.name } });
    const stop = st.stop;
    if (this.subscribed !== st.session) {
      this.subscribed = st.session;
      await st.session.customRequest(PANELS, { pageTables: true }).then(undefined, () => undefined);
    }
    const args = (space: number): PageTablesArguments => ({ space, va: space === stop.vm ? stop.pc : undefined, access: 'fetch', limit: 8192 });
    const chosen = this.space ?? stop.vm;
    // The stop event carries the running space's tables: no round trip through the editor for them.
    const pushed = chosen === stop.vm ? stop.pageTables : undefined;
    // Otherwise both requests at once: each is a round trip through the editor to the adapter process.
    const [spaces, first] = await Promise.all([this.spaces(st), pushed ? Promise.resolve(pushed) : this.request(args(chosen)).catch(() => undefined)]);
    // The space picked earlier may be gone (its VM ended): fall back to the one running now.
    const space = first && spaces.some((s) => s.id === chosen) ? chosen : stop.vm;
    const data = space === chosen && first ? first : await this.request(args(space));
    if (stale()) return;
    return this.post(this.stateMessage(st, stop, space, spaces, data));
  }

  protected override quickState(): HostToPageTables | undefined {
    const st = this.session();
    const stop = st?.stop;
    if (!st || !stop?.pageTables || this.subscribed !== st.session || (this.space ?? stop.vm) !== stop.vm) return undefined;
    const c = this.spaceCache;
    if (!c || c.sessionId !== st.session.id || c.version !== st.threadsVersion || !c.spaces.some((s) => s.id === stop.vm)) return undefined;
    return this.stateMessage(st, stop, stop.vm, c.spaces, stop.pageTables);
  }

  private stateMessage(st: SessionState, stop: StoppedEventBody, space: number, spaces: SpaceInfo[], data: PageTablesResponseBody): HostToPageTables {
    this.panel.title = `Page Tables — ${st.session.name}`;
    const { view, cache } = pageTablesView(data, space === stop.vm ? stop.pc : undefined);
    this.cache = cache;
    return { type: 'state', seq: ++this.seq, session: { id: st.session.id, name: st.session.name }, stop: stopSummary(stop), spaces, space, data: view };
  }

  override dispose(): void {
    const s = this.subscribed;
    this.subscribed = undefined;
    // Stop events need not carry page tables once no panel shows them.
    if (s && this.ctx.sessions.get(s.id)) void Promise.resolve(s.customRequest(PANELS, { pageTables: false })).catch(() => undefined);
    super.dispose();
  }

  /** The session's address spaces, asked for again only when its threads changed. */
  private async spaces(st: SessionState): Promise<SpaceInfo[]> {
    const c = this.spaceCache;
    if (c && c.sessionId === st.session.id && c.version === st.threadsVersion) return c.spaces;
    const version = st.threadsVersion;
    const spaces = await spacesOf(st.session);
    this.spaceCache = { sessionId: st.session.id, version, spaces };
    return spaces;
  }

  protected async handle(m: PageTablesToHost): Promise<void> {
    switch (m.type) {
      case 'selectSpace':
        this.space = m.space;
        return this.refresh();
      case 'translate': {
        const va = parseAddress(m.va);
        if (va === undefined) return this.post({ type: 'error', message: `'${m.va}' is not an address: type it as 0x00400000 or a decimal number.` });
        const st = this.session();
        if (!st?.stop) return this.post({ type: 'error', message: 'The program is running: pause it to translate an address.' });
        const data = await this.request({ space: this.space ?? st.stop.vm, va, access: m.access, limit: 0 });
        if (data.walk) return this.post({ type: 'walk', walk: data.walk, reads: data.walk.reads.length });
        return;
      }
      case 'moreRows': {
        if (m.seq !== this.seq || !this.cache) return; // a newer state is on its way
        const runs = (m.ept ? this.cache.ept : this.cache.tables).get(m.dir) ?? [];
        const from = Math.max(0, Math.floor(m.from));
        return this.post({ type: 'rows', seq: m.seq, ept: m.ept, dir: m.dir, from, runs: runs.slice(from, from + Math.max(1, Math.min(4096, Math.floor(m.count)))) });
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
    const bytes = res.data ? Buffer.from(res.data, 'base64') : Buffer.alloc(0);
    const hex: string[] = [];
    for (let i = 0; i < bytes.length; i += 16) hex.push([...bytes.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' '));
    await this.post({ type: 'memory', title, address, hex });
  }

  private async watch(address: number, physical: boolean, title: string): Promise<void> {
    const st = this.session();
    if (!st) return;
    await st.session.customRequest('ringsideWatch', { address, physical, access: 'write', description: title });
    await this.post({ type: 'info', message: `Watching ${title}: the debugger stops when it is written.` });
  }
}
