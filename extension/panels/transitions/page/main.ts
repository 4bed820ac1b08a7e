// The Ring Transitions panel's page: the timeline (timeline.ts, its view and mouse in view.ts),
// a legend, counters and filters, and a virtualized list (list.ts); here the page's skeleton,
// its keys, and the messages from the panel. Both the canvas and the list draw only what is
// visible, so 100,000 transitions stay smooth. A click on a row or a marker travels in time there; after a
// travel back the transitions after the stop stay, greyed, a click away.
import type { HostToTransitions } from '../messages';
import { announce, applySettings, el, guarded, icon, message, projectorButton, reportRendered, vscode } from '../../page/common';
import { exportButtons } from '../../page/figure';
import { forgetPalette, legend, nearest, noteLanes, resetLanes, timelineFigure, view } from './timeline';
import { AXIS, D, appendChunk, dropFront, kindOccurs, stopCycles, truncate } from './data';
import { t as tr, words } from '../../page/l10n';
import { S, ui } from './store';
import { beginSession, restoreAfterLoad, save, saveSoon } from './saved';
import { filterFrom, refilter, renderRows, onListKey, sized, travel } from './list';
import { forgetFonts, forgetWidest, layoutRows } from './rowLayout';
import { draw, fit, follow, onHover, onWheel, setView, zoom } from './view';

const app = document.getElementById('app')!;

/** The filters' checkboxes by kind: only the kinds the run has are offered. */
const filterLabels: HTMLElement[] = [];

