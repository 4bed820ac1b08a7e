// Messages between a panel (extension host) and its webview. Types only: both sides import it.
import type { StoppedEventBody, Walk } from '../../debug-adapter/protocol';

/** A stop as the webviews get it: without the page view the event may carry (the Page Tables panel sends its own) and the spaces (sent apart). */
export type StopSummary = Omit<StoppedEventBody, 'pageView' | 'spaces'>;

export function stopSummary(stop: StoppedEventBody): StopSummary {
  const { pageView: _pushed, spaces: _spaces, ...rest } = stop;
  return rest;
}

// The rows of the Page Tables panel come from the adapter as they are drawn (protocol.ts).
export type { PageRun, RunTable as TableView, PageView as PageTablesView } from '../../debug-adapter/protocol';
import type { PageRun, PageView } from '../../debug-adapter/protocol';

export interface SessionInfo {
  id: string;
  name: string;
  /** The program, as a student names it: its path in the workspace (hello/hello.rasm). */
  program: string;
}

/** What the panels' pages share beyond their data: the projector's larger text. */
export interface PanelSettings {
  type: 'settings';
  projector: boolean;
}

/** A figure the page drew for export: SVG text, or a PNG as a data: URL. */
export interface ExportRequest {
  type: 'export';
  format: 'svg' | 'png';
  /** A file name without extension, e.g. "page-walk-0x00400000". */
  name: string;
  data: string;
}

/** Messages every page may send besides its own. */
export type CommonToHost = { type: 'projector'; on: boolean } | ExportRequest;

/** A thread of the debuggee: the host CPU (space 0) or a VM's vCPU (space n). */
export interface SpaceInfo {
  id: number;
  name: string;
}

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

export type HostToPageTables =
  | { type: 'noSession'; message: string }
  | { type: 'running'; session: SessionInfo }
  /** `seq` numbers the states: a 'rows' answer for an older one is dropped. */
  | { type: 'state'; seq: number; session: SessionInfo; stop: StopSummary; spaces: SpaceInfo[]; space: number; data: PageView }
  | { type: 'rows'; seq: number; ept: boolean; dir: number; from: number; hash: string; runs: PageRun[] }
  | { type: 'walk'; walk: Walk; reads: number }
  | { type: 'memory'; title: string; address: number; hex: string[] }
  | { type: 'info'; message: string }
  | { type: 'error'; message: string }
  | PanelSettings;

/**
 * What a webview reports after it has drawn a message (layout included): the host derives the
 * refresh time from it, and tests read what the panel shows through the extension API.
 */
export interface Rendered {
  type: 'rendered';
  view: 'noSession' | 'running' | 'state' | 'error';
  /** Instruction count of the stop drawn, -1 when none. */
  icount: number;
  /** Time spent inside the webview: from the message's arrival to a laid-out page. */
  renderMs: number;
  /** Wall-clock time (Date.now()) the page was laid out: comparable with the host's clock on one machine. */
  doneAt: number;
  /** Wall-clock time the message arrived in the page: doneAt - renderMs, kept apart for clarity. */
  arrivedAt: number;
  /** Rows drawn (mappings or transitions). */
  rows: number;
  /** The panel's text, cut short: enough for a test to see what a person reads. */
  text: string;
}

export type PageTablesToHost =
  | Rendered
  | CommonToHost
  | { type: 'ready' }
  | { type: 'selectSpace'; space: number }
  | { type: 'moreRows'; seq: number; ept: boolean; dir: number; from: number; count: number }
  | { type: 'translate'; va: string; access: 'read' | 'write' | 'fetch' }
  | { type: 'reveal'; address: number; physical: boolean; title: string }
  | { type: 'watch'; address: number; physical: boolean; title: string };

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

/** What a panel keeps across reloads (webview state and the serializer). */
export interface PanelState {
  sessionId?: string;
}
