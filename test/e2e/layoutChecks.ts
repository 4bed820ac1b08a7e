// Both panel pages alone in headless Chromium at 360, 400, 600 and 1200 px: nothing lies outside
// the page's viewport, the guest table and the EPT stack when narrow and stand side by side when
// wide, no transition row's text runs over another's or is cut, the TLB's deltas never go
// negative, the future after a travel back stays listed (also after the page is discarded and
// loaded again), the legend, figures export, projector mode enlarges the text and still fits
// at 400 and 521 px.
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import type { StopSummary } from '../../extension/panels/messages';
import type { HostToPageTables } from '../../extension/panels/pageTables/messages';
import type { HostToTransitions, TransitionChunk } from '../../extension/panels/transitions/messages';
import type { PageMapping, PageTable, PageTablesResponseBody } from '../../debug-adapter/protocol';
import { viewOf } from '../../debug-adapter/views/pageRuns';
import { withWebviewPage } from '../../scripts/webviewPage';
import { record } from './checks';
import { cutRowTexts, outsideViewport, overlappingRowTexts, overlappingTexts } from './layoutProbe';

// 360 px: the narrowest a panel gets beside the code; 1200: a panel with the editor to itself.
export const WIDTHS = [360, 400, 600, 1200] as const;
/** Projector mode (1.5 × the text) where it is hardest: a narrow panel, and the default one beside the code (521 px in a 1400-px window). */
export const PROJECTOR_WIDTHS = [400, 521] as const;

const korean = (root: string) => JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;

/** Projector mode on, as the host sends the setting. */
async function projectorOn(page: Page): Promise<void> {
  await post(page, { type: 'settings', projector: true }, false);
  await page.locator('body.projector').waitFor();
}
const SESSION = { id: 'vm', name: 'Ringside: hypervisor-ept/hypervisor-ept.rasm', program: 'hypervisor-ept/hypervisor-ept.rasm' };

function table(dir: number, base: number, target: number, runs: number, ept: boolean): PageTable {
  // Runs of 3 pages with a gap between: each run a row with a range in both columns.
  const pages: PageMapping[] = [];
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < 3; k++) {
      const index = r * 4 + k;
      const t = target + index * 4096;
      pages.push({ dir, index, va: base + index * 4096, target: t, entry: t | (ept ? 7 : 0x27), entryAddress: 0x30000 + dir * 4096 + index * 4 });
    }
  }
  return { dir, entry: 0x31007 + dir * 4096, entryAddress: 0x30000 + dir * 4, tableAddress: 0x31000 + dir * 4096, pages };
}

/** A VM's space with EPT, as the adapter answers for hypervisor-ept in the guest. */
export function vmAnswer(counters = { hits: 12392, misses: 40, flushes: 3, walkReads: 211 }): PageTablesResponseBody {
  return {
    space: { id: 1, name: 'VM 1', running: true, paging: true, cr0: 0x80000001, cr3: 0x00105000, eptPointer: 0x00280000 },
    tables: [table(0, 0, 0x100000, 6, false), table(1, 0x400000, 0x140000, 4, false)],
    eptTables: [table(0, 0, 0x01000000, 8, true), table(1, 0x400000, 0x01400000, 4, true)],
    truncated: false,
    walk: {
      va: 0x00400010, access: 'fetch', cpl: 3, gpa: 0x140010, pa: 0x01540010, tlbHit: false,
      reads: [
        { what: 'ept-pde', address: 0x00280000, value: 0x00281007, gpa: 0x00105000 },
        { what: 'ept-pte', address: 0x00281414, value: 0x01105007, gpa: 0x00105000 },
        { what: 'pde', address: 0x01105004, value: 0x00106027 },
        { what: 'ept-pde', address: 0x00280000, value: 0x00281007, gpa: 0x00106000 },
        { what: 'ept-pte', address: 0x00281418, value: 0x01106007, gpa: 0x00106000 },
        { what: 'pte', address: 0x01106000, value: 0x00140027 },
        { what: 'ept-pde', address: 0x00280000, value: 0x00281007, gpa: 0x00140000 },
        { what: 'ept-pte', address: 0x00281500, value: 0x01540007, gpa: 0x00140000 },
      ],
    },
    tlb: Array.from({ length: 12 }, (_, i) => ({ slot: i, tag: i % 3 === 0 ? 0 : 1, va: 0x400000 + i * 4096, pa: 0x1540000 + i * 4096, writable: i % 2 === 0, user: true, dirty: false, executable: true })),
    counters,
  };
}

