// The Page Tables panel's rows, computed where the tables are: consecutive pages with
// contiguous frames and equal flags become one row, and only the rows a panel draws first
// travel (with the pc's and the last data access's rows wherever they are). A stop event then
// carries a few KB instead of one entry per page: a thousand-page table would otherwise cross
// the editor (and, in a browser-based VS Code, the network) twice on every step.
import { isa, type Machine } from '../../emulator';
import { pageTables } from './pageTables';
import type { PageRowsArguments, PageRowsResponseBody, PageRun, PageTable, PageTablesResponseBody, PageView, PageViewArguments, RunTable } from '../protocol';

/** Rows sent per table by default (about a panel's height); more with PAGE_ROWS. */
export const FIRST_ROWS = 32;
const MAX_ROWS = 4096;
/** Most mappings listed per space, as the panel asks for. */
const LIMIT = 8192;

/** The entry bits a row shows: pages differing in any of them are rows of their own. */
const SHOWN_BITS = isa.PTE_BITS.reduce((m, [bit]) => m | bit, 0);

/** Consecutive pages with contiguous frames and the same flags, as one row. */
export function runsOf(t: PageTable): PageRun[] {
  const out: PageRun[] = [];
  for (const p of t.pages) {
    const r = out[out.length - 1];
    if (r && p.index === r.first + r.count && p.target === r.target + r.count * 4096 && (p.entry & SHOWN_BITS) === (r.entry & SHOWN_BITS)) r.count++;
    else out.push({ first: p.index, count: 1, va: p.va, target: p.target, entry: p.entry, entryAddress: p.entryAddress });
  }
  return out;
}

/** The index of the run holding `va`, or -1. */
export function runAt(runs: PageRun[], va: number | undefined): number {
  if (va === undefined) return -1;
  const a = va >>> 0;
  return runs.findIndex((r) => a >= r.va && a < r.va + r.count * 4096);
}

/** A fingerprint of everything a table's rows show (FNV-1a): a panel redraws a table only when it changes. */
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

function runTable(t: PageTable, rows: number, pc: number | undefined, data: number | undefined): RunTable {
  const runs = runsOf(t);
  const past = (i: number) => (i >= rows ? { index: i, run: runs[i] } : undefined);
  return {
    hash: tableHash(t, runs),
    dir: t.dir,
    entry: t.entry,
    entryAddress: t.entryAddress,
    tableAddress: t.tableAddress,
    pageCount: t.pages.length,
    runCount: runs.length,
    runs: runs.slice(0, rows),
    pcRun: past(runAt(runs, pc)),
    dataRun: past(runAt(runs, data)),
  };
}

/** A pageTables answer cut down to rows: `pc` and `data` (virtual addresses) have their rows sent too. */
export function viewOf(d: PageTablesResponseBody, pc: number | undefined, data?: number, rows = FIRST_ROWS): PageView {
  const { tables, eptTables, guestTables, ...rest } = d;
  return {
    ...rest,
    tables: tables.map((t) => runTable(t, rows, pc, data)),
    eptTables: eptTables?.map((t) => runTable(t, rows, undefined, undefined)),
    // All rows at once (there is no pageRows for them): a guest's own tables are a few runs.
    guestTables: guestTables?.map((t) => runTable(t, MAX_ROWS, undefined, undefined)),
  };
}

/** PAGE_VIEW: the space's tables as the panel draws them. */
export function pageView(m: Machine, args: PageViewArguments, guestPaging?: number): PageView {
  const rows = Math.max(0, Math.min(Math.floor(args.rows ?? FIRST_ROWS), MAX_ROWS));
  return viewOf(pageTables(m, { ...args, limit: args.limit ?? LIMIT }, guestPaging), args.va, args.data, rows);
}

/** PAGE_ROWS: more rows of one table, as it is now. */
export function pageRows(m: Machine, args: PageRowsArguments): PageRowsResponseBody {
  if (!Number.isInteger(args?.dir) || args.dir < 0 || args.dir > 1023) throw new Error(`pageRows needs 'dir', a directory index from 0 to 1023 (got ${JSON.stringify(args?.dir)})`);
  const d = pageTables(m, { space: args.space, limit: LIMIT });
  const t = (args.ept ? d.eptTables : d.tables)?.find((x) => x.dir === args.dir);
  if (!t) throw new Error(`${args.ept ? 'the EPT' : 'the page directory'} has no table at entry ${args.dir}`);
  const runs = runsOf(t);
  const from = Math.max(0, Math.floor(Number(args.from) || 0));
  const count = Math.max(1, Math.min(4096, Math.floor(Number(args.count) || FIRST_ROWS)));
  return { hash: tableHash(t, runs), runCount: runs.length, runs: runs.slice(from, from + count) };
}
