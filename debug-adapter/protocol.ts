/**
 * Ringside's own DAP requests and events, typed once for both sides: the
 * adapter answers the requests and sends the events, the extension's panels send
 * the requests (`request(session, PAGE_TABLES, args)`) and read the events
 * (`eventBody(STOPPED_EVENT, message)`).
 * Types and the request and event constants only: importing this pulls in no other code.
 */

/**
 * A custom request: its name bound to its arguments and its response body in one declaration
 * (vscode-languageserver's `new RequestType<P, R>('name')`). The adapter routes it with a
 * handler of exactly these types (dap/panels.ts); the extension sends it through
 * extension/debug/requests.ts, which returns the body typed.
 */
export class RequestType<Args, Body> {
  /** Never set: it carries the types, so that a request and its handler cannot disagree. */
  declare readonly types?: { args: Args; body: Body };
  constructor(readonly name: string) {}
}

/**
 * A custom event: its name bound to its body (vscode-languageserver's `NotificationType<P>`). The
 * adapter sends it with `sendCustomEvent(s, TYPE, body)` (dap/route.ts), which takes only that
 * body; the extension reads it with `eventBody(TYPE, message)` (extension/debug/requests.ts).
 */
export class EventType<Body> {
  /** Never set: it carries the type, so that the sender and the listeners cannot disagree. */
  declare readonly types?: { body: Body };
  constructor(readonly name: string) {}
}

/** An address space's page tables, TLB and a walk. */
export const PAGE_TABLES = new RequestType<PageTablesArguments, PageTablesResponseBody>('pageTables');
/** The page tables as the panel draws them: rows of runs, the first few per table. */
export const PAGE_VIEW = new RequestType<PageViewArguments, PageView>('pageView');
/** More rows of one table of a page view. */
export const PAGE_ROWS = new RequestType<PageRowsArguments, PageRowsResponseBody>('pageRows');
/** A page of the transition log, with counters. */
export const TRANSITIONS = new RequestType<TransitionsArguments, TransitionsResponseBody>('transitions');
/** Go to an instruction count, back (through history) or forward (running there). */
export const TIME_TRAVEL = new RequestType<TimeTravelArguments, TimeTravelResponseBody>('timeTravel');
export const WATCH = new RequestType<WatchArguments, WatchResponseBody>('ringsideWatch');
export const UNWATCH = new RequestType<UnwatchArguments, void>('ringsideUnwatch');
/** The panels a client shows: with `pageTables`, every stop event carries the running space's page view. */
export const PANELS = new RequestType<PanelsArguments, void>('ringsidePanels');

/** Every custom request the adapter answers (tests hold the adapter's routes and docs/debugger.md to this list). */
export const CUSTOM_REQUESTS: readonly { readonly name: string }[] = [PAGE_TABLES, PAGE_VIEW, PAGE_ROWS, TRANSITIONS, TIME_TRAVEL, WATCH, UNWATCH, PANELS];

/**
 * Sent right before every standard `stopped` event: where the machine is, for the panels and the
 * status bar. The adapter sends DAP's `continued` (allThreadsContinued) whenever the machine
 * starts moving, whichever request moved it (steps, reverse continue, goto, a time travel): a
 * client knows the machine runs from that event, not from a list of requests.
 */
export const STOPPED_EVENT = new EventType<StoppedEventBody>('ringsideStopped');

/** Every custom event the adapter sends (tests hold what it sends and docs/debugger.md to this list). */
export const CUSTOM_EVENTS: readonly { readonly name: string }[] = [STOPPED_EVENT];

/**
 * One of the assembler's errors, as a launch whose program does not assemble reports it: the
 * launch's error response carries them in its body (`LaunchErrorBody`), beside DAP's `error`
 * message that says the same in text (`file:line:col: error: message`) for any client.
 */