function stopAt(icount: number, vm: number, text = 'stepped'): StopSummary {
  return { reason: 'step', text, threadId: vm + 1, icount, pc: 0x00400010, pa: 0x01540010, cpl: 3, vm, transitions: 0, historyStart: 0, historyEnd: icount, historyBytes: 0 };
}

let seq = 0;
function vmState(icount: number, counters?: PageTablesResponseBody['counters'], session = SESSION): HostToPageTables {
  const data = vmAnswer(counters);
  return { type: 'state', seq: ++seq, session, stop: stopAt(icount, 1), spaces: [{ id: 0, name: 'host' }, { id: 1, name: 'VM 1 vCPU 0' }], space: 1, data: viewOf(data, 0x00400010) };
}

/** The sizes VS Code gives a webview (its default font sizes), as the page would have them there. */
async function vscodeSizes(page: Page): Promise<void> {
  await page.addStyleTag({ content: ':root { --vscode-font-size: 13px; --vscode-font-family: system-ui, sans-serif; --vscode-editor-font-size: 14px; --vscode-editor-font-family: monospace; }' });
}

let shots = 0;

/** A panel's page alone in Chromium, `width` px wide, with VS Code's font sizes. */
function withPanel(root: string, chromium: string, script: string, width: number, body: (page: Page) => Promise<void>, l10n?: Record<string, string>): Promise<void> {
  return withWebviewPage(root, chromium, script, { width, height: 900 }, async (page) => {
    await vscodeSizes(page);
    try {
      await body(page);
    } finally {
      // A developer's aid: RINGSIDE_LAYOUT_SHOTS=<dir> keeps a picture of each page checked.
      const dir = process.env.RINGSIDE_LAYOUT_SHOTS;
      if (dir) await page.screenshot({ path: `${dir}/${++shots}-${script.replace('.js', '')}-${width}.png`, fullPage: true });
    }
  }, l10n);
}

/** Page Tables' export of `figure` as `format`: the message the page posted to the host. */
async function exported(page: Page, figure: string, format: 'svg' | 'png'): Promise<{ format: string; name: string; data: string }> {
  await page.locator('#figure').selectOption(figure);
  await page.evaluate(() => ((globalThis as unknown as { __posted: unknown[] }).__posted.length = 0));
  await page.locator(`.figure-export button.export-${format}`).click();
  const m = (await page.evaluate(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.find((p) => p.type === 'export'))) as unknown as { format: string; name: string; data: string } | undefined;
  if (!m || m.format !== format) throw new Error(`no ${format} export of the ${figure}: ${JSON.stringify(m)?.slice(0, 200)}`);
  return m;
}

async function post(page: Page, msg: unknown, waitRendered = true): Promise<void> {
  await page.evaluate(async ([m, wait]) => {
    const w = globalThis as unknown as { __posted: { type: string }[]; postMessage(m: unknown, o: string): void };
    w.__posted.length = 0;
    w.postMessage(m, '*');
    if (!wait) return;
    for (;;) {
      if (w.__posted.some((p) => p.type === 'rendered')) return;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }, [msg, waitRendered] as const);
}

async function check(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    record(name, true);
  } catch (e) {
    record(name, false, e instanceof Error ? e.message : String(e));
  }
}

