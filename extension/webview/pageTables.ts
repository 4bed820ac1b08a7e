// The Page Tables panel's page: renders what the extension host sends, posts what the user asks.
import type { HostToPageTables, PageRun, PageTablesView, StopSummary, TableView } from '../panels/messages';
import type { Walk, WalkRead, TlbCounters } from '../../debug-adapter/protocol';
import { el, guarded, hex, icon, message, reportRendered, vscode } from './common';

const app = document.getElementById('app')!;
const prevCounters = new Map<number, TlbCounters>();
let lastStopIcount = -1;

const PTE_FLAGS: [number, string, string][] = [
  [1, 'P', 'present'],
  [2, 'W', 'writable'],
  [4, 'U', 'user'],
  [32, 'A', 'accessed'],
  [64, 'D', 'dirty'],
];
const EPT_FLAGS: [number, string, string][] = [
  [1, 'R', 'readable'],
  [2, 'W', 'writable'],
  [4, 'X', 'executable'],
];

/** Escape text for HTML: rows are built as markup (one parse per table, not ~20 DOM calls per row). */
const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function flagsHtml(entry: number, ept: boolean): string {
  let h = '<span class="flags">';
  for (const [bit, letter, name] of ept ? EPT_FLAGS : PTE_FLAGS) {
    const on = (entry & bit) !== 0;
    h += `<span class="flag ${on ? 'on' : 'off'}" title="${name}: ${on ? 'yes' : 'no'}">${on ? letter : '-'}</span>`;
  }
  return h + '</span>';
}

function flags(entry: number, ept: boolean): HTMLElement {
  const t = document.createElement('template');
  t.innerHTML = flagsHtml(entry, ept);
  return t.content.firstElementChild as HTMLElement;
}

/**
 * An icon button in a row: the rows stay one line high in a narrow column; the words are its
 * tooltip and accessible name. One listener on the page handles every row's buttons (data-act).
 */
function rowButton(act: 'reveal' | 'watch', codicon: string, label: string, address: number, title: string): string {
  return `<button type="button" class="icon-button" data-act="${act}" data-address="${address >>> 0}" data-title="${esc(title)}" title="${esc(label)}" aria-label="${esc(label)}"><span class="codicon codicon-${codicon}" aria-hidden="true"></span></button>`;
}

/** Mapping rows of the current drawing (drawn or behind "more"): reported to the host. */
let rowsInView = 0;
/** The `seq` of the state drawn: rows asked for belong to it. */
let stateSeq = -1;
/** Tables drawn, by `${ept ? 'e' : 'g'}:${dir}`: where rows that arrive later go. */
const tableBodies = new Map<string, { append: (from: number, runs: PageRun[]) => void }>();

/** More rows per click of "more". */
const MORE_ROWS = 256;

function runRow(t: TableView, r: PageRun, ept: boolean, pc: number | undefined, extra = false): string {
  const end = r.va + r.count * 4096 - 1;
  const isPc = pc !== undefined && pc >>> 0 >= r.va && pc >>> 0 <= end;
  const title = `${ept ? 'EPT entry' : 'PTE'} ${t.dir}/${r.first} (${hex(r.va)})`;
  const frame = `frame ${hex(r.target)}`;
  return `<tr class="pt-row${isPc ? ' current' : ''}${extra ? ' pc-extra' : ''}"${isPc ? ' title="the page of the current pc"' : ''}>` +
    `<td class="mono">${r.count === 1 ? hex(r.va) : `${hex(r.va)}–${hex(end)}`}</td>` +
    `<td class="mono">${r.count === 1 ? hex(r.target) : `${hex(r.target)}–${hex(r.target + r.count * 4096 - 1)}`}</td>` +
    `<td class="num">${r.count}</td><td>${flagsHtml(r.entry, ept)}</td><td class="mono">${hex(r.entry)}</td>` +
    `<td>${rowButton('reveal', 'file-binary', `Show the memory of ${frame}`, r.target, frame)}` +
    `${rowButton('watch', 'eye', `Stop when ${title} at physical ${hex(r.entryAddress)} is written`, r.entryAddress, title)}</td></tr>`;
}

