// The Ring Transitions panel: every ring and mode change of the run as a step line over the
// instruction count, with counters by cause and filters; clicking a transition time-travels
// there (the adapter's step-back) and VS Code reveals its source line.
import * as vscode from 'vscode';
import { TIME_TRAVEL, TRANSITIONS, type Transition, type TransitionsArguments, type TransitionsResponseBody } from '../../../debug-adapter/protocol';
import { request } from '../../debug/requests';
import type { Ctx } from '../../ctx';
import { stopSummary } from '../messages';
import { TRANSITION_KINDS } from '../../../emulator/isa/abi';
import { type HostToTransitions, type TransitionChunk, type TransitionsToHost } from './messages';
import { RingsidePanel } from '../basePanel';

const CHUNK = 5000;
/**
 * The most transitions the page holds: the newest ones. A long run has millions; fetching
 * them all took tens of seconds, and the list's spacer (rows × row height) would pass the
 * browser's largest element height. The page says how many earlier ones it does not show.
 */
const WINDOW = 200_000;

/** Lane of a level: 0 ring 3, 1 ring 1/2, 2 ring 0, 3 hypervisor (host ring 0 when VMs exist). */
export function laneOf(cpl: number, vm: number, hasVms: boolean): number {
  if (cpl === 3) return 0;
  if (cpl === 1 || cpl === 2) return 1;
  return vm === 0 && hasVms ? 3 : 2;
}

const COLUMNS = ['icount', 'kind', 'from', 'to', 'fromVm', 'toVm', 'cycles', 'cause', 'pcBefore', 'pcAfter', 'target', 'text'] as const;

function emptyChunk(start: number): TransitionChunk & { cycles: number[] } {
  return { start, icount: [], kind: [], from: [], to: [], fromVm: [], toVm: [], cycles: [], cause: [], pcBefore: [], pcAfter: [], target: [], text: [] };
}

function appendChunk(into: TransitionChunk, c: TransitionChunk): void {
  for (const k of COLUMNS) for (const v of (c[k] as unknown[] | undefined) ?? []) (into[k] as unknown[]).push(v);
}

function dropFront(c: TransitionChunk, n: number): void {
  for (const k of COLUMNS) (c[k] as unknown[] | undefined)?.splice(0, n);
  c.start += n;
}

/** `n` transitions of `c` from its `from`-th on, as a chunk of their own. */
function sliceChunk(c: TransitionChunk, from: number, n: number): TransitionChunk {
  const out = emptyChunk(c.start + from) as unknown as Record<string, unknown>;
  for (const k of COLUMNS) out[k] = ((c[k] as unknown[] | undefined) ?? []).slice(from, from + n);
  return out as unknown as TransitionChunk;
}

type Base = RingsidePanel<HostToTransitions, TransitionsToHost>;

export class TransitionsPanel extends RingsidePanel<HostToTransitions, TransitionsToHost> {
  /**
   * The transitions of the current session the panel shows, as sent to its page (compact
   * arrays), from the run's index `base` on. After a travel back in time it holds more than have
   * happened by the stop: the ones after it stay, so the student can click forward again to
   * where they were. The host keeps them, not only the page: a hidden page is discarded (and
   * reloaded when shown again), and the adapter knows only the transitions up to the present,
   * so the future exists nowhere else. One copy in compact arrays (what the page holds too),
   * cheaper than keeping the whole hidden page alive (retainContextWhenHidden).
   */
  private held: TransitionChunk = emptyChunk(0);
  /** How many of `held` the page holds now: none after it was (re)loaded; the rest is sent again. */
  private inPage = 0;
  /** The run's index of held's first transition: the transitions before it (the oldest) are not fetched. */
  private base = 0;
  /** Bumped by forget() and a reloaded page: a load that finds it changed after an await has lost its place. */
  private epoch = 0;
  private causes: string[] = [];
  private causeIndex = new Map<string, number>();
  private loadedFor: string | undefined;
  private hasVms = false;
  /** The counters last sent: a stop with no new transition needs no request. */
  private head: { byCause: Record<string, number>; total: number } | undefined;

  constructor(ctx: Ctx, panel: vscode.WebviewPanel, sessionId: string | undefined, title: string, mayAdopt: (p: Base, sessionId: string) => boolean, onClose: (p: Base) => void) {
    super(ctx, panel, sessionId, 'transitions', title, mayAdopt, onClose);
  }

  /** A (re)loaded page holds nothing: what the host holds (the future after a travel back included) is sent again. */
  protected override webviewReloaded(): void {
    this.inPage = 0;
    this.epoch++;
    this.head = undefined;
  }

  private forget(sessionId: string | undefined): void {
    this.held = emptyChunk(0);
    this.inPage = 0;
    this.base = 0;
    this.epoch++;
    this.causes = [];
    this.causeIndex.clear();
    this.loadedFor = sessionId;
  }

