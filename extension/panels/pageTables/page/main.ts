// The Page Tables panel's page: renders what the extension host sends, posts what the user asks.
// A stop usually leaves the tables as they were: the page then updates in place (the header's
// words, the pc's highlight, the TLB, the walk) instead of drawing everything again.
import type { StopSummary } from '../../messages';
import type { HostToPageTables, PageTablesView, SpaceInfo, TableView } from '../messages';
import type { Walk, WalkRead, TlbCounters } from '../../../../debug-adapter/protocol';
import { announce, applySettings, el, guarded, hex, icon, message, projectorButton, reportRendered, vscode } from '../../page/common';
import { exportButtons } from '../../page/figure';
import { t as tr, words } from '../../page/l10n';
import { treeFigure, walkFigure } from './figures';
import { flags, tlbRow, type Marks } from './markup';
import { MORE_ROWS, TableBlock } from './tableBlock';

const app = document.getElementById('app')!;
/**
 * The TLB's counters at the last stop drawn: the next stop shows what changed since. Only
 * forward in time, in the same session and address space: after a step back or in another
 * session the counters are not "since the last stop" at all.
 */
let prevTlb: { session: string; space: number; icount: number; counters: TlbCounters } | undefined;
/** The state drawn and the walk shown: what the export buttons draw. */
let current: State | undefined;
let shownWalk: Walk | undefined;
/** The `seq` of the state drawn: rows asked for belong to it. */
let stateSeq = -1;

type State = Extract<HostToPageTables, { type: 'state' }>;

/** What is on the page now, kept to update in place on the next stop. */
interface Page {
  /** Everything that decides the page's layout: a different key draws it afresh. */
  readonly key: string;
  readonly root: HTMLElement;
  readonly header: Header;
  /** Tables by `${ept ? 'e' : 'g'}:${dir}`. */
  readonly blocks: Map<string, TableBlock>;
  tlb: HTMLElement;
}
let page: Page | undefined;

function readLabel(r: WalkRead): string {
  switch (r.what) {
    case 'pde': return tr('page-directory entry');
    case 'pte': return tr('page-table entry');
    case 'ept-pde': return tr('EPT directory entry (for guest-physical {0})', hex(r.gpa ?? 0));
    case 'ept-pte': return tr('EPT table entry (for guest-physical {0})', hex(r.gpa ?? 0));
  }
}

function walkView(w: Walk, animate: boolean): HTMLElement {
  const ol = el('ol', { class: 'walk' });
  w.reads.forEach((r, i) => {
    const li = el('li', { class: animate ? 'step animate' : 'step' },
      el('span', { class: 'mono' }, tr('read {0}', hex(r.address))), ' = ', el('span', { class: 'mono' }, hex(r.value)), ' ', readLabel(r), ' ', flags(r.value, r.what.startsWith('ept')));
    if (animate) li.style.animationDelay = `${i * 350}ms`;
    ol.append(li);
  });
  const result = w.fault
    ? el('p', { class: 'fault', role: 'alert' }, icon('error'), ' ', w.fault.message)
    : el('p', { class: 'result' }, icon('arrow-right'), ' ', tr('{0} → physical ', hex(w.va)), el('strong', { class: 'mono' }, hex(w.pa ?? 0)), w.gpa !== undefined && w.gpa !== w.pa ? tr(' (guest-physical {0})', hex(w.gpa)) : '');
  if (animate) result.style.animationDelay = `${w.reads.length * 350}ms`;
  result.classList.toggle('animate', animate);
  return el('section', { class: 'walk-box' },
    el('h3', {}, tr('Walk for {0} ({1}, CPL {2})', hex(w.va), tr(w.access), w.cpl)),
    el('p', { class: 'muted' }, `${w.reads.length === 1 ? tr('1 memory read') : tr('{0} memory reads', w.reads.length)} — ${tr('a TLB miss costs 2 natively, up to 8 with EPT (2 × 2 levels).')} ${w.tlbHit ? tr('The TLB holds this page now: the CPU would not walk.') : tr('Not in the TLB now: the next access walks.')}`),
    ol, result);
}

