// How the transition list lays out its rows, by measuring, not by a fixed width: one line with a
// column each when the widest texts of the run fit the list (the columns sized to them), else
// the row's text wrapped onto more lines: the cause on the first, the levels and the destination
// under it, each part moved whole to the next line when it does not fit (cut only inside a part
// wider than the whole list). Nothing ends in "…". Every row has the height of the tallest (the
// list is virtualized: rows at k × height), measured on a row made of the widest texts; in
// projector mode (larger text) the same measure gives taller rows or the wrapped layout.
import { AXIS, D } from './data';
import { ui } from './store';
import { el, hex, icon } from '../../page/common';
import { words } from '../../page/l10n';

/** A row's texts, for a transition or for the measuring row. */
export interface RowText {
  kind: number;
  step: string;
  cause: string;
  from: string;
  to: string;
  where: string;
}

export function rowText(i: number): RowText {
  return {
    kind: D.kind[i],
    step: String(AXIS.times()[i]),
    cause: D.causes[D.cause[i]] ?? '',
    from: words.level(D.from[i], D.fromVm[i]),
    to: words.level(D.to[i], D.toVm[i]),
    where: D.target[i] ? `<${D.target[i]}>` : hex(D.pcAfter[i]),
  };
}

/** The row's cells. Wrapped (narrow), the levels and the destination share one cell, in parts that wrap whole. */
export function rowCells(r: RowText, narrow: boolean): HTMLElement[] {
  const cells = [
    el('span', { class: `dot kind-${r.kind}` }, icon('circle-filled')),
    el('span', { class: 'mono step' }, r.step),
    el('span', { class: 'cause' }, r.cause),
  ];
  if (narrow) {
    const part = (text: string, cls = '') => el('span', { class: `part${cls}` }, text);
    cells.push(el('span', { class: 'mono levels' }, part(r.from), ' ', part(`→ ${r.to}`), ' ', part(r.where, ' muted')));
  } else {
    cells.push(el('span', { class: 'mono levels' }, `${r.from} → ${r.to}`), el('span', { class: 'muted target' }, r.where));
  }
  return cells;
}

/** The widest text of each column among the transitions looked at so far (picked by measuring). */
const widest = { cause: '', from: '', to: '', label: '' };
/** Transitions looked at, and the distinct texts met (a run has few causes, levels and labels). */
let scanned = 0;
const seen = { cause: new Set<number>(), from: new Set<number>(), to: new Set<number>(), label: new Set<string>() };
let measure: { sans: CanvasRenderingContext2D; mono: CanvasRenderingContext2D } | undefined;

/** The transitions held were replaced: look at them afresh. */
export function forgetWidest(): void {
  widest.cause = widest.from = widest.to = widest.label = '';
  scanned = 0;
  for (const s of Object.values(seen)) s.clear();
}

function contexts(): { sans: CanvasRenderingContext2D; mono: CanvasRenderingContext2D } {
  if (measure) return measure;
  const ctx = (e: Element) => {
    const style = getComputedStyle(e);
    const g = document.createElement('canvas').getContext('2d')!;
    g.font = `${style.fontSize} ${style.fontFamily}`;
    return g;
  };
  const mono = el('span', { class: 'mono' });
  ui.list.append(mono);
  measure = { sans: ctx(ui.list), mono: ctx(mono) };
  mono.remove();
  return measure;
}

/** Texts of one family scale together: the widest stays the widest at any size (projector mode needs no new scan). */
function wider(g: CanvasRenderingContext2D, a: string, b: string): string {
  return g.measureText(b).width > g.measureText(a).width ? b : a;
}

