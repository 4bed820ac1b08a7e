// Helpers shared by the panels' webview scripts (run in the webview, not the extension host).
import type { Rendered } from '../messages';
import { hexDigits } from '../../../emulator/isa/hex';
import { t as tr } from './l10n';

interface VsCodeApi<S> {
  postMessage(m: unknown): void;
  getState(): S | undefined;
  setState(s: S): void;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export const vscode = acquireVsCodeApi<{ sessionId?: string; [k: string]: unknown }>();

export const hex = (v: number, pad = 8) => '0x' + hexDigits(v, pad);

/** Create an element with attributes and children; text children are escaped by construction. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: (Node | string | null | undefined | false)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') e.className = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

export function icon(name: string, label?: string): HTMLElement {
  const i = el('span', { class: `codicon codicon-${name}`, 'aria-hidden': label ? undefined : 'true', 'aria-label': label, role: label ? 'img' : undefined });
  return i;
}

export function message(app: HTMLElement, text: string, kind: 'muted' | 'error' = 'muted'): void {
  app.replaceChildren(el('p', { class: kind, role: kind === 'error' ? 'alert' : undefined }, text));
}

/**
 * One short sentence for a screen reader: the page's role="status" region (html.ts), outside
 * #app, which is rebuilt on every stop and so is no live region itself.
 */
export function announce(text: string): void {
  const s = document.getElementById('status');
  if (s && s.textContent !== text) s.textContent = text;
}

/** Run a render function, turning any exception into a visible message instead of a blank panel. */
export function guarded(app: HTMLElement, f: () => void): boolean {
  try {
    f();
    return true;
  } catch (e) {
    message(app, tr('This panel could not show the data it received: {0}', e instanceof Error ? e.message : String(e)), 'error');
    return false;
  }
}

/**
 * Tell the host what was drawn and how long it took. Reading offsetHeight forces layout, so
 * the time covers building the DOM and laying it out, not only the script.
 */
export function reportRendered(app: HTMLElement, view: Rendered['view'], icount: number, t0: number, rows: number): void {
  void app.offsetHeight;
  const renderMs = performance.now() - t0;
  const doneAt = Date.now();
  const m: Rendered = { type: 'rendered', view, icount, rows, renderMs, doneAt, arrivedAt: doneAt - renderMs, text: (app.textContent ?? '').slice(0, 4000) };
  vscode.postMessage(m);
}

/** Projector mode: larger text and lines for a lecture hall. The host keeps it as a setting. */
let projector = false;

export function isProjector(): boolean {
  return projector;
}

/** The setting as the host sent it: the page's class, and every projector button's state. */
export function applySettings(m: { projector: boolean }, redraw?: () => void): void {
  projector = m.projector === true;
  document.body.classList.toggle('projector', projector);
  for (const b of document.querySelectorAll('button.projector-toggle')) b.setAttribute('aria-pressed', String(projector));
  redraw?.();
}

/** A toggle for projector mode; the host turns the setting on or off and tells every panel. */
export function projectorButton(): HTMLButtonElement {
  const b = el('button', { type: 'button', class: 'projector-toggle', 'aria-pressed': String(projector), title: tr('Projector mode: larger text for a lecture hall (the setting ringside.panels.projectorMode)') }, icon('screen-full'), ` ${tr('Projector')}`);
  b.addEventListener('click', () => vscode.postMessage({ type: 'projector', on: !projector }));
  return b;
}
