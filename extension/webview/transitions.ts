// The Ring Transitions panel's page: the timeline (timeline.ts), a legend, counters and
// filters, and a virtualized list. Both the canvas and the list draw only what is visible, so
// 100,000 transitions stay smooth. A click on a row or a marker travels in time there; after a
// travel back the transitions after the stop stay, greyed, a click away.
import type { HostToTransitions } from '../panels/messages';
import { KIND_NAMES } from '../panels/messages';
import { applySettings, el, guarded, hex, icon, message, projectorButton, reportRendered, vscode } from './common';
import { exportButtons } from './figure';
import { drawTimeline, forgetPalette, legend, nearest, noteLanes, resetLanes, timelineFigure, tooltipLines, view } from './timeline';
import { AXIS, D, appendChunk, levelName, lowerBound, stopCycles, truncate } from './transitionsData';
import { t as tr } from './l10n';

const app = document.getElementById('app')!;

let byCause: Record<string, number> = {};
let program = '';
const hidden = new Set<number>(); // kinds filtered out
let visible: number[] = []; // indices passing the filters
/** Until the user zooms or pans, the view follows the data (see `follow`). */
let following = true;
let selected = -1;

// ---- the page skeleton (built once per session)
let canvas: HTMLCanvasElement;
let tooltip: HTMLElement;
let range: HTMLElement;
let legendSlot: HTMLElement;
let list: HTMLElement;
let spacer: HTMLElement;
let rows: HTMLElement;
let counters: HTMLElement;
let summary: HTMLElement;
let axisPick: HTMLSelectElement;
let axisLabel: HTMLElement;

/** A row's height: two lines when the list is narrow, taller in projector mode. */
function rowHeight(): number {
  const narrow = list?.classList.contains('narrow');
  const projector = document.body.classList.contains('projector');
  return (narrow ? 40 : 22) * (projector ? (narrow ? 1.5 : 1.45) : 1);
}

