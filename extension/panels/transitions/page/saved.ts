// What the Ring Transitions page keeps in VS Code's webview state (getState/setState), which
// outlives the page when VS Code discards a hidden webview and loads it again on show: the
// selected transition, the filters, the time axis, the timeline's stretch and the list's scroll.
// The transitions themselves, the greyed future included, the host sends again (panel.ts holds
// them): they are too many for the webview state, which is copied on every setState.
import { vscode } from '../../page/common';
import { AXIS, D } from './data';
import { S, ui } from './store';
import { view } from './timeline';

interface Saved {
  session: string;
  /** The selected transition: its run index and instruction count (the count proves it is the same one). */
  selected?: { index: number; icount: number };
  hidden: number[];
  unit: 'step' | 'cycle';
  following: boolean;
  x0: number;
  x1: number;
  scrollTop: number;
}

/** The session shown: the state is saved for it only. */
let session = '';
/** Read at load, applied once the first reset of its session has all its transitions in. */
let pending: Saved | undefined = read();

/** The state the page saved before it was discarded, if well-formed (it is data like any other). */
function read(): Saved | undefined {
  const s = (vscode.getState() as { transitions?: Partial<Saved> } | undefined)?.transitions;
  if (!s || typeof s !== 'object' || typeof s.session !== 'string') return undefined;
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  const sel = s.selected;
  return {
    session: s.session,
    selected: sel && Number.isInteger(sel.index) && Number.isInteger(sel.icount) ? { index: sel.index, icount: sel.icount } : undefined,
    hidden: Array.isArray(s.hidden) ? s.hidden.filter((k): k is number => Number.isInteger(k)) : [],
    unit: s.unit === 'cycle' ? 'cycle' : 'step',
    following: s.following !== false,
    x0: num(s.x0, 0),
    x1: num(s.x1, 1),
    scrollTop: Math.max(0, num(s.scrollTop, 0)),
  };
}

let timer: ReturnType<typeof setTimeout> | undefined;

/** Save soon: for what changes many times a second (scrolling, panning, zooming); each save is a message to VS Code. */
export function saveSoon(): void {
  if (timer === undefined) timer = setTimeout(save, 250);
}

/** Save what the student chose now (a selection, a filter: the panel may be hidden the next moment). */
export function save(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  // Until the saved state is restored, saving would overwrite it with the defaults.
  if (!session || pending) return;
  const i = S.selected;
  const selected = i >= 0 && i < D.icount.length ? { index: D.base + i, icount: D.icount[i] } : undefined;
  const state: Saved = { session, selected, hidden: [...S.hidden], unit: AXIS.unit, following: S.following, x0: view.x0, x1: view.x1, scrollTop: ui.list?.scrollTop ?? 0 };
  vscode.setState({ sessionId: session, transitions: state });
}

/**
 * A reset for `id` arrives. The first for the session saved: the filters and the time axis,
 * which the page's skeleton and the first drawing read, come back now. Another session: the
 * saved choices were for a run that is gone.
 */
export function beginSession(id: string): void {
  if (pending && pending.session !== id) pending = undefined;
  if (id !== session) {
    session = id;
    if (pending) {
      S.hidden = new Set(pending.hidden);
      AXIS.unit = pending.unit;
    }
  }
  save();
}

/**
 * All the transitions of the first reset are in: the selection (if it is still the same
 * transition), the timeline's stretch and the list's scroll come back. Returns whether
 * anything was restored (the caller redraws).
 */
export function restoreAfterLoad(): boolean {
  const p = pending;
  if (!p) return false;
  pending = undefined;
  const i = p.selected ? p.selected.index - D.base : -1;
  if (p.selected && i >= 0 && i < D.icount.length && D.icount[i] === p.selected.icount) S.selected = i;
  if (!p.following && p.x1 > p.x0) {
    view.x0 = p.x0;
    view.x1 = p.x1;
    S.following = false;
  }
  if (ui.list) ui.list.scrollTop = p.scrollTop;
  save();
  return true;
}
