// What every panel and its page say to each other beside their own messages (each panel's
// folder has a messages.ts with those). Types only: both sides import it.
import type { StoppedEventBody } from '../../debug-adapter/protocol';

/** A stop as the webviews get it: without the page view the event may carry (the Page Tables panel sends its own), the spaces (sent apart) and the source line (the host's business). */
export type StopSummary = Omit<StoppedEventBody, 'pageView' | 'spaces' | 'source'>;

export function stopSummary(stop: StoppedEventBody): StopSummary {
  const { pageView: _pushed, spaces: _spaces, source: _source, ...rest } = stop;
  return rest;
}

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

/** What a panel keeps across reloads (webview state and the serializer). */
export interface PanelState {
  sessionId?: string;
}