/** TLB rows drawn at first (a TLB may have 4,096 entries); the rest on request. */
const TLB_ROWS = 64;

/** The counters' change since the last stop, when that means something (see prevTlb). */
function tlbDeltas(c: TlbCounters, m: { session: string; space: number; icount: number }): { delta?: TlbCounters; note: string } {
  const p = prevTlb;
  if (!p || p.session !== m.session || p.space !== m.space) return { note: '' };
  if (m.icount < p.icount) return { note: `  ${tr('(went back in time: the counters as they were then)')}` };
  if (m.icount === p.icount) return { note: '' };
  const d = { hits: c.hits - p.counters.hits, misses: c.misses - p.counters.misses, flushes: c.flushes - p.counters.flushes, walkReads: c.walkReads - p.counters.walkReads };
  // Counters only grow while time goes forward; anything else is another run: no deltas.
  if (d.hits < 0 || d.misses < 0 || d.flushes < 0 || d.walkReads < 0) return { note: '' };
  return { delta: d, note: `  ${tr('(+ since the last stop)')}` };
}

function tlbView(data: PageTablesView, space: number, m: State): HTMLElement {
  const c = data.counters;
  const { delta: dd, note } = tlbDeltas(c, { session: m.session.id, space, icount: m.stop.icount });
  const delta = (k: keyof TlbCounters) => (dd ? ` (+${dd[k]})` : '');
  // This space's entries first: they are the ones its next accesses hit.
  const entries = data.tlb.slice().sort((a, b) => Number(b.tag === space) - Number(a.tag === space) || a.tag - b.tag || a.va - b.va);
  const section = el('section', { class: 'tlb' },
    el('h2', {}, 'TLB'),
    el('p', {}, [tr('hits {0}', c.hits + delta('hits')), tr('misses {0}', c.misses + delta('misses')), tr('flushes {0}', c.flushes + delta('flushes')), tr('page-walk reads {0}', c.walkReads + delta('walkReads'))].join(' · '), el('span', { class: 'muted tlb-note' }, note)));
  if (entries.length === 0) {
    section.append(el('p', { class: 'muted' }, tr('The TLB is empty.')));
    return section;
  }
  const body = el('tbody');
  // The space column only beside VMs: before any, every entry is the machine's own.
  const vmx = m.spaces.length > 1;
  const heads = [tr('slot'), ...(vmx ? [tr('space')] : []), tr('page (virtual)'), tr('frame (physical)'), tr('perm')];
  const table = el('table', { class: 'pages', 'aria-rowcount': entries.length + 1 }, el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', { scope: 'col' }, h)))), body);
  const more = el('button', { type: 'button', class: 'more' });
  const add = (count: number) => {
    const shown = body.rows.length;
    body.insertAdjacentHTML('beforeend', entries.slice(shown, shown + count).map((e) => tlbRow(e, space, vmx)).join(''));
    more.hidden = body.rows.length >= entries.length;
    more.textContent = tr('Show {0} more of {1} entries', Math.min(MORE_ROWS, entries.length - body.rows.length), entries.length);
  };
  more.addEventListener('click', () => add(MORE_ROWS));
  add(TLB_ROWS);
  section.append(table, more);
  return section;
}

/** The header keeps its elements across stops: what the user typed in the translate box stays. */
class Header {
  readonly root: HTMLElement;
  private readonly title = el('h1');
  private readonly status = el('p');
  /** The last data access, in words; its page is marked in the tables with the same colour. */
  private readonly data = el('p', { class: 'muted' });
  private readonly select = el('select', { id: 'space', 'aria-label': tr('Address space') });
  private readonly spaceLabel = el('label', { for: 'space' }, `${tr('Address space')} `);
  private spacesKey = '';

  constructor() {
    this.select.addEventListener('change', () => vscode.postMessage({ type: 'selectSpace', space: Number(this.select.value) }));
    const input = el('input', { id: 'va', type: 'text', placeholder: '0x00400000', 'aria-label': tr('Virtual address to translate'), spellcheck: 'false' });
    const access = el('select', { id: 'access', 'aria-label': tr('Access kind') }, el('option', { value: 'read' }, tr('read')), el('option', { value: 'write' }, tr('write')), el('option', { value: 'fetch' }, tr('fetch')));
    const go = el('button', { type: 'submit' }, icon('debug-step-into'), ` ${tr('Translate')}`);
    const form = el('form', { class: 'translate', role: 'search' }, el('label', { for: 'va' }, `${tr('Translate')} `), input, access, go);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      vscode.postMessage({ type: 'translate', va: input.value, access: access.value });
    });
    this.root = el('header', {}, this.title, this.status, this.data, el('div', { class: 'toolbar' }, this.spaceLabel, this.select, form), el('div', { class: 'toolbar tools' }, figureChooser(), projectorButton()), el('div', { id: 'walk-slot' }));
  }

  update(stop: StopSummary, spaces: SpaceInfo[], space: number, program: string): void {
    this.title.textContent = tr('Page tables — {0}', program);
    this.status.replaceChildren(el('span', { class: 'badge' }, words.where(stop.vm, stop.cpl)), ` ${tr('step {0}', stop.icount)}${stop.cycles !== undefined ? ` · ${tr('{0} cycles', stop.cycles.toLocaleString('en-US'))}` : ''} · pc ${hex(stop.pc)} · ${stop.text}`);
    this.data.hidden = !stop.data;
    if (stop.data) this.data.replaceChildren(el('span', { class: 'data-swatch', 'aria-hidden': 'true' }), ` ${tr('last data access: {0} → physical {1}', hex(stop.data.va), hex(stop.data.pa))}`);
    const key = JSON.stringify(spaces);
    if (key !== this.spacesKey) {
      this.spacesKey = key;
      this.select.replaceChildren(...spaces.map((s) => el('option', { value: String(s.id) }, s.id === 0 ? `${words.space(0)} (${words.mode(false, 0)})` : s.name)));
    }
    this.select.value = String(space);
    this.spaceLabel.hidden = this.select.hidden = spaces.length <= 1;
  }
}

