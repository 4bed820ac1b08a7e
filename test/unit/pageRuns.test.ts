// The Page Tables panel's rows, computed in the adapter (debug-adapter/views/pageRuns.ts): merging
// into runs, the first rows sent with a stop, the pc's and the last data access's rows past them.
import * as assert from 'node:assert/strict';
import type { PageMapping, PageTablesResponseBody } from '../../debug-adapter/protocol';
import { FIRST_ROWS, runsOf, viewOf } from '../../debug-adapter/views/pageRuns';
import { tablesText } from '../../debug-adapter/views/console';
import { enumerateTables, isa, Machine } from '../../emulator';

const page = (index: number, target: number, flags = 7): PageMapping => ({ dir: 1, index, va: 0x00400000 + index * 4096, entry: (target | flags) >>> 0, target, entryAddress: 0x12000 + index * 4 });

function response(pages: PageMapping[]): PageTablesResponseBody {
  return {
    space: { id: 0, name: 'host', running: false, paging: true, cr0: 1, cr3: 0x10000, eptPointer: 0 },
    tables: [{ dir: 1, entry: 0x12007, entryAddress: 0x10004, tableAddress: 0x12000, pages }],
    truncated: false,
    tlb: [],
    counters: { hits: 0, misses: 0, flushes: 0, walkReads: 0 },
  };
}

describe('Page Tables rows (debug-adapter/pageRuns)', () => {
  it('merges neighbours with contiguous frames and equal flags into one row', () => {
    const runs = runsOf(response([page(0, 0x200000), page(1, 0x201000), page(2, 0x202000, 5), page(4, 0x204000, 5)]).tables[0]);
    assert.deepEqual(runs.map((r) => [r.first, r.count]), [[0, 2], [2, 1], [4, 1]]);
  });

  it('sends the first rows of a 1,000-page table, the count, and the pc\'s row past them', () => {
    const pages = Array.from({ length: 1000 }, (_, i) => page(i, 0x800000 - i * 4096));
    const pc = 0x00400000 + 900 * 4096 + 12;
    const view = viewOf(response(pages), pc);
    const t = view.tables[0];
    assert.equal(t.runCount, 1000);
    assert.equal(t.pageCount, 1000);
    assert.equal(t.runs.length, FIRST_ROWS);
    assert.equal(t.pcRun?.index, 900);
    assert.equal(t.pcRun?.run.va, 0x00400000 + 900 * 4096);
    assert.equal(view.tables[0].dataRun, undefined, 'no data access given');
    const withData = viewOf(response(pages), pc, 0x00400000 + 950 * 4096).tables[0];
    assert.equal(withData.dataRun?.index, 950, 'the last data access\'s row is sent too');
    assert.ok(JSON.stringify(view).length < JSON.stringify(response(pages)).length / 8, 'a stop carries a fraction of the whole tables');
  });

  it('gives a table the same hash while its rows stay the same, and a new one when any row would change', () => {
    const pages = Array.from({ length: 1000 }, (_, i) => page(i, 0x800000 - i * 4096));
    const hash = (ps: PageMapping[], pc?: number) => viewOf(response(ps), pc).tables[0].hash;
    assert.equal(hash(pages, 0x00400000), hash(pages, 0x00400000 + 900 * 4096), 'the pc moving does not change the rows');
    const touched = pages.map((p, i) => (i === 999 ? { ...p, entry: p.entry | 32 } : p));
    assert.notEqual(hash(pages), hash(touched), 'the accessed bit of the last page changes its row');
    const remapped = pages.map((p, i) => (i === 500 ? { ...p, target: 0x900000, entry: 0x900007 } : p));
    assert.notEqual(hash(pages), hash(remapped));
    assert.notEqual(hash(pages), hash(pages.slice(0, 999)));
  });

  it('info pt lists the same runs as the panel\'s rows (one merge rule)', () => {
    const m = new Machine({ memory: 1 << 20 });
    const DIR = 0x10000, TABLE = 0x11000;
    m.cpu.m32[(DIR >>> 2) + 1] = TABLE | 7;
    // Pages 0-1 contiguous; page 2 differs from them only in a bit no row shows (bit 9, free for
    // the OS), so it joins their run; page 3 is read-only, page 5 not next to it.
    const flags = [7, 7, 7 | 0x200, 5, 0, 5];
    flags.forEach((f, i) => { if (f) m.cpu.m32[(TABLE >>> 2) + i] = (0x40000 + i * 4096) | f; });
    m.cpu.cr0 = 1;
    m.cpu.cr3 = DIR;
    m.cpu.updateAccess();
    const table = enumerateTables(m.cpu, DIR).tables[0];
    const runs = runsOf(table);
    assert.deepEqual(runs.map((r) => [r.first, r.count]), [[0, 3], [3, 1], [5, 1]]);
    const lines = tablesText(m).split('\n').filter((l) => l.startsWith('      '));
    assert.deepEqual(lines.map((l) => l.trim().split(/[ -]/)[0]), runs.map((r) => isa.hex32(r.va)));
    assert.match(lines[0], /\(3 pages\)$/);
  });
});
