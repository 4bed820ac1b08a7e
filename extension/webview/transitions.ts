// The Ring Transitions panel's page: a step line over the instruction count with one lane per
// level, markers by cause, counters and filters, and a virtualized list. Both the canvas and
// the list draw only what is visible, so 100,000 transitions stay smooth.
import type { HostToTransitions, StopSummary, TransitionChunk } from '../panels/messages';
import { KIND_NAMES, LANES } from '../panels/messages';
import { el, guarded, hex, icon, message, reportRendered, vscode } from './common';

const app = document.getElementById('app')!;
const ROW = 22;

// ---- the data, as parallel arrays
let icount: number[] = [];
let kind: number[] = [];
let from: number[] = [];
let to: number[] = [];
let cause: number[] = [];
let pcBefore: number[] = [];
let pcAfter: number[] = [];
let target: (string | null)[] = [];
let text: string[] = [];
let causes: string[] = [];
let byCause: Record<string, number> = {};
let stop: StopSummary | undefined;
let hasVms = false;
const hidden = new Set<number>(); // kinds filtered out
let visible: number[] = []; // indices passing the filters
let view = { x0: 0, x1: 1 };
/** Until the user zooms or pans, the view follows the data (see `follow`). */
let following = true;
let selected = -1;

// ---- the page skeleton (built once per session)
let canvas: HTMLCanvasElement;
let tooltip: HTMLElement;
let range: HTMLElement;
let list: HTMLElement;
let spacer: HTMLElement;
let rows: HTMLElement;
let counters: HTMLElement;
let summary: HTMLElement;

function css(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}
const KIND_COLOURS = ['--vscode-charts-red', '--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-orange', '--vscode-errorForeground'];

/** The theme's colours as the canvas uses them: read once per theme, not on every redraw (each read may force a style pass). */
interface Palette {
  fg: string;
  dim: string;
  font: string;
  guide: string;
  highContrast: boolean;
  kinds: string[];
  focus: string;
  stopLine: string;
}
let palette: Palette | undefined;

function themePalette(): Palette {
  if (palette) return palette;
  const fg = css('--vscode-foreground', '#ccc');
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  palette = {
    fg,
    dim: css('--vscode-descriptionForeground', '#999'),
    font: `${css('--vscode-font-size', '12px')} ${css('--vscode-font-family', 'sans-serif')}`,
    // Faint guides, except in high contrast, where every line must stand out.
    guide: highContrast ? css('--vscode-contrastBorder', fg) : css('--vscode-editorWidget-border', '#444'),
    highContrast,
    kinds: KIND_COLOURS.map((c) => css(c, fg)),
    focus: css('--vscode-focusBorder', '#07f'),
    stopLine: css('--vscode-debugIcon-stopForeground', '#f44'),
  };
  return palette;
}

/** Lanes with a transition in them, kept up to date as transitions arrive (not recounted per redraw). */
const lanesUsed = [true, false, true, false];

function lanesShown(): number[] {
  return [0, 1, 2, 3].filter((l) => lanesUsed[l] || (l === 3 && hasVms));
}

function noteLanes(start: number): void {
  for (let i = start; i < from.length; i++) lanesUsed[from[i]] = lanesUsed[to[i]] = true;
}

function build(): void {
  canvas = el('canvas', { tabindex: 0, role: 'img', 'aria-label': 'Timeline of ring transitions: arrow keys pan, plus and minus zoom, Home shows everything, Enter goes to the selected transition' });
  tooltip = el('div', { class: 'tooltip', role: 'tooltip', hidden: true });
  // The stretch shown, in words: for a screen reader, and larger than the canvas's own labels.
  range = el('p', { class: 'muted range', id: 'timeline-range', 'aria-live': 'polite' });
  spacer = el('div', { class: 'spacer' });
  rows = el('div', { class: 'rows' });
  list = el('div', { class: 'list', id: 'transition-list', tabindex: 0, role: 'listbox', 'aria-label': 'Transitions: arrow keys select, Enter goes there' }, spacer, rows);
  counters = el('div', { class: 'counters' });
  summary = el('p', { class: 'muted' });
  const filters = el('fieldset', { class: 'filters' }, el('legend', {}, 'Show'));
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
  app.replaceChildren(
    el('header', {}, el('h1', {}, 'Ring transitions'), summary),
    el('div', { class: 'timeline' }, canvas, tooltip),
    range,
    el('div', { class: 'controls' }, filters, counters),
    list,
  );
  canvas.addEventListener('mousemove', onHover);
  canvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
  canvas.addEventListener('click', (e) => {
    const i = nearest(e.offsetX);
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
    view = { x0: drag.x0 - dx, x1: drag.x1 - dx };
    following = false;
    draw();
  });
  list.addEventListener('scroll', renderRows);
  list.addEventListener('keydown', onListKey);
  new ResizeObserver(() => draw()).observe(canvas);

}

