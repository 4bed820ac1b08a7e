// Markup for the Page Tables page's rows: built as HTML strings (one parse per table, not ~20
// DOM calls per row), every dynamic text escaped. The page's one click listener reads data-act.
import type { PageRun, PageTablesView, TableView } from '../messages';
import { EPTE_BITS, PTE_BITS } from '../../../../emulator/isa/registers';
import { hex } from '../../page/common';
import { t as tr, words } from '../../page/l10n';

export const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function flagsHtml(entry: number, ept: boolean): string {
  let h = '<span class="flags">';
  for (const [bit, letter, name] of ept ? EPTE_BITS : PTE_BITS) {
    const on = (entry & bit) !== 0;
    h += `<span class="flag ${on ? 'on' : 'off'}" title="${name}: ${on ? tr('yes') : tr('no')}">${on ? letter : '-'}</span>`;
  }
  return h + '</span>';
}

export function flags(entry: number, ept: boolean): HTMLElement {
  const t = document.createElement('template');
  t.innerHTML = flagsHtml(entry, ept);
  return t.content.firstElementChild as HTMLElement;
}

/** An icon button: rows stay one line high in a narrow column; the words are its tooltip and accessible name. */
function rowButton(act: 'reveal' | 'watch', codicon: string, label: string, address: number, title: string): string {
  return `<button type="button" class="icon-button" data-act="${act}" data-address="${address >>> 0}" data-title="${esc(title)}" title="${esc(label)}" aria-label="${esc(label)}"><span class="codicon codicon-${codicon}" aria-hidden="true"></span></button>`;
}

/** The addresses a stop marks in the tables: the pc and the last data access. */
export interface Marks {
  pc?: number;
  data?: number;
}

export function holds(r: PageRun, va: number | undefined): boolean {
  return va !== undefined && va >>> 0 >= r.va && va >>> 0 < r.va + r.count * 4096;
}

/** The row's highlight classes and tooltip for these marks. */
export function markOf(r: PageRun, marks: Marks): { cls: string; title: string } {
  const pc = holds(r, marks.pc);
  const data = holds(r, marks.data);
  const words = [pc ? tr('the page of the current pc') : '', data ? tr('the page of the last data access') : ''].filter(Boolean);
  return { cls: `${pc ? ' current' : ''}${data ? ' data' : ''}`, title: words.join('; ') };
}

/** `index`: the run's place in the table (0 first); a screen reader says it as the row's number (the header is row 1). */
export function runRow(t: TableView, r: PageRun, index: number, ept: boolean, marks: Marks, extra = false): string {
  const end = r.va + r.count * 4096 - 1;
  const mark = markOf(r, marks);
  const title = `${ept ? 'EPT entry' : 'PTE'} ${t.dir}/${r.first} (${hex(r.va)})`;
  const frame = tr('frame {0}', hex(r.target));
  return `<tr class="pt-row${mark.cls}${extra ? ' pc-extra' : ''}" aria-rowindex="${index + 2}"${mark.title ? ` title="${esc(mark.title)}"` : ''}>` +
    `<td class="mono">${r.count === 1 ? hex(r.va) : `${hex(r.va)}–${hex(end)}`}</td>` +
    `<td class="mono">${r.count === 1 ? hex(r.target) : `${hex(r.target)}–${hex(r.target + r.count * 4096 - 1)}`}</td>` +
    `<td class="num">${r.count}</td><td>${flagsHtml(r.entry, ept)}</td><td class="mono entry">${hex(r.entry)}</td>` +
    `<td>${rowButton('reveal', 'file-binary', tr('Show the memory of {0}', frame), r.target, frame)}` +
    `${rowButton('watch', 'eye', tr('Stop when {0} at physical {1} is written', title, hex(r.entryAddress)), r.entryAddress, title)}</td></tr>`;
}

/** One TLB entry's row; the space it belongs to only when there are several (`vmx`). */
export function tlbRow(e: PageTablesView['tlb'][number], space: number, vmx: boolean): string {
  return `<tr${e.tag === space ? '' : ' class="other"'}><td>${e.slot}</td>${vmx ? `<td>${words.space(e.tag)}</td>` : ''}` +
    `<td class="mono">${hex(e.va)}</td><td class="mono">${hex(e.pa)}</td>` +
    `<td>${[e.writable ? 'W' : '-', e.user ? 'U' : '-', e.dirty ? 'D' : '-', e.executable ? 'X' : '-'].join(' ')}</td></tr>`;
}
