// What a student does with samples/hello, through the UI only: a breakpoint by clicking the
// gutter, F5, F11 into the system call, both panels from the command palette (their content
// read inside the webviews), the keyboard, the themes, a window reload, Shift+F5.
import * as fs from 'node:fs';
import type { Check } from './checks';
import type { LinkElement, ScriptElement } from './pageTypes';
import { Editor } from './editor';
import { outsideViewport, overlappingRowTexts } from './layoutProbe';
import { Webview } from './webview';
import type { Workbench } from './workbench';

/** 1-based line numbers in hello.rasm, found by content so edits to the sample do not break the flow. */
export interface HelloLines {
  /** First instruction of _start (stop on entry). */
  entry: number;
  /** First instruction of user_main (where iret lands in ring 3). */
  userMain: number;
  /** The first `syscall` in the user program. */
  syscall: number;
  /** First instruction of syscall_entry (where F11 on the syscall lands). */
  syscallEntry: number;
}

export function helloLines(file: string): HelloLines {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const firstInstructionAfter = (label: string) => {
    const at = lines.findIndex((l) => l.startsWith(`${label}:`));
    if (at < 0) throw new Error(`no label ${label} in ${file}`);
    for (let i = at + 1; i < lines.length; i++) {
      const t = lines[i].trim();
      if (t && !t.startsWith(';')) return i + 1;
    }
    throw new Error(`no instruction after ${label}`);
  };
  const syscall = lines.findIndex((l) => /^\s+syscall\b/.test(l)) + 1;
  if (syscall === 0) throw new Error(`no syscall in ${file}`);
  return { entry: firstInstructionAfter('_start'), userMain: firstInstructionAfter('user_main'), syscall, syscallEntry: firstInstructionAfter('syscall_entry') };
}

/** What a person waits for, measured from the key press to the editor's stack-frame arrow (ms). */
export interface UiFigures {
  f5ToStopMs?: number;
  /** F11 into the system call. */
  stepMs?: number[];
  /** Step Back out of it (web pass). */
  stepBackMs?: number[];
}

interface FlowContext {
  readonly wb: Workbench;
  readonly check: Check;
  readonly lines: HelloLines;
  readonly figures?: UiFigures;
}

