// The course as a student starts it, in a browser profile of its own (the walkthrough's ticks
// are kept by the browser: the suite's own Open Course Samples must not tick them here): the
// walkthrough's first step to its tick, Open Course Samples… into a folder, an exercise's checks
// in the Testing view, and Debug on a failed check down to the instruction where it failed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import type { Check } from './checks';
import { Editor } from './editor';
import type { PageGlobals } from './pageTypes';
import type { Workbench } from './workbench';

export const WALKTHROUGH_EN = 'The operating-systems course on Ringside';
const EXERCISE = { dir: '05-trap-and-emulate', title: 'Exercise 5: a trap-and-emulate monitor step', failing: 'the run ends normally', notReached: 'finishes within 200000 instructions' };

interface CourseContext {
  readonly wb: Workbench;
  readonly check: Check;
  readonly repo: string;
  /** An empty folder the student picks for the copy (outside the window's folder: the window reopens there). */
  readonly parent: string;
}

/** The walkthrough's step as the Welcome page draws it. */
export function walkStep(wb: Workbench, title: string): Locator {
  return wb.page.locator('.getting-started-step', { hasText: title }).first();
}

/** A step is ticked when its circle became the filled check. */
export async function waitTicked(step: Locator, timeout = 30_000): Promise<void> {
  await step.locator('.codicon-pass-filled, .codicon-getting-started-step-checked').first().waitFor({ timeout });
}

/** "Welcome: Open Walkthrough…" and the course's walkthrough, by its (display-language) title. */
export async function openWalkthrough(wb: Workbench, title: string): Promise<void> {
  // Clicked without waiting for the palette to close: the walkthrough picker takes its place. The
  // picker can close under us too (the focus taken elsewhere): then it is opened again.
  const picker = wb.page.locator('.quick-input-widget .quick-input-box input[placeholder*="walkthrough"]');
  const row = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    if (!(await wb.openPicker('Welcome: Open Walkthrough...', picker, 20_000))) throw new Error('the walkthrough picker did not open');
    await row.waitFor({ timeout: 20_000 });
    if (await wb.accept(row).then(() => true, (e: unknown) => (attempt === 4 ? Promise.reject(e) : false))) break;
  }
  await wb.page.locator('.gettingStartedContainer .getting-started-category', { hasText: title }).first().waitFor({ timeout: 20_000 }).catch(async () => {
    await wb.page.locator('.gettingStartedContainer', { hasText: title }).first().waitFor({ timeout: 10_000 });
  });
}

/** Where the failing check failed: mon_panic's power-off (guest_off has one too), 1-based. */
function panicLine(repo: string): number {
  const lines = fs.readFileSync(path.join(repo, 'exercises', EXERCISE.dir, 'monitor.rasm'), 'utf8').split('\n');
  const panic = lines.findIndex((l) => l.startsWith('mon_panic:'));
  const at = lines.findIndex((l, i) => i > panic && /^\s+out 0xF4, r1\b/.test(l));
  if (panic < 0 || at < 0) throw new Error('no `out 0xF4, r1` after mon_panic: in monitor.rasm');
  return at + 1;
}

