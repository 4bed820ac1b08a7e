// The virtualized list of transitions: only the rows in sight are drawn, so 100,000 stay
// smooth; arrow keys select, Enter or a click travels in time to the transition.
import { AXIS, D } from './data';
import { el, hex, icon, vscode } from '../../page/common';
import { draw } from './view';
import { S, ui } from './store';
import { t as tr, words } from '../../page/l10n';

/** A row's height: two lines when the list is narrow, taller in projector mode. */
export function rowHeight(): number {
  const narrow = ui.list?.classList.contains('narrow');
  const projector = document.body.classList.contains('projector');
  return (narrow ? 40 : 22) * (projector ? (narrow ? 1.5 : 1.45) : 1);
}

export function refilter(): void {
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
  const h = rowHeight();
  const narrow = ui.list.classList.contains('narrow');
  const first = Math.max(0, Math.floor(ui.list.scrollTop / h) - 5);
  const count = Math.ceil(ui.list.clientHeight / h) + 10;
  const out: HTMLElement[] = [];
  for (let k = first; k < Math.min(S.visible.length, first + count); k++) {
    const i = S.visible[k];
    const where = D.target[i] ? `<${D.target[i]}>` : hex(D.pcAfter[i]);
    const levels = `${words.level(D.from[i], D.fromVm[i])} → ${words.level(D.to[i], D.toVm[i])}`;
    const future = i >= D.present;
    const row = el('div', { class: `row${i === S.selected ? ' selected' : ''}${future ? ' future' : ''}`, role: 'option', id: `t${i}`, 'aria-selected': i === S.selected ? 'true' : 'false', 'aria-setsize': String(S.visible.length), 'aria-posinset': String(k + 1) },
      el('span', { class: `dot kind-${D.kind[i]}` }, icon('circle-filled')),
      el('span', { class: 'mono step', title: AXIS.unit === 'cycle' ? tr('cycle {0}, step {1}', D.cycles[i], D.icount[i]) : tr('step {0}', D.icount[i]) }, String(AXIS.times()[i])),
      el('span', { class: 'cause' }, D.causes[D.cause[i]]),
      el('span', { class: 'mono levels' }, narrow ? `${levels}  ${where}` : levels),
      narrow ? null : el('span', { class: 'muted target' }, where));
    row.style.top = `${k * h}px`;
    row.title = describe(i);
    row.addEventListener('click', () => travel(i));
    out.push(row);
  }
  ui.rows.replaceChildren(...out);
  if (S.selected >= 0) ui.list.setAttribute('aria-activedescendant', `t${S.selected}`);
  else ui.list.removeAttribute('aria-activedescendant');
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
}

export function travel(i: number): void {
  if (!(i >= 0 && i < D.icount.length)) return;
  S.selected = i;
  renderRows();
  draw();
  vscode.postMessage({ type: 'timeTravel', icount: D.icount[i], index: i });
}