/**
 * One page table's rows: the first ones the host sent (and the pc's row wherever it is),
 * then a button that asks the host for more. A thousand-page table would otherwise cost a
 * thousand rows on every stop.
 */
function pageRows(t: TableView, ept: boolean, pc: number | undefined): HTMLElement[] {
  rowsInView += t.runCount;
  const body = el('tbody');
  let shown = 0;
  const more = el('button', { type: 'button', class: 'more' });
  const append = (from: number, runs: PageRun[]) => {
    if (from !== shown) return; // an answer to an older click
    body.querySelector('.pc-extra')?.remove();
    shown += runs.length;
    // The pc's row stays in view, after the rows drawn so far, until they reach it.
    const pcRow = t.pcRun && t.pcRun.index >= shown ? runRow(t, t.pcRun.run, ept, pc, true) : '';
    body.insertAdjacentHTML('beforeend', runs.map((r) => runRow(t, r, ept, pc)).join('') + pcRow);
    more.hidden = shown >= t.runCount;
    more.disabled = false;
    more.textContent = `Show ${Math.min(MORE_ROWS, t.runCount - shown)} more of ${t.runCount} rows`;
  };
  more.addEventListener('click', () => {
    more.disabled = true;
    vscode.postMessage({ type: 'moreRows', seq: stateSeq, ept, dir: t.dir, from: shown, count: MORE_ROWS });
  });
  tableBodies.set(`${ept ? 'e' : 'g'}:${t.dir}`, { append });
  append(0, t.runs);
  const head = el('thead', {}, el('tr', {}, ...[ept ? 'guest-physical' : 'virtual', ept ? 'host-physical' : 'physical', 'pages', 'flags', 'entry', 'actions'].map((h) => el('th', { scope: 'col' }, h))));
  return [el('table', { class: 'pages', 'aria-rowcount': t.runCount + 1 }, head, body), more];
}

function tableTree(tables: TableView[], ept: boolean, highlight: { pc?: number }, heading: string, note: string): HTMLElement {
  const section = el('section', { class: 'tree' }, el('h2', {}, heading), el('p', { class: 'muted' }, note));
  if (tables.length === 0) section.append(el('p', { class: 'muted' }, 'No present directory entries.'));
  for (const t of tables) {
    const base = (t.dir << 22) >>> 0;
    const containsPc = highlight.pc !== undefined && highlight.pc >>> 22 === t.dir;
    const details = el('details', { open: containsPc || tables.length <= 3 });
    details.append(
      el('summary', { class: containsPc ? 'current' : undefined },
        el('span', { class: 'mono' }, `${ept ? 'EPT PDE' : 'PDE'} ${t.dir}`), ' ',
        el('span', { class: 'mono' }, `${hex(base)}–${hex(base + 0x3fffff)}`), ' → table at ', el('span', { class: 'mono' }, hex(t.tableAddress)), ' ',
        flags(t.entry, ept), ` · ${t.pageCount} page${t.pageCount === 1 ? '' : 's'}`),
      ...pageRows(t, ept, highlight.pc),
    );
    section.append(details);
  }
  return section;
}

function readLabel(r: WalkRead): string {
  switch (r.what) {
    case 'pde': return 'page-directory entry';
    case 'pte': return 'page-table entry';
    case 'ept-pde': return `EPT directory entry (for guest-physical ${hex(r.gpa ?? 0)})`;
    case 'ept-pte': return `EPT table entry (for guest-physical ${hex(r.gpa ?? 0)})`;
  }
}