  /** A step that crossed no ring: the list is the same, only the stop moves. No round trip to the adapter. */
  protected override quickState(): HostToTransitions | undefined {
    const st = this.session();
    const stop = st?.stop;
    const h = this.head;
    if (!st || !stop || !h || this.loadedFor !== st.session.id || stop.transitions !== h.total || this.end() < h.total || h.total < this.base || this.inPage !== this.count()) return undefined;
    if ((stop.lastTransition ?? -1) !== (this.held.icount[h.total - 1 - this.base] ?? -1) || (stop.vm > 0 && !this.hasVms)) return undefined;
    this.setTitle(st);
    return { type: 'reset', session: this.sessionInfo(st), byCause: h.byCause, total: h.total, stop: stopSummary(stop), hasVms: this.hasVms, base: this.base, keep: this.inPage, holds: this.count() };
  }

  /** How many transitions the host holds (from `base`). */
  private count(): number {
    return this.held.icount.length;
  }

  /** The run's index after the last transition held. */
  private end(): number {
    return this.base + this.count();
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
    return request(st.session, TRANSITIONS, args);
  }

  protected async refresh(stale: () => boolean): Promise<void> {
    const st = this.session();
    if (!st) return this.post(this.noSession(vscode.l10n.t('No Ringside debug session. Start one (F5 on a .rasm file) to see its ring transitions.')));
    this.setTitle(st);
    if (!st.stop) return this.post({ type: 'running', session: this.sessionInfo(st) });
    const head = await this.request({ start: 0, count: 0 });
    if (stale() || !this.live()) return;
    const hasVms = (head.byKind?.vmentry ?? 0) > 0 || st.stop.vm > 0;
    // Lanes depend on hasVms, so events sent before the first VM appeared are sent again.
    if (this.loadedFor !== st.session.id || hasVms !== this.hasVms) this.forget(st.session.id);
    else if (!(await this.stillThisRun(head.total))) this.forget(st.session.id);
    if (stale() || !this.live()) return;
    // Only the newest WINDOW transitions: the window slides forward as the run goes on (never
    // back: after a travel back in time the panel keeps what it holds).
    const from = Math.max(0, head.total - WINDOW);
    if (from > this.base) {
      const n = Math.min(from - this.base, this.count());
      dropFront(this.held, n);
      this.inPage = Math.max(0, this.inPage - n);
    }
    if (from > this.base || this.count() === 0) this.base = from;
    this.held.start = this.base;
    this.hasVms = hasVms;
    this.head = undefined;
    const epoch = this.epoch;
    const keep = Math.min(this.inPage, this.count());
    this.inPage = keep;
    await this.post({ type: 'reset', session: this.sessionInfo(st), byCause: head.byCause, total: head.total, stop: stopSummary(st.stop), hasVms: this.hasVms, base: this.base, keep, holds: this.count() });
    // A newer stop, a closed or hidden (discarded) page, or a reloaded one: stop loading.
    const lost = () => stale() || !this.live() || epoch !== this.epoch;
    // What the page was sent counts only if it is still that page (a reloaded one holds nothing).
    const sent = (n: number) => {
      if (epoch === this.epoch) this.inPage = n;
    };
    // What the page lost (hidden and shown again, reloaded) comes from the host's copy: the
    // transitions after a travel back are no longer the adapter's to give.
    while (this.inPage < this.count()) {
      if (lost()) return;
      const n = Math.min(CHUNK, this.count() - this.inPage);
      const upTo = this.inPage + n;
      await this.post({ type: 'chunk', causes: this.causes, chunk: sliceChunk(this.held, this.inPage, n) });
      sent(upTo);
    }
    while (this.end() < head.total) {
      if (lost()) return;
      const page = await this.request({ start: this.end(), count: Math.min(CHUNK, head.total - this.end()) });
      if (lost()) return;
      if (page.events.length === 0) break;
      const chunk = this.compact(page.events, this.end());
      await this.post({ type: 'chunk', causes: this.causes, chunk });
      appendChunk(this.held, chunk);
      sent(this.count());
    }
    if (this.end() >= head.total) this.head = { byCause: head.byCause, total: head.total };
  }

  /**
   * Whether the events held (past and future) are still this run's: the newest one that has
   * happened by now must be the one held at its place. Going back and forward in time replays
   * the same run; a changed register or memory word may make another.
   */
  private async stillThisRun(total: number): Promise<boolean> {
    if (this.count() === 0) return true;
    const k = Math.min(total, this.end());
    // Back before the first transition held: start again from the window's new place.
    if (k <= this.base) return false;
    const probe = await this.request({ start: k - 1, count: 1 });
    return probe.events[0]?.icount === this.held.icount[k - 1 - this.base];
  }

  private compact(events: Transition[], start: number): TransitionChunk {
    const c = emptyChunk(start);
    for (const e of events) {
      let ci = this.causeIndex.get(e.cause);
      if (ci === undefined) {
        ci = this.causes.length;
        this.causes.push(e.cause);
        this.causeIndex.set(e.cause, ci);
      }
      c.icount.push(e.icount);
      c.kind.push(Math.max(0, TRANSITION_KINDS.indexOf(e.kind)));
      c.from.push(laneOf(e.fromCpl, e.fromVm, this.hasVms));
      c.to.push(laneOf(e.toCpl, e.toVm, this.hasVms));
      c.fromVm.push(e.fromVm);
      c.toVm.push(e.toVm);
      c.cycles!.push(typeof e.cycles === 'number' ? e.cycles : 0);
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
    await request(st.session, TIME_TRAVEL, { icount: m.icount });
  }
}
