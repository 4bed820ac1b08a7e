// The Ring Transitions timeline: one lane per level (labels in a gutter of their own, never
// under the trace), the level over time as a step line coloured by VM, markers by kind, and
// when there are more transitions than pixels a density band per lane instead of a comb.
// Transitions after the stop (the future, after a travel back) are drawn faint.
import { el, hex, isProjector } from '../../page/common';
import { TRANSITION_KINDS } from '../../../../emulator/isa/abi';
import { t as tr, words } from '../../page/l10n';
import { GREY, INK, KIND_INK, RULE, VM_INK, textWidth, type Figure, type Shape } from '../../page/figure';
import { AXIS, D, kindOccurs, lowerBound } from './data';
import { Rects } from './rects';

function css(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}
// A colour each: a triple fault is not the error colour, which some themes make the charts' red (a trap's).
const KIND_COLOURS = ['--vscode-charts-red', '--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-orange', '--vscode-charts-yellow'];
const VM_COLOURS = ['--vscode-charts-blue', '--vscode-charts-purple', '--vscode-charts-green', '--vscode-charts-yellow'];

/** The theme's colours as the canvas uses them: read once per theme, not on every redraw (each read may force a style pass). */
export interface Palette {
  fg: string;
  dim: string;
  font: string;
  fontPx: number;
  guide: string;
  highContrast: boolean;
  kinds: string[];
  vms: string[];
  focus: string;
  stopLine: string;
}
let palette: Palette | undefined;

export function forgetPalette(): void {
  palette = undefined;
}

export function themePalette(): Palette {
  if (palette) return palette;
  const fg = css('--vscode-foreground', '#ccc');
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const base = parseFloat(css('--vscode-font-size', '12px')) || 12;
  const fontPx = Math.round(base * (isProjector() ? 1.5 : 1));
  palette = {
    fg,
    dim: css('--vscode-descriptionForeground', '#999'),
    font: `${fontPx}px ${css('--vscode-font-family', 'sans-serif')}`,
    fontPx,
    // Faint guides, except in high contrast, where every line must stand out.
    guide: highContrast ? css('--vscode-contrastBorder', fg) : css('--vscode-editorWidget-border', '#444'),
    highContrast,
    kinds: KIND_COLOURS.map((c) => css(c, fg)),
    vms: VM_COLOURS.map((c) => css(c, fg)),
    focus: css('--vscode-focusBorder', '#07f'),
    stopLine: css('--vscode-debugIcon-stopForeground', '#f44'),
  };
  return palette;
}

/** The colour of a VM's line: the host's is the text colour. */
export function vmColour(vm: number, p: { fg: string; vms: string[] }): string {
  if (vm <= 0) return p.fg;
  const k = D.vms.indexOf(vm);
  return p.vms[(k < 0 ? vm - 1 : k) % p.vms.length];
}

/** Lanes with a transition in them, kept up to date as transitions arrive (not recounted per redraw). */
const lanesUsed = [true, false, true, false];

export function resetLanes(): void {
  lanesUsed.splice(0, 4, true, false, true, false);
}

export function noteLanes(start: number): void {
  for (let i = start; i < D.from.length; i++) lanesUsed[D.from[i]] = lanesUsed[D.to[i]] = true;
}

export function lanesShown(): number[] {
  return [0, 1, 2, 3].filter((l) => lanesUsed[l] || (l === 3 && D.hasVms));
}

/** What the canvas shows and how it maps steps to x. */
export const view = { x0: 0, x1: 1 };

export interface Geometry {
  /** Left edge of the plot: the lane labels live left of it. */
  gx: number;
  w: number;
  h: number;
  laneYs: number[];
  laneH: number;
}

export function geometry(canvas: HTMLCanvasElement, g?: CanvasRenderingContext2D): Geometry {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  const p = themePalette();
  const lanes = lanesShown();
  let label = 0;
  if (g) {
    g.font = p.font;
    for (const l of lanes) label = Math.max(label, g.measureText(words.lane(l)).width);
  } else label = 10 * p.fontPx * 0.55;
  const gx = Math.ceil(label + 12);
  const top = 8;
  // The axis's labels are text under the canvas (view.ts): they wrap rather than overlap.
  const bottom = 8;
  const laneH = (h - top - bottom) / Math.max(1, lanes.length);
  const laneYs: number[] = [];
  lanes.forEach((l, k) => (laneYs[l] = top + laneH * k + laneH / 2));
  return { gx, w, h, laneYs, laneH };
}