const boxOf = (page: Page, sel: string) => page.locator(sel).first().evaluate((e) => {
  const r = (e as unknown as { getBoundingClientRect(): { top: number; bottom: number; left: number; right: number } }).getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
});

export async function pageTablesLayoutChecks(root: string, chromium: string): Promise<void> {
  for (const width of WIDTHS) {
    await check(`[page] Page Tables at ${width} px: guest table and EPT ${width >= 1000 ? 'side by side' : 'one under the other'}, nothing outside the viewport`, async () => {
      await withPanel(root, chromium, 'pageTables.js', width, async (page) => {
        await post(page, vmState(100));
        const trees = page.locator('.side-by-side > section.tree');
        if ((await trees.count()) !== 2) throw new Error(`${await trees.count()} tables side by side, expected the guest table and the EPT`);
        const guest = await boxOf(page, '.side-by-side > section.tree:nth-child(1)');
        const ept = await boxOf(page, '.side-by-side > section.tree:nth-child(2)');
        if (width >= 1000 && Math.abs(guest.top - ept.top) > 1) throw new Error(`at ${width} px the EPT is not beside the guest table: tops ${guest.top} and ${ept.top}`);
        if (width < 1000 && ept.top < guest.bottom) throw new Error(`at ${width} px the EPT (top ${ept.top}) is not under the guest table (bottom ${guest.bottom})`);
        const out = await outsideViewport(page);
        if (out.length) throw new Error(`outside the ${width} px viewport: ${out.join('; ')}`);
        if (!(await page.locator('h1', { hasText: 'hypervisor-ept/hypervisor-ept.rasm' }).count())) throw new Error('the title does not name the program');
      });
    });
  }

  await check('[page] the TLB\'s "since the last stop" deltas: forward only, never negative (step back, another session)', async () => {
    await withPanel(root, chromium, 'pageTables.js', 600, async (page) => {
      const tlbText = () => page.locator('section.tlb p').first().textContent().then((t) => t ?? '');
      await post(page, vmState(100, { hits: 1000, misses: 10, flushes: 1, walkReads: 80 }));
      await post(page, vmState(120, { hits: 1050, misses: 12, flushes: 1, walkReads: 96 }));
      if (!(await tlbText()).includes('hits 1050 (+50)')) throw new Error(`forward: ${await tlbText()}`);
      // A step back: the machine's counters are those of the earlier instruction.
      await post(page, vmState(119, { hits: 1048, misses: 12, flushes: 1, walkReads: 96 }));
      let t = await tlbText();
      if (/\+-|\(-/.test(t) || /\(\+\d/.test(t)) throw new Error(`after a step back: ${t}`);
      if (!t.includes('went back in time')) throw new Error(`after a step back the panel does not say why there are no deltas: ${t}`);
      // Another session, further on, with smaller counters.
      await post(page, vmState(5000, { hits: 12, misses: 3, flushes: 0, walkReads: 6 }, { ...SESSION, id: 'second' }));
      t = await tlbText();
      if (/\+-|\(-|\(\+/.test(t)) throw new Error(`in a new session: ${t}`);
    });
  });

  await check('[page] Page Tables exports the page walk and the page-table tree as SVG and PNG', async () => {
    await withPanel(root, chromium, 'pageTables.js', 600, async (page) => {
      await post(page, vmState(100));
      const walk = await exported(page, 'walk', 'svg');
      if (!walk.data.startsWith('<svg') || (walk.data.match(/EPT table entry/g) ?? []).length !== 3 || !walk.data.includes('0x01540010')) throw new Error(`the walk's SVG lacks its reads or result: ${walk.data.slice(0, 300)}`);
      const tree = await exported(page, 'tree', 'svg');
      if (!tree.data.includes('page directory') || !tree.data.includes('table 1')) throw new Error(`the tree's SVG: ${tree.data.slice(0, 300)}`);
      const ept = await exported(page, 'ept', 'svg');
      if (!ept.data.includes('EPT directory')) throw new Error(`the EPT's SVG: ${ept.data.slice(0, 300)}`);
      const png = await exported(page, 'walk', 'png');
      if (!png.data.startsWith('data:image/png;base64,') || png.data.length < 2000) throw new Error(`the PNG is ${png.data.length} characters`);
    });
  });

  await check('[page] in Korean, the exported figures are worded in Korean (slides for a Korean class)', async () => {
    const ko = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
    await withPanel(root, chromium, 'pageTables.js', 600, async (page) => {
      await post(page, vmState(100));
      const walk = (await exported(page, 'walk', 'svg')).data;
      if ((walk.match(/EPT 테이블 엔트리/g) ?? []).length !== 3 || !walk.includes('페이지 워크') || !walk.includes('0x01540010')) throw new Error(`the walk's SVG: ${walk.slice(0, 400)}`);
      const tree = (await exported(page, 'tree', 'svg')).data;
      const ept = (await exported(page, 'ept', 'svg')).data;
      if (!tree.includes('페이지 디렉터리') || !tree.includes('테이블 1') || !ept.includes('EPT 디렉터리')) throw new Error(`the trees' SVG: ${tree.slice(0, 300)} / ${ept.slice(0, 300)}`);
      const english = /Page walk|EPT table entry|memory reads?\b|page directory|EPT directory|physical address|virtual → physical|>table \d/;
      for (const svg of [walk, tree, ept]) if (english.test(svg)) throw new Error(`English left in a Korean figure: ${english.exec(svg)![0]}`);
    }, ko);
    await withPanel(root, chromium, 'transitions.js', 600, async (page) => {
      await postTransitions(page, transitions(40, 2), 40, 0);
      await page.evaluate(() => ((globalThis as unknown as { __posted: unknown[] }).__posted.length = 0));
      await page.locator('.figure-export button.export-svg').click();
      const m = (await page.evaluate(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.find((p) => p.type === 'export'))) as unknown as { data: string } | undefined;
      if (!m || !m.data.includes('링 전환') || /Ring transitions|the stop/.test(m.data)) throw new Error(`the timeline's SVG: ${m?.data.slice(0, 400)}`);
    }, ko);
  });

  await check('[page] projector mode (the setting the host sends) makes the text larger in both panels', async () => {
    for (const script of ['pageTables.js', 'transitions.js']) {
      await withPanel(root, chromium, script, 600, async (page) => {
        if (script === 'pageTables.js') await post(page, vmState(100));
        else await postTransitions(page, transitions(40, 2), 40, 0);
        const size = () => page.locator('h1').first().evaluate((e) => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(e).fontSize));
        const before = await size();
        await post(page, { type: 'settings', projector: true }, false);
        await page.locator('body.projector').waitFor();
        if ((await size()) < before * 1.3) throw new Error(`${script}: heading ${before}px → ${await size()}px`);
        if ((await page.locator('button.projector-toggle[aria-pressed="true"]').count()) !== 1) throw new Error(`${script}: the projector button does not show it is on`);
        const out = await outsideViewport(page);
        if (out.length) throw new Error(`${script} in projector mode, outside the viewport: ${out.join('; ')}`);
      });
    }
  });

  await pageTablesProjectorChecks(root, chromium);
}

/** Page Tables in projector mode at the widths it is hardest, in English and Korean: nothing outside the viewport. */
async function pageTablesProjectorChecks(root: string, chromium: string): Promise<void> {
  for (const width of PROJECTOR_WIDTHS) {
    await check(`[page] Page Tables in projector mode at ${width} px, English and Korean: the guest table, the EPT and the TLB within the viewport (flags and buttons included), no text over another`, async () => {
      for (const l10n of [undefined, korean(root)]) {
        await withPanel(root, chromium, 'pageTables.js', width, async (page) => {
          await post(page, vmState(100));
          await projectorOn(page);
          const out = await outsideViewport(page);
          if (out.length) throw new Error(`${l10n ? 'in Korean, ' : ''}outside the ${width} px viewport: ${out.join('; ')}`);
          for (const sel of ['section.tree .flags', 'section.tree button[data-act="watch"]', 'section.tlb table']) if (!(await page.locator(sel).first().isVisible())) throw new Error(`${l10n ? 'in Korean, ' : ''}${sel} is not shown`);
          const overlaps = await overlappingTexts(page, 'section.tree th, section.tree tr.pt-row > td, section.tlb th, section.tlb td');
          if (overlaps.length) throw new Error(`${l10n ? 'in Korean, ' : ''}overlapping texts: ${overlaps.slice(0, 5).join('; ')}`);
        }, l10n);
      }
    });
  }
}

/** `n` transitions: guest syscalls in VM 1 and VM 2, vmexits to the hypervisor, iret and vmentry back; the first at step `at` + 5. */
export function transitions(n: number, vms: number, at = 0): TransitionChunk {
  const c: TransitionChunk = { start: 0, icount: [], kind: [], from: [], to: [], fromVm: [], toVm: [], cause: [], pcBefore: [], pcAfter: [], target: [], text: [] };
  for (let i = 0; i < n; i++) {
    const vm = 1 + ((i >> 2) % vms);
    // 0: syscall ring 3 → ring 0; 1: vmexit ring 0 → hypervisor; 2: vmentry back; 3: iret to ring 3.
    const [kind, from, to, fv, tv, cause, target] = [
      [0, 0, 2, vm, vm, 0, 'syscall_entry_of_the_guest_kernel'],
      [4, 2, 3, vm, 0, 1, 'hv_exit_handler_with_a_long_name'],
      [3, 3, 2, 0, vm, 2, 'guest_resume_point'],
      [2, 2, 0, vm, vm, 3, null],
    ][i % 4] as [number, number, number, number, number, number, string | null];
    c.icount.push(at + i * 10 + 5);
    c.kind.push(kind);
    c.from.push(from);
    c.to.push(to);
    c.fromVm.push(fv);
    c.toVm.push(tv);
    c.cause.push(cause);
    c.pcBefore.push(0x400000 + i);
    c.pcAfter.push(0x1000 + i);
    c.target.push(target);
    c.text.push(['system call write from ring 3', 'vmexit preemption timer', 'vmentry to the guest', 'iret to ring 3'][i % 4]);
  }
  return c;
}

const CAUSES = ['syscall write', 'vmexit preemption timer', 'vmentry', 'iret'];

async function postTransitions(page: Page, chunk: TransitionChunk, total: number, keep: number, icount = total * 10): Promise<void> {
  const stop = stopAt(icount, 1, `went back to instruction ${icount}`);
  const reset: HostToTransitions = { type: 'reset', session: SESSION, byCause: { 'syscall write': total / 4 }, total, stop, hasVms: true, keep };
  await post(page, reset, keep >= chunk.icount.length);
  if (keep < chunk.icount.length) await post(page, { type: 'chunk', causes: CAUSES, chunk: { ...chunk, start: keep, ...slice(chunk, keep) } });
}

function slice(c: TransitionChunk, from: number): Partial<TransitionChunk> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (Array.isArray(v)) out[k] = v.slice(from);
  return out as Partial<TransitionChunk>;
}

export async function transitionsLayoutChecks(root: string, chromium: string): Promise<void> {
  for (const width of WIDTHS) {
    await check(`[page] Ring Transitions at ${width} px, two VMs: no row's text over another's, nothing outside the viewport, a legend, rows say they can be clicked`, async () => {
      await withPanel(root, chromium, 'transitions.js', width, async (page) => {
        await postTransitions(page, transitions(400, 2), 400, 0);
        await page.locator('.row').first().waitFor();
        const overlaps = await overlappingRowTexts(page);
        if (overlaps.length) throw new Error(`overlapping texts: ${overlaps.slice(0, 5).join('; ')}`);
        const out = await outsideViewport(page);
        if (out.length) throw new Error(`outside the ${width} px viewport: ${out.join('; ')}`);
        for (const word of ['trap', 'vmexit', 'host', 'VM 1', 'VM 2', 'the stop']) if (!(await page.locator('#timeline-legend .item', { hasText: word }).count())) throw new Error(`the legend has no "${word}"`);
        if (!(await page.locator('#transitions-hint', { hasText: /[Cc]lick a transition/ }).count())) throw new Error('nothing says the rows can be clicked');
        if (!(await page.locator('.row', { hasText: 'VM 2 ring 0' }).count())) throw new Error('the rows do not say which VM');
        if (!(await page.locator('h1', { hasText: 'hypervisor-ept/hypervisor-ept.rasm' }).count())) throw new Error('the title does not name the program');
      });
    });
  }

  // (At 1200 px a row's texts fit on one line anyway.)
  for (const width of WIDTHS.filter((w) => w < 1000)) {
    await check(`[page] Ring Transitions at ${width} px, English and Korean: every row's text shown whole (wrapped onto more lines when narrow, never cut with "…")`, async () => {
      for (const l10n of [undefined, korean(root)]) {
        await withPanel(root, chromium, 'transitions.js', width, async (page) => {
          await postTransitions(page, transitions(400, 2), 400, 0);
          await page.locator('.row').first().waitFor();
          const cut = await cutRowTexts(page);
          if (cut.length) throw new Error(`${l10n ? 'in Korean, ' : ''}cut: ${cut.join('; ')}`);
          const overlaps = await overlappingRowTexts(page);
          if (overlaps.length) throw new Error(`${l10n ? 'in Korean, ' : ''}overlapping texts: ${overlaps.slice(0, 5).join('; ')}`);
        }, l10n);
      }
    });
  }

  for (const width of PROJECTOR_WIDTHS) {
    await check(`[page] Ring Transitions in projector mode at ${width} px, English and Korean: the timeline's axis labels apart, no row's text over another's or cut, nothing outside the viewport`, async () => {
      for (const l10n of [undefined, korean(root)]) {
        await withPanel(root, chromium, 'transitions.js', width, async (page) => {
          const where = l10n ? 'in Korean, ' : '';
          // A run a million steps in: the axis's ends are long numbers.
          await postTransitions(page, transitions(400, 2, 1_000_000), 400, 0, 1_004_000);
          await projectorOn(page);
          await page.locator('.row').first().waitFor();
          const labels = await page.locator('#timeline-axis > span').allTextContents();
          if (labels.length !== 2 || !labels.every((t) => /\d{6}/.test(t))) throw new Error(`${where}the axis's labels: ${JSON.stringify(labels)}`);
          const axis = await overlappingTexts(page, '#timeline-axis > span');
          if (axis.length) throw new Error(`${where}the axis's labels overlap: ${axis.join('; ')}`);
          const overlaps = await overlappingRowTexts(page);
          if (overlaps.length) throw new Error(`${where}overlapping row texts: ${overlaps.slice(0, 5).join('; ')}`);
          const cut = await cutRowTexts(page);
          if (cut.length) throw new Error(`${where}cut: ${cut.join('; ')}`);
          const out = await outsideViewport(page);
          if (out.length) throw new Error(`${where}outside the ${width} px viewport: ${out.join('; ')}`);
        }, l10n);
      }
    });
  }

  await check('[page] the legend: a colour of its own for each kind (a theme whose error colour is its charts\' red included), and only the kinds the run has', async () => {
    await withPanel(root, chromium, 'transitions.js', 600, async (page) => {
      // Colours as in a theme where errorForeground and charts.red are one (Dark 2026's salmon).
      await page.addStyleTag({ content: ':root { --vscode-charts-red: #f48771; --vscode-errorForeground: #f48771; --vscode-charts-blue: #3794ff; --vscode-charts-green: #89d185; --vscode-charts-purple: #b180d7; --vscode-charts-orange: #d18616; --vscode-charts-yellow: #cca700; --vscode-foreground: #cccccc; }' });
      // Every kind, a triple fault last.
      const all = transitions(40, 2);
      all.kind[1] = 1;
      all.kind[39] = 5;
      await postTransitions(page, all, 40, 0);
      const swatches = await page.locator('#timeline-legend .swatch:not(.future-swatch)').evaluateAll((els) => els.map((e) => [(e as unknown as { className: string }).className, (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor]));
      if (swatches.length !== 6) throw new Error(`${swatches.length} kinds in the legend, expected all 6: ${JSON.stringify(swatches)}`);
      for (let i = 0; i < swatches.length; i++) for (let j = i + 1; j < swatches.length; j++) if (swatches[i][1] === swatches[j][1]) throw new Error(`${swatches[i][0]} and ${swatches[j][0]} share the colour ${swatches[i][1]}`);
    });
    await withPanel(root, chromium, 'transitions.js', 600, async (page) => {
      // A program without a hypervisor: system calls and irets in the host.
      const host = transitions(12, 1);
      for (let i = 0; i < 12; i++) {
        const call = i % 2 === 0;
        [host.kind[i], host.from[i], host.to[i], host.fromVm[i], host.toVm[i]] = call ? [0, 0, 2, 0, 0] : [2, 2, 0, 0, 0];
      }
      await post(page, { type: 'reset', session: { ...SESSION, program: 'hello/hello.rasm' }, byCause: { 'syscall write': 6, iret: 6 }, total: 12, stop: stopAt(120, 0), hasVms: false, keep: 0 } satisfies HostToTransitions, false);
      await post(page, { type: 'chunk', causes: CAUSES, chunk: host });
      const legend = await page.locator('#timeline-legend .item').allTextContents();
      for (const word of ['trap', 'iret']) if (!legend.some((t) => t.includes(word))) throw new Error(`the legend has no "${word}": ${legend.join(' | ')}`);
      for (const word of ['vmentry', 'vmexit', 'triple-fault', 'interrupt']) if (legend.some((t) => t.includes(word))) throw new Error(`the legend of a program without a hypervisor lists "${word}": ${legend.join(' | ')}`);
      const filters = await page.locator('.filters label:visible').allTextContents();
      if (filters.map((t) => t.trim()).join(',') !== 'trap,iret') throw new Error(`the filters offer: ${filters.join(', ')}`);
    });
  });

  await check('[page] after a travel back the later transitions stay listed, greyed, and a click on one travels forward', async () => {
    await withPanel(root, chromium, 'transitions.js', 600, async (page) => {
      const all = transitions(12, 1);
      await postTransitions(page, all, 12, 0);
      if ((await page.locator('.row.future').count()) !== 0) throw new Error('rows greyed before any travel');
      // The host keeps all 12 and says 4 have happened by the stop (after transition 3).
      await postTransitions(page, all, 4, 12, 40);
      if ((await page.locator('.row').count()) !== 12) throw new Error(`${await page.locator('.row').count()} rows after the travel back, expected all 12`);
      if ((await page.locator('.row.future').count()) !== 8) throw new Error(`${await page.locator('.row.future').count()} greyed rows, expected the 8 after the stop`);
      const summary = (await page.locator('#transitions-summary').textContent()) ?? '';
      if (!summary.includes('went back to instruction 40') || !summary.includes('8 after it')) throw new Error(`summary: ${summary}`);
      await page.evaluate(() => ((globalThis as unknown as { __posted: unknown[] }).__posted.length = 0));
      await page.locator('.row.future').last().click();
      await page.waitForFunction(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.some((p) => p.type === 'timeTravel'), undefined, { timeout: 5000 }).catch(() => undefined);
      const asked = (await page.evaluate(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.filter((p) => p.type === 'timeTravel'))) as unknown as { icount: number }[];
      if (asked.length !== 1 || asked[0].icount !== 115) throw new Error(`the click posted ${JSON.stringify(asked)}`);
    });
  });

  await check('[page] after a travel back, the page discarded and loaded again (the panel hidden and shown) lists the greyed transitions the host sends again, with the selection and the filters kept', async () => {
    await withPanel(root, chromium, 'transitions.js', 600, async (page) => {
      const all = transitions(12, 1);
      await postTransitions(page, all, 12, 0);
      await postTransitions(page, all, 4, 12, 40);
      // The student selects a transition and hides a kind (iret: 3 of the 12).
      await page.locator('.row').nth(2).click();
      await page.locator('#kind-iret').uncheck();
      const before = { rows: await page.locator('.row').count(), future: await page.locator('.row.future').count(), selected: await page.locator('.row.selected .step').textContent() };
      if (before.rows !== 9 || before.future !== 6 || before.selected !== '25') throw new Error(`before the reload: ${JSON.stringify(before)}`);
      // VS Code discards a hidden webview and loads its page again when it is shown; the host then
      // sends all it holds again, the future included (panel.ts): a reset that keeps nothing, then the chunks.
      await page.reload();
      await page.waitForFunction(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.some((p) => p.type === 'ready'));
      await vscodeSizes(page);
      const stop = stopAt(40, 1, 'went back to instruction 40');
      await post(page, { type: 'reset', session: SESSION, byCause: { 'syscall write': 1 }, total: 4, stop, hasVms: true, keep: 0, holds: 12 } satisfies HostToTransitions, false);
      await post(page, { type: 'chunk', causes: CAUSES, chunk: all });
      const after = { rows: await page.locator('.row').count(), future: await page.locator('.row.future').count(), selected: await page.locator('.row.selected .step').textContent().catch(() => null), filter: await page.locator('#kind-iret').isChecked() };
      if (after.rows !== 9 || after.future !== 6) throw new Error(`after the reload ${after.rows} rows, ${after.future} greyed, expected 9 and 6 as before: ${JSON.stringify(after)}`);
      if (after.selected !== '25') throw new Error(`after the reload the selection is lost: ${JSON.stringify(after)}`);
      if (after.filter) throw new Error('after the reload the iret filter is on again');
      const summary = (await page.locator('#transitions-summary').textContent()) ?? '';
      if (!summary.includes('8 after it')) throw new Error(`summary after the reload: ${summary}`);
    });
  });

  await check('[page] 20,000 transitions in 400 px: the timeline draws density bands and says so; it exports as SVG and PNG', async () => {
    await withPanel(root, chromium, 'transitions.js', 400, async (page) => {
      await postTransitions(page, transitions(20_000, 2), 20_000, 0);
      await page.locator('#timeline-range', { hasText: 'dense' }).waitFor();
      for (const format of ['svg', 'png'] as const) {
        await page.evaluate(() => ((globalThis as unknown as { __posted: unknown[] }).__posted.length = 0));
        await page.locator(`.figure-export button.export-${format}`).click();
        const m = (await page.evaluate(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.find((p) => p.type === 'export'))) as unknown as { data: string } | undefined;
        if (!m) throw new Error(`no ${format} export`);
        if (format === 'svg' && (!m.data.startsWith('<svg') || !m.data.includes('hypervisor') || !m.data.includes('VM 2'))) throw new Error(`SVG: ${m.data.slice(0, 300)}`);
        if (format === 'png' && !m.data.startsWith('data:image/png;base64,')) throw new Error(`PNG: ${m.data.slice(0, 60)}`);
      }
    });
  });
}