function refilter(): void {
  visible = [];
  for (let i = 0; i < icount.length; i++) if (!hidden.has(kind[i])) visible.push(i);
  spacer.style.height = `${visible.length * ROW}px`;
  renderRows();
  draw();
}

function describe(i: number): string {
  return `${causes[cause[i]]} — ${text[i]}`;
}

// ---- the canvas
function xOf(ic: number, w: number): number {
  return ((ic - view.x0) / (view.x1 - view.x0)) * w;
}

function lowerBound(arr: number[], v: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (arr[m] < v) lo = m + 1;
    else hi = m;
  }
  return lo;
}

function draw(): void {
  if (!canvas) return;
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  // Assigning the size reallocates the bitmap even when it is unchanged: only on a resize.
  const bw = Math.max(1, Math.floor(w * dpr));
  const bh = Math.max(1, Math.floor(h * dpr));
  if (canvas.width !== bw) canvas.width = bw;
  if (canvas.height !== bh) canvas.height = bh;
  const g = canvas.getContext('2d')!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const lanes = lanesShown();
  // Lane index → y, as an array: the step line looks it up twice per transition.
  const laneYs: number[] = [];
  const top = 8;
  const laneH = (h - top - 18) / Math.max(1, lanes.length);
  const p = themePalette();
  const fg = p.fg;
  const dim = p.dim;
  g.font = p.font;
  lanes.forEach((l, k) => {
    const y = top + laneH * k + laneH / 2;
    laneYs[l] = y;
    g.fillStyle = dim;
    g.fillText(LANES[l], 4, y - 4);
    g.strokeStyle = p.guide;
    g.globalAlpha = p.highContrast ? 1 : 0.4;
    g.beginPath();
    g.moveTo(0, y);
    g.lineTo(w, y);
    g.stroke();
    g.globalAlpha = 1;
  });
  // The step line: the level the CPU is at, over time. Every event counts (filters hide markers only).
  const lo = Math.max(0, lowerBound(icount, view.x0) - 1);
  const hi = Math.min(icount.length, lowerBound(icount, view.x1) + 1);
  g.strokeStyle = fg;
  g.lineWidth = 1.5;
  g.beginPath();
  let level = lo > 0 ? to[lo - 1] : icount.length ? from[0] : hasVms ? 3 : 2;
  g.moveTo(0, laneYs[level] ?? 0);
  const x0 = view.x0;
  const scale = w / (view.x1 - view.x0);
  if (hi - lo > w * 4) {
    // More transitions than pixels: per column, a bar from the lowest to the highest lane seen.
    // Lanes are drawn top to bottom in index order, so the bar runs from the lowest lane bit set
    // in the column's mask to the highest.
    const bar = (col: number, m: number) => {
      g.moveTo(col + 0.5, laneYs[31 - Math.clz32(m & -m)]);
      g.lineTo(col + 0.5, laneYs[31 - Math.clz32(m)]);
    };
    let col = -1;
    let m = 0;
    for (let i = lo; i < hi; i++) {
      const x = Math.floor((icount[i] - x0) * scale);
      if (x !== col) {
        if (col >= 0) bar(col, m);
        col = x;
        m = 0;
      }
      m |= (1 << from[i]) | (1 << to[i]);
    }
    if (col >= 0) bar(col, m);
    level = to[hi - 1];
  } else {
    for (let i = lo; i < hi; i++) {
      const x = xOf(icount[i], w);
      g.lineTo(x, laneYs[from[i]] ?? 0);
      g.lineTo(x, laneYs[to[i]] ?? 0);
      level = to[i];
    }
    g.lineTo(Math.min(w, xOf(stop?.icount ?? view.x1, w)), laneYs[level] ?? 0);
  }
  g.stroke();
  // Markers by kind, at most one per pixel column and kind. Events come in step order, so x only
  // grows: remembering the last column drawn per kind is enough (no set of 100,000 keys), and the
  // colours are read from the theme once per draw, not once per marker.
  const colours = p.kinds;
  const lastX = [-1, -1, -1, -1, -1, -1];
  const shown = KIND_NAMES.map((_, k) => !hidden.has(k));
  for (let i = lo; i < hi; i++) {
    const k = kind[i];
    if (!shown[k]) continue;
    const x = Math.round((icount[i] - x0) * scale);
    if (lastX[k] === x) continue;
    lastX[k] = x;
    g.fillStyle = colours[k];
    const y = laneYs[to[i]];
    g.fillRect(x - 2, y - 2, 4, 4);
  }
  if (selected >= 0 && selected < icount.length) {
    g.strokeStyle = p.focus;
    const x = xOf(icount[selected], w);
    g.strokeRect(x - 4, (laneYs[to[selected]] ?? 0) - 4, 8, 8);
  }
  if (stop) {
    const x = xOf(stop.icount, w);
    g.strokeStyle = p.stopLine;
    g.setLineDash([3, 3]);
    g.beginPath();
    g.moveTo(x, 0);
    g.lineTo(x, h);
    g.stroke();
    g.setLineDash([]);
  }
  g.fillStyle = dim;
  g.fillText(`step ${Math.round(view.x0)}`, 4, h - 4);
  const right = `step ${Math.round(view.x1)}`;
  g.fillText(right, w - g.measureText(right).width - 4, h - 4);
  range.textContent = `Showing steps ${Math.max(0, Math.round(view.x0))}–${Math.round(view.x1)}: ${lowerBound(icount, view.x1) - lowerBound(icount, view.x0)} of ${icount.length} transitions.`;
}

