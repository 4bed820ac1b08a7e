// The virtualized list of transitions: only the rows in sight are drawn, so 100,000 stay
// smooth; arrow keys select, Enter or a click travels in time to the transition.
import { AXIS, D } from './data';
import { el, vscode } from '../../page/common';
import { checkRows, layout, layoutRows, rowCells, rowText } from './rowLayout';
import { draw } from './view';
import { S, ui } from './store';
import { t as tr } from '../../page/l10n';
import { save } from './saved';

/** A row's height: as measured for the list's width, its texts and the font (rowLayout.ts). */
export function rowHeight(): number {
  return layout.height;
}

export function refilter(): void {
  layoutRows();
  S.visible = [];
  filterFrom(0);
  if (S.selected >= D.icount.length) S.selected = -1;
  sized();
  renderRows();
  draw();
}

/** Add the transitions from `first` on that pass the filters (new ones: appended, not refiltered). */
export function filterFrom(first: number): void {
  for (let i = first; i < D.icount.length; i++) if (!S.hidden.has(D.kind[i])) S.visible.push(i);
}

/** The spacer's height: the whole list's, so the scroll bar is right while only rows in sight exist. */
export function sized(): void {
  const h = rowHeight();
  ui.list.style.setProperty('--row-h', `${h}px`);
  ui.spacer.style.height = `${S.visible.length * h}px`;
}

export function describe(i: number): string {
  return `${D.causes[D.cause[i]]} — ${D.text[i]}${i >= D.present ? ` ${tr('(after the stop: click to go forward in time)')}` : ''}`;
}

export function renderRows(): void {
  if (!ui.list) return;
  for (let again = 0; again < 3; again++) {
    drawRows();
    // Texts the measure had not met, or fonts still loading: never a row's text over the next one.
    if (!checkRows()) break;
    sized();
  }
  if (S.selected >= 0) ui.list.setAttribute('aria-activedescendant', `t${S.selected}`);
  else ui.list.removeAttribute('aria-activedescendant');
}

function drawRows(): void {
  const h = rowHeight();
  const narrow = ui.list.classList.contains('narrow');
  const first = Math.max(0, Math.floor(ui.list.scrollTop / h) - 5);
  const count = Math.ceil(ui.list.clientHeight / h) + 10;
  const out: HTMLElement[] = [];
  for (let k = first; k < Math.min(S.visible.length, first + count); k++) {
    const i = S.visible[k];
    const future = i >= D.present;
    const row = el('div', { class: `row${i === S.selected ? ' selected' : ''}${future ? ' future' : ''}`, role: 'option', id: `t${i}`, 'aria-selected': i === S.selected ? 'true' : 'false', 'aria-setsize': String(S.visible.length), 'aria-posinset': String(k + 1) }, ...rowCells(rowText(i), narrow));
    row.children[1].setAttribute('title', AXIS.unit === 'cycle' ? tr('cycle {0}, step {1}', D.cycles[i], D.icount[i]) : tr('step {0}', D.icount[i]));
    row.style.top = `${k * h}px`;
    row.title = describe(i);
    row.addEventListener('click', () => travel(i));
    out.push(row);
  }
  // The same rows as shown are kept, not replaced: a click whose press and release met two
  // copies of a row (a redraw between them) went to neither, and the travel was lost.
  const shown = ui.rows.children;
  if (shown.length === out.length && out.every((r, j) => r.outerHTML === shown[j].outerHTML)) return;
  ui.rows.replaceChildren(...out);
}

export function onListKey(e: KeyboardEvent): void {
  let k = S.visible.indexOf(S.selected);
  const h = rowHeight();
  const page = Math.floor(ui.list.clientHeight / h);
  switch (e.key) {
    case 'ArrowDown': k = Math.min(S.visible.length - 1, k + 1); break;
    case 'ArrowUp': k = Math.max(0, k - 1); break;
    case 'PageDown': k = Math.min(S.visible.length - 1, k + page); break;
    case 'PageUp': k = Math.max(0, k - page); break;
    case 'Home': k = 0; break;
    case 'End': k = S.visible.length - 1; break;
    case 'Enter': if (S.selected >= 0 && S.selected < D.icount.length) travel(S.selected); e.preventDefault(); return;
    default: return;
  }
  e.preventDefault();
  if (k < 0) return;
  S.selected = S.visible[k];
  if (k * h < ui.list.scrollTop) ui.list.scrollTop = k * h;
  else if ((k + 1) * h > ui.list.scrollTop + ui.list.clientHeight) ui.list.scrollTop = (k + 1) * h - ui.list.clientHeight;
  renderRows();
  draw();
  save();
}

export function travel(i: number): void {
  if (!(i >= 0 && i < D.icount.length)) return;
  S.selected = i;
  renderRows();
  draw();
  save();
  vscode.postMessage({ type: 'timeTravel', icount: D.icount[i], index: i });
}