function walkView(w: Walk, animate: boolean): HTMLElement {
  const ol = el('ol', { class: 'walk' });
  w.reads.forEach((r, i) => {
    const li = el('li', { class: animate ? 'step animate' : 'step' },
      el('span', { class: 'mono' }, `read ${hex(r.address)}`), ' = ', el('span', { class: 'mono' }, hex(r.value)), ' ', readLabel(r), ' ', flags(r.value, r.what.startsWith('ept')));
    if (animate) li.style.animationDelay = `${i * 350}ms`;
    ol.append(li);
  });
  const result = w.fault
    ? el('p', { class: 'fault', role: 'alert' }, icon('error'), ' ', w.fault.message)
    : el('p', { class: 'result' }, icon('arrow-right'), ' ', `${hex(w.va)} → physical `, el('strong', { class: 'mono' }, hex(w.pa ?? 0)), w.gpa !== undefined && w.gpa !== w.pa ? ` (guest-physical ${hex(w.gpa)})` : '');
  if (animate) result.style.animationDelay = `${w.reads.length * 350}ms`;
  result.classList.toggle('animate', animate);
  return el('section', { class: 'walk-box' },
    el('h3', {}, `Walk for ${hex(w.va)} (${w.access}, CPL ${w.cpl})`),
    el('p', { class: 'muted' }, `${w.reads.length} memory read${w.reads.length === 1 ? '' : 's'} — a TLB miss costs 2 natively, up to 8 with EPT (2 × 2 levels). ${w.tlbHit ? 'The TLB holds this page now: the CPU would not walk.' : 'Not in the TLB now: the next access walks.'}`),
    ol, result);
}

/** TLB rows drawn at first (a TLB may have 4,096 entries); the rest on request. */
const TLB_ROWS = 64;

function tlbRow(e: PageTablesView['tlb'][number], space: number): string {
  return `<tr${e.tag === space ? '' : ' class="other"'}><td>${e.slot}</td><td>${e.tag === 0 ? 'host' : `VM ${e.tag}`}</td>` +
    `<td class="mono">${hex(e.va)}</td><td class="mono">${hex(e.pa)}</td>` +
    `<td>${[e.writable ? 'W' : '-', e.user ? 'U' : '-', e.dirty ? 'D' : '-', e.executable ? 'X' : '-'].join(' ')}</td></tr>`;
}

function tlbView(data: PageTablesView, space: number): HTMLElement {
  const c = data.counters;
  const prev = prevCounters.get(space);
  const delta = (k: keyof TlbCounters) => (prev ? ` (+${c[k] - prev[k]})` : '');
  // This space's entries first: they are the ones its next accesses hit.
  const entries = data.tlb.slice().sort((a, b) => Number(b.tag === space) - Number(a.tag === space) || a.tag - b.tag || a.va - b.va);
  const section = el('section', { class: 'tlb' },
    el('h2', {}, 'TLB'),
    el('p', {}, `hits ${c.hits}${delta('hits')} · misses ${c.misses}${delta('misses')} · flushes ${c.flushes}${delta('flushes')} · page-walk reads ${c.walkReads}${delta('walkReads')}`, el('span', { class: 'muted' }, prev ? '  (+ since the last stop)' : '')));
  if (entries.length === 0) {
    section.append(el('p', { class: 'muted' }, 'The TLB is empty.'));
    return section;
  }
  const body = el('tbody');
  const table = el('table', { class: 'pages', 'aria-rowcount': entries.length + 1 }, el('thead', {}, el('tr', {}, ...['slot', 'space', 'page (virtual)', 'frame (physical)', 'perm'].map((h) => el('th', { scope: 'col' }, h)))), body);
  const more = el('button', { type: 'button', class: 'more' });
  const add = (count: number) => {
    const shown = body.rows.length;
    body.insertAdjacentHTML('beforeend', entries.slice(shown, shown + count).map((e) => tlbRow(e, space)).join(''));
    more.hidden = body.rows.length >= entries.length;
    more.textContent = `Show ${Math.min(MORE_ROWS, entries.length - body.rows.length)} more of ${entries.length} entries`;
  };
  more.addEventListener('click', () => add(MORE_ROWS));
  add(TLB_ROWS);
  section.append(table, more);
  return section;
}