function nearest(x: number): number {
  const w = canvas.clientWidth;
  const ic = view.x0 + (x / w) * (view.x1 - view.x0);
  const i = lowerBound(icount, ic);
  let best = -1;
  let bestD = 6;
  for (const j of [i - 2, i - 1, i, i + 1]) {
    if (j < 0 || j >= icount.length || hidden.has(kind[j])) continue;
    const d = Math.abs(xOf(icount[j], w) - x);
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  }
  return best;
}

function onHover(e: MouseEvent): void {
  const i = nearest(e.offsetX);
  if (i < 0) {
    tooltip.hidden = true;
    return;
  }
  tooltip.replaceChildren(
    el('strong', {}, causes[cause[i]]), el('br'), text[i], el('br'),
    `step ${icount[i]} · ${LANES[from[i]]} → ${LANES[to[i]]}`, el('br'),
    `pc ${hex(pcBefore[i])} → ${hex(pcAfter[i])}${target[i] ? ` <${target[i]}>` : ''}`, el('br'),
    el('span', { class: 'muted' }, 'click to go there'));
  tooltip.hidden = false;
  tooltip.style.left = `${Math.min(e.offsetX + 12, canvas.clientWidth - 260)}px`;
  tooltip.style.top = `${e.offsetY + 12}px`;
}

function zoom(factor: number, atX: number): void {
  const w = canvas.clientWidth;
  const c = view.x0 + (atX / w) * (view.x1 - view.x0);
  const span = Math.max(8, (view.x1 - view.x0) * factor);
  view = { x0: c - (atX / w) * span, x1: c + (1 - atX / w) * span };
  following = false;
  draw();
}

function onWheel(e: WheelEvent): void {
  e.preventDefault();
  zoom(e.deltaY > 0 ? 1.25 : 0.8, e.offsetX);
}

function lastStep(): number {
  return Math.max(stop?.icount ?? 0, icount.length ? icount[icount.length - 1] : 0, 1);
}

/** The whole run, step 0 to now (Home). */
function fit(): void {
  const end = lastStep();
  view = { x0: 0, x1: end + Math.max(8, end * 0.02) };
  following = false;
  draw();
}

/**
 * The stretch of the run where rings change, with room either side: a boot of thousands of
 * ring-0 steps before the first transition would otherwise squeeze every marker to one edge.
 */
function follow(): void {
  const end = lastStep();
  const first = icount.length ? icount[0] : 0;
  const pad = Math.max(8, (end - first) * 0.05);
  view = { x0: Math.max(0, first - pad), x1: end + pad };
  following = true;
  draw();
}

function onKey(e: KeyboardEvent): void {
  const span = view.x1 - view.x0;
  switch (e.key) {
    case '+': case '=': zoom(0.8, canvas.clientWidth / 2); break;
    case '-': zoom(1.25, canvas.clientWidth / 2); break;
    case 'ArrowLeft': view = { x0: view.x0 - span / 10, x1: view.x1 - span / 10 }; following = false; draw(); break;
    case 'ArrowRight': view = { x0: view.x0 + span / 10, x1: view.x1 + span / 10 }; following = false; draw(); break;
    case 'Home': fit(); break;
    case 'Enter': if (selected >= 0) travel(selected); break;
    default: return;
  }
  e.preventDefault();
}