/** The figure to export: the walk shown, the page-table tree, or the EPT's. */
function figureChooser(): HTMLElement {
  const pick = el('select', { id: 'figure', 'aria-label': tr('Figure to export') },
    el('option', { value: 'walk' }, tr('page walk')), el('option', { value: 'tree' }, tr('page-table tree')), el('option', { value: 'ept' }, tr('EPT tree')));
  const buttons = exportButtons(tr('the figure chosen'), () => {
    const m = current;
    if (!m) return undefined;
    const space = m.data.space.name;
    if (pick.value === 'walk') {
      const w = shownWalk;
      return w ? { figure: walkFigure(w, space), name: `page-walk-${hex(w.va)}` } : undefined;
    }
    if (pick.value === 'ept') return m.data.eptTables ? { figure: treeFigure(m.data.eptTables, tr('EPT of {0}', space), true), name: `ept-${space}` } : undefined;
    return { figure: treeFigure(m.data.tables, tr('Page tables of {0} (cr3 {1})', space, hex(m.data.space.cr3)), false), name: `page-tables-${space}` };
  });
  return el('span', { class: 'figure-export' }, el('label', { for: 'figure' }, `${tr('Figure')} `), pick, buttons);
}

function tableTree(tables: TableView[], ept: boolean, marks: Marks, heading: string, note: string, blocks: Map<string, TableBlock>, kind = ept ? 'e' : 'g'): HTMLElement {
  const section = el('section', { class: 'tree' }, el('h2', {}, heading), el('p', { class: 'muted' }, note));
  if (tables.length === 0) section.append(el('p', { class: 'muted' }, tr('No present directory entries.')));
  for (const t of tables) {
    const open = (marks.pc !== undefined && marks.pc >>> 22 === t.dir) || tables.length <= 3;
    const block = new TableBlock(t, ept, marks, open, (r) => vscode.postMessage({ type: 'moreRows', seq: stateSeq, ...r }));
    blocks.set(`${kind}:${t.dir}`, block);
    section.append(block.details);
  }
  return section;
}