export async function studentFlow({ wb, check, lines, figures = {} }: FlowContext): Promise<void> {
  const page = wb.page;
  const editor = new Editor(page, 'hello/hello.rasm');
  const web = new Webview(page);
  const status = (text: string) => page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
  const topFrame = page.locator('.debug-call-stack .monaco-list-row').first();

  await check('a click in the gutter sets a breakpoint on the syscall line', async () => {
    await wb.openFile('hello/hello.rasm');
    await editor.goToLine(lines.syscall);
    await editor.clickGutter(lines.syscall);
    await editor.waitForGlyph('debug-breakpoint', lines.syscall, 10_000);
  });

  await check('F5 without a launch.json starts debugging and stops on entry in ring 0', async () => {
    const t = Date.now();
    await page.keyboard.press('F5');
    await page.locator('.debug-toolbar').waitFor({ timeout: 30_000 });
    await status('ring 0 · kernel').waitFor({ timeout: 30_000 });
    await editor.waitForGlyph('debug-stackframe', lines.entry);
    figures.f5ToStopMs = Date.now() - t;
    // The Debug Console opened with the session; the code and the panels get its room.
    await wb.runCommand('View: Hide Panel');
  });

  await check('F5 continues to the breakpoint: the editor stops on the syscall line in ring 3', async () => {
    await page.keyboard.press('F5');
    await editor.waitForGlyph('debug-stackframe', lines.syscall).catch(async (e: Error) => {
      throw new Error(`${e.message}; the stack-frame arrow is on lines ${JSON.stringify(await editor.glyphLines('debug-stackframe'))}`);
    });
    await status('ring 3 · user').waitFor();
    await topFrame.filter({ hasText: 'user_main' }).filter({ hasText: `${lines.syscall}:1` }).waitFor();
    await wb.screenshot('10-stopped-at-breakpoint');
  });

  await check('the editor shows the values of the registers the lines above the stop use (inline values)', async () => {
    // VS Code draws them after the line's text as `r0 = 0x00000001 (1)` (with no-break spaces).
    await page.locator('.monaco-editor .view-line', { hasText: /\br0\s=\s0x[0-9a-f]{8}\s\(\d+\)/ }).first().waitFor({ timeout: 20_000 });
  });

  await check('F11 steps into the system call: kernel handler syscall_entry in ring 0', async () => {
    const t = Date.now();
    await page.keyboard.press('F11');
    await editor.waitForGlyph('debug-stackframe', lines.syscallEntry);
    figures.stepMs = [Date.now() - t];
    await status('ring 0 · kernel').waitFor();
    await topFrame.filter({ hasText: 'syscall_entry' }).waitFor();
    // The call stack crosses rings: the user frame that made the call is below the kernel's.
    await page.locator('.debug-call-stack .monaco-list-row', { hasText: 'system call from ring 3' }).waitFor();
    await wb.screenshot('11-stepped-into-kernel');
  });

  // The same round trips the web pass times (bench:ext prints both): out of the system call and
  // back in, five times, ending where the walk was.
  await check('step round trips: Step Back (toolbar) and F11, five times each', async () => {
    figures.stepBackMs = [];
    for (let i = 0; i < 5; i++) {
      let t = Date.now();
      await page.locator('.debug-toolbar .codicon-debug-step-back').first().click();
      await editor.waitForGlyph('debug-stackframe', lines.syscall);
      figures.stepBackMs.push(Date.now() - t);
      t = Date.now();
      await page.keyboard.press('F11');
      await editor.waitForGlyph('debug-stackframe', lines.syscallEntry);
      figures.stepMs?.push(Date.now() - t);
    }
    await status('ring 0 · kernel').waitFor();
  });

  await check('Page Tables panel (command palette) shows the user program mapped at 0x00400000', async () => {
    await wb.runCommand('Ringside: Open Page Tables Panel');
    const row = web.locator('.pt-row', { hasText: '0x00400000' }).first();
    await row.waitFor({ timeout: 30_000 });
    if (!(await row.innerText()).includes('0x00200000')) throw new Error(`the 0x00400000 row does not name frame 0x00200000: ${await row.innerText()}`);
    await web.locator('h2', { hasText: 'TLB' }).waitFor();
    await page.locator('.tabs-container .tab', { hasText: 'Page Tables — hello.rasm' }).waitFor();
    await web.locator('h1', { hasText: 'hello/hello.rasm' }).waitFor();
    const out = await outsideViewport(web.locator('body'));
    if (out.length) throw new Error(`outside the panel's viewport: ${out.join('; ')}`);
    await wb.screenshot('12-page-tables');
  });

  await check('the panel page has a strict CSP: a nonce, no unsafe-inline, only local resources', async () => {
    const csp = await web.csp();
    const nonce = /script-src 'nonce-([A-Za-z0-9]{16,})'/.exec(csp)?.[1];
    if (!nonce) throw new Error(`no script nonce in: ${csp}`);
    if (csp.includes('unsafe-inline') || csp.includes('unsafe-eval')) throw new Error(`unsafe source in: ${csp}`);
    if (!csp.includes("default-src 'none'")) throw new Error(`default-src is not 'none': ${csp}`);
    const scripts = await web.locator('script[src]').evaluateAll((ss) => ss.map((s) => ({ src: (s as unknown as ScriptElement).src, nonce: (s as unknown as ScriptElement).nonce })));
    const ours = scripts.filter((s) => s.src.includes('/dist/webview/'));
    if (ours.length !== 1 || ours[0].nonce !== nonce) throw new Error(`our script does not carry the nonce: ${JSON.stringify(scripts)}`);
    const links = await web.locator('link[href]').evaluateAll((ls) => ls.map((l) => (l as unknown as LinkElement).href));
    const foreign = links.filter((h) => !h.includes('/extensions/ringside.ringside-'));
    if (foreign.length) throw new Error(`resources from outside the extension: ${foreign.join(', ')}`);
  });

  await check('keyboard: Tab reaches the translate box, Enter walks 0x007FF000 to its frame', async () => {
    await web.locator('h1').click();
    for (let i = 0; i < 5 && (await web.focusedId()) !== 'va'; i++) await page.keyboard.press('Tab');
    if ((await web.focusedId()) !== 'va') throw new Error(`after 5 Tabs the focus is on "${await web.focusedId()}", not the translate box`);
    await page.keyboard.type('0x007FF000');
    await page.keyboard.press('Enter');
    await web.locator('.walk-box .result', { hasText: '0x00201000' }).waitFor();
    await web.locator('ol.walk li').nth(1).waitFor();
  });

  await check('a panel sent data it does not expect says so, then recovers on the next stop', async () => {
    await web.inject({ type: 'state', session: { id: 'x', name: 'x' }, stop: null, data: { tables: 'not a list' } });
    await web.locator('.error', { hasText: 'could not show the data' }).waitFor();
    await editor.focus();
    await page.keyboard.press('F10');
    await web.locator('.pt-row', { hasText: '0x00400000' }).first().waitFor();
  });

  await check('Ring Transitions panel (command palette) lists the syscall write', async () => {
    await wb.runCommand('Ringside: Open Ring Transitions Panel');
    await web.locator('.row', { hasText: 'syscall write' }).first().waitFor({ timeout: 30_000 });
    await web.locator('.counters td', { hasText: 'syscall write' }).waitFor();
    await page.locator('.tabs-container .tab', { hasText: 'Ring Transitions — hello.rasm' }).waitFor();
    const overlaps = await overlappingRowTexts(web.locator('body'));
    if (overlaps.length) throw new Error(`overlapping row texts: ${overlaps.join('; ')}`);
    await wb.screenshot('13-ring-transitions');
  });

  await check('keyboard: Tab reaches the transition list, Enter on a row time-travels there', async () => {
    await web.locator('h1').click();
    for (let i = 0; i < 12 && (await web.focusedId()) !== 'transition-list'; i++) await page.keyboard.press('Tab');
    if ((await web.focusedId()) !== 'transition-list') throw new Error(`Tab did not reach the transition list (focus on "${await web.focusedId()}")`);
    // Home selects the first transition: the iret that entered the user program.
    await page.keyboard.press('Home');
    await web.locator('.row.selected', { hasText: 'iret' }).waitFor();
    const step = Number(await web.locator('.row.selected .step').textContent());
    await page.keyboard.press('Enter');
    await editor.waitForGlyph('debug-stackframe', lines.userMain);
    await status('ring 3 · user').waitFor();
    // The Call Stack's header names the new stop, not the step before the travel.
    await page.locator('.call-stack-state-message, .debug-call-stack .state', { hasText: `went back to instruction ${step}` }).first().waitFor();
    // The syscall and the iret back stay listed, greyed: the way forward again.
    await web.locator('.row.future', { hasText: 'syscall write' }).first().waitFor();
  });

  // The picker's labels: "Light Modern" is the theme settings call "Default Light Modern" in
  // older releases; "Dark High Contrast" is "Default High Contrast".
  for (const [theme, workbenchClass, pageClass, shot] of [
    ['Light Modern', 'vs', 'vscode-light', '14-light'],
    ['Dark High Contrast', 'hc-black', 'vscode-high-contrast', '15-high-contrast'],
  ] as const) {
    await check(`panels are drawn in the "${theme}" theme`, async () => {
      await wb.setColorTheme(theme, workbenchClass);
      await web.locator(`body.${pageClass}`).waitFor({ timeout: 20_000 });
      // Back at the iret (the time travel above): one transition so far.
      await web.locator('.row', { hasText: 'iret' }).first().waitFor();
      await wb.screenshot(`${shot}-ring-transitions`);
      await wb.runCommand('Ringside: Open Page Tables Panel');
      await web.locator(`body.${pageClass}`).waitFor({ timeout: 20_000 });
      await web.locator('.pt-row', { hasText: '0x00400000' }).first().waitFor();
      await wb.screenshot(`${shot}-page-tables`);
      await wb.runCommand('Ringside: Open Ring Transitions Panel');
    });
  }
  await check('back to the "Dark 2026" theme', () => wb.setColorTheme('Dark 2026', 'vs-dark'));

  await check('after a window reload the panels come back (serializer) and follow the next F5', async () => {
    await page.reload({ waitUntil: 'domcontentloaded' });
    await wb.waitForWorkbench();
    await page.locator('.tabs-container .tab', { hasText: 'Ring Transitions' }).waitFor({ timeout: 30_000 });
    await page.locator('.tabs-container .tab', { hasText: 'Page Tables' }).waitFor();
    // The reload ended the session (the window's extension host is new): the panel says so.
    // A new extension host starts first: on a machine shared with other runs that takes a while.
    await web.locator('p', { hasText: /debug session/ }).waitFor({ timeout: 180_000 });
    await wb.screenshot('16-restored-after-reload');
    // The restored panel may hold the focus; a person clicks into the program's editor.
    await editor.focus();
    await wb.openFile('hello/hello.rasm');
    // F5 picks the debugger from the active editor's language: wait until it is known.
    await wb.languageStatus().filter({ hasText: 'R32 Assembly' }).waitFor({ timeout: 30_000 });
    await editor.focus();
    await page.keyboard.press('F5');
    await status('ring 0 · kernel').waitFor({ timeout: 30_000 });
    // Whichever panel VS Code brought back in front now draws the new session (a header
    // appears; the no-session message has none).
    await web.locator('header', { hasText: /Page tables|Ring transitions/ }).waitFor({ timeout: 30_000 });
  });

  await check('Shift+F5 stops debugging and the panel says the session ended', async () => {
    await editor.focus();
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
    await web.locator('p', { hasText: 'has ended' }).waitFor();
    await status('ring 0 · kernel').waitFor({ state: 'detached' });
    await wb.runCommand('Remove All Breakpoints');
  });
}