export function xOf(ic: number, geo: Geometry): number {
  return geo.gx + ((ic - view.x0) / (view.x1 - view.x0)) * (geo.w - geo.gx);
}

/** More transitions in view than this many per pixel column: the density view. */
const DENSE_PER_PX = 1.5;
/** The density band's strengths: drawn as that many paths (opacity in steps of 1/31 shows no seam). */
const BAND_LEVELS = 32;

/**
 * Draws the timeline on the canvas. `hidden`: kinds whose markers are filtered out; `selected`:
 * the transition to ring. Returns a sentence on what is shown (for the range line).
 */
export function drawTimeline(canvas: HTMLCanvasElement, hidden: Set<number>, selected: number): string {
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
  const p = themePalette();
  const geo = geometry(canvas, g);
  const { gx, laneYs, laneH } = geo;
  const lanes = lanesShown();
  g.font = p.font;
  g.textBaseline = 'middle';
  for (const l of lanes) {
    const y = laneYs[l];
    g.fillStyle = p.dim;
    g.fillText(words.lane(l), 4, y);
    g.strokeStyle = p.guide;
    g.globalAlpha = p.highContrast ? 1 : 0.4;
    g.beginPath();
    g.moveTo(gx, y);
    g.lineTo(w, y);
    g.stroke();
    g.globalAlpha = 1;
  }
  g.textBaseline = 'alphabetic';
  const icount = AXIS.times();
  const { from, to, toVm, kind } = D;
  const lo = Math.max(0, lowerBound(icount, view.x0) - 1);
  const hi = Math.min(icount.length, lowerBound(icount, view.x1) + 1);
  const plotW = Math.max(1, w - gx);
  const scale = plotW / (view.x1 - view.x0);
  const now = AXIS.now();
  // The stretch after the stop, shaded: what lies there is the future the student came back from.
  if (D.present < icount.length) {
    const xs = Math.max(gx, xOf(now, geo));
    g.fillStyle = p.dim;
    g.globalAlpha = 0.08;
    g.fillRect(xs, 0, w - xs, h);
    g.globalAlpha = 1;
  }
  const dense = hi - lo > plotW * DENSE_PER_PX;
  let sentence: string;
  if (dense) {
    // Per pixel column and lane, how many transitions touch the lane: a band whose strength
    // says how busy that lane is there (log scale), in place of a solid comb of lines.
    const cols = Math.ceil(plotW);
    const counts = lanes.map(() => new Uint32Array(cols));
    const laneIx: number[] = [];
    lanes.forEach((l, k) => (laneIx[l] = k));
    let max = 1;
    const bump = (a: Uint32Array | undefined, c: number) => {
      if (a && ++a[c] > max) max = a[c];
    };
    for (let i = lo; i < hi; i++) {
      const c = Math.floor((icount[i] - view.x0) * scale);
      if (c < 0 || c >= cols) continue;
      bump(counts[laneIx[from[i]]], c);
      bump(counts[laneIx[to[i]]], c);
    }
    const band = Math.max(4, laneH * 0.55);
    const logMax = Math.log1p(max);
    // One path per strength, not a fill per column: the canvas's cost is in its state changes
    // (100,000 transitions zoomed out redrew in 40 to 110 ms, a fill and an alpha per column).
    const groups = new Rects(2 * BAND_LEVELS);
    lanes.forEach((l, k) => {
      const a = counts[k];
      for (let c = 0; c < cols; c++) {
        if (!a[c]) continue;
        const future = D.present < icount.length && view.x0 + (c + 0.5) / scale > now;
        const level = Math.min(BAND_LEVELS - 1, Math.round((0.15 + 0.85 * (Math.log1p(a[c]) / logMax)) * (BAND_LEVELS - 1)));
        groups.add(level + (future ? BAND_LEVELS : 0), gx + c, laneYs[l] - band / 2);
      }
    });
    g.fillStyle = p.fg;
    groups.fill(g, 1, band, (j) => {
      g.globalAlpha = ((j % BAND_LEVELS) / (BAND_LEVELS - 1)) * (j >= BAND_LEVELS ? 0.4 : 1);
    });
    g.globalAlpha = 1;
    sentence = tr('dense: up to {0} transitions per pixel; a darker band is a busier level. Zoom in (+ or the mouse wheel) to see each one.', max);
  } else {
    // The step line, coloured by the VM at each level; after the stop, faint.
    let level = lo > 0 ? to[lo - 1] : icount.length ? from[0] : D.hasVms ? 3 : 2;
    let vm = lo > 0 ? toVm[lo - 1] : icount.length ? D.fromVm[0] : 0;
    let x = gx;
    // Consecutive segments of one colour and faintness are one polyline, stroked once (a stroke
    // per segment made a redraw's cost its number of transitions in view).
    let open: { colour: string; faint: boolean } | undefined;
    const flush = () => {
      if (open) g.stroke();
      open = undefined;
    };
    const seg = (x1: number, y0: number, y1: number, colour: string, faint: boolean) => {
      if (!open || open.colour !== colour || open.faint !== faint) {
        flush();
        g.strokeStyle = colour;
        g.globalAlpha = faint ? 0.35 : 1;
        g.beginPath();
        g.moveTo(x, y0);
        open = { colour, faint };
      }
      g.lineTo(x1, y0);
      if (y1 !== y0) g.lineTo(x1, y1);
    };
    g.lineWidth = isProjector() ? 2.5 : 1.5;
    for (let i = lo; i < hi; i++) {
      const xi = Math.max(gx, xOf(icount[i], geo));
      seg(xi, laneYs[level] ?? 0, laneYs[to[i]] ?? 0, vmColour(vm, p), i > D.present);
      x = xi;
      level = to[i];
      vm = toVm[i];
    }
    const end = D.present < icount.length ? view.x1 : now;
    seg(Math.min(w, xOf(end, geo)), laneYs[level] ?? 0, laneYs[level] ?? 0, vmColour(vm, p), hi > D.present && hi === icount.length && D.present < icount.length);
    flush();
    g.globalAlpha = 1;
    g.lineWidth = 1;
    sentence = '';
  }
  // Markers by kind, at most one per pixel column and kind. Events come in step order, so x only
  // grows: remembering the last column drawn per kind is enough.
  const lastX = [-1, -1, -1, -1, -1, -1];
  const shown = TRANSITION_KINDS.map((_, k) => !hidden.has(k));
  const m = isProjector() ? 3 : 2;
  // One path per kind and faintness (after the stop), filled once each: the same squares, in the
  // same order within a kind, without a state change per marker.
  const marks = new Rects(2 * TRANSITION_KINDS.length);
  for (let i = lo; i < hi; i++) {
    const k = kind[i];
    if (!shown[k]) continue;
    const x = Math.round(gx + (icount[i] - view.x0) * scale);
    if (x < gx || lastX[k] === x) continue;
    lastX[k] = x;
    marks.add(2 * k + (i >= D.present ? 1 : 0), x - m, laneYs[to[i]] - m);
  }
  marks.fill(g, 2 * m, 2 * m, (j) => {
    g.fillStyle = p.kinds[j >> 1];
    g.globalAlpha = j & 1 ? 0.4 : 1;
  });
  g.globalAlpha = 1;
  if (selected >= 0 && selected < icount.length) {
    g.strokeStyle = p.focus;
    const x = xOf(icount[selected], geo);
    g.strokeRect(x - 4, (laneYs[to[selected]] ?? 0) - 4, 8, 8);
  }
  if (D.stop) {
    const x = xOf(now, geo);
    if (x >= gx) {
      g.strokeStyle = p.stopLine;
      g.setLineDash([3, 3]);
      g.beginPath();
      g.moveTo(x, 0);
      g.lineTo(x, h);
      g.stroke();
      g.setLineDash([]);
    }
  }
  plot.left = gx;
  return sentence;
}