function layoutKey(m: State): string {
  const d = m.data;
  const dirs = (ts: TableView[] | undefined) => (ts ? ts.map((t) => t.dir).join(',') : '-');
  return [m.session.id, m.space, d.space.name, d.space.paging, d.space.cr3, d.space.eptPointer, d.truncated, dirs(d.tables), dirs(d.eptTables), dirs(d.guestTables)].join('|');
}

/** Draws a stop, in place when the layout is the same; returns the mapping rows it stands for. */
function render(m: State): number {
  vscode.setState({ sessionId: m.session.id });
  stateSeq = m.seq;
  const d = m.data;
  const here = m.space === m.stop.vm;
  const marks: Marks = { pc: here ? m.stop.pc : undefined, data: here ? m.stop.data?.va : undefined };
  const key = layoutKey(m);
  if (page && page.key === key && app.contains(page.root)) {
    for (const [ts, ept] of [[d.tables, false], [d.eptTables ?? [], true]] as const) {
      for (const t of ts) page.blocks.get(`${ept ? 'e' : 'g'}:${t.dir}`)!.update(t, ept ? {} : marks);
    }
    for (const t of d.guestTables ?? []) page.blocks.get(`s:${t.dir}`)!.update(t, {});
    const tlb = tlbView(d, m.space, m);
    page.tlb.replaceWith(tlb);
    page.tlb = tlb;
  } else {
    // A new layout (a table appeared, another space): the header (what the student typed in it)
    // is kept, tables open before stay open, and keyboard focus comes back where it was.
    const focused = document.activeElement instanceof HTMLElement && app.contains(document.activeElement) ? document.activeElement : undefined;
    const focusId = focused?.id;
    const wasOpen = new Map<string, boolean>();
    if (page) for (const [k, b] of page.blocks) wasOpen.set(k, b.details.open);
    const header = page?.header ?? new Header();
    const blocks = new Map<string, TableBlock>();
    const parts: HTMLElement[] = [header.root];
    if (!d.space.paging) parts.push(el('p', { class: 'muted' }, d.space.eptPointer ? tr('{0}: paging is off (cr0.PG = 0): virtual = physical, then EPT.', d.space.name) : tr('{0}: paging is off (cr0.PG = 0): virtual = physical.', d.space.name)));
    const guest = tableTree(d.tables, false, marks, m.space === 0 ? tr('Page tables (cr3 {0})', hex(d.space.cr3)) : d.guestTables ? tr('Shadow page table of {0} (cr3 {1})', d.space.name, hex(d.space.cr3)) : tr('Guest page table of {0} (cr3 {1})', d.space.name, hex(d.space.cr3)),
      m.space === 0 ? tr('Directory → tables → pages: virtual → physical.') : d.eptTables ? tr('Guest-virtual → guest-physical (the guest OS\'s own tables).') : tr('Without EPT the CPU walks these directly: under shadow paging they are the hypervisor\'s shadow tables.'), blocks);
    if (d.eptTables) {
      const ept = tableTree(d.eptTables, true, {}, tr('EPT of {0} ({1})', d.space.name, hex(d.space.eptPointer)), tr('Guest-physical → host-physical (the hypervisor\'s second stage).'), blocks);
      parts.push(el('div', { class: 'side-by-side' }, guest, ept));
    } else if (d.guestTables) {
      // Shadow paging: the guest's own tables (published by its hypervisor) beside the shadow.
      const own = tableTree(d.guestTables, false, {}, tr('The guest\'s own page table of {0} (its cr3 {1})', d.space.name, hex(d.guestCr3 ?? 0)),
        tr('Guest-virtual → guest-physical, as the guest OS wrote them. The CPU never walks these: the hypervisor copies them into the shadow.'), blocks, 's');
      parts.push(el('div', { class: 'side-by-side' }, own, guest));
    } else parts.push(guest);
    if (d.truncated) parts.push(el('p', { class: 'muted' }, tr('Only the first mappings are shown.')));
    const tlb = tlbView(d, m.space, m);
    parts.push(tlb);
    app.replaceChildren(...parts);
    for (const [k, b] of blocks) {
      const open = wasOpen.get(k);
      if (open !== undefined) b.details.open = open;
    }
    if (focused?.isConnected) focused.focus();
    else if (focusId) document.getElementById(focusId)?.focus();
    page = { key, root: header.root, header, blocks, tlb };
  }
  page.header.update(m.stop, m.spaces, m.space, m.session.program);
  const slot = document.getElementById('walk-slot')!;
  if (d.walk) slot.replaceChildren(walkView(d.walk, false));
  else slot.replaceChildren();
  current = m;
  shownWalk = d.walk;
  if (!prevTlb || prevTlb.session !== m.session.id || prevTlb.space !== m.space || prevTlb.icount !== m.stop.icount) prevTlb = { session: m.session.id, space: m.space, icount: m.stop.icount, counters: d.counters };
  return [d.tables, d.eptTables ?? [], d.guestTables ?? []].reduce((n, ts) => n + ts.reduce((k, t) => k + t.runCount, 0), 0);
}

