/**
 * Extension benchmark (npm run bench:ext): one line per figure with its target.
 *
 *   bundle sizes            dist/*.js as the .vsix ships them (minified build)
 *   pageTables round trip   a 1,000-page address space, adapter over stdio (as VS Code runs it)
 *   panel data in the host  the same answer cut down to what the webview draws (pageRuns.ts)
 *   webview render          dist/webview/pageTables.js in headless Chromium, timed inside the
 *                           page from the message's arrival to a laid-out page
 *   100,000 transitions     dist/webview/transitions.js in headless Chromium: loading them as
 *                           the host sends them (chunks of 5,000), then zooming the timeline
 *                           and scrolling the list, each timed inside the page
 *   in VS Code              activation and the whole refresh after a stop, from the last
 *                           `npm run test:e2e` (.e2e-artifacts/figures.json)
 *   in the browser          activation, F5 to the first stop and a step's round trip in VS Code
 *                           for the web beside the same in code-server, from the same run
 *                           (.e2e-artifacts/ui-figures.json)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { PageTablesResponseBody, PageView, StoppedEventBody } from '../debug-adapter/protocol';
import { viewOf } from '../debug-adapter/views/pageRuns';
import { withWebviewPage } from './webviewPage';
import type { Rendered } from '../extension/panels/messages';
import type { HostToPageTables } from '../extension/panels/pageTables/messages';
import type { HostToTransitions, TransitionChunk } from '../extension/panels/transitions/messages';

const ROOT = path.resolve(__dirname, '..');
const PAGES = path.join(ROOT, 'test/vscode/fixtures/pages1000.rasm');
const MB = 1024 * 1024;

let missed = 0;
function line(name: string, value: string, target: string, ok: boolean | undefined): void {
  if (ok === false) missed++;
  console.log(`${name.padEnd(56)} ${value.padEnd(22)} (target ${target})${ok === false ? ' MISSED' : ok === undefined ? '' : ' ok'}`);
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;

function bundles(): void {
  const files = ['dist/extension.js', 'dist/languageClient.js', 'dist/debugAdapter.js', 'dist/languageServer.js', 'dist/web/extension.js', 'dist/web/debugAdapter.js', 'dist/web/languageServer.js', ...fs.readdirSync(path.join(ROOT, 'dist/webview')).filter((f) => f.endsWith('.js')).map((f) => `dist/webview/${f}`)];
  let total = 0;
  let web = 0;
  for (const f of files) {
    const size = fs.statSync(path.join(ROOT, f)).size;
    // The browser loads dist/web/ and the panels' pages instead of the Node bundles.
    if (!f.startsWith('dist/web/')) total += size;
    if (!/^dist\/(extension|languageClient|debugAdapter|languageServer)\.js$/.test(f)) web += size;
    line(`bundle ${f}`, `${(size / 1024).toFixed(0)} KiB`, '≤2 MB', size <= 2 * MB);
  }
  line('bundles together (what activation and a session load)', `${(total / MB).toFixed(2)} MB`, '≤2 MB', total <= 2 * MB);
  line('  in the browser (dist/web/ and the panels)', `${(web / MB).toFixed(2)} MB`, '≤2 MB', web <= 2 * MB);
}

/** The adapter over stdio, stopped where pages1000.rasm has mapped its 1,000 pages. */
async function stoppedAt1000Pages(): Promise<{ dc: DebugClient; stop: StoppedEventBody }> {
  const dc = new DebugClient('node', path.join(ROOT, 'dist/debugAdapter.js'), 'ringside');
  dc.defaultTimeout = 30_000;
  await dc.start();
  const line = fs.readFileSync(PAGES, 'utf8').split('\n').findIndex((l) => l.startsWith('mapped:')) + 2;
  const stopped = dc.waitForEvent('ringsideStopped');
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      await dc.setBreakpointsRequest({ source: { path: PAGES }, breakpoints: [{ line }] });
      await dc.configurationDoneRequest();
    }),
    dc.launch({ program: PAGES, stopOnEntry: false } as never),
  ]);
  return { dc, stop: (await stopped).body as StoppedEventBody };
}

