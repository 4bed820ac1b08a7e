// `npm run test:e2e` (after scripts/e2e/setup.sh): packages the extension, installs it into a
// fresh code-server profile, opens samples/ in headless Chromium and checks what a student
// would see, then runs the extension-host mocha suite inside that same VS Code through the
// runner extension. Ends with the plain `N passed, N failed` line that CI reads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshProfile, installExtension, readSetup, startCodeServer } from './codeServer';
import { cleanup, onCleanup, run } from './procs';
import { waitUntil } from './wait';
import { openBrowser, Workbench } from './workbench';

const REPO = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(REPO, '.e2e-artifacts');
const SAMPLES = path.join(REPO, 'samples');
const SUITE = path.join(REPO, 'out-vscode', 'index.js');
const RUN_DEADLINE_MS = 15 * 60_000;

interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}
const outcomes: Outcome[] = [];

function record(name: string, ok: boolean, detail?: string): void {
  outcomes.push({ name, ok, detail });
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${name}${detail ? `\n        ${detail.split('\n').join('\n        ')}` : ''}`);
}

/** Runs one check; a failure is recorded with a screenshot, and the next check still runs. */
async function check(wb: Workbench, name: string, body: () => Promise<void>): Promise<boolean> {
  try {
    await body();
    record(name, true);
    return true;
  } catch (e) {
    const shot = await wb.screenshot(`failed-${name.replace(/\W+/g, '-')}`).catch(() => '(no screenshot)');
    record(name, false, `${e instanceof Error ? e.message : String(e)}\nscreenshot: ${shot}`);
    return false;
  }
}

function packageVsix(): { ringside: string; runner: string } {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
  const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  // `npm run package` also runs vscode:prepublish, i.e. the production build.
  run('npm', ['run', 'package'], { cwd: REPO });
  const ringside = path.join(REPO, `ringside-${version}.vsix`);
  const runner = path.join(REPO, 'out-vscode', 'ringside-test-runner.vsix');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', runner], {
    cwd: path.join(REPO, 'out-vscode', 'runner'),
  });
  return { ringside, runner };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  if (!fs.existsSync(SUITE)) throw new Error(`${SUITE} missing: run node scripts/build-vscode-tests.mjs`);

  const setup = readSetup();
  console.log(`e2e: code-server ${setup.codeServerVersion}, chromium ${setup.chromium}`);
  const vsix = packageVsix();
  const profile = freshProfile();
  onCleanup(async () => fs.rmSync(profile.root, { recursive: true, force: true }));
  installExtension(setup, profile, vsix.ringside);
  installExtension(setup, profile, vsix.runner);
  console.log(`e2e: packaged and installed in ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  const resultsFile = path.join(ARTIFACTS, 'vscode-suite.json');
  const server = await startCodeServer(setup, profile, {
    folder: SAMPLES,
    logFile: path.join(ARTIFACTS, 'code-server.log'),
    env: { RINGSIDE_VSCODE_TESTS: SUITE, RINGSIDE_TEST_RESULTS: resultsFile },
  });
  console.log(`e2e: code-server up at ${server.url} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  const { page } = await openBrowser(setup.chromium, path.join(profile.root, 'chromium'));
  const browserLog = fs.createWriteStream(path.join(ARTIFACTS, 'browser-console.log'));
  page.on('console', (m) => browserLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => browserLog.write(`[pageerror] ${e.message}\n`));
  const wb = new Workbench(page, ARTIFACTS);

  const loaded = await check(wb, 'workbench loads with samples/ open', async () => {
    const t = Date.now();
    await wb.load(server.url);
    console.log(`e2e: workbench ready in ${((Date.now() - t) / 1000).toFixed(1)}s`);
    await wb.screenshot('01-workbench');
  });
  if (!loaded) return; // every later check needs the workbench

  await check(wb, 'hello.rasm opens with language mode "R32 Assembly"', async () => {
    await wb.openFile('hello/hello.rasm');
    await wb.languageStatus().filter({ hasText: 'R32 Assembly' }).waitFor({ timeout: 30_000 });
    await wb.screenshot('02-hello-rasm');
  });

  await check(wb, 'command palette lists and runs "Ringside: Show Version"', async () => {
    const row = await wb.findCommand('Ringside: Show Version');
    await wb.screenshot('03-command-palette');
    await wb.accept(row);
    await wb.expectNotification('Ringside ');
  });

  await check(wb, 'extension-host suite runs inside code-server', async () => {
    await wb.runCommand('Ringside Tests: Run Extension Host Suite');
    const report = await waitUntil(
      resultsFile,
      () => (fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as SuiteReport) : undefined),
      { timeoutMs: 180_000, intervalMs: 250 },
    );
    await wb.expectNotification('ringside tests:');
    await wb.screenshot('04-after-suite');
    console.log(`e2e: extension-host suite: ${report.passed} passing, ${report.failed} failing`);
    for (const t of report.tests) record(`[vscode] ${t.title}`, t.state === 'passed', t.error);
    if (report.error) throw new Error(`runner could not run the suite: ${report.error}`);
    if (report.tests.length === 0) throw new Error('the suite ran no test');
  });

  // Reported, not counted: error notifications a student would see (a server that fails to
  // start, say). Promote to a check once the extension's processes are all in place.
  const errors = await wb.errorNotifications().catch(() => [] as string[]);
  for (const e of errors) console.log(`  warn error notification: ${e}`);
  if (errors.length > 0) await wb.screenshot('05-error-notifications');
}

interface SuiteReport {
  passed: number;
  failed: number;
  error?: string;
  tests: { title: string; state: 'passed' | 'failed'; error?: string }[];
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