export async function courseFlow({ wb, check, repo, parent }: CourseContext): Promise<string | undefined> {
  const page = wb.page;
  const courseStep = walkStep(wb, 'Get the course samples');
  const dest = path.join(parent, 'ringside-course');

  const opened = await check('the walkthrough, first step: Open Course Samples… copies the course into a folder the student picks and opens it', async () => {
    await openWalkthrough(wb, WALKTHROUGH_EN);
    await courseStep.click();
    if (await courseStep.locator('.codicon-pass-filled').count()) throw new Error('the first step was ticked before the student did it');
    await wb.screenshot('40-walkthrough-start');
    // The step's link, drawn as a button.
    await courseStep.locator('.monaco-button, a', { hasText: 'Open Course Samples' }).first().click();
    // VS Code's own folder picker (a quick input with a path) at the folder the student types.
    const input = page.locator('.quick-input-widget .quick-input-box input');
    const value = () => page.evaluate(() => ([...(globalThis as unknown as PageGlobals).document.querySelectorAll('.quick-input-widget .quick-input-box input')][0] as unknown as { value?: string } | undefined)?.value ?? '');
    // The picker fills in its own starting folder first: type over it only then.
    await page.waitForFunction(() => (([...(globalThis as unknown as PageGlobals).document.querySelectorAll('.quick-input-widget .quick-input-box input')][0] as unknown as { value?: string } | undefined)?.value ?? '').startsWith('/'), undefined, { timeout: 20_000 });
    // A trailing slash goes into the folder: the list then holds only '..' (the folder is empty).
    // The picker can still be setting its own value when ours is typed (seen once as its starting
    // folder with ours appended): the OK is clicked only on exactly our value, typed again if not.
    const want = `${parent}/`;
    const ok = page.locator('.quick-input-widget .monaco-button', { hasText: /^(Copy the course here|OK)$/ }).first();
    for (let attempt = 1; ; attempt++) {
      await input.fill(want);
      const settled = await page
        .waitForFunction((w) => {
          const d = (globalThis as unknown as PageGlobals).document;
          const box = [...d.querySelectorAll('.quick-input-widget .quick-input-box input')][0] as unknown as { value?: string } | undefined;
          return box?.value === w && [...d.querySelectorAll('.quick-input-list .monaco-list-row')].length === 1;
        }, want, { timeout: 10_000 })
        .then(() => true, () => false);
      if (settled) {
        await ok.click({ timeout: 5_000 }).catch(() => undefined);
        if (await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).then(() => true, () => false)) break;
      }
      if (attempt === 4) throw new Error(`the folder picker stayed open on "${await value()}" (typed "${want}" 4 times)`);
    }
    // The window reopens on the copy.
    const row = (name: string) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^${name}$`) }).first();
    await page.waitForURL(/folder=[^&]*ringside-course/, { timeout: 90_000 });
    await row('exercises').waitFor({ timeout: 60_000 });
    await row('samples').waitFor();
    for (const f of ['samples/hello/hello.rasm', `exercises/${EXERCISE.dir}/check.json`, 'exercises/01-syscall-write/README.ko.md']) {
      if (!fs.existsSync(path.join(dest, f))) {
        const list = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d).join(', ') : '(none)');
        throw new Error(`${f} was not copied into ${dest}: ${dest} has ${list(dest)}; samples/ has ${list(path.join(dest, 'samples'))}; ${parent} has ${list(parent)}`);
      }
    }
  });
  if (!opened) return undefined;

  await check('the walkthrough ticks its first step once the course is open', async () => {
    await openWalkthrough(wb, WALKTHROUGH_EN);
    await waitTicked(courseStep);
    // The next step, expanded: what to do after the tick.
    await walkStep(wb, 'Step into a system call').click();
    await wb.screenshot('41-walkthrough-ticked');
  });

  const tree = page.locator('.test-explorer .monaco-list-row');
  const treeRow = (label: string) => tree.filter({ hasText: label }).first();
  const state = async (row: Locator) => (await row.locator('.codicon[class*="testing-"]').first().getAttribute('class')) ?? '';
  // A row's inline action (Run Test, Debug Test) shows on hover; the tree redraws its rows while
  // results come in, so a click can land on a row that was just replaced: hover and click again.
  const rowAction = async (row: Locator, icon: string, label: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await row.hover({ timeout: 5_000 });
        await row.locator(`.action-label.codicon-${icon}, .action-label[aria-label^="${label}"]`).first().click({ timeout: 5_000 });
        return;
      } catch (e) {
        if (attempt === 6) throw e;
      }
    }
  };

  await check('the Testing view runs an exercise\'s checks: fail, and not reached, per check', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile(`exercises/${EXERCISE.dir}/emulate.rasm`);
    await wb.runCommand('Testing: Focus on Test Explorer View');
    const ex = treeRow(EXERCISE.title);
    await ex.waitFor({ timeout: 30_000 });
    await rowAction(ex, 'testing-run-icon', 'Run Test');
    // The exercise's children: expand it once the run has drawn its result.
    await page.locator('.test-explorer .monaco-list-row .codicon-testing-failed-icon').first().waitFor({ timeout: 120_000 });
    if ((await ex.getAttribute('aria-expanded')) !== 'true') await ex.locator('.monaco-tl-twistie').click();
    await treeRow(EXERCISE.failing).waitFor();
    const failing = await state(treeRow(EXERCISE.failing));
    // The starting file scores nothing: a check that would pass for it is not reached (shown failed).
    const notReached = await state(treeRow(EXERCISE.notReached));
    if (!failing.includes('testing-failed-icon')) throw new Error(`'${EXERCISE.failing}' is not shown failed: ${failing}`);
    if (!notReached.includes('testing-failed-icon')) throw new Error(`'${EXERCISE.notReached}' is not shown failed: ${notReached}`);
    await wb.screenshot('42-test-explorer');
  });

  await check('Debug on the failed check stops at the instruction where it failed, and Step Back works there', async () => {
    await rowAction(treeRow(EXERCISE.failing), 'testing-debug-icon', 'Debug Test');
    await page.locator('.debug-toolbar').waitFor({ timeout: 30_000 });
    const monitor = new Editor(page, `exercises/${EXERCISE.dir}/monitor.rasm`);
    const line = panicLine(repo);
    // The failed check's own mark takes the glyph margin there: the stopped line's highlight says where.
    await monitor.waitForLineDecoration('debug-top-stack-frame-line', line, 60_000).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await monitor.describe()}`);
    });
    // The Call Stack (Run and Debug view) says why it stopped.
    await wb.runCommand('View: Show Run and Debug');
    const reason = page.locator('.call-stack-state-message, .debug-call-stack .state', { hasText: `check failed: ${EXERCISE.failing}` }).first();
    await reason.waitFor({ timeout: 20_000 });
    await wb.screenshot('43-debug-failed-check');
    // Step Back from there: the instruction before, one line up in mon_panic.
    await page.locator('.debug-toolbar .action-item:not(.disabled) .codicon-debug-step-back').first().click();
    await reason.waitFor({ state: 'detached', timeout: 20_000 });
    await monitor.waitForLineDecoration('debug-top-stack-frame-line', line - 1);
    await monitor.focus();
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
  });
  return dest;
}