function scan(): void {
  if (scanned > D.icount.length) forgetWidest();
  const { sans, mono } = contexts();
  for (let i = scanned; i < D.icount.length; i++) {
    const c = D.cause[i];
    if (!seen.cause.has(c)) {
      seen.cause.add(c);
      widest.cause = wider(sans, widest.cause, D.causes[c] ?? '');
    }
    const from = D.from[i] * 65536 + D.fromVm[i];
    if (!seen.from.has(from)) {
      seen.from.add(from);
      widest.from = wider(mono, widest.from, words.level(D.from[i], D.fromVm[i]));
    }
    const to = D.to[i] * 65536 + D.toVm[i];
    if (!seen.to.has(to)) {
      seen.to.add(to);
      widest.to = wider(mono, widest.to, words.level(D.to[i], D.toVm[i]));
    }
    const target = D.target[i];
    if (target && !seen.label.has(target)) {
      seen.label.add(target);
      widest.label = wider(mono, widest.label, `<${target}>`);
    }
  }
  scanned = D.icount.length;
}

/** The row of the widest texts, laid out as the list would, unseen: what it needs. */
function probe(narrow: boolean): { height: number; widths: number[]; need: number } {
  const times = AXIS.times();
  const r: RowText = { kind: 0, step: String(Math.max(times[times.length - 1] ?? 0, AXIS.now())), cause: widest.cause, from: widest.from, to: widest.to, where: widest.label ? wider(contexts().mono, hex(0), widest.label) : hex(0) };
  const row = el('div', { class: 'row probe', 'aria-hidden': 'true' }, ...rowCells(r, narrow));
  row.style.height = 'auto';
  ui.rows.append(row);
  const cells = Array.from(row.children) as HTMLElement[];
  const last = cells[cells.length - 1];
  const out = { height: row.offsetHeight, widths: cells.map((c) => c.scrollWidth), need: last.offsetLeft + last.scrollWidth + parseFloat(getComputedStyle(row).paddingRight) };
  row.remove();
  return out;
}

/** The row height in force (px), set by layoutRows. */
export const layout = { height: 22 };

/**
 * Chooses the layout for the list's width and the texts held: one line if the widest row fits,
 * else wrapped. Returns whether anything changed (the caller redraws the rows).
 */
export function layoutRows(): boolean {
  const list = ui.list;
  if (!list?.isConnected || list.clientWidth === 0) return false;
  scan();
  const before = `${list.className}|${layout.height}|${list.style.cssText}`;
  // One line: each column as wide as its widest text, the destination taking what is left.
  list.classList.remove('narrow');
  list.classList.add('measuring');
  const one = probe(false);
  list.classList.remove('measuring');
  const [, step, cause, levels] = one.widths;
  list.style.setProperty('--step-w', `${Math.ceil(step) + 1}px`);
  list.style.setProperty('--cause-w', `${Math.ceil(cause) + 1}px`);
  list.style.setProperty('--levels-w', `${Math.ceil(levels) + 1}px`);
  if (one.need <= list.clientWidth) {
    layout.height = one.height;
  } else {
    list.classList.add('narrow');
    layout.height = probe(true).height;
  }
  return before !== `${list.className}|${layout.height}|${list.style.cssText}`;
}

/**
 * After rows are drawn: a row whose text needs more room than the measure gave (texts the scan
 * has not met, a font still loading) makes every row that tall, or wraps them. Returns whether
 * the rows must be drawn again.
 */
export function checkRows(): boolean {
  let tallest = layout.height;
  let cut = false;
  for (const row of Array.from(ui.rows.children) as HTMLElement[]) {
    if (row.classList.contains('probe')) continue;
    tallest = Math.max(tallest, row.scrollHeight);
    for (const c of Array.from(row.children) as HTMLElement[]) if (c.scrollWidth > c.clientWidth + 1) cut = true;
  }
  if (cut && !ui.list.classList.contains('narrow')) {
    ui.list.classList.add('narrow');
    layout.height = probe(true).height;
    return true;
  }
  if (tallest > layout.height + 0.5) {
    layout.height = Math.ceil(tallest);
    return true;
  }
  return false;
}

/** The font changed (projector mode): measure with the new one. */
export function forgetFonts(): void {
  measure = undefined;
}
