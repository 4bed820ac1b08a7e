// The course with VS Code's display language set to Korean. Microsoft's Korean language pack
// cannot be downloaded on the project's machines, so the student's "install the language pack"
// step installs a stand-in (test/e2e/koreanPack: it registers the display language ko and
// translates none of VS Code's own text) through Extensions: Install from VSIX…; code-server
// then runs with `--locale ko` (its way of choosing the display language). What the student
// reads from Ringside must be Korean: the walkthrough, the stop reason, the hover, a panel.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Check } from './checks';
import { openWalkthrough, waitTicked, walkStep } from './courseFlow';
import { Editor } from './editor';
import type { PageGlobals } from './pageTypes';
import { Webview } from './webview';
import type { Workbench } from './workbench';

export function koreanBundle(repo: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(repo, 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
}

function nls(repo: string, locale: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(repo, locale ? `package.nls.${locale}.json` : 'package.nls.json'), 'utf8')) as Record<string, string>;
}

/** Before the restart: the language pack installed as a person installs a .vsix. */
export async function installLanguagePack(wb: Workbench, check: Check, vsix: string): Promise<boolean> {
  return check('Extensions: Install from VSIX… installs the Korean display language', async () => {
    // Clicked without waiting for the palette to close: the file picker takes its place. VS Code's
    // own file picker: its box starts with a path (the command palette's with '>').
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    const picker = (timeout: number) =>
      wb.page.waitForFunction(() => {
        const box = [...(globalThis as unknown as PageGlobals).document.querySelectorAll('.quick-input-widget .quick-input-box input')][0] as unknown as { value?: string } | undefined;
        return !!box?.value?.startsWith('/');
      }, undefined, { timeout });
    if (!(await wb.openPicker('Extensions: Install from VSIX...', picker, 20_000))) throw new Error('the file picker did not open');
    // The picker's own button (Install). The picker can still be filling in its starting folder
    // after it shows: the path is typed again until its file is the one listed, then installed.
    const install = wb.page.locator('.quick-input-widget .monaco-button', { hasText: /^(Install|OK)$/ }).first();
    const listed = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(vsix) }).first();
    for (let attempt = 1; ; attempt++) {
      await input.fill(vsix);
      await listed.waitFor({ timeout: 5_000 }).catch(() => undefined);
      await install.click({ timeout: 10_000 });
      if (await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 }).then(() => true, () => false)) break;
      if (attempt === 4) throw new Error(`the file picker stayed open on ${vsix}`);
    }
    await wb.expectNotification('Completed installing', 60_000);
  });
}

interface KoreanContext {
  readonly wb: Workbench;
  readonly check: Check;
  readonly repo: string;
}

/** After code-server restarted with --locale ko on the course folder. */
export async function koreanFlow({ wb, check, repo }: KoreanContext): Promise<void> {
  const page = wb.page;
  const ko = koreanBundle(repo);
  const koNls = nls(repo, 'ko');
  const tr = (en: string) => {
    const s = ko[en];
    if (!s) throw new Error(`no Korean for ${JSON.stringify(en)} in l10n/bundle.l10n.ko.json`);
    return s;
  };
  const hello = new Editor(page, 'samples/hello/hello.rasm');

  await check('Korean: the walkthrough is in Korean, its first step still ticked', async () => {
    const lang = await page.evaluate(() => (globalThis as unknown as { _VSCODE_NLS_LANGUAGE?: string })._VSCODE_NLS_LANGUAGE);
    if (lang !== 'ko') throw new Error(`the workbench's display language is ${String(lang)}, not ko`);
    await openWalkthrough(wb, koNls['walkthrough.title']);
    await waitTicked(walkStep(wb, koNls['walkthrough.course.title']));
    await walkStep(wb, koNls['walkthrough.syscall.title']).click();
    await wb.screenshot('50-korean-walkthrough');
  });

  await check('Korean: the hover on a mnemonic is in Korean', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('samples/hello/hello.rasm');
    // The language mode's name is the extension's, translated (package.nls.ko.json).
    await wb.languageStatus().filter({ hasText: 'R32' }).waitFor({ timeout: 30_000 });
    const syscall = fs.readFileSync(path.join(repo, 'samples', 'hello', 'hello.rasm'), 'utf8').split('\n').findIndex((l) => /^\s+syscall\b/.test(l)) + 1;
    await hello.goToLine(syscall);
    const word = hello.root.locator('.view-line span', { hasText: /^syscall$/ }).first();
    const want = tr('System call: int 0x80.');
    // A hover appears once the pointer rests on the word; moving onto it again retries.
    for (let i = 0; ; i++) {
      await word.hover();
      try {
        await page.locator('.monaco-hover', { hasText: want }).first().waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        if (i === 3) throw new Error(`no hover with "${want}": ${(e as Error).message}`);
        await page.mouse.move(0, 0);
      }
    }
    await wb.screenshot('51-korean-hover');
    await page.keyboard.press('Escape');
  });

  await check('Korean: F5 stops on entry with the reason in Korean', async () => {
    await hello.focus();
    await page.keyboard.press('F5');
    await page.locator('.debug-toolbar').waitFor({ timeout: 30_000 });
    // The Call Stack, in the Run and Debug view, says why it stopped.
    await wb.runCommand('View: Show Run and Debug');
    const want = tr('stopped at the entry point _start ({0})').split('{0}')[0];
    await page.locator('.call-stack-state-message, .debug-call-stack .state', { hasText: want }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('52-korean-stop');
  });

  await check('Korean: the Page Tables panel speaks Korean', async () => {
    const web = new Webview(page);
    await wb.runCommand(`${koNls.category}: ${koNls['ringside.openPageTables.title']}`);
    // Stopped on entry, paging is still off: the header, the walk of the pc and the TLB are the page.
    await web.locator('h1', { hasText: tr('Page tables — {0}').split('{0}')[0] }).waitFor({ timeout: 30_000 });
    await web.locator('section.tlb p', { hasText: tr('hits {0}').split('{0}')[0] }).first().waitFor();
    await page.locator('.tabs-container .tab', { hasText: tr('Page Tables') }).first().waitFor();
    await wb.screenshot('53-korean-page-tables');
    await hello.focus();
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
  });
}
