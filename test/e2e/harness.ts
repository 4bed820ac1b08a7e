// `npm run test:e2e` (after scripts/e2e/setup.sh): packages the extension, installs it into a
// fresh code-server profile, opens samples/ in headless Chromium and checks what a student
// would see, then runs the extension-host mocha suite inside that same VS Code through the
// runner extension. Ends with the plain `N passed, N failed` line that CI reads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checker, outcomes, record, type Check } from './checks';
import { freshProfile, installExtension, readSetup, startCodeServer, type SetupInfo } from './codeServer';
import { coursePass } from './coursePass';
import { COURSE_PICTURES, publishDocImages } from './docImages';
import { pageTablesLayoutChecks, transitionsLayoutChecks } from './layoutChecks';
import { cyclesAxisPageCheck, dataAccessPageCheck, pageTablesPageChecks, transitionsPageChecks } from './pageChecks';
import { cleanup, onCleanup, run } from './procs';
import { cr3LineOf, hypervisorFlow } from './hypervisorFlow';
import { helloLines, studentFlow, type UiFigures } from './studentFlow';
import { neovimPass } from './neovimPass';
import { waitUntil } from './wait';
import { webPass, type WebSetup } from './webPass';
import { openBrowser, Workbench } from './workbench';

const REPO = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(REPO, '.e2e-artifacts');
const SAMPLES = path.join(REPO, 'samples');
const SUITE = path.join(REPO, 'out-vscode', 'index.js');
// The hello walk, the hypervisor samples and the suite (~20 min on a machine shared with other
// runs), then the web pass (~5 min).
const RUN_DEADLINE_MS = 35 * 60_000;
/** For a developer's quick run: only the extension-host tests whose titles match (CI never sets it). */
const GREP = process.env.RINGSIDE_E2E_GREP || undefined;
/**
 * For a developer's quick run (CI never sets it): `hypervisor` runs the page checks and the
 * hypervisor walk only, `hello` the hello walk only, `course` the course pass only (the course,
 * then Korean), `neovim` the Neovim pass only.
 */
const ONLY = process.env.RINGSIDE_E2E_ONLY || undefined;
/** For a developer's quick run: the web pass alone (CI never sets it). */
const WEB_ONLY = process.env.RINGSIDE_E2E_WEB_ONLY === '1';

function packageVsix(): { ringside: string; runner: string; korean: string } {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
  const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  // `npm run package` also runs vscode:prepublish, i.e. the production build.
  run('npm', ['run', 'package'], { cwd: REPO });
  const ringside = path.join(REPO, `ringside-${version}.vsix`);
  const runner = path.join(REPO, 'out-vscode', 'ringside-test-runner.vsix');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', runner], {
    cwd: path.join(REPO, 'out-vscode', 'runner'),
  });
  // The stand-in Korean language pack the course pass installs (koreanFlow.ts says why).
  const korean = path.join(REPO, 'out-vscode', 'ringside-e2e-korean.vsix');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', korean], {
    cwd: path.join(REPO, 'test', 'e2e', 'koreanPack'),
  });
  return { ringside, runner, korean };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  if (!fs.existsSync(SUITE)) throw new Error(`${SUITE} missing: run node scripts/build-vscode-tests.mjs`);

  const setup = readSetup();
  console.log(`e2e: code-server ${setup.codeServerVersion}, chromium ${setup.chromium}, neovim ${setup.nvim}`);
  const vsix = packageVsix();
  // The language server in another editor first: a few seconds, no browser.
  if (!WEB_ONLY && (!ONLY || ONLY === 'neovim')) neovimPass(setup.nvim, REPO, ARTIFACTS);
  if (ONLY === 'neovim') return;
  const desktop: UiFigures = {};
  if (!WEB_ONLY) await codeServerPass(setup, vsix, t0, desktop);
  else console.log('e2e: RINGSIDE_E2E_WEB_ONLY=1: only the web pass');
  if (ONLY) return; // a quick run of one walk: no web pass either

  // The same .vsix in VS Code for the web: the browser extension host only.
  const lines = helloLines(path.join(SAMPLES, 'hello', 'hello.rasm'));
  const web = await webPass(setup as WebSetup, { vsix: vsix.ringside, samples: SAMPLES, artifacts: ARTIFACTS, lines });
  // npm run bench:ext prints them side by side.
  fs.writeFileSync(path.join(ARTIFACTS, 'ui-figures.json'), JSON.stringify({ at: new Date().toISOString(), vscodeWeb: (setup as WebSetup).vscodeWebVersion, codeServer: setup.codeServerVersion, desktop, web }, null, 2));
  console.log(`e2e: web figures: ${JSON.stringify(web)}`);

  if (process.env.RINGSIDE_DOCS_IMAGES === '1') publishDocImages(ARTIFACTS, path.join(REPO, 'docs', 'images'));
}

