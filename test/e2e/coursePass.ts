// The course pass, after the walk-through and the suite: a student's first hour in a browser
// profile of its own (courseFlow.ts), then the same course with the display language set to
// Korean (koreanFlow.ts) and the suite's display-language tests run again there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checker, record } from './checks';
import { startCodeServer, type Profile, type Server, type SetupInfo } from './codeServer';
import { courseFlow } from './courseFlow';
import { installLanguagePack, koreanFlow } from './koreanFlow';
import { waitUntil } from './wait';
import { openBrowser, Workbench } from './workbench';

export interface CoursePassContext {
  readonly setup: SetupInfo;
  readonly profile: Profile;
  /** The code-server of the walk-through: the course starts in it, the Korean pass replaces it. */
  readonly server: Server;
  readonly repo: string;
  readonly artifacts: string;
  /** The stand-in Korean language pack (test/e2e/koreanPack). */
  readonly koreanVsix: string;
  /** out-vscode/index.js: the suite the runner extension loads. */
  readonly suite: string;
}

/** Only the suite's tests that follow the display language run again in Korean. */
const KOREAN_GREP = 'In the display language';

interface SuiteReport {
  passed: number;
  failed: number;
  error?: string;
  language?: string;
  tests: { title: string; state: 'passed' | 'failed'; error?: string }[];
}

export async function coursePass(c: CoursePassContext): Promise<void> {
  const student = path.join(c.profile.root, 'student');
  const parent = path.join(c.profile.root, 'courses');
  fs.mkdirSync(student, { recursive: true });
  fs.mkdirSync(parent, { recursive: true });
  const { page } = await openBrowser(c.setup.chromium, path.join(c.profile.root, 'chromium-course'));
  const log = fs.createWriteStream(path.join(c.artifacts, 'browser-console-course.log'));
  page.on('console', (m) => log.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => log.write(`[pageerror] ${e.message}\n`));
  const wb = new Workbench(page, c.artifacts);
  const check = checker(wb);

  const started = await check('the course pass: a new browser profile opens the student\'s own (empty) folder', async () => {
    await page.goto(`${c.server.url}/?folder=${encodeURIComponent(student)}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await wb.waitForWorkbench();
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
  });
  if (!started) return;
  const dest = await courseFlow({ wb, check, repo: c.repo, parent });
  if (!dest || !(await installLanguagePack(wb, check, c.koreanVsix))) return;

  await c.server.stop();
  const results = path.join(c.artifacts, 'vscode-suite-ko.json');
  let server: Server | undefined;
  const up = await check('code-server restarts with the display language Korean (--locale ko) on the course', async () => {
    server = await startCodeServer(c.setup, c.profile, {
      folder: dest,
      logFile: path.join(c.artifacts, 'code-server-ko.log'),
      args: ['--locale', 'ko'],
      env: { RINGSIDE_VSCODE_TESTS: c.suite, RINGSIDE_TEST_RESULTS: results, RINGSIDE_VSCODE_GREP: KOREAN_GREP },
    });
    await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await wb.waitForWorkbench();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'exercises' }).first().waitFor({ timeout: 90_000 });
  });
  if (!up) return;
  await koreanFlow({ wb, check, repo: c.repo });

  await check('the suite\'s display-language tests pass again in Korean (vscode.env.language is ko)', async () => {
    await wb.runCommand('Ringside Tests: Run Extension Host Suite');
    const report = await waitUntil('the Korean suite report', () => (fs.existsSync(results) ? (JSON.parse(fs.readFileSync(results, 'utf8')) as SuiteReport) : undefined), { timeoutMs: 180_000, intervalMs: 250 });
    for (const t of report.tests) record(`[vscode ko] ${t.title}`, t.state === 'passed', t.error);
    if (report.error) throw new Error(`runner could not run the suite: ${report.error}`);
    if (report.language !== 'ko') throw new Error(`the extension host's vscode.env.language is ${String(report.language)}, not ko`);
    if (report.tests.length < 2) throw new Error(`only ${report.tests.length} display-language tests ran`);
  });
}
