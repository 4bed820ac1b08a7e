// What the Page Tables panel (panel.ts) and its page (page/main.ts) say to each other. Types only.
import type { Walk } from '../../../debug-adapter/protocol';
import type { CommonToHost, PanelSettings, Rendered, SessionInfo, StopSummary } from '../messages';

// The rows of the Page Tables panel come from the adapter as they are drawn (protocol.ts).
export type { PageRun, RunTable as TableView, PageView as PageTablesView } from '../../../debug-adapter/protocol';
import type { PageRun, PageView } from '../../../debug-adapter/protocol';

/** An address space as the page's picker lists it (protocol.ts Space): 0 the host, n VM n. */
export interface SpaceInfo {
  id: number;
  name: string;
}

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

export type PageTablesToHost =
  | Rendered
  | CommonToHost
  | { type: 'ready' }
  | { type: 'selectSpace'; space: number }
  | { type: 'moreRows'; seq: number; ept: boolean; dir: number; from: number; count: number }
  | { type: 'translate'; va: string; access: 'read' | 'write' | 'fetch' }
  | { type: 'reveal'; address: number; physical: boolean; title: string }
  | { type: 'watch'; address: number; physical: boolean; title: string };