/** Desktop VS Code's build served by code-server (a Node extension host): the walk-through and the extension-host suite. */
async function codeServerPass(setup: SetupInfo, vsix: { ringside: string; runner: string; korean: string }, t0: number, figures: UiFigures): Promise<void> {
  const profile = freshProfile();
  onCleanup(async () => {
    // VS Code's own logs (the remote extension host's says why an extension did not activate).
    const logs = path.join(profile.userDataDir, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(ARTIFACTS, 'code-server-logs'), { recursive: true });
    fs.rmSync(profile.root, { recursive: true, force: true });
  });
  installExtension(setup, profile, vsix.ringside);
  installExtension(setup, profile, vsix.runner);
  console.log(`e2e: packaged and installed in ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  const resultsFile = path.join(ARTIFACTS, 'vscode-suite.json');
  const server = await startCodeServer(setup, profile, {
    folder: SAMPLES,
    logFile: path.join(ARTIFACTS, 'code-server.log'),
    env: { RINGSIDE_VSCODE_TESTS: SUITE, RINGSIDE_TEST_RESULTS: resultsFile, ...(GREP ? { RINGSIDE_VSCODE_GREP: GREP } : {}) },
  });
  console.log(`e2e: code-server up at ${server.url} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  // Our two pages alone in Chromium first: quick, and independent of VS Code.
  if (ONLY !== 'hello' && ONLY !== 'course') {
    await pageTablesPageChecks(REPO, setup.chromium);
    await dataAccessPageCheck(REPO, setup.chromium);
    await transitionsPageChecks(REPO, setup.chromium);
    await cyclesAxisPageCheck(REPO, setup.chromium);
    await pageTablesLayoutChecks(REPO, setup.chromium);
    await transitionsLayoutChecks(REPO, setup.chromium);
  }

  const { page } = await openBrowser(setup.chromium, path.join(profile.root, 'chromium'));
  const browserLog = fs.createWriteStream(path.join(ARTIFACTS, 'browser-console.log'));
  page.on('console', (m) => browserLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => browserLog.write(`[pageerror] ${e.message}\n`));
  const wb = new Workbench(page, ARTIFACTS);
  const check = checker(wb);

  const loaded = await check('workbench loads with samples/ open', async () => {
    const t = Date.now();
    await wb.load(server.url);
    console.log(`e2e: workbench ready in ${((Date.now() - t) / 1000).toFixed(1)}s`);
    await wb.screenshot('01-workbench');
  });
  if (!loaded) return; // every later check needs the workbench
  const course = () => coursePass({ setup, profile, server, repo: REPO, artifacts: ARTIFACTS, koreanVsix: vsix.korean, suite: SUITE });
  if (ONLY === 'course') {
    console.log('e2e: RINGSIDE_E2E_ONLY=course: the walk-through and the suite are left out');
    await course();
    if (process.env.RINGSIDE_DOCS_IMAGES === '1') publishDocImages(ARTIFACTS, path.join(REPO, 'docs', 'images'), COURSE_PICTURES);
    return;
  }
  if (ONLY === 'hypervisor') {
    console.log('e2e: RINGSIDE_E2E_ONLY=hypervisor: the hello walk and the suite are left out');
    await hypervisorWalk(wb, check);
    if (process.env.RINGSIDE_DOCS_IMAGES === '1') publishDocImages(ARTIFACTS, path.join(REPO, 'docs', 'images'));
    return;
  }
  if (ONLY === 'hello') {
    console.log('e2e: RINGSIDE_E2E_ONLY=hello: the hello walk only (no hypervisor walk, suite or web pass)');
    await walkThrough(wb, check, figures, false);
    return;
  }
  if (GREP) {
    console.log(`e2e: RINGSIDE_E2E_GREP=${GREP}: the walk-through is left out, the suite runs matching tests only`);
    // The extension host is up once a .rasm file gets its language mode: the suite's command is there then.
    await check('hello.rasm opens with language mode "R32 Assembly"', async () => {
      await wb.openFile('hello/hello.rasm');
      await wb.languageStatus().filter({ hasText: 'R32 Assembly' }).waitFor({ timeout: 30_000 });
    });
  } else await walkThrough(wb, check, figures);

  const dialogs: string[] = [];
  let problemsShown = false;
  let shownErrors: string[] = [];
  await check('extension-host suite runs inside code-server', async () => {
    const tracing = process.env.RINGSIDE_E2E_TRACE === '1' ? await startTrace(page) : undefined;
    await wb.runCommand('Ringside Tests: Run Extension Host Suite');
    // The suite launches programs that fail; VS Code reports each in a modal dialog, which a
    // person reads and dismisses: so does the harness while it waits for the report.
    const report = await waitUntil(
      resultsFile,
      async () => {
        if (await wb.dialog().isVisible()) {
          const text = (await wb.dialog().textContent()) ?? '';
          if (/did not assemble/.test(text)) {
            // Behind the dialog the Problems view lists the assembler's errors.
            problemsShown = await page.locator('.markers-panel', { hasText: 'frobnicate' }).waitFor({ timeout: 10_000 }).then(() => true, () => false);
            await wb.screenshot('21-launch-failed');
          }
          dialogs.push(await wb.dismissDialog());
        }
        return fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as SuiteReport) : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 250 },
    );
    if (tracing) await tracing.stop(path.join(ARTIFACTS, 'trace.json'));
    await wb.expectNotification('ringside tests:');
    await wb.screenshot('20-after-suite');
    console.log(`e2e: extension-host suite: ${report.passed} passing, ${report.failed} failing`);
    for (const t of report.tests) record(`[vscode] ${t.title}`, t.state === 'passed', t.error);
    shownErrors = report.shownErrors ?? [];
    for (const f of report.figures ?? []) console.log(`e2e: figure: ${f.name} ${f.value.toFixed(1)} ${f.unit} (target ${f.target})`);
    fs.writeFileSync(path.join(ARTIFACTS, 'figures.json'), JSON.stringify({ at: new Date().toISOString(), figures: report.figures ?? [] }, null, 2));
    if (report.error) throw new Error(`runner could not run the suite: ${report.error}`);
    if (report.tests.length === 0) throw new Error('the suite ran no test');
  });

  if (!GREP) await check('a launch that fails shows the adapter\'s message to the student', async () => {
    const want = [/cannot read program .*no-such-file\.rasm: no such file/, /did not assemble[\s\S]*unknown instruction 'frobnicate'/];
    for (const re of want) if (!dialogs.some((d) => re.test(d))) throw new Error(`no dialog matching ${re}; dialogs seen:\n${dialogs.join('\n---\n') || '(none)'}`);
    if (!problemsShown) throw new Error("the Problems view did not list the assembler's error while the dialog was up");
  });

  // The suite's failed launches show dialogs, not notifications: anything else is a bug
  // (say, a request VS Code still had in flight when a session ended, reported as an error).
  await check('no error notification during the extension-host suite', async () => {
    const errors = await wb.errorNotifications();
    const from = shownErrors.length ? `\nthe adapter's responses marked for the user:\n${shownErrors.join('\n')}` : '';
    if (errors.length > 0) throw new Error(`error notifications:\n${errors.join('\n')}${from}`);
  });

  // Last in this pass: it opens other folders, restarts code-server in Korean and runs part of the suite again.
  if (!GREP) await course();
}