function build(): void {
  ui.canvas = el('canvas', { tabindex: 0, role: 'img', 'aria-label': tr('Timeline of ring transitions: arrow keys pan, plus and minus zoom, Home shows everything, Enter goes to the selected transition') });
  ui.tooltip = el('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  // Said in words by the range line below (for a screen reader): here only to be seen.
  ui.axis = el('div', { class: 'timeline-axis muted', id: 'timeline-axis', 'aria-hidden': 'true' }, el('span'), el('span'));
  // The stretch shown, in words: for a screen reader, and larger than the canvas's own labels.
  ui.range = el('p', { class: 'muted range', id: 'timeline-range', 'aria-live': 'polite' });
  ui.legendSlot = el('div');
  ui.spacer = el('div', { class: 'spacer' });
  ui.rows = el('div', { class: 'rows' });
  ui.list = el('div', { class: 'list', id: 'transition-list', tabindex: 0, role: 'listbox', 'aria-label': tr('Transitions: arrow keys select, Enter goes there in time') }, ui.spacer, ui.rows);
  ui.counters = el('div', { class: 'counters' });
  ui.summary = el('p', { class: 'muted', id: 'transitions-summary' });
  ui.earlier = el('p', { class: 'muted', id: 'transitions-earlier', hidden: true });
  const filters = el('fieldset', { class: 'filters' }, el('legend', {}, tr('Show')));
  words.kinds().forEach(({ name, label }, i) => {
    const id = `kind-${name}`;
    const box = el('input', { type: 'checkbox', id, checked: !S.hidden.has(i) });
    box.addEventListener('change', () => {
      if (box.checked) S.hidden.delete(i);
      else S.hidden.add(i);
      refilter();
      save();
    });
    const item = el('label', { for: id, class: `kind-${i}` }, box, ` ${label}`);
    filterLabels[i] = item;
    filters.append(item);
  });
  // Time in cycles needs the stop's cycle count: the chooser appears once stops carry one.
  ui.axisPick = el('select', { id: 'time-axis' }, el('option', { value: 'step' }, tr('steps')), el('option', { value: 'cycle' }, tr('cycles')));
  ui.axisLabel = el('label', { for: 'time-axis', class: 'axis-pick', hidden: true }, `${tr('Time in')} `, ui.axisPick);
  ui.axisPick.addEventListener('change', () => {
    AXIS.unit = ui.axisPick.value === 'cycle' ? 'cycle' : 'step';
    ui.list.classList.toggle('cycles', AXIS.unit === 'cycle');
    // A zoom in steps means nothing in cycles: show the run's busy stretch along the new clock.
    follow();
    renderSummary();
    layoutRows();
    sized();
    renderRows();
    save();
  });
  const tools = el('div', { class: 'toolbar tools' }, ui.axisLabel,
    el('span', { class: 'figure-export' }, `${tr('Timeline')} `, exportButtons(tr('the timeline as shown'), () => ({ figure: timelineFigure(S.program), name: `ring-transitions-${S.program.replace(/\.rasm$/, '')}` }))),
    projectorButton());
  const hint = el('p', { class: 'muted hint', id: 'transitions-hint' }, icon('history'),
    ` ${tr('Click a transition (or select it and press Enter) to go back in time to it. Greyed ones come after the stop: click one to go forward again.')}`);
  app.replaceChildren(
    el('header', {}, el('h1', { id: 'transitions-title' }, tr('Ring transitions')), ui.summary, tools),
    el('div', { class: 'timeline' }, ui.canvas, ui.axis, ui.tooltip),
    ui.range,
    ui.legendSlot,
    el('div', { class: 'controls' }, filters, ui.counters),
    hint,
    ui.earlier,
    ui.list,
  );
  ui.canvas.addEventListener('mousemove', onHover);
  ui.canvas.addEventListener('mouseleave', () => (ui.tooltip.hidden = true));
  ui.canvas.addEventListener('click', (e) => {
    const i = nearest(ui.canvas, e.offsetX, S.hidden);
    if (i >= 0) travel(i);
  });
  ui.canvas.addEventListener('wheel', onWheel, { passive: false });
  ui.canvas.addEventListener('keydown', onKey);
  let drag: { x: number; x0: number; x1: number } | undefined;
  ui.canvas.addEventListener('mousedown', (e) => (drag = { x: e.offsetX, x0: view.x0, x1: view.x1 }));
  window.addEventListener('mouseup', () => (drag = undefined));
  ui.canvas.addEventListener('mousemove', (e) => {
    if (!drag || e.buttons !== 1) return;
    const per = (drag.x1 - drag.x0) / ui.canvas.clientWidth;
    const dx = (e.offsetX - drag.x) * per;
    setView(drag.x0 - dx, drag.x1 - dx);
  });
  ui.list.addEventListener('scroll', () => {
    renderRows();
    saveSoon();
  });
  ui.list.addEventListener('keydown', onListKey);
  new ResizeObserver(() => draw()).observe(ui.canvas);
  // The rows' layout follows the list's width (and the text's size): one line when the widest
  // row fits, else the text wrapped onto more lines (rowLayout.ts).
  new ResizeObserver(() => {
    if (!layoutRows()) return;
    sized();
    renderRows();
  }).observe(ui.list);
}

function onKey(e: KeyboardEvent): void {
  const span = view.x1 - view.x0;
  switch (e.key) {
    case '+': case '=': zoom(0.8, ui.canvas.clientWidth / 2); break;
    case '-': zoom(1.25, ui.canvas.clientWidth / 2); break;
    case 'ArrowLeft': setView(view.x0 - span / 10, view.x1 - span / 10); break;
    case 'ArrowRight': setView(view.x0 + span / 10, view.x1 + span / 10); break;
    case 'Home': fit(); break;
    case 'Enter': if (S.selected >= 0 && S.selected < D.icount.length) travel(S.selected); break;
    default: return;
  }
  e.preventDefault();
}

function renderCounters(): void {
  const entries = Object.entries(S.byCause).sort((a, b) => b[1] - a[1]);
  ui.counters.replaceChildren(
    el('table', { class: 'pages' }, el('caption', {}, tr('Transitions by cause')), el('tbody', {}, ...entries.map(([c, n]) => el('tr', {}, el('td', {}, c), el('td', { class: 'num' }, String(n)))))),
  );
}

function renderSummary(): void {
  const s = D.stop;
  if (!s) return;
  const after = D.icount.length - D.present;
  const [n, now] = [D.base + D.present, AXIS.now()];
  const upTo = AXIS.unit === 'cycle' ? (n === 1 ? tr('1 transition up to cycle {0}', now) : tr('{0} transitions up to cycle {1}', n, now)) : n === 1 ? tr('1 transition up to step {0}', now) : tr('{0} transitions up to step {1}', n, now);
  ui.summary.textContent = `${upTo}${after > 0 ? tr(', {0} after it (greyed)', after) : ''}. ${tr('Stopped: {0}', s.text)}`;
  ui.legendSlot.replaceChildren(legend());
  filterLabels.forEach((l, i) => (l.hidden = !kindOccurs(i)));
  ui.earlier.hidden = D.base === 0;
  ui.earlier.textContent = D.base === 1 ? tr('1 earlier transition is not shown.') : tr('{0} earlier transitions are not shown.', D.base);
}

/** The run's index of the first transition the page is to hold (0 from a host that sends none). */
function baseOf(m: { base?: number }): number {
  return typeof m.base === 'number' && Number.isInteger(m.base) && m.base > 0 ? m.base : 0;
}

function reset(m: Extract<HostToTransitions, { type: 'reset' }>): void {
  beginSession(m.session.id);
  const firstTime = !ui.canvas || !ui.canvas.isConnected;
  if (firstTime) build();
  // The window of transitions held moved on (a long run): the oldest go. From another host: all.
  const base = baseOf(m);
  const shift = base - D.base;
  if (shift > 0) dropFront(shift);
  const keep = shift < 0 ? 0 : Math.min(m.keep, D.icount.length);
  truncate(keep);
  D.base = base;
  if (keep === 0) {
    D.vms = [];
    forgetWidest();
  }
  // The selection names a transition by its place: keep it on the same one, or drop it.
  S.selected = firstTime || keep === 0 ? -1 : S.selected - Math.max(0, shift);
  if (!(S.selected >= 0 && S.selected < D.icount.length)) S.selected = -1;
  resetLanes();
  noteLanes(0);
  D.stop = m.stop;
  D.hasVms = m.hasVms;
  D.present = Math.max(0, m.total - D.base);
  S.byCause = m.byCause;
  ui.axisLabel.hidden = stopCycles() === undefined;
  if (ui.axisLabel.hidden) AXIS.unit = 'step';
  ui.axisPick.value = AXIS.unit;
  ui.list.classList.toggle('cycles', AXIS.unit === 'cycle');
  S.program = m.session.program ?? m.session.name;
  document.getElementById('transitions-title')!.textContent = tr('Ring transitions — {0}', S.program);
  renderCounters();
  renderSummary();
  refilter();
  if (firstTime || S.following || view.x1 < AXIS.now()) follow();
}

function append(m: Extract<HostToTransitions, { type: 'chunk' }>): void {
  D.causes = m.causes.slice();
  const first = D.from.length;
  if (!appendChunk(m.chunk)) return;
  noteLanes(first);
  // Only the new transitions are filtered; the summary, list and timeline are redrawn once a
  // frame (and once the last chunk is in), not per chunk.
  filterFrom(first);
  if (frame === 0) frame = requestAnimationFrame(redraw);
}

let frame = 0;

function redraw(): void {
  if (frame !== 0) cancelAnimationFrame(frame);
  frame = 0;
  if (!ui.canvas?.isConnected) return;
  renderSummary();
  layoutRows();
  sized();
  renderRows();
  if (S.following) follow();
  else draw();
}

// A refresh is one reset and the chunks after it: drawn once all `expected` events are in.
let expected = 0;
let drawMs = 0;

function reportIfComplete(t0: number): void {
  drawMs += performance.now() - t0;
  if (D.base + D.icount.length < expected || !D.stop) return;
  // The first drawing after the page was (re)loaded: the selection and the view come back.
  sized(); // the list's full height first: the scroll restored must not be clamped
  if (restoreAfterLoad() || frame !== 0) redraw();
  announce(ui.summary?.isConnected ? ui.summary.textContent ?? '' : '');
  const t = performance.now();
  reportRendered(app, 'state', D.stop.icount, t - drawMs, S.visible.length);
  drawMs = 0;
}

window.addEventListener('message', (ev: MessageEvent<HostToTransitions>) => {
  const m = ev.data;
  const t0 = performance.now();
  const ok = guarded(app, () => {
    switch (m?.type) {
      case 'noSession':
        ui.canvas = undefined as unknown as HTMLCanvasElement;
        D.stop = undefined;
        message(app, m.message);
        return reportRendered(app, 'noSession', -1, t0, 0);
      case 'running':
        if (ui.summary?.isConnected) ui.summary.textContent = tr('{0} is running…', m.session.program ?? m.session.name);
        else message(app, tr('{0} is running. Transitions appear when it stops.', m.session.program ?? m.session.name));
        return reportRendered(app, 'running', -1, t0, 0);
      case 'reset':
        // The page keeps `keep` events; the host sends the rest of what it holds (the future ones included).
        expected = Math.max(m.total, baseOf(m) + (typeof m.holds === 'number' && m.holds >= 0 ? m.holds : m.keep));
        drawMs = 0;
        reset(m);
        return reportIfComplete(t0);
      case 'chunk':
        append(m);
        return reportIfComplete(t0);
      case 'settings':
        return applySettings(m, () => {
          forgetPalette();
          forgetFonts();
          if (ui.canvas?.isConnected) {
            refilter();
            renderSummary();
          }
        });
      case 'error':
        document.getElementById('error-slot')?.remove();
        app.prepend(el('p', { class: 'error', role: 'alert', id: 'error-slot' }, String(m.message)));
        return reportRendered(app, 'error', -1, t0, 0);
      default:
        return;
    }
  });
  if (!ok) reportRendered(app, 'error', -1, t0, 0);
});

// The canvas reads theme colours when it draws: redraw when VS Code switches the theme (it
// sets the body's class and the page's CSS variables). One observer for the page's life.
const themed = new MutationObserver(() => {
  forgetPalette();
  draw();
  if (ui.canvas?.isConnected && D.stop) ui.legendSlot.replaceChildren(legend());
});
themed.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themed.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

vscode.postMessage({ type: 'ready' });
