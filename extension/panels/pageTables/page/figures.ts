// The Page Tables panel's figures: the walk of one address (every memory read, top to bottom)
// and the page-table tree (directory → tables → pages), as figure.ts draws them.
import type { Walk, WalkRead } from '../../../../debug-adapter/protocol';
import type { TableView } from '../messages';
import { hex } from '../../page/common';
import { t as tr } from '../../page/l10n';
import { ACCENT, GREY, INK, KIND_INK, RULE, textWidth, type Figure, type Shape } from '../../page/figure';

// A figure goes into slides and lab reports: its words are in the display language, as the panel's.
const READ_WORDS: Record<WalkRead['what'], () => string> = {
  pde: () => tr('page-directory entry'),
  pte: () => tr('page-table entry'),
  'ept-pde': () => tr('EPT directory entry'),
  'ept-pte': () => tr('EPT table entry'),
};

/** The walk as a column of boxes, one per memory read, ending in the frame (or the fault). */
export function walkFigure(w: Walk, space: string): Figure {
  const shapes: Shape[] = [];
  const left = 20;
  const boxW = 520;
  const boxH = 42;
  const gap = 22;
  let y = 20;
  shapes.push({ kind: 'text', x: left, y: y + 14, text: tr('Page walk for {0} ({1}, CPL {2}) in {3}', hex(w.va), w.access, w.cpl, space), size: 15, bold: true });
  shapes.push({ kind: 'text', x: left, y: y + 34, text: `${w.reads.length === 1 ? tr('1 memory read') : tr('{0} memory reads', w.reads.length)}; ${w.tlbHit ? tr('the TLB holds this page now') : tr('not in the TLB now')}`, size: 12, fill: GREY });
  y += 52;
  const box = (title: string, detail: string, ink: string) => {
    shapes.push({ kind: 'rect', x: left, y, w: boxW, h: boxH, fill: '#f6f8fa', stroke: ink });
    shapes.push({ kind: 'text', x: left + 10, y: y + 17, text: title, size: 12, bold: true, fill: ink });
    shapes.push({ kind: 'text', x: left + 10, y: y + 34, text: detail, size: 12, mono: true });
    y += boxH;
  };
  const arrow = () => {
    shapes.push({ kind: 'line', points: [left + 40, y, left + 40, y + gap], stroke: GREY, arrow: true });
    y += gap;
  };
  w.reads.forEach((r, i) => {
    if (i > 0) arrow();
    const ept = r.what.startsWith('ept');
    box(`${i + 1}. ${r.gpa !== undefined ? tr('{0} (for guest-physical {1})', READ_WORDS[r.what](), hex(r.gpa)) : READ_WORDS[r.what]()}`, tr('read {0} = {1}', hex(r.address), hex(r.value)), ept ? KIND_INK[3] : ACCENT);
  });
  if (w.reads.length) arrow();
  if (w.fault) box(tr('fault'), w.fault.message.slice(0, 70), KIND_INK[0]);
  else box(tr('physical address'), `${hex(w.va)} → ${hex(w.pa ?? 0)}${w.gpa !== undefined && w.gpa !== w.pa ? ` (${tr('guest-physical {0}', hex(w.gpa))})` : ''}`, KIND_INK[2]);
  return { width: boxW + 2 * left, height: y + 20, title: tr('Page walk for {0}', hex(w.va)), shapes };
}

/** Rows per table in the tree figure: a figure shows the shape, the panel shows every row. */
const TREE_ROWS = 6;
const TREE_TABLES = 8;

/** Directory → tables → pages, the first rows of each table. */
export function treeFigure(tables: TableView[], heading: string, ept: boolean): Figure {
  const shapes: Shape[] = [];
  const dirX = 20;
  const dirW = 150;
  const tabX = 220;
  const tabW = 170;
  const rowX = 440;
  const rowH = 20;
  let y = 60;
  shapes.push({ kind: 'text', x: dirX, y: 28, text: heading, size: 15, bold: true });
  shapes.push({ kind: 'text', x: dirX, y: 46, text: ept ? tr('guest-physical → host-physical') : tr('virtual → physical'), size: 12, fill: GREY });
  const shown = tables.slice(0, TREE_TABLES);
  const dirTop = y;
  let widest = 0;
  for (const t of shown) {
    const rows = t.runs.slice(0, TREE_ROWS);
    const more = t.runCount - rows.length;
    const blockH = Math.max(44, (rows.length + (more > 0 ? 1 : 0)) * rowH + 8);
    const midY = y + 22;
    shapes.push({ kind: 'line', points: [dirX + dirW, midY, tabX, midY], stroke: GREY, arrow: true });
    shapes.push({ kind: 'rect', x: tabX, y, w: tabW, h: 44, fill: '#f6f8fa', stroke: ACCENT });
    shapes.push({ kind: 'text', x: tabX + 8, y: y + 17, text: `${tr('table {0}', t.dir)} (${t.pageCount === 1 ? tr('1 page') : tr('{0} pages', t.pageCount)})`, size: 12, bold: true, fill: ACCENT });
    shapes.push({ kind: 'text', x: tabX + 8, y: y + 34, text: tr('at {0}', hex(t.tableAddress)), size: 12, mono: true });
    rows.forEach((r, k) => {
      const ry = y + k * rowH + 14;
      const range = r.count === 1 ? hex(r.va) : `${hex(r.va)}–${hex(r.va + r.count * 4096 - 1)}`;
      const text = `${range} → ${hex(r.target)}${r.count > 1 ? ` (${tr('{0} pages', r.count)})` : ''}`;
      widest = Math.max(widest, textWidth(text, 12, true));
      shapes.push({ kind: 'line', points: [tabX + tabW, midY, rowX - 6, ry - 4], stroke: RULE });
      shapes.push({ kind: 'text', x: rowX, y: ry, text, size: 12, mono: true });
    });
    if (more > 0) shapes.push({ kind: 'text', x: rowX, y: y + rows.length * rowH + 14, text: `… ${tr('{0} more', more)}`, size: 12, fill: GREY });
    y += blockH + 12;
  }
  if (tables.length > shown.length) {
    shapes.push({ kind: 'text', x: tabX, y: y + 10, text: `… ${tr('{0} more tables', tables.length - shown.length)}`, size: 12, fill: GREY });
    y += 24;
  }
  if (tables.length === 0) {
    shapes.push({ kind: 'text', x: tabX, y: y + 14, text: tr('no present directory entries'), size: 12, fill: GREY });
    y += 30;
  }
  shapes.unshift({ kind: 'rect', x: dirX, y: dirTop, w: dirW, h: Math.max(44, y - dirTop - 12), fill: '#f6f8fa', stroke: INK });
  shapes.splice(1, 0, { kind: 'text', x: dirX + 8, y: dirTop + 18, text: ept ? tr('EPT directory') : tr('page directory'), size: 12, bold: true });
  return { width: Math.max(640, rowX + widest + 20), height: y + 10, title: heading, shapes };
}