/** What a student does first: open a file, the palette, then the hello walk-through. */
async function walkThrough(wb: Workbench, check: Check, figures: UiFigures, hypervisor = true): Promise<void> {
  await check('hello.rasm opens with language mode "R32 Assembly"', async () => {
    await wb.openFile('hello/hello.rasm');
    await wb.languageStatus().filter({ hasText: 'R32 Assembly' }).waitFor({ timeout: 30_000 });
    await wb.screenshot('02-hello-rasm');
  });

  await check('command palette lists and runs "Ringside: Show Version"', async () => {
    const row = await wb.findCommand('Ringside: Show Version');
    await wb.screenshot('03-command-palette');
    // Should the palette close before the click lands (the focus taken elsewhere), the command is run from it again.
    await wb.accept(row).catch(() => wb.runCommand('Ringside: Show Version'));
    await wb.expectNotification('Ringside ');
  });

  await studentFlow({ wb, check, lines: helloLines(path.join(SAMPLES, 'hello', 'hello.rasm')), figures });
  if (hypervisor) await hypervisorWalk(wb, check);

  // Everything so far went right, so a student would have seen no error notification.
  await check('no error notification during the walk-through', async () => {
    const errors = await wb.errorNotifications();
    if (errors.length > 0) {
      await wb.screenshot('17-error-notifications');
      throw new Error(`error notifications:\n${errors.join('\n')}`);
    }
    await wb.runCommand('Notifications: Clear All Notifications');
  });
}