/** Where the plot begins (right of the lane labels), as last drawn: the axis's labels under the canvas start there. */
export const plot = { left: 0 };

/** A place on the time axis in words: "step 120", "cycle 4000" (the axis's ends). */
export function axisAt(x: number): string {
  return AXIS.unit === 'cycle' ? tr('cycle {0}', Math.round(x)) : tr('step {0}', Math.round(x));
}

/** The transition under x (within 6 px), skipping hidden kinds; -1 when none. */
export function nearest(canvas: HTMLCanvasElement, x: number, hidden: Set<number>): number {
  const geo = geometry(canvas, canvas.getContext('2d') ?? undefined);
  const ic = view.x0 + ((x - geo.gx) / Math.max(1, geo.w - geo.gx)) * (view.x1 - view.x0);
  const times = AXIS.times();
  const i = lowerBound(times, ic);
  let best = -1;
  let bestD = 6;
  for (const j of [i - 2, i - 1, i, i + 1]) {
    if (j < 0 || j >= times.length || hidden.has(D.kind[j])) continue;
    const d = Math.abs(xOf(times[j], geo) - x);
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  }
  return best;
}

/** The tooltip's lines for a transition. */
export function tooltipLines(i: number): (string | HTMLElement)[] {
  return [
    el('strong', {}, D.causes[D.cause[i]] ?? ''), el('br'), D.text[i], el('br'),
    `${tr('step {0}', D.icount[i])}${D.cycles[i] ? ` · ${tr('cycle {0}', D.cycles[i])}` : ''} · ${words.level(D.from[i], D.fromVm[i])} → ${words.level(D.to[i], D.toVm[i])}`, el('br'),
    `pc ${hex(D.pcBefore[i])} → ${hex(D.pcAfter[i])}${D.target[i] ? ` <${D.target[i]}>` : ''}`, el('br'),
    el('span', { class: 'muted' }, i >= D.present ? tr('after the stop: click to go forward in time to here') : tr('click to go back in time to here')),
  ];
}

