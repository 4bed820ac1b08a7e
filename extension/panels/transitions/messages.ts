// What the Ring Transitions panel (panel.ts) and its page (page/main.ts) say to each other.
// Types, and the names of the kinds and lanes both sides count in.
import type { CommonToHost, PanelSettings, Rendered, SessionInfo, StopSummary } from '../messages';

/** Compact transitions: parallel arrays, so 100,000 of them cost little to send and draw. */
export interface TransitionChunk {
  start: number;
  icount: number[];
  kind: number[];
  /** Lane index of the level before and after (see LANES). */
  from: number[];
  to: number[];
  /** The VM before and after (0: the host), for the lanes' colours and the rows' words. */
  fromVm: number[];
  toVm: number[];
  /** The machine's cycle count at each transition: a time axis in cycles (absent from older hosts). */
  cycles?: number[];
  /** Index into `causes`. */
  cause: number[];
  pcBefore: number[];
  pcAfter: number[];
  target: (string | null)[];
  text: string[];
}

export const LANES = ['ring 3', 'ring 1/2', 'ring 0', 'hypervisor (root)'] as const;
export const KIND_NAMES = ['trap', 'interrupt', 'iret', 'vmentry', 'vmexit', 'triple-fault'] as const;

export type HostToTransitions =
  | { type: 'noSession'; message: string }
  | { type: 'running'; session: SessionInfo }
  /**
   * `total` transitions happened up to the stop; the page keeps `keep` of those it holds. After
   * a travel back in time the page also keeps the ones after the stop (`keep` > `total`): the
   * future the student came from, shown greyed, one click away.
   */
  | { type: 'reset'; session: SessionInfo; byCause: Record<string, number>; total: number; stop: StopSummary; hasVms: boolean; keep: number }
  | { type: 'chunk'; causes: string[]; chunk: TransitionChunk }
  | { type: 'error'; message: string }
  | PanelSettings;

export type TransitionsToHost = Rendered | CommonToHost | { type: 'ready' } | { type: 'timeTravel'; icount: number; index: number };

