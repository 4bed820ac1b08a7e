// The timeline's view: which stretch of the run it shows, drawing it with the words a screen
// reader gets, and the mouse: hover, wheel zoom. Keys and clicks travel (main.ts, list.ts).
import { AXIS, D, lowerBound } from './data';
import { axisAt, drawTimeline, nearest, plot, tooltipLines, view } from './timeline';
import { S, ui } from './store';
import { t as tr } from '../../page/l10n';
import { saveSoon } from './saved';

export function setView(x0: number, x1: number): void {
  view.x0 = x0;
  view.x1 = x1;
  S.following = false;
  draw();
  saveSoon();
}

export function draw(): void {
  if (!ui.canvas) return;
  const dense = drawTimeline(ui.canvas, S.hidden, S.selected);
  // The ends of the time axis, as text under the plot: on a narrow panel (or in projector mode)
  // the right one goes to a line of its own instead of over the left one.
  const [left, right] = Array.from(ui.axis.children) as HTMLElement[];
  left.textContent = axisAt(view.x0);
  right.textContent = axisAt(view.x1);
  ui.axis.style.paddingLeft = `${plot.left}px`;
  const times = AXIS.times();
  const shown = lowerBound(times, view.x1) - lowerBound(times, view.x0);
  const [x0, x1, n] = [Math.max(0, Math.round(view.x0)), Math.round(view.x1), D.icount.length];
  const range = AXIS.unit === 'cycle' ? tr('Showing cycles {0}–{1}: {2} of {3} transitions.', x0, x1, shown, n) : tr('Showing steps {0}–{1}: {2} of {3} transitions.', x0, x1, shown, n);
  ui.range.textContent = `${range}${dense ? ` ${dense}` : ''}`;
}

export function onHover(e: MouseEvent): void {
  const i = nearest(ui.canvas, e.offsetX, S.hidden);
  if (i < 0) {
    ui.tooltip.hidden = true;
    return;
  }
  ui.tooltip.replaceChildren(...tooltipLines(i));
  ui.tooltip.hidden = false;
  ui.tooltip.style.left = `${Math.max(0, Math.min(e.offsetX + 12, ui.canvas.clientWidth - ui.tooltip.offsetWidth))}px`;
  ui.tooltip.style.top = `${e.offsetY + 12}px`;
}

export function zoom(factor: number, atX: number): void {
  const w = ui.canvas.clientWidth;
  const c = view.x0 + (atX / w) * (view.x1 - view.x0);
  const span = Math.max(8, (view.x1 - view.x0) * factor);
  setView(c - (atX / w) * span, c + (1 - atX / w) * span);
}

export function onWheel(e: WheelEvent): void {
  e.preventDefault();
  zoom(e.deltaY > 0 ? 1.25 : 0.8, e.offsetX);
}

export function lastStep(): number {
  const times = AXIS.times();
  return Math.max(AXIS.now(), times.length ? times[times.length - 1] : 0, 1);
}

/** The whole run, step 0 to now (Home). */
export function fit(): void {
  const end = lastStep();
  setView(0, end + Math.max(8, end * 0.02));
}

/**
 * The stretch of the run where rings change, with room either side: a boot of thousands of
 * ring-0 steps before the first transition would otherwise squeeze every marker to one edge.
 */
export function follow(): void {
  const end = lastStep();
  const first = AXIS.times().length ? AXIS.times()[0] : 0;
  const pad = Math.max(8, (end - first) * 0.05);
  view.x0 = Math.max(0, first - pad);
  view.x1 = end + pad;
  S.following = true;
  draw();
  saveSoon();
}

