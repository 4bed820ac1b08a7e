// The Ring Transitions panel: every ring and mode change of the run as a step line over the
// instruction count, with counters by cause and filters; clicking a transition time-travels
// there (the adapter's step-back) and VS Code reveals its source line.
import * as vscode from 'vscode';
import { TIME_TRAVEL, TRANSITIONS, type Transition, type TransitionsArguments, type TransitionsResponseBody } from '../../debug-adapter/protocol';
import type { Ctx } from '../ctx';
import { KIND_NAMES, stopSummary, type HostToTransitions, type TransitionChunk, type TransitionsToHost } from './messages';
import { RingsidePanel } from './panel';

export const TRANSITIONS_VIEW = 'ringside.transitions';
const CHUNK = 5000;

/** Lane of a level: 0 ring 3, 1 ring 1/2, 2 ring 0, 3 hypervisor (host ring 0 when VMs exist). */
export function laneOf(cpl: number, vm: number, hasVms: boolean): number {
  if (cpl === 3) return 0;
  if (cpl === 1 || cpl === 2) return 1;
  return vm === 0 && hasVms ? 3 : 2;
}

type Base = RingsidePanel<HostToTransitions, TransitionsToHost>;

export class TransitionsPanel extends RingsidePanel<HostToTransitions, TransitionsToHost> {
  readonly kind = 'transitions';
  /** Events the webview holds for the current session. */
  private loaded = 0;
  private causes: string[] = [];
  private causeIndex = new Map<string, number>();
  private loadedFor: string | undefined;
  private hasVms = false;
  /** The counters last sent and the instruction count of the newest event loaded: a stop with no new transition needs no request. */
  private head: { byCause: Record<string, number>; total: number } | undefined;
  private tail = -1;

  constructor(ctx: Ctx, panel: vscode.WebviewPanel, sessionId: string | undefined, mayAdopt: (p: Base, sessionId: string) => boolean, onClose: (p: Base) => void) {
    super(ctx, panel, sessionId, 'transitions.js', 'Ring Transitions', mayAdopt, onClose);
  }

  protected override webviewReloaded(): void {
    this.loadedFor = undefined;
    this.head = undefined;
  }

  /** A step that crossed no ring: the list is the same, only the stop moves. No round trip to the adapter. */
  protected override quickState(): HostToTransitions | undefined {
    const st = this.session();
    const stop = st?.stop;
    const h = this.head;
    if (!st || !stop || !h || this.loadedFor !== st.session.id || stop.transitions !== h.total || this.loaded !== h.total) return undefined;
    if ((stop.lastTransition ?? -1) !== this.tail || (stop.vm > 0 && !this.hasVms)) return undefined;
    this.panel.title = `Ring Transitions — ${st.session.name}`;
    return { type: 'reset', session: { id: st.session.id, name: st.session.name }, byCause: h.byCause, total: h.total, stop: stopSummary(stop), hasVms: this.hasVms, keep: this.loaded };
  }

  protected noSession(message: string): HostToTransitions {
    return { type: 'noSession', message };
  }
  protected errorMessage(message: string): HostToTransitions {
    return { type: 'error', message };
  }

  private async request(args: TransitionsArguments): Promise<TransitionsResponseBody> {
    const st = this.session();
    if (!st) throw new Error('no debug session');
    return (await st.session.customRequest(TRANSITIONS, args)) as TransitionsResponseBody;
  }

  protected async refresh(): Promise<void> {
    const st = this.session();
    if (!st) return this.post(this.noSession('No Ringside debug session. Start one (F5 on a .rasm file) to see its ring transitions.'));
    this.panel.title = `Ring Transitions — ${st.session.name}`;
    if (!st.stop) return this.post({ type: 'running', session: { id: st.session.id, name: st.session.name } });
    const head = await this.request({ start: 0, count: 0 });
    const hasVms = (head.byKind?.vmentry ?? 0) > 0 || st.stop.vm > 0;
    // Lanes depend on hasVms, so events sent before the first VM appeared are sent again.
    if (this.loadedFor !== st.session.id || head.total < this.loaded || hasVms !== this.hasVms) {
      this.loaded = 0;
      this.causes = [];
      this.causeIndex.clear();
      this.loadedFor = st.session.id;
    }
    this.hasVms = hasVms;
    this.head = undefined;
    await this.post({ type: 'reset', session: { id: st.session.id, name: st.session.name }, byCause: head.byCause, total: head.total, stop: stopSummary(st.stop), hasVms: this.hasVms, keep: this.loaded });
    while (this.loaded < head.total) {
      const page = await this.request({ start: this.loaded, count: CHUNK });
      if (page.events.length === 0) break;
      await this.post({ type: 'chunk', causes: this.causes, chunk: this.compact(page.events, this.loaded) });
      this.loaded += page.events.length;
      this.tail = page.events[page.events.length - 1].icount;
    }
    if (this.loaded === head.total) this.head = { byCause: head.byCause, total: head.total };
    if (this.loaded === 0) this.tail = -1;
  }

  private compact(events: Transition[], start: number): TransitionChunk {
    const c: TransitionChunk = { start, icount: [], kind: [], from: [], to: [], cause: [], pcBefore: [], pcAfter: [], target: [], text: [] };
    for (const e of events) {
      let ci = this.causeIndex.get(e.cause);
      if (ci === undefined) {
        ci = this.causes.length;
        this.causes.push(e.cause);
        this.causeIndex.set(e.cause, ci);
      }
      c.icount.push(e.icount);
      c.kind.push(Math.max(0, KIND_NAMES.indexOf(e.kind)));
      c.from.push(laneOf(e.fromCpl, e.fromVm, this.hasVms));
      c.to.push(laneOf(e.toCpl, e.toVm, this.hasVms));
      c.cause.push(ci);
      c.pcBefore.push(e.pcBefore);
      c.pcAfter.push(e.pcAfter);
      c.target.push(e.target ?? null);
      c.text.push(e.text);
    }
    return c;
  }

  protected async handle(m: TransitionsToHost): Promise<void> {
    if (m.type !== 'timeTravel') return;
    const st = this.session();
    if (!st) return;
    // The adapter stops there and sends `stopped`: VS Code then shows the source line.
    await st.session.customRequest(TIME_TRAVEL, { icount: m.icount });
  }
}