window.addEventListener('message', (ev: MessageEvent<HostToPageTables>) => {
  const m = ev.data;
  const t0 = performance.now();
  const ok = guarded(app, () => {
    switch (m?.type) {
      case 'noSession':
        message(app, m.message);
        return reportRendered(app, 'noSession', -1, t0, 0);
      case 'running':
        message(app, tr('{0} is running. The page tables appear when it stops (breakpoint, step or pause).', m.session.name));
        return reportRendered(app, 'running', -1, t0, 0);
      case 'state':
        reportRendered(app, 'state', m.stop.icount, t0, render(m));
        return announce(tr('Stopped: {0}', m.stop.text));
      case 'rows': {
        if (m.seq === stateSeq) page?.blocks.get(`${m.ept ? 'e' : 'g'}:${m.dir}`)?.addRows(m.from, m.hash, m.runs);
        return;
      }
      case 'walk': {
        const slot = document.getElementById('walk-slot');
        if (slot) slot.replaceChildren(walkView(m.walk, true));
        shownWalk = m.walk;
        return;
      }
      case 'settings':
        return applySettings(m);
      case 'memory': {
        const slot = document.getElementById('walk-slot');
        const pre = el('pre', { class: 'mono', tabindex: 0, 'aria-label': m.title }, m.hex.map((l, i) => `${hex(m.address + i * 16)}  ${l}`).join('\n'));
        slot?.replaceChildren(el('section', { class: 'walk-box' }, el('h3', {}, tr('Memory: {0}', m.title)), pre));
        return;
      }
      case 'info':
      case 'error': {
        const slot = document.getElementById('walk-slot') ?? app;
        // An error interrupts; information waits its turn.
        slot.replaceChildren(el('p', { class: m.type === 'error' ? 'error' : 'muted', role: m.type === 'error' ? 'alert' : 'status' }, String(m.message)));
        if (m.type === 'error') reportRendered(app, 'error', -1, t0, 0);
        return;
      }
      default:
        return;
    }
  });
  if (!ok) reportRendered(app, 'error', -1, t0, 0);
});

// The rows' buttons (built as markup) act through this one listener.
app.addEventListener('click', (ev) => {
  const b = (ev.target as Element | null)?.closest?.('button[data-act]') as HTMLButtonElement | null;
  if (!b) return;
  const address = Number(b.dataset.address);
  const title = b.dataset.title ?? '';
  if (b.dataset.act === 'reveal') vscode.postMessage({ type: 'reveal', address, physical: true, title });
  else if (b.dataset.act === 'watch') vscode.postMessage({ type: 'watch', address, physical: true, title });
});

vscode.postMessage({ type: 'ready' });
