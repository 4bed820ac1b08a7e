// Page-table rows as the Page Tables panel shows them, computed in the extension host: the
// webview is sent only the rows it draws (a thousand-page table would otherwise cross two
// process boundaries as ~100 KB on every stop) and asks for more when the user wants them.
import type { PageTable, PageTablesResponseBody } from '../../debug-adapter/protocol';
import type { PageRun, TableView, PageTablesView } from './messages';

/** Rows sent with each refresh per table (about a panel's height; ~0.3 ms each to draw); more on request. */
export const FIRST_ROWS = 32;

/** Consecutive pages with contiguous frames and the same flags, as one row. */
export function runsOf(t: PageTable): PageRun[] {
  const out: PageRun[] = [];
  for (const p of t.pages) {
    const r = out[out.length - 1];
    if (r && p.index === r.first + r.count && p.target === r.target + r.count * 4096 && (p.entry & 0x67) === (r.entry & 0x67)) r.count++;
    else out.push({ first: p.index, count: 1, va: p.va, target: p.target, entry: p.entry, entryAddress: p.entryAddress });
  }
  return out;
}

/** The index of the run holding `pc`, or -1. */
export function runAt(runs: PageRun[], pc: number | undefined): number {
  if (pc === undefined) return -1;
  const a = pc >>> 0;
  return runs.findIndex((r) => a >= r.va && a < r.va + r.count * 4096);
}

/** A fingerprint of everything a table's rows show (FNV-1a): the page redraws a table only when it changes. */
export function tableHash(t: PageTable, runs: PageRun[]): string {
  let h = 0x811c9dc5;
  const mix = (v: number) => {
    for (let k = 0; k < 4; k++) {
      h ^= (v >>> (k * 8)) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  };
  mix(t.dir);
  mix(t.entry);
  mix(t.tableAddress);
  for (const r of runs) {
    mix(r.first);
    mix(r.count);
    mix(r.target);
    mix(r.entry);
  }
  return `${(h >>> 0).toString(16)}:${runs.length}`;
}

function tableView(t: PageTable, runs: PageRun[], pc: number | undefined): TableView {
  const at = runAt(runs, pc);
  return {
    hash: tableHash(t, runs),
    dir: t.dir,
    entry: t.entry,
    entryAddress: t.entryAddress,
    tableAddress: t.tableAddress,
    pageCount: t.pages.length,
    runCount: runs.length,
    runs: runs.slice(0, FIRST_ROWS),
    pcRun: at >= FIRST_ROWS ? { index: at, run: runs[at] } : undefined,
  };
}

/** What the host keeps to answer "more rows" for the view it last sent. */
export interface RunCache {
  readonly tables: Map<number, PageRun[]>;
  readonly ept: Map<number, PageRun[]>;
}

/** The response cut down to the rows the webview draws first, plus what is needed for the rest. */
export function pageTablesView(d: PageTablesResponseBody, pc: number | undefined): { view: PageTablesView; cache: RunCache } {
  const cache: RunCache = { tables: new Map(), ept: new Map() };
  const tables = (d.tables ?? []).map((t) => {
    const runs = runsOf(t);
    cache.tables.set(t.dir, runs);
    return tableView(t, runs, pc);
  });
  const eptTables = d.eptTables?.map((t) => {
    const runs = runsOf(t);
    cache.ept.set(t.dir, runs);
    return tableView(t, runs, undefined);
  });
  const { tables: _t, eptTables: _e, ...rest } = d;
  return { view: { ...rest, tables, eptTables }, cache };
}