function build(): void {
  canvas = el('canvas', { tabindex: 0, role: 'img', 'aria-label': tr('Timeline of ring transitions: arrow keys pan, plus and minus zoom, Home shows everything, Enter goes to the selected transition') });
  tooltip = el('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  // The stretch shown, in words: for a screen reader, and larger than the canvas's own labels.
  range = el('p', { class: 'muted range', id: 'timeline-range', 'aria-live': 'polite' });
  legendSlot = el('div');
  spacer = el('div', { class: 'spacer' });
  rows = el('div', { class: 'rows' });
  list = el('div', { class: 'list', id: 'transition-list', tabindex: 0, role: 'listbox', 'aria-label': tr('Transitions: arrow keys select, Enter goes there in time') }, spacer, rows);
  counters = el('div', { class: 'counters' });
  summary = el('p', { class: 'muted', id: 'transitions-summary' });
  const filters = el('fieldset', { class: 'filters' }, el('legend', {}, tr('Show')));
  KIND_NAMES.forEach((k, i) => {
    const id = `kind-${k}`;
    const box = el('input', { type: 'checkbox', id, checked: !hidden.has(i) });
    box.addEventListener('change', () => {
      if (box.checked) hidden.delete(i);
      else hidden.add(i);
      refilter();
    });
    filters.append(el('label', { for: id, class: `kind-${i}` }, box, ` ${k}`));
  });
  // Time in cycles needs the stop's cycle count: the chooser appears once stops carry one.
  axisPick = el('select', { id: 'time-axis' }, el('option', { value: 'step' }, tr('steps')), el('option', { value: 'cycle' }, tr('cycles')));
  axisLabel = el('label', { for: 'time-axis', class: 'axis-pick', hidden: true }, `${tr('Time in')} `, axisPick);
  axisPick.addEventListener('change', () => {
    AXIS.unit = axisPick.value === 'cycle' ? 'cycle' : 'step';
    list.classList.toggle('cycles', AXIS.unit === 'cycle');
    // A zoom in steps means nothing in cycles: show the run's busy stretch along the new clock.
    follow();
    renderSummary();
    renderRows();
  });
  const tools = el('div', { class: 'toolbar tools' }, axisLabel,
    el('span', { class: 'figure-export' }, `${tr('Timeline')} `, exportButtons(tr('the timeline as shown'), () => ({ figure: timelineFigure(program), name: `ring-transitions-${program.replace(/\.rasm$/, '')}` }))),
    projectorButton());
  const hint = el('p', { class: 'muted hint', id: 'transitions-hint' }, icon('history'),
    ` ${tr('Click a transition (or select it and press Enter) to go back in time to it. Greyed ones come after the stop: click one to go forward again.')}`);
  app.replaceChildren(
    el('header', {}, el('h1', { id: 'transitions-title' }, tr('Ring transitions')), summary, tools),
    el('div', { class: 'timeline' }, canvas, tooltip),
    range,
    legendSlot,
    el('div', { class: 'controls' }, filters, counters),
    hint,
    list,
  );
  canvas.addEventListener('mousemove', onHover);
  canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
  canvas.addEventListener('click', (e) => {
    const i = nearest(canvas, e.offsetX, hidden);
    if (i >= 0) travel(i);
  });
  canvas.addEventListener('wheel', onWheel, { passive: false });
  canvas.addEventListener('keydown', onKey);
  let drag: { x: number; x0: number; x1: number } | undefined;
  canvas.addEventListener('mousedown', (e) => (drag = { x: e.offsetX, x0: view.x0, x1: view.x1 }));
  window.addEventListener('mouseup', () => (drag = undefined));
  canvas.addEventListener('mousemove', (e) => {
    if (!drag || e.buttons !== 1) return;
    const per = (drag.x1 - drag.x0) / canvas.clientWidth;
    const dx = (e.offsetX - drag.x) * per;
    setView(drag.x0 - dx, drag.x1 - dx);
  });
  list.addEventListener('scroll', renderRows);
  list.addEventListener('keydown', onListKey);
  new ResizeObserver(() => draw()).observe(canvas);
  // Narrow lists get two lines per row: the cause on one, the levels and destination under it.
  new ResizeObserver(() => {
    const narrow = list.clientWidth < 520;
    if (narrow === list.classList.contains('narrow')) return;
    list.classList.toggle('narrow', narrow);
    refilter();
  }).observe(list);
}

function setView(x0: number, x1: number): void {
  view.x0 = x0;
  view.x1 = x1;
  following = false;
  draw();
}

function refilter(): void {
  visible = [];
  for (let i = 0; i < D.icount.length; i++) if (!hidden.has(D.kind[i])) visible.push(i);
  const h = rowHeight();
  list.style.setProperty('--row-h', `${h}px`);
  spacer.style.height = `${visible.length * h}px`;
  renderRows();
  draw();
}

function describe(i: number): string {
  return `${D.causes[D.cause[i]]} — ${D.text[i]}${i >= D.present ? ` ${tr('(after the stop: click to go forward in time)')}` : ''}`;
}

function draw(): void {
  if (!canvas) return;
  const dense = drawTimeline(canvas, hidden, selected);
  const times = AXIS.times();
  const shown = lowerBound(times, view.x1) - lowerBound(times, view.x0);
  range.textContent = `${tr(AXIS.unit === 'cycle' ? 'Showing cycles {0}–{1}: {2} of {3} transitions.' : 'Showing steps {0}–{1}: {2} of {3} transitions.', Math.max(0, Math.round(view.x0)), Math.round(view.x1), shown, D.icount.length)}${dense ? ` ${dense}` : ''}`;
}

function onHover(e: MouseEvent): void {
  const i = nearest(canvas, e.offsetX, hidden);
  if (i < 0) {
    tooltip.hidden = true;
    return;
  }
  tooltip.replaceChildren(...tooltipLines(i));
  tooltip.hidden = false;
  tooltip.style.left = `${Math.max(0, Math.min(e.offsetX + 12, canvas.clientWidth - 260))}px`;
  tooltip.style.top = `${e.offsetY + 12}px`;
}

function zoom(factor: number, atX: number): void {
  const w = canvas.clientWidth;
  const c = view.x0 + (atX / w) * (view.x1 - view.x0);
  const span = Math.max(8, (view.x1 - view.x0) * factor);
  setView(c - (atX / w) * span, c + (1 - atX / w) * span);
}

function onWheel(e: WheelEvent): void {
  e.preventDefault();
  zoom(e.deltaY > 0 ? 1.25 : 0.8, e.offsetX);
}

function lastStep(): number {
  const times = AXIS.times();
  return Math.max(AXIS.now(), times.length ? times[times.length - 1] : 0, 1);
}

/** The whole run, step 0 to now (Home). */
function fit(): void {
  const end = lastStep();
  setView(0, end + Math.max(8, end * 0.02));
}

/**
 * The stretch of the run where rings change, with room either side: a boot of thousands of
 * ring-0 steps before the first transition would otherwise squeeze every marker to one edge.
 */
function follow(): void {
  const end = lastStep();
  const first = AXIS.times().length ? AXIS.times()[0] : 0;
  const pad = Math.max(8, (end - first) * 0.05);
  view.x0 = Math.max(0, first - pad);
  view.x1 = end + pad;
  following = true;
  draw();
}

function onKey(e: KeyboardEvent): void {
  const span = view.x1 - view.x0;
  switch (e.key) {
    case '+': case '=': zoom(0.8, canvas.clientWidth / 2); break;
    case '-': zoom(1.25, canvas.clientWidth / 2); break;
    case 'ArrowLeft': setView(view.x0 - span / 10, view.x1 - span / 10); break;
    case 'ArrowRight': setView(view.x0 + span / 10, view.x1 + span / 10); break;
    case 'Home': fit(); break;
    case 'Enter': if (selected >= 0) travel(selected); break;
    default: return;
  }
  e.preventDefault();
}

// ---- the list
function renderRows(): void {
  if (!list) return;
  const h = rowHeight();
  const narrow = list.classList.contains('narrow');
  const first = Math.max(0, Math.floor(list.scrollTop / h) - 5);
  const count = Math.ceil(list.clientHeight / h) + 10;
  const out: HTMLElement[] = [];
  for (let k = first; k < Math.min(visible.length, first + count); k++) {
    const i = visible[k];
    const where = D.target[i] ? `<${D.target[i]}>` : hex(D.pcAfter[i]);
    const levels = `${levelName(D.from[i], D.fromVm[i])} → ${levelName(D.to[i], D.toVm[i])}`;
    const future = i >= D.present;
    const row = el('div', { class: `row${i === selected ? ' selected' : ''}${future ? ' future' : ''}`, role: 'option', id: `t${i}`, 'aria-selected': i === selected ? 'true' : 'false' },
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
  rows.replaceChildren(...out);
  if (selected >= 0) list.setAttribute('aria-activedescendant', `t${selected}`);
}

function onListKey(e: KeyboardEvent): void {
  let k = visible.indexOf(selected);
  const h = rowHeight();
  const page = Math.floor(list.clientHeight / h);
  switch (e.key) {
    case 'ArrowDown': k = Math.min(visible.length - 1, k + 1); break;
    case 'ArrowUp': k = Math.max(0, k - 1); break;
    case 'PageDown': k = Math.min(visible.length - 1, k + page); break;
    case 'PageUp': k = Math.max(0, k - page); break;
    case 'Home': k = 0; break;
    case 'End': k = visible.length - 1; break;
    case 'Enter': if (selected >= 0) travel(selected); e.preventDefault(); return;
    default: return;
  }
  e.preventDefault();
  if (k < 0) return;
  selected = visible[k];
  if (k * h < list.scrollTop) list.scrollTop = k * h;
  else if ((k + 1) * h > list.scrollTop + list.clientHeight) list.scrollTop = (k + 1) * h - list.clientHeight;
  renderRows();
  draw();
}

function travel(i: number): void {
  selected = i;
  renderRows();
  draw();
  vscode.postMessage({ type: 'timeTravel', icount: D.icount[i], index: i });
}

function renderCounters(): void {
  const entries = Object.entries(byCause).sort((a, b) => b[1] - a[1]);
  counters.replaceChildren(
    el('table', { class: 'pages' }, el('caption', {}, tr('Transitions by cause')), el('tbody', {}, ...entries.map(([c, n]) => el('tr', {}, el('td', {}, c), el('td', { class: 'num' }, String(n)))))),
  );
}

function renderSummary(): void {
  const s = D.stop;
  if (!s) return;
  const after = D.icount.length - D.present;
  const [n, now] = [D.present, AXIS.now()];
  const upTo = AXIS.unit === 'cycle' ? (n === 1 ? tr('1 transition up to cycle {0}', now) : tr('{0} transitions up to cycle {1}', n, now)) : n === 1 ? tr('1 transition up to step {0}', now) : tr('{0} transitions up to step {1}', n, now);
  summary.textContent = `${upTo}${after > 0 ? tr(', {0} after it (greyed)', after) : ''}. ${tr('Stopped: {0}', s.text)}`;
  legendSlot.replaceChildren(legend());
}

function reset(m: Extract<HostToTransitions, { type: 'reset' }>): void {
  vscode.setState({ sessionId: m.session.id });
  const firstTime = !canvas || !canvas.isConnected;
  if (firstTime) build();
  truncate(Math.min(m.keep, D.icount.length));
  if (m.keep === 0) D.vms = [];
  resetLanes();
  noteLanes(0);
  D.stop = m.stop;
  D.hasVms = m.hasVms;
  D.present = m.total;
  byCause = m.byCause;
  axisLabel.hidden = stopCycles() === undefined;
  if (axisLabel.hidden) AXIS.unit = 'step';
  axisPick.value = AXIS.unit;
  list.classList.toggle('cycles', AXIS.unit === 'cycle');
  program = m.session.program ?? m.session.name;
  document.getElementById('transitions-title')!.textContent = tr('Ring transitions — {0}', program);
  renderCounters();
  renderSummary();
  refilter();
  if (firstTime || following || view.x1 < AXIS.now()) follow();
}

function append(m: Extract<HostToTransitions, { type: 'chunk' }>): void {
  D.causes = m.causes.slice();
  const first = D.from.length;
  if (!appendChunk(m.chunk)) return;
  noteLanes(first);
  renderSummary();
  refilter();
  if (following) follow();
}

// A refresh is one reset and the chunks after it: drawn once all `expected` events are in.
let expected = 0;
let drawMs = 0;

function reportIfComplete(t0: number): void {
  drawMs += performance.now() - t0;
  if (D.icount.length < expected || !D.stop) return;
  const t = performance.now();
  reportRendered(app, 'state', D.stop.icount, t - drawMs, visible.length);
  drawMs = 0;
}

window.addEventListener('message', (ev: MessageEvent<HostToTransitions>) => {
  const m = ev.data;
  const t0 = performance.now();
  const ok = guarded(app, () => {
    switch (m?.type) {
      case 'noSession':
        canvas = undefined as unknown as HTMLCanvasElement;
        D.stop = undefined;
        message(app, m.message);
        return reportRendered(app, 'noSession', -1, t0, 0);
      case 'running':
        if (summary?.isConnected) summary.textContent = tr('{0} is running…', m.session.program ?? m.session.name);
        else message(app, tr('{0} is running. Transitions appear when it stops.', m.session.program ?? m.session.name));
        return reportRendered(app, 'running', -1, t0, 0);
      case 'reset':
        // The page holds `keep` events already (the future ones included); the host sends the rest.
        expected = Math.max(m.total, m.keep);
        drawMs = 0;
        reset(m);
        return reportIfComplete(t0);
      case 'chunk':
        append(m);
        return reportIfComplete(t0);
      case 'settings':
        return applySettings(m, () => {
          forgetPalette();
          if (canvas?.isConnected) {
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
  if (canvas?.isConnected && D.stop) legendSlot.replaceChildren(legend());
});
themed.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themed.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

vscode.postMessage({ type: 'ready' });
