// The Page Tables page on its own in headless Chromium (no VS Code): what a stop that leaves the
// tables unchanged must keep — rows the user asked for, a table they closed, what they typed,
// the focus — and what a changed table must redraw. Fed messages as the host sends them.
import type { Page } from 'playwright-core';
import { runsOf, tableHash, viewOf } from '../../debug-adapter/views/pageRuns';
import type { StopSummary } from '../../extension/panels/messages';
import type { HostToPageTables } from '../../extension/panels/pageTables/messages';
import type { HostToTransitions } from '../../extension/panels/transitions/messages';
import type { PageMapping, PageTablesResponseBody } from '../../debug-adapter/protocol';
import { withWebviewPage } from '../../scripts/webviewPage';
import { record } from './checks';
import { overlappingRowTexts } from './layoutProbe';
import type { PageGlobals } from './pageTypes';

const DATA_VA = 0x10000000;

function answer(pages: number, flags = 7): PageTablesResponseBody {
  const list: PageMapping[] = Array.from({ length: pages }, (_, i) => ({ dir: DATA_VA >>> 22, index: i, va: DATA_VA + i * 4096, target: 0x800000 - i * 4096, entry: (0x800000 - i * 4096) | flags, entryAddress: 0x12000 + i * 4 }));
  return {
    space: { id: 0, name: 'host', running: true, paging: true, cr0: 1, cr3: 0x10000, eptPointer: 0 },
    tables: [
      { dir: 0, entry: 0x11003, entryAddress: 0x10000, tableAddress: 0x11000, pages: [{ dir: 0, index: 0, va: 0, target: 0, entry: 3, entryAddress: 0x11000 }] },
      { dir: DATA_VA >>> 22, entry: 0x12007, entryAddress: 0x10100, tableAddress: 0x12000, pages: list },
    ],
    truncated: false,
    tlb: [],
    counters: { hits: 0, misses: 0, flushes: 0, walkReads: 0 },
  };
}

let seq = 0;
/** A state message as the host sends it, and the whole answer behind it (for 'moreRows'). */
function state(data: PageTablesResponseBody, pc: number, icount: number, access?: { va: number; pa: number }): { msg: HostToPageTables; rest: PageTablesResponseBody } {
  const stop: StopSummary = { reason: 'step', text: 'stepped', threadId: 1, icount, pc, pa: pc, cpl: 0, vm: 0, transitions: 0, historyStart: 0, historyEnd: icount, historyBytes: 0, data: access };
  const view = viewOf(data, pc, access?.va);
  return { msg: { type: 'state', seq: ++seq, session: { id: 's', name: 'check', program: 'check/check.rasm' }, stop, spaces: [{ id: 0, name: 'host' }], space: 0, data: view }, rest: data };
}