async function roundTrip(): Promise<{ data: PageTablesResponseBody; stop: StoppedEventBody; adapterMs: number }> {
  const { dc, stop } = await stoppedAt1000Pages();
  try {
    const args = { space: 0, va: stop.pc, access: 'fetch' };
    const trips: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      await dc.customRequest('pageView', args);
      if (i >= 5) trips.push(performance.now() - t);
    }
    const data = (await dc.customRequest('pageTables', { ...args, limit: 8192 })).body as PageTablesResponseBody;
    const pages = data.tables.reduce((n, t) => n + t.pages.length, 0);
    line(`pageView round trip, ${pages} pages, stdio, p50 / p95`, `${ms(pct(trips, 50))} / ${ms(pct(trips, 95))}`, 'part of ≤50 ms', undefined);
    // What every stop carries to the editor (and back, as VS Code hands custom events to extensions).
    await dc.customRequest('ringsidePanels', { pageTables: true });
    const ev = dc.waitForEvent('ringsideStopped');
    await dc.nextRequest({ threadId: 1 });
    const event = JSON.stringify((await ev).body).length;
    const whole = JSON.stringify(data).length;
    line('stop event with the panel\'s rows, 1,000 pages', `${(event / 1024).toFixed(1)} KiB`, `reference (the whole tables: ${(whole / 1024).toFixed(0)} KiB)`, undefined);
    return { data, stop, adapterMs: pct(trips, 50) };
  } finally {
    await dc.stop();
  }
}

/** Our page in headless Chromium, when setup.sh has installed it (else the figure is skipped). */
function withPage<T>(script: string, viewport: { width: number; height: number }, body: (page: import('playwright-core').Page) => Promise<T>): Promise<T | undefined> {
  const setupFile = path.join(process.env.RINGSIDE_E2E_CACHE || path.join(os.homedir(), '.cache', 'ringside-e2e'), 'setup.json');
  if (!fs.existsSync(setupFile)) return Promise.resolve(undefined);
  const { chromium } = JSON.parse(fs.readFileSync(setupFile, 'utf8')) as { chromium: string };
  return withWebviewPage(ROOT, chromium, script, viewport, body);
}

/** The Page Tables page in headless Chromium, fed the real answer as the host would send it. */
async function webviewRender(data: PageTablesResponseBody, stop: StoppedEventBody): Promise<number | undefined> {
  // A stop that leaves the tables as they were updates the page in place; a new layout (another
  // session or address space) draws it afresh: both timed, 20 of each after 5 to warm up.
  const times = await withPage('pageTables.js', { width: 560, height: 800 }, async (page) => {
    const out = { update: [] as number[], fresh: [] as number[] };
    for (let i = 0; i < 50; i++) {
      // 25 stops of one session (in place after the first), then 25 of a new session each.
      const fresh = i >= 25;
      const view: PageView = viewOf(data, stop.pc);
      const session = { id: fresh ? `bench ${i}` : 'bench', name: 'bench', program: 'bench.rasm' };
      const m: HostToPageTables = { type: 'state', seq: i + 1, session, stop: { ...stop, icount: stop.icount + i }, spaces: [{ id: 0, name: 'host' }], space: 0, data: view };
      const rendered = (await page.evaluate(async (msg) => {
        const w = globalThis as unknown as { __posted: { type: string }[]; postMessage(m: unknown, o: string): void };
        w.__posted.length = 0;
        w.postMessage(msg, '*');
        for (;;) {
          const r = w.__posted.find((p) => p.type === 'rendered');
          if (r) return r;
          await new Promise((resolve) => setTimeout(resolve, 0));
        }
      }, m)) as Rendered;
      if (rendered.view !== 'state') throw new Error(`the page drew '${rendered.view}': ${rendered.text}`);
      if (i % 25 >= 5) (fresh ? out.fresh : out.update).push(rendered.renderMs);
    }
    return out;
  });
  if (!times) {
    line('webview render, 1,000 pages', 'not measured', 'part of ≤50 ms', undefined);
    console.log('  (no Chromium: `bash scripts/e2e/setup.sh` installs it)');
    return undefined;
  }
  line('webview render + layout, 1,000 pages, p50 / p95', `${ms(pct(times.update, 50))} / ${ms(pct(times.update, 95))}`, 'part of ≤50 ms', undefined);
  line('  drawn afresh (new session or space), p50 / p95', `${ms(pct(times.fresh, 50))} / ${ms(pct(times.fresh, 95))}`, 'part of ≤50 ms', undefined);
  return pct(times.update, 50);
}