export interface LaunchDiagnostic {
  /** The file as the adapter read it: a disk path, or a URI string where there is no disk. */
  file: string;
  /** 0-based, as the assembler counts. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'note';
  message: string;
}

/** The body of a failed launch's error response, beyond DAP's `error`: the program's diagnostics when it does not assemble. */
export interface LaunchErrorBody {
  diagnostics?: LaunchDiagnostic[];
}

/**
 * An address space of the machine: 0 the host, n VM n. Each is also a thread of the Call Stack
 * (thread id + 1), but a client reads spaces from here, never from the threads' names.
 */
export interface Space {
  id: number;
  /** "host", "VM 1 vCPU 0": the Call Stack's name for its thread. */
  name: string;
  /** Its code runs now (its registers are the CPU's). */
  running: boolean;
}

export type AccessKind = 'read' | 'write' | 'fetch';

export interface PanelsArguments {
  /** Send the running space's page view (first rows per table, the walk of pc) in every stop event. */
  pageTables?: boolean;
}

// ---------------------------------------------------------------- pageTables

export interface PageTablesArguments {
  /** Address space: 0 the host, n VM n. Default: whichever runs now. */
  space?: number;
  /** Explain the walk for this virtual address (guest-linear for a VM). */
  va?: number;
  /** Access kind for the walk (default read). */
  access?: AccessKind;
  /** Most page mappings to list (default 4096). */
  limit?: number;
}

export interface PageViewArguments extends PageTablesArguments {
  /** Rows sent per table (default 32); `va` (the pc) and `data` have their rows sent wherever they are. */
  rows?: number;
  /** The last data access's virtual address: its row is marked and sent. */
  data?: number;
}

export interface PageRowsArguments {
  /** Address space: 0 the host, n VM n. Default: whichever runs now. */
  space?: number;
  /** A table of the EPT rather than of the space's own page tables. */
  ept: boolean;
  /** Its directory index. */
  dir: number;
  from: number;
  count: number;
}

export interface PageRowsResponseBody {
  /** The table's hash now: rows for a table that changed since it was drawn are for a newer drawing. */
  hash: string;
  runCount: number;
  runs: PageRun[];
}

/** Consecutive pages with contiguous frames and the same flags: one row of the Page Tables panel. */
export interface PageRun {
  /** Index of the first page in its table. */
  first: number;
  count: number;
  va: number;
  target: number;
  entry: number;
  /** Physical address of the first page's entry. */
  entryAddress: number;
}

/** A page table as the panel draws it: its first rows, and how many there are in all. */
export interface RunTable {
  /** Changes whenever any row of the table would (debug-adapter/views/pageRuns.ts). */
  hash: string;
  dir: number;
  entry: number;
  entryAddress: number;
  tableAddress: number;
  pageCount: number;
  runCount: number;
  /** Rows 0.. of the table (the first ones; more with PAGE_ROWS). */
  runs: PageRun[];
  /** The row of `va` (the pc) when it lies past `runs`: always shown. */
  pcRun?: { index: number; run: PageRun };
  /** Likewise the row of the last data access. */
  dataRun?: { index: number; run: PageRun };
}

/** A pageTables answer with its tables cut down to rows of runs: what a stop event carries (a few KB, not one entry per page). */
export type PageView = Omit<PageTablesResponseBody, 'tables' | 'eptTables' | 'guestTables'> & { tables: RunTable[]; eptTables?: RunTable[]; guestTables?: RunTable[] };

// The walk, the tables and the TLB are the emulator's own read-only views (emulator/inspect.ts),
// sent as they are: one definition, so the panels and the machine never disagree.
export type { WalkRead, Mapping as PageMapping, TableView as PageTable, TlbEntryView as TlbEntry, TlbStats as TlbCounters } from '../emulator';
import type { WalkExplanation, TableView, TlbEntryView, TlbStats, TransitionEvent } from '../emulator';
import type { TransitionKindName } from '../emulator/isa/abi';
export type Walk = WalkExplanation;

export interface PageTablesResponseBody {
  space: {
    id: number;
    name: string;
    running: boolean;
    paging: boolean;
    cr0: number;
    cr3: number;
    /** EPT directory (host-physical), 0 when the space has no EPT. */
    eptPointer: number;
  };
  /** The space's own two-level tables (guest tables for a VM: addresses translated to host-physical). */
  tables: TableView[];
  /** The VM's EPT tables, when it has EPT. */
  eptTables?: TableView[];
  /**
   * Under shadow paging (no EPT, `tables` are the shadow the CPU walks): the guest's own tables,
   * when its hypervisor publishes where they are (docs/debugger.md, "Shadow paging").
   * Entries as the guest wrote them (guest-physical); addresses host-physical.
   */
  guestTables?: TableView[];
  /** The guest's own cr3 (guest-physical) under shadow paging. */
  guestCr3?: number;
  truncated: boolean;
  walk?: Walk;
  /** Every valid TLB entry (all tags: the TLB is shared and tagged). */
  tlb: TlbEntryView[];
  /** Counters of this space's TLB. */
  counters: TlbStats;
}

// ---------------------------------------------------------------- transitions

export type TransitionKind = TransitionKindName;

export interface TransitionsArguments {
  /** Instruction-count range [fromIcount, toIcount). */
  fromIcount?: number;
  toIcount?: number;
  /** Page through the matching events: skip `start`, return at most `count` (default 1000). */
  start?: number;
  count?: number;
  /** Only these kinds. */
  kinds?: TransitionKind[];
}

/**
 * A transition as the panels get it: the emulator's event (emulator/events.ts) with its kind by
 * name, a sentence for a student and the label it went to. Its stack pointer and error code
 * stay in the adapter.
 */
export type Transition = Omit<TransitionEvent, 'kind' | 'spBefore' | 'detail'> & {
  kind: TransitionKind;
  /** A sentence for a student. */
  text: string;
  /** The label at pcAfter, when there is one. */
  target?: string;
};

export interface TransitionsResponseBody {
  /** Events matching the range and kinds. */
  total: number;
  start: number;
  events: Transition[];
  /** Counts of every recorded event up to now, by cause. */
  byCause: Record<string, number>;
  /** Counts by kind (same scope as byCause). */
  byKind: Record<TransitionKind, number>;
  /** Transitions after the log filled up (counted, not recorded: docs/debugger.md, "Limits"). */
  dropped: number;
}

// ---------------------------------------------------------------- timeTravel

export interface TimeTravelArguments {
  /** Instruction count to go to (forward or backward). */
  icount: number;
}

/**
 * Where the machine is as the response leaves. Back (inside recorded history), or to where it
 * already is: the destination, `running` false. Forward: where it starts from, `running` true; it
 * then runs there quietly (no breakpoints stop it) and its stopped event says where it arrived; a
 * guest that powers off on the way ends the session, as it would running.
 */
export interface TimeTravelResponseBody {
  icount: number;
  pc: number;
  running: boolean;
}

// ---------------------------------------------------------------- ringsideWatch / ringsideUnwatch

/**
 * A data breakpoint set from a panel (a page-table entry, a VMCS field). It is
 * kept by the adapter, apart from the client's own data breakpoints, and
 * stops like one (reason 'data breakpoint').
 */
export interface WatchArguments {
  address: number;
  physical: boolean;
  /** Default 'write'. */
  access?: 'read' | 'write' | 'readWrite';
  /** Bytes from address (default 4). */
  length?: number;
  description?: string;
}

export interface WatchResponseBody {
  /** Pass to ringsideUnwatch. */
  id: number;
  description: string;
}

export interface UnwatchArguments {
  id: number;
}

// ---------------------------------------------------------------- stop event

export interface StoppedEventBody {
  /** The DAP stop reason ('breakpoint', 'step', 'exception', ...). */
  reason: string;
  /** What happened, in a student's words. */
  text: string;
  threadId: number;
  icount: number;
  /** The cycle count (the cost model, launch attribute "costs"), beside the instruction count (the adapter always sends it; optional for older recordings). */
  cycles?: number;
  pc: number;
  /** Physical address of pc, or -1 when it does not translate. */
  pa: number;
  cpl: number;
  /** 0 host, n VM n. */
  vm: number;
  /** Every address space so far, in order of id, the running one marked. */
  spaces: Space[];
  /** Number of transition events recorded so far. */
  transitions: number;
  /** The instruction count of the newest of them (absent when there is none): with the number, it tells a panel whether its list is still the run's. */
  lastTransition?: number;
  /** The newest transition's cause ("syscall write", "#PF", "vmexit i/o") and the ring it left (the course walkthrough ticks its steps on them). */
  lastCause?: string;
  lastFromCpl?: number;
  /** Reachable instruction counts for timeTravel: [historyStart, historyEnd]. */
  historyStart: number;
  historyEnd: number;
  /** Memory the recorded history takes (an estimate, bytes). */
  historyBytes: number;
  /** Present once the run hit a cap: guest output bytes dropped past the output cap, transitions counted but not recorded past the log's capacity. */
  limits?: { outputDropped: number; eventsDropped: number };
  /** The last data access (load, store, push, pop or a trap frame) made in the running space: virtual and physical address. */
  data?: { va: number; pa: number };
  /**
   * The source line of the instruction the machine stopped at (the running thread's first stack
   * frame, as stackTrace gives it): the file as the adapter read it (a disk path, or a URI string
   * where there is no disk), the line 0-based as the assembler counts. Absent where no source maps
   * the pc. A panel that has the focus opens it in another editor group than its own, before VS
   * Code shows the stop there (else in the panel's group, over the panel).
   */
  source?: { path: string; line: number };
  /** The running space's page view and the walk of pc, when a client asked for them (PANELS): a panel then draws without a round trip. */
  pageView?: PageView;
}