function header(stop: StopSummary, spaces: { id: number; name: string }[], space: number, sessionName: string): HTMLElement {
  const select = el('select', { id: 'space', 'aria-label': 'Address space' });
  for (const s of spaces) select.append(el('option', { value: String(s.id), selected: s.id === space }, s.id === 0 ? 'host (root)' : s.name));
  select.addEventListener('change', () => vscode.postMessage({ type: 'selectSpace', space: Number(select.value) }));
  const input = el('input', { id: 'va', type: 'text', placeholder: '0x00400000', 'aria-label': 'Virtual address to translate', spellcheck: 'false' });
  const access = el('select', { id: 'access', 'aria-label': 'Access kind' }, el('option', { value: 'read' }, 'read'), el('option', { value: 'write' }, 'write'), el('option', { value: 'fetch' }, 'fetch'));
  const go = el('button', { type: 'submit' }, icon('debug-step-into'), ' Translate');
  const form = el('form', { class: 'translate', role: 'search' }, el('label', { for: 'va' }, 'Translate '), input, access, go);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    vscode.postMessage({ type: 'translate', va: input.value, access: access.value });
  });
  return el('header', {},
    el('h1', {}, `Page tables — ${sessionName}`),
    el('p', {}, el('span', { class: 'badge' }, stop.vm ? `VM ${stop.vm} · ring ${stop.cpl}` : `ring ${stop.cpl}`), ` step ${stop.icount} · pc ${hex(stop.pc)} · ${stop.text}`),
    el('div', { class: 'toolbar' }, spaces.length > 1 ? el('label', { for: 'space' }, 'Address space ') : null, spaces.length > 1 ? select : null, form),
    el('div', { id: 'walk-slot' }));
}

function render(m: Extract<HostToPageTables, { type: 'state' }>): void {
  vscode.setState({ sessionId: m.session.id });
  rowsInView = 0;
  stateSeq = m.seq;
  tableBodies.clear();
  const d = m.data;
  const pc = m.space === m.stop.vm ? m.stop.pc : undefined;
  const parts: HTMLElement[] = [header(m.stop, m.spaces, m.space, m.session.name)];
  if (!d.space.paging) parts.push(el('p', { class: 'muted' }, `${d.space.name}: paging is off (cr0.PG = 0): virtual = physical${d.space.eptPointer ? ', then EPT' : ''}.`));
  const guest = tableTree(d.tables, false, { pc }, m.space === 0 ? 'Page tables (cr3 ' + hex(d.space.cr3) + ')' : `Guest page table of ${d.space.name} (cr3 ${hex(d.space.cr3)})`,
    m.space === 0 ? 'Directory → tables → pages: virtual → physical.' : d.eptTables ? 'Guest-virtual → guest-physical (the guest OS\'s own tables).' : 'Without EPT the CPU walks these directly: under shadow paging they are the hypervisor\'s shadow tables.');
  if (d.eptTables) {
    const ept = tableTree(d.eptTables, true, {}, `EPT of ${d.space.name} (${hex(d.space.eptPointer)})`, 'Guest-physical → host-physical (the hypervisor\'s second stage).');
    parts.push(el('div', { class: 'side-by-side' }, guest, ept));
  } else parts.push(guest);
  if (d.truncated) parts.push(el('p', { class: 'muted' }, 'Only the first mappings are shown.'));
  parts.push(tlbView(d, m.space));
  app.replaceChildren(...parts);
  if (d.walk) document.getElementById('walk-slot')!.replaceChildren(walkView(d.walk, false));
  if (m.stop.icount !== lastStopIcount) {
    lastStopIcount = m.stop.icount;
    prevCounters.set(m.space, d.counters);
  }
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
        message(app, `${m.session.name} is running. The page tables appear when it stops (breakpoint, step or pause).`);
        return reportRendered(app, 'running', -1, t0, 0);
      case 'state':
        render(m);
        return reportRendered(app, 'state', m.stop.icount, t0, rowsInView);
      case 'rows': {
        if (m.seq === stateSeq) tableBodies.get(`${m.ept ? 'e' : 'g'}:${m.dir}`)?.append(m.from, m.runs);
        return;
      }
      case 'walk': {
        const slot = document.getElementById('walk-slot');
        if (slot) slot.replaceChildren(walkView(m.walk, true));
        return;
      }
      case 'memory': {
        const slot = document.getElementById('walk-slot');
        const pre = el('pre', { class: 'mono', tabindex: 0, 'aria-label': m.title }, m.hex.map((l, i) => `${hex(m.address + i * 16)}  ${l}`).join('\n'));
        slot?.replaceChildren(el('section', { class: 'walk-box' }, el('h3', {}, `Memory: ${m.title}`), pre));
        return;
      }
      case 'info':
      case 'error': {
        const slot = document.getElementById('walk-slot') ?? app;
        slot.replaceChildren(el('p', { class: m.type === 'error' ? 'error' : 'muted', role: 'alert' }, String(m.message)));
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