/** Posts a message as the host would, and resolves once the page reports it drawn. */
async function post(page: Page, msg: HostToPageTables): Promise<void> {
  await page.evaluate(async (m) => {
    const w = globalThis as unknown as { __posted: { type: string }[]; postMessage(m: unknown, o: string): void };
    w.__posted.length = 0;
    w.postMessage(m, '*');
    if ((m as { type: string }).type !== 'state') return;
    for (;;) {
      if (w.__posted.some((p) => p.type === 'rendered')) return;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }, msg);
}

/** Answers the page's pending 'moreRows' requests, as the host does with the adapter's pageRows. */
async function answerMore(page: Page, rest: PageTablesResponseBody, msgSeq: number): Promise<number> {
  const asks = (await page.evaluate(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.filter((p) => p.type === 'moreRows'))) as unknown as { dir: number; from: number; count: number; seq: number }[];
  for (const a of asks) {
    if (a.seq !== msgSeq) throw new Error(`the page asked for rows of state ${a.seq}, not ${msgSeq}`);
    const table = rest.tables.find((t) => t.dir === a.dir)!;
    const all = runsOf(table);
    await post(page, { type: 'rows', seq: a.seq, ept: false, dir: a.dir, from: a.from, hash: tableHash(table, all), runs: all.slice(a.from, a.from + a.count) });
  }
  return asks.length;
}

const rowCount = (page: Page, dir: number) => page.locator('details').nth(dir === 0 ? 0 : 1).locator('tr.pt-row:not(.pc-extra)').count();

export async function pageTablesPageChecks(root: string, chromium: string): Promise<void> {
  const run = async (name: string, body: (page: Page) => Promise<void>) => {
    try {
      await withWebviewPage(root, chromium, 'pageTables.js', { width: 900, height: 800 }, body);
      record(name, true);
    } catch (e) {
      record(name, false, e instanceof Error ? e.message : String(e));
    }
  };

  await run('[page] the TLB table names the space of each entry only beside VMs (no "host" in a program without one)', async (page) => {
    const entry = (slot: number, tag: number) => ({ slot, tag, va: 0x400000 + slot * 4096, pa: 0x200000 + slot * 4096, writable: true, user: true, dirty: false, executable: false });
    const heads = () => page.locator('section.tlb th').allTextContents();
    const cells = () => page.locator('section.tlb td').allTextContents();
    const one = state({ ...answer(3), space: { id: 0, name: 'CPU', running: true, paging: true, cr0: 1, cr3: 0x10000, eptPointer: 0 }, tlb: [entry(1, 0), entry(2, 0)] }, 0x40, 100);
    one.msg = { ...one.msg, spaces: [{ id: 0, name: 'CPU' }] } as HostToPageTables;
    await post(page, one.msg);
    if ((await heads()).join('|') !== 'slot|page (virtual)|frame (physical)|perm') throw new Error(`one space, headers: ${(await heads()).join('|')}`);
    if ((await cells()).some((c) => /host|CPU/.test(c))) throw new Error(`one space, a cell names it: ${(await cells()).join('|')}`);
    const two = state({ ...answer(3), tlb: [entry(1, 0), entry(2, 1)] }, 0x40, 101);
    two.msg = { ...two.msg, spaces: [{ id: 0, name: 'host' }, { id: 1, name: 'VM 1 vCPU 0' }] } as HostToPageTables;
    await post(page, two.msg);
    if ((await heads()).join('|') !== 'slot|space|page (virtual)|frame (physical)|perm') throw new Error(`two spaces, headers: ${(await heads()).join('|')}`);
    const c = await cells();
    if (!c.includes('host') || !c.includes('VM 1')) throw new Error(`two spaces, cells: ${c.join('|')}`);
  });

  await run('[page] a stop with the same tables keeps the rows asked for, a closed table and the typed address', async (page) => {
    const data = answer(999);
    let s = state(data, 0x40, 100);
    await post(page, s.msg);
    if ((await rowCount(page, 64)) !== 32) throw new Error(`first drawing: ${await rowCount(page, 64)} rows, expected 32`);
    await page.locator('details').nth(1).locator('button.more').click();
    await answerMore(page, s.rest, s.msg.type === 'state' ? s.msg.seq : -1);
    if ((await rowCount(page, 64)) !== 32 + 256) throw new Error(`after "more": ${await rowCount(page, 64)} rows`);
    // A screen reader says each row's number in the whole table (header row 1), also for rows that arrived with "more".
    const indexes = await page.locator('details').nth(1).locator('tr.pt-row:not(.pc-extra)').evaluateAll((rows) => rows.map((r) => (r as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-rowindex')));
    if (indexes[0] !== '2' || indexes[32] !== '34' || indexes[287] !== '289') throw new Error(`row indexes ${indexes[0]}, ${indexes[32]}, ${indexes[287]}: expected 2, 34, 289`);
    await page.locator('details').first().locator('summary').click(); // close the code page's table
    await page.locator('#va').fill('0x10003000');
    await page.locator('#va').focus();
    s = state(data, 0x44, 101);
    await post(page, s.msg);
    if ((await rowCount(page, 64)) !== 32 + 256) throw new Error(`after a stop: ${await rowCount(page, 64)} rows, expected the 288 drawn before`);
    if (await page.locator('details').first().evaluate((d) => (d as unknown as { open: boolean }).open)) throw new Error('the table the user closed opened again');
    if ((await page.locator('#va').inputValue()) !== '0x10003000') throw new Error('the typed address was lost');
    const focused = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id);
    if (focused !== 'va') throw new Error(`the focus moved to "${focused}"`);
    if (!(await page.locator('p', { hasText: 'step 101' }).count())) throw new Error('the header still shows the old step');
  });

  await run('[page] the pc\'s highlight follows the pc; a changed table is redrawn with as many rows as before', async (page) => {
    let data = answer(999);
    let s = state(data, DATA_VA + 3 * 4096, 200);
    await post(page, s.msg);
    const current = () => page.locator('tr.pt-row.current td.mono').first().textContent();
    if ((await current()) !== '0x10003000') throw new Error(`highlighted ${await current()}, expected 0x10003000`);
    s = state(data, DATA_VA + 5 * 4096, 201);
    await post(page, s.msg);
    if ((await current()) !== '0x10005000' || (await page.locator('tr.pt-row.current').count()) !== 1) throw new Error(`after the pc moved: ${await page.locator('tr.pt-row.current').count()} rows highlighted, first ${await current()}`);
    await page.locator('details').nth(1).locator('button.more').click();
    await answerMore(page, s.rest, s.msg.type === 'state' ? s.msg.seq : -1);
    // The guest touched its pages: the accessed bit is set in every entry, so every row changes.
    data = answer(999, 7 | 32);
    s = state(data, DATA_VA + 5 * 4096, 202);
    await post(page, s.msg);
    if ((await page.locator('tr.pt-row .flag.on', { hasText: 'A' }).count()) === 0) throw new Error('the redrawn rows do not show the accessed bit');
    const asked = await answerMore(page, s.rest, s.msg.type === 'state' ? s.msg.seq : -1);
    if (asked !== 1) throw new Error(`the page asked ${asked} times for the rows the user had opened, expected once`);
    if ((await rowCount(page, 64)) !== 32 + 256) throw new Error(`after the redraw: ${await rowCount(page, 64)} rows, expected 288`);
  });
}

/** The last data access: its page marked, wherever it is in the table, and named in the header. */
export async function dataAccessPageCheck(root: string, chromium: string): Promise<void> {
  const name = '[page] the page of the last data access is marked, past the first rows too, and named in the header';
  try {
    await withWebviewPage(root, chromium, 'pageTables.js', { width: 900, height: 800 }, async (page) => {
      const data = answer(999);
      const far = { va: DATA_VA + 900 * 4096 + 8, pa: 0x800000 - 900 * 4096 + 8 };
      await post(page, state(data, 0x40, 300, far).msg);
      const marked = page.locator('tr.pt-row.data');
      if ((await marked.count()) !== 1 || (await marked.first().locator('td.mono').first().textContent()) !== '0x10384000') throw new Error(`marked rows: ${await marked.allTextContents()}`);
      if (!(await marked.first().evaluate((r) => (r as unknown as { className: string }).className.includes('pc-extra')))) throw new Error('row 900 is not drawn after the first rows');
      if (!(await page.locator('p', { hasText: 'last data access: 0x10384008 → physical 0x0047c008' }).count())) throw new Error('the header does not name the access');
      // The next access is in row 3: the mark moves there in place; the extra row goes.
      await post(page, state(data, 0x44, 301, { va: DATA_VA + 3 * 4096, pa: 0x800000 - 3 * 4096 }).msg);
      if ((await marked.count()) !== 1 || (await marked.first().locator('td.mono').first().textContent()) !== '0x10003000') throw new Error(`after the next access: ${await marked.allTextContents()}`);
      if (await page.locator('tr.pc-extra').count()) throw new Error('the extra row stayed');
    });
    record(name, true);
  } catch (e) {
    record(name, false, e instanceof Error ? e.message : String(e));
  }
}

/** The Ring Transitions page alone: the timeline's own keys pan and zoom, and Enter travels. */
export async function transitionsPageChecks(root: string, chromium: string): Promise<void> {
  const name = '[page] the timeline pans with the arrow keys, zooms with + and -, shows everything with Home, and Enter travels to the selected transition';
  try {
    await withWebviewPage(root, chromium, 'transitions.js', { width: 900, height: 900 }, async (page) => {
      const n = 1000;
      const stop: StopSummary = { reason: 'step', text: 'stepped', threadId: 1, icount: n * 10, pc: 0, pa: 0, cpl: 3, vm: 0, transitions: n, historyStart: 0, historyEnd: n * 10, historyBytes: 0 };
      const even = (i: number) => i % 2 === 0;
      const chunk = {
        start: 0,
        icount: Array.from({ length: n }, (_, i) => i * 10 + 5),
        kind: Array.from({ length: n }, (_, i) => (even(i) ? 0 : 2)),
        from: Array.from({ length: n }, (_, i) => (even(i) ? 0 : 2)),
        to: Array.from({ length: n }, (_, i) => (even(i) ? 2 : 0)),
        fromVm: Array.from({ length: n }, () => 0),
        toVm: Array.from({ length: n }, () => 0),
        cause: Array.from({ length: n }, (_, i) => (even(i) ? 0 : 1)),
        pcBefore: Array.from({ length: n }, () => 0x400000),
        pcAfter: Array.from({ length: n }, () => 0x1000),
        target: Array.from({ length: n }, () => null),
        text: Array.from({ length: n }, (_, i) => (even(i) ? 'system call write' : 'return to ring 3')),
      };
      const msgs: HostToTransitions[] = [
        { type: 'reset', session: { id: 's', name: 'check', program: 'check/check.rasm' }, byCause: { 'syscall write': n / 2, iret: n / 2 }, total: n, stop, hasVms: false, keep: 0 },
        { type: 'chunk', causes: ['syscall write', 'iret'], chunk },
      ];
      for (const m of msgs) await page.evaluate((msg) => (globalThis as unknown as PageGlobals).postMessage(msg, '*'), m);
      const range = async () => {
        const t = (await page.locator('#timeline-range').textContent()) ?? '';
        const m = /Showing steps (\d+)–(\d+): (\d+) of (\d+)/.exec(t);
        if (!m) throw new Error(`no range in "${t}"`);
        return { x0: Number(m[1]), x1: Number(m[2]), shown: Number(m[3]), total: Number(m[4]) };
      };
      await page.locator('#timeline-range', { hasText: `of ${n} transitions` }).waitFor();
      const canvas = page.locator('canvas');
      await canvas.focus();
      await page.keyboard.press('Home');
      const all = await range();
      if (all.x0 !== 0 || all.x1 < n * 10 || all.shown !== n) throw new Error(`Home: ${JSON.stringify(all)}`);
      await page.keyboard.press('+');
      await page.keyboard.press('+');
      const zoomed = await range();
      const span = (r: { x0: number; x1: number }) => r.x1 - r.x0;
      if (Math.abs(span(zoomed) - span(all) * 0.64) > 2 || zoomed.shown >= n) throw new Error(`+ twice: ${JSON.stringify(zoomed)} from ${JSON.stringify(all)}`);
      await page.keyboard.press('ArrowRight');
      const panned = await range();
      if (Math.abs(panned.x0 - (zoomed.x0 + span(zoomed) / 10)) > 2 || Math.abs(span(panned) - span(zoomed)) > 2) throw new Error(`ArrowRight: ${JSON.stringify(panned)} from ${JSON.stringify(zoomed)}`);
      await page.keyboard.press('ArrowLeft');
      if (Math.abs((await range()).x0 - zoomed.x0) > 2) throw new Error(`ArrowLeft did not pan back: ${JSON.stringify(await range())}`);
      await page.keyboard.press('-');
      if (span(await range()) <= span(zoomed)) throw new Error(`- did not zoom out: ${JSON.stringify(await range())}`);
      // Enter goes to the transition selected in the list.
      await page.locator('.row', { hasText: 'iret' }).first().click();
      await canvas.focus();
      await page.evaluate(() => ((globalThis as unknown as { __posted: unknown[] }).__posted.length = 0));
      await page.keyboard.press('Enter');
      const asked = (await page.evaluate(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.filter((p) => p.type === 'timeTravel'))) as unknown as { icount: number }[];
      if (asked.length !== 1 || (asked[0].icount - 5) % 10 !== 0) throw new Error(`Enter posted ${JSON.stringify(asked)}`);
    });
    record(name, true);
  } catch (e) {
    record(name, false, e instanceof Error ? e.message : String(e));
  }
}

/** The Ring Transitions page's time axis in cycles: offered once stops carry a cycle count. */
export async function cyclesAxisPageCheck(root: string, chromium: string): Promise<void> {
  const name = '[page] the timeline reads in cycles when the stop carries them: the axis, the summary and the rows in cycles, travel still by instruction';
  try {
    for (const width of [400, 900]) await withWebviewPage(root, chromium, 'transitions.js', { width, height: 900 }, async (page) => {
      const n = 100;
      // Every other transition is a VM exit costing 1000 cycles: cycles and steps part ways. A
      // long boot before them makes the counts eight digits long.
      const icount = Array.from({ length: n }, (_, i) => i * 10 + 5);
      const cycles = icount.map((s, i) => 12_345_678 + s + 1000 * Math.ceil(i / 2));
      const chunk = {
        start: 0, icount, cycles,
        kind: icount.map((_, i) => (i % 2 ? 4 : 3)), from: icount.map((_, i) => (i % 2 ? 2 : 3)), to: icount.map((_, i) => (i % 2 ? 3 : 2)),
        fromVm: icount.map((_, i) => (i % 2 ? 1 : 0)), toVm: icount.map((_, i) => (i % 2 ? 0 : 1)),
        cause: icount.map((_, i) => i % 2), pcBefore: icount.map(() => 0x400000), pcAfter: icount.map(() => 0x1000),
        target: icount.map(() => null), text: icount.map((_, i) => (i % 2 ? 'vmexit hlt' : 'vmentry')),
      };
      const stopCycles = cycles[n - 1] + 50;
      const stop = (withCycles: boolean): StopSummary => ({ reason: 'step', text: 'stepped', threadId: 1, icount: n * 10, ...(withCycles ? { cycles: stopCycles } : {}), pc: 0, pa: 0, cpl: 0, vm: 1, transitions: n, historyStart: 0, historyEnd: n * 10, historyBytes: 0 });
      const send = async (withCycles: boolean, keep: number) => {
        const msgs: HostToTransitions[] = [{ type: 'reset', session: { id: 's', name: 'check', program: 'check/check.rasm' }, byCause: { vmentry: n / 2, 'vmexit hlt': n / 2 }, total: n, stop: stop(withCycles), hasVms: true, keep }];
        if (keep === 0) msgs.push({ type: 'chunk', causes: ['vmentry', 'vmexit hlt'], chunk });
        for (const m of msgs) await page.evaluate((msg) => (globalThis as unknown as PageGlobals).postMessage(msg, '*'), m);
        await page.locator('#timeline-range', { hasText: `of ${n} transitions` }).waitFor();
      };
      const pick = page.locator('#time-axis');
      // A host whose stops have no cycle count: no chooser, the axis in steps.
      await send(false, 0);
      if (await pick.isVisible()) throw new Error('the time-axis chooser is offered without a cycle count');
      await send(true, n);
      await pick.waitFor();
      await pick.selectOption('cycle');
      const range = (await page.locator('#timeline-range').textContent()) ?? '';
      const m = /Showing cycles (\d+)–(\d+): (\d+) of (\d+)/.exec(range);
      if (!m || Number(m[2]) < stopCycles || Number(m[3]) !== n) throw new Error(`in cycles the range reads "${range}" (the stop is at cycle ${stopCycles})`);
      await page.locator('#transitions-summary', { hasText: `up to cycle ${stopCycles}` }).waitFor();
      const first = page.locator('.row').nth(3);
      if ((await first.locator('.step').textContent()) !== String(cycles[3])) throw new Error(`row 3 says ${await first.locator('.step').textContent()}, its cycle is ${cycles[3]}`);
      // Eight digits fit their cell (no "1234…"), and no row's text lies over another's.
      const cut = await first.locator('.step').evaluate((e) => (e as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth > (e as unknown as { clientWidth: number }).clientWidth);
      if (cut) throw new Error(`at ${width} px the cycle count ${cycles[3]} is cut off in its cell`);
      const overlaps = await overlappingRowTexts(page);
      if (overlaps.length) throw new Error(`at ${width} px in cycles: ${overlaps.join('; ')}`);
      // A click still travels by instruction count: the adapter's time is steps.
      await page.evaluate(() => ((globalThis as unknown as { __posted: unknown[] }).__posted.length = 0));
      await first.click();
      const asked = (await page.evaluate(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.filter((p) => p.type === 'timeTravel'))) as unknown as { icount: number }[];
      if (asked.length !== 1 || asked[0].icount !== icount[3]) throw new Error(`a click on row 3 posted ${JSON.stringify(asked)}, not instruction ${icount[3]}`);
      // And back: the axis in steps again.
      await pick.selectOption('step');
      await page.locator('#timeline-range', { hasText: /^Showing steps/ }).waitFor();
      if ((await first.locator('.step').textContent()) !== String(icount[3])) throw new Error(`in steps row 3 says ${await first.locator('.step').textContent()}`);
    });
    record(name, true);
  } catch (e) {
    record(name, false, e instanceof Error ? e.message : String(e));
  }
}