/** The Ring Transitions page with 100,000 transitions: load, then zoom and scroll, each timed in the page. */
async function transitions100k(stop: StoppedEventBody): Promise<void> {
  const N = 100_000;
  const CHUNK = 5000;
  const causes = ['syscall write', 'iret', 'irq timer', '#PF'];
  const messages: HostToTransitions[] = [{ type: 'reset', session: { id: 'bench', name: 'bench', program: 'bench.rasm' }, byCause: { 'syscall write': N / 2, iret: N / 2 }, total: N, stop: { ...stop, icount: N * 40 }, hasVms: false, keep: 0 }];
  for (let start = 0; start < N; start += CHUNK) {
    const c: TransitionChunk = { start, icount: [], kind: [], from: [], to: [], fromVm: [], toVm: [], cause: [], pcBefore: [], pcAfter: [], target: [], text: [] };
    for (let i = start; i < start + CHUNK; i++) {
      const enter = i % 2 === 0;
      c.icount.push(i * 40 + 7);
      c.kind.push(enter ? (i % 10 === 0 ? 1 : 0) : 2);
      c.from.push(enter ? 0 : 2);
      c.to.push(enter ? 2 : 0);
      c.fromVm.push(0);
      c.toVm.push(0);
      c.cause.push(enter ? (i % 10 === 0 ? 2 : 0) : 1);
      c.pcBefore.push(0x00400020);
      c.pcAfter.push(enter ? 0xc0001068 : 0x00400024);
      c.target.push(enter ? 'syscall_entry' : null);
      c.text.push(enter ? 'system call write (1) from ring 3' : 'iret to ring 3');
    }
    messages.push({ type: 'chunk', causes, chunk: c });
  }
  const result = await withPage('transitions.js', { width: 900, height: 900 }, async (page) =>
    page.evaluate(async (msgs) => {
      const w = globalThis as unknown as { __posted: { type: string; renderMs?: number }[]; postMessage(m: unknown, o: string): void };
      const t0 = performance.now();
      for (const m of msgs) w.postMessage(m, '*');
      for (;;) {
        if (w.__posted.some((p) => p.type === 'rendered')) break;
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      const loadMs = performance.now() - t0;
      // This runs in the page; the script is type-checked without the DOM library, hence the shapes.
      type El = { dispatchEvent(e: unknown): boolean; scrollTop: number; scrollHeight: number };
      const page = globalThis as unknown as {
        document: { querySelector(s: string): El; querySelectorAll(s: string): { length: number } };
        WheelEvent: new (type: string, init: object) => unknown;
        Event: new (type: string) => unknown;
      };
      const canvas = page.document.querySelector('canvas');
      const list = page.document.querySelector('.list');
      const zoom: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t = performance.now();
        canvas.dispatchEvent(new page.WheelEvent('wheel', { deltaY: i < 20 ? -100 : 100, clientX: 300, clientY: 100, bubbles: true, cancelable: true }));
        zoom.push(performance.now() - t);
      }
      const scroll: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t = performance.now();
        list.scrollTop = ((i * 7919) % 100) * 0.01 * list.scrollHeight;
        list.dispatchEvent(new page.Event('scroll'));
        scroll.push(performance.now() - t);
      }
      const rows = page.document.querySelectorAll('.list .row').length;
      return { loadMs, zoom, scroll, rows };
    }, messages),
  );
  if (!result) {
    line('Ring Transitions, 100,000 transitions', 'not measured', 'no lag', undefined);
    return;
  }
  line('100,000 transitions: loaded (20 chunks) and drawn', ms(result.loadMs), 'reference', undefined);
  line('  timeline zoom redraw, p50 / p95', `${ms(pct(result.zoom, 50))} / ${ms(pct(result.zoom, 95))}`, '≤16 ms p95 (one frame)', pct(result.zoom, 95) <= 16);
  line('  list scroll redraw, p50 / p95', `${ms(pct(result.scroll, 50))} / ${ms(pct(result.scroll, 95))}`, '≤16 ms p95 (one frame)', pct(result.scroll, 95) <= 16);
  line('  list rows in the page (virtualized)', String(result.rows), 'a screenful, not 100,000', result.rows < 200);
}