// ---- the list
function renderRows(): void {
  if (!list) return;
  const first = Math.max(0, Math.floor(list.scrollTop / ROW) - 5);
  const count = Math.ceil(list.clientHeight / ROW) + 10;
  const out: HTMLElement[] = [];
  for (let k = first; k < Math.min(visible.length, first + count); k++) {
    const i = visible[k];
    const row = el('div', { class: `row${i === selected ? ' selected' : ''}`, role: 'option', id: `t${i}`, 'aria-selected': i === selected ? 'true' : 'false' },
      el('span', { class: `dot kind-${kind[i]}` }, icon('circle-filled')),
      el('span', { class: 'mono step' }, String(icount[i])),
      el('span', { class: 'cause' }, causes[cause[i]]),
      el('span', { class: 'mono' }, `${LANES[from[i]]} → ${LANES[to[i]]}`),
      el('span', { class: 'muted' }, target[i] ? `<${target[i]}>` : hex(pcAfter[i])));
    row.style.top = `${k * ROW}px`;
    row.title = describe(i);
    row.addEventListener('click', () => travel(i));
    out.push(row);
  }
  rows.replaceChildren(...out);
  if (selected >= 0) list.setAttribute('aria-activedescendant', `t${selected}`);
}

function onListKey(e: KeyboardEvent): void {
  let k = visible.indexOf(selected);
  const page = Math.floor(list.clientHeight / ROW);
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
  if (k * ROW < list.scrollTop) list.scrollTop = k * ROW;
  else if ((k + 1) * ROW > list.scrollTop + list.clientHeight) list.scrollTop = (k + 1) * ROW - list.clientHeight;
  renderRows();
  draw();
}

function travel(i: number): void {
  selected = i;
  renderRows();
  draw();
  vscode.postMessage({ type: 'timeTravel', icount: icount[i], index: i });
}

function renderCounters(): void {
  const entries = Object.entries(byCause).sort((a, b) => b[1] - a[1]);
  counters.replaceChildren(
    el('table', { class: 'pages' }, el('caption', {}, 'Transitions by cause'), el('tbody', {}, ...entries.map(([c, n]) => el('tr', {}, el('td', {}, c), el('td', { class: 'num' }, String(n)))))),
  );
}

function reset(m: Extract<HostToTransitions, { type: 'reset' }>): void {
  vscode.setState({ sessionId: m.session.id });
  const firstTime = !canvas || !canvas.isConnected;
  if (firstTime) build();
  const keep = Math.min(m.keep, icount.length);
  for (const a of [icount, kind, from, to, cause, pcBefore, pcAfter, target, text] as unknown[][]) a.length = keep;
  lanesUsed.splice(0, 4, true, false, true, false);
  noteLanes(0);
  stop = m.stop;
  hasVms = m.hasVms;
  byCause = m.byCause;
  summary.textContent = `${m.session.name}: ${m.total} transitions up to step ${m.stop.icount}. ${m.stop.text}`;
  renderCounters();
  refilter();
  if (firstTime || following || view.x1 < m.stop.icount) follow();
}

function append(c: TransitionChunk, names: string[]): void {
  causes = names.slice();
  if (c.start !== icount.length) return; // out of order: the next reset resends
  const first = from.length;
  icount.push(...c.icount);
  kind.push(...c.kind);
  from.push(...c.from);
  to.push(...c.to);
  cause.push(...c.cause);
  pcBefore.push(...c.pcBefore);
  pcAfter.push(...c.pcAfter);
  target.push(...c.target);
  text.push(...c.text);
  noteLanes(first);
  refilter();
  if (following) follow();
}

// A refresh is one reset and the chunks after it: drawn once all `expected` events are in.
let expected = 0;
let drawMs = 0;

function reportIfComplete(t0: number): void {
  drawMs += performance.now() - t0;
  if (icount.length !== expected || !stop) return;
  const t = performance.now();
  reportRendered(app, 'state', stop.icount, t - drawMs, visible.length);
  drawMs = 0;
}

window.addEventListener('message', (ev: MessageEvent<HostToTransitions>) => {
  const m = ev.data;
  const t0 = performance.now();
  const ok = guarded(app, () => {
    switch (m?.type) {
      case 'noSession':
        canvas = undefined as unknown as HTMLCanvasElement;
        stop = undefined;
        message(app, m.message);
        return reportRendered(app, 'noSession', -1, t0, 0);
      case 'running':
        if (summary?.isConnected) summary.textContent = `${m.session.name} is running…`;
        else message(app, `${m.session.name} is running. Transitions appear when it stops.`);
        return reportRendered(app, 'running', -1, t0, 0);
      case 'reset':
        expected = m.total;
        drawMs = 0;
        reset(m);
        return reportIfComplete(t0);
      case 'chunk':
        append(m.chunk, m.causes);
        return reportIfComplete(t0);
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
  palette = undefined;
  draw();
});
themed.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themed.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

vscode.postMessage({ type: 'ready' });
