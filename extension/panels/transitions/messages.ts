// What the Ring Transitions panel (panel.ts) and its page (page/main.ts) say to each other.
// Types only: the kinds' and lanes' names and words are the vocabulary's (emulator/isa/vocabulary.ts).
import type { CommonToHost, PanelSettings, Rendered, SessionInfo, StopSummary } from '../messages';

/** Compact transitions: parallel arrays, so 100,000 of them cost little to send and draw. */
export interface TransitionChunk {
  /** The run's index of the first transition (the page holds them from its `base` on). */
  start: number;
  icount: number[];
  /** Index into the ISA's TRANSITION_KINDS (the order of EventKind). */
  kind: number[];
  /** Lane index of the level before and after (the vocabulary's `lane`: 0 ring 3, 1 rings 1-2, 2 ring 0, 3 the hypervisor). */
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

export type HostToTransitions =
  | { type: 'noSession'; message: string }
  | { type: 'running'; session: SessionInfo }
  /**
   * `total` transitions happened up to the stop; the page keeps `keep` of those it holds. After
   * a travel back in time the page also keeps the ones after the stop (`keep` > `total`): the
   * future the student came from, shown greyed, one click away. The page holds the run's
   * transitions from index `base` on (a long run's oldest are not sent; absent: 0): `keep` counts from there.
   * `holds`: how many the host holds from `base`, the future included: the page holds as many once
   * the chunks after this reset are in (a reloaded page keeps none; the host sends them all
   * again). Absent (an older host): `keep`.
   */
  | { type: 'reset'; session: SessionInfo; byCause: Record<string, number>; total: number; stop: StopSummary; hasVms: boolean; base?: number; keep: number; holds?: number }
  | { type: 'chunk'; causes: string[]; chunk: TransitionChunk }
  | { type: 'error'; message: string }
  | PanelSettings;

export type TransitionsToHost = Rendered | CommonToHost | { type: 'ready' } | { type: 'timeTravel'; icount: number; index: number };