function fromE2e(): void {
  const file = path.join(ROOT, '.e2e-artifacts', 'figures.json');
  if (!fs.existsSync(file)) {
    console.log('in VS Code: not measured (run `npm run test:e2e`, then this again)');
    return;
  }
  const { at, figures } = JSON.parse(fs.readFileSync(file, 'utf8')) as { at: string; figures: { name: string; value: number; unit: string; target: string }[] };
  console.log(`in VS Code (code-server), from the e2e run of ${at}:`);
  for (const f of figures) {
    const limit = /^≤(\d+) ms$/.exec(f.target);
    line(f.name.length > 56 ? f.name.slice(0, 55) + '…' : f.name, `${f.value.toFixed(1)} ${f.unit}`, f.target, limit ? f.value <= Number(limit[1]) : undefined);
  }
}

interface UiFigures {
  activationMs?: number;
  f5ToStopMs?: number;
  stepMs?: number[];
  stepBackMs?: number[];
}

/** The same figures in code-server (a Node extension host) and in VS Code for the web (the browser's). */
function browserBesideDesktop(): void {
  const file = path.join(ROOT, '.e2e-artifacts', 'ui-figures.json');
  if (!fs.existsSync(file)) {
    console.log('in the browser: not measured (run `npm run test:e2e`, then this again)');
    return;
  }
  const f = JSON.parse(fs.readFileSync(file, 'utf8')) as { at: string; vscodeWeb: string; codeServer: string; desktop: UiFigures; web: UiFigures };
  // code-server's activation is the extension-host suite's figure (the same measure: bundle + activate()).
  const e2e = path.join(ROOT, '.e2e-artifacts', 'figures.json');
  const activation = fs.existsSync(e2e) ? (JSON.parse(fs.readFileSync(e2e, 'utf8')) as { figures: { name: string; value: number }[] }).figures.find((x) => x.name.startsWith('activation'))?.value : undefined;
  const v = (x: number | undefined) => (x === undefined ? '—' : ms(x));
  const p50 = (xs: number[] | undefined) => (xs?.length ? pct(xs, 50) : undefined);
  console.log(`in the browser (VS Code for the web ${f.vscodeWeb}) beside code-server ${f.codeServer}, from the e2e run of ${f.at}:`);
  console.log(`${''.padEnd(56)} ${'code-server'.padEnd(14)} browser`);
  const row = (name: string, desktop: number | undefined, web: number | undefined, target: string) =>
    console.log(`${name.padEnd(56)} ${v(desktop).padEnd(14)} ${v(web).padEnd(10)} (target ${target})`);
  row('activation (bundle evaluation + activate())', activation, f.web.activationMs, 'reference');
  row('F5 to the first stop (key to the editor\'s arrow)', f.desktop.f5ToStopMs, f.web.f5ToStopMs, 'reference');
  row('step round trip: F11 into a system call, p50', p50(f.desktop.stepMs), p50(f.web.stepMs), 'reference');
  row('step back round trip (toolbar), p50', p50(f.desktop.stepBackMs), p50(f.web.stepBackMs), 'reference');
}

async function main(): Promise<void> {
  console.log(`Ringside extension benchmark — Node ${process.version}, ${os.cpus().length} cores`);
  bundles();
  const { data, stop, adapterMs } = await roundTrip();
  const render = await webviewRender(data, stop);
  if (render !== undefined) {
    // What Ringside's own code spends on a refresh; inside VS Code its relays come on top.
    const own = adapterMs + render;
    line('panel refresh, 1,000 pages: adapter + page, p50', ms(own), '≤50 ms', own <= 50);
  }
  await transitions100k(stop);
  fromE2e();
  browserBesideDesktop();
  if (missed) console.log(`${missed} figure${missed === 1 ? '' : 's'} missed ${missed === 1 ? 'its' : 'their'} target`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