function hypervisorWalk(wb: Workbench, check: Check): Promise<void> {
  return hypervisorFlow({ wb, check, cr3Line: cr3LineOf(fs.readFileSync(path.join(SAMPLES, 'common', 'guest-os.rasm'), 'utf8')) });
}

/**
 * RINGSIDE_E2E_TRACE=1 (a developer's aid, never in CI): a Chrome trace of the browser while the
 * suite runs, for finding where a panel's refresh waits (open it in chrome://tracing or Perfetto).
 */
async function startTrace(page: import('playwright-core').Page): Promise<{ stop(file: string): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline,v8.execute,blink.user_timing,disabled-by-default-devtools.timeline', transferMode: 'ReturnAsStream' });
  return {
    async stop(file) {
      const complete = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      const { stream } = await complete;
      const out = fs.createWriteStream(file);
      for (;;) {
        const chunk = await cdp.send('IO.read', { handle: stream! });
        out.write(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64') : chunk.data);
        if (chunk.eof) break;
      }
      await new Promise((resolve) => out.end(resolve));
      console.log(`e2e: trace written to ${file}`);
    },
  };
}

interface SuiteReport {
  passed: number;
  failed: number;
  error?: string;
  tests: { title: string; state: 'passed' | 'failed'; error?: string }[];
  figures?: { name: string; value: number; unit: string; target: string }[];
  shownErrors?: string[];
}

async function finish(code: number): Promise<never> {
  await cleanup();
  const passed = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.length - passed;
  console.log(`e2e: artifacts in ${path.relative(process.cwd(), ARTIFACTS) || '.'}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code !== 0 || failed > 0 || passed === 0 ? 1 : 0);
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    record(`interrupted by ${sig}`, false);
    void finish(1);
  });
}
// A hung step must not keep code-server and Chromium alive until CI's own limit.
setTimeout(() => {
  record(`whole run exceeded ${RUN_DEADLINE_MS / 60_000} min`, false);
  void finish(1);
}, RUN_DEADLINE_MS).unref();

main().then(
  () => finish(0),
  (e: unknown) => {
    record('harness', false, e instanceof Error ? (e.stack ?? e.message) : String(e));
    return finish(1);
  },
);