/** The legend: what each marker colour, line colour and the dashed line mean. */
export function legend(): HTMLElement {
  const p = themePalette();
  const item = (swatch: HTMLElement, text: string) => el('span', { class: 'item' }, swatch, text);
  const box = el('div', { class: 'legend', id: 'timeline-legend', 'aria-label': tr('Legend') });
  // Only the kinds the run has: no VM entry, exit or triple fault for a program without a hypervisor.
  words.kinds().forEach(({ name, label }, i) => {
    if (!kindOccurs(i)) return;
    const s = el('span', { class: `swatch kind-${name}` });
    s.style.background = p.kinds[i];
    box.append(item(s, label));
  });
  const line = (colour: string, text: string, dashed = false) => {
    const s = el('span', { class: `line${dashed ? ' dashed' : ''}` });
    s.style.color = colour;
    return item(s, text);
  };
  if (D.vms.length) {
    box.append(line(p.fg, words.space(0)));
    for (const vm of D.vms) box.append(line(vmColour(vm, p), words.space(vm)));
  }
  box.append(line(p.stopLine, tr('the stop'), true));
  if (D.present < D.icount.length) box.append(item(el('span', { class: 'swatch future-swatch' }), tr('after the stop (faint)')));
  return box;
}

/** The timeline as it is in view, for a slide: lanes, the step line (or bands), markers, legend. */
export function timelineFigure(program: string): Figure {
  const shapes: Shape[] = [];
  const lanes = lanesShown();
  const W = 900;
  const gx = 110;
  const top = 50;
  const laneH = 46;
  const plotW = W - gx - 20;
  const laneYs: number[] = [];
  lanes.forEach((l, k) => (laneYs[l] = top + laneH * k + laneH / 2));
  const bottom = top + laneH * lanes.length;
  const xOfF = (ic: number) => gx + ((ic - view.x0) / (view.x1 - view.x0)) * plotW;
  shapes.push({ kind: 'text', x: 20, y: 24, text: tr('Ring transitions — {0}', program), size: 15, bold: true });
  for (const l of lanes) {
    shapes.push({ kind: 'text', x: 20, y: laneYs[l] + 4, text: words.lane(l), size: 12, fill: GREY });
    shapes.push({ kind: 'line', points: [gx, laneYs[l], gx + plotW, laneYs[l]], stroke: RULE });
  }
  const icount = AXIS.times();
  const { from, to, toVm, kind } = D;
  const lo = Math.max(0, lowerBound(icount, view.x0) - 1);
  const hi = Math.min(icount.length, lowerBound(icount, view.x1) + 1);
  const ink = (vm: number) => (vm > 0 ? VM_INK[Math.max(0, D.vms.indexOf(vm)) % VM_INK.length] : INK);
  if (hi - lo > plotW * DENSE_PER_PX) {
    const cols = Math.ceil(plotW / 2);
    for (const l of lanes) {
      const c = new Uint32Array(cols);
      let max = 1;
      for (let i = lo; i < hi; i++) {
        if (from[i] !== l && to[i] !== l) continue;
        const k = Math.floor(((icount[i] - view.x0) / (view.x1 - view.x0)) * cols);
        if (k >= 0 && k < cols) max = Math.max(max, ++c[k]);
      }
      for (let k = 0; k < cols; k++) {
        if (!c[k]) continue;
        const shade = Math.round(225 - 200 * (Math.log1p(c[k]) / Math.log1p(max)));
        shapes.push({ kind: 'rect', x: gx + k * 2, y: laneYs[l] - 12, w: 2, h: 24, fill: `rgb(${shade},${shade},${shade})` });
      }
    }
  } else {
    let level = lo > 0 ? to[lo - 1] : icount.length ? from[0] : D.hasVms ? 3 : 2;
    let vm = lo > 0 ? toVm[lo - 1] : icount.length ? D.fromVm[0] : 0;
    let x = gx;
    for (let i = lo; i < hi; i++) {
      const xi = Math.max(gx, Math.min(gx + plotW, xOfF(icount[i])));
      shapes.push({ kind: 'line', points: [x, laneYs[level], xi, laneYs[level], xi, laneYs[to[i]]], stroke: ink(vm), width: 1.5, dash: i > D.present });
      x = xi;
      level = to[i];
      vm = toVm[i];
    }
    shapes.push({ kind: 'line', points: [x, laneYs[level], Math.min(gx + plotW, xOfF(AXIS.now())), laneYs[level]], stroke: ink(vm), width: 1.5 });
    for (let i = lo; i < hi; i++) {
      const xi = xOfF(icount[i]);
      if (xi >= gx && xi <= gx + plotW) shapes.push({ kind: 'rect', x: xi - 2.5, y: laneYs[to[i]] - 2.5, w: 5, h: 5, fill: KIND_INK[kind[i]] });
    }
  }
  const xs = xOfF(AXIS.now());
  if (xs >= gx && xs <= gx + plotW) shapes.push({ kind: 'line', points: [xs, top - 6, xs, bottom], stroke: KIND_INK[0], dash: true });
  shapes.push({ kind: 'text', x: gx, y: bottom + 16, text: axisAt(view.x0), size: 11, fill: GREY });
  shapes.push({ kind: 'text', x: gx + plotW, y: bottom + 16, text: axisAt(view.x1), size: 11, fill: GREY, anchor: 'end' });
  // Legend: kinds, then the VMs' lines.
  let lx = 20;
  const ly = bottom + 40;
  words.kinds().forEach(({ label }, i) => {
    if (!kindOccurs(i)) return;
    shapes.push({ kind: 'rect', x: lx, y: ly - 9, w: 9, h: 9, fill: KIND_INK[i] });
    shapes.push({ kind: 'text', x: lx + 13, y: ly, text: label, size: 12 });
    lx += 20 + textWidth(label, 12);
  });
  for (const vm of D.vms.length ? [0, ...D.vms] : []) {
    shapes.push({ kind: 'line', points: [lx, ly - 4, lx + 18, ly - 4], stroke: ink(vm), width: 2 });
    const t = words.space(vm);
    shapes.push({ kind: 'text', x: lx + 22, y: ly, text: t, size: 12 });
    lx += 34 + textWidth(t, 12);
  }
  shapes.push({ kind: 'line', points: [lx, ly - 4, lx + 18, ly - 4], stroke: KIND_INK[0], dash: true });
  shapes.push({ kind: 'text', x: lx + 22, y: ly, text: tr('the stop'), size: 12 });
  return { width: W, height: ly + 20, title: AXIS.unit === 'cycle' ? tr('Ring transitions of {0}, cycles {1} to {2}', program, Math.round(view.x0), Math.round(view.x1)) : tr('Ring transitions of {0}, steps {1} to {2}', program, Math.round(view.x0), Math.round(view.x1)), shapes };
}
