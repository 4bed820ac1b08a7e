// Runs the in-extension-host mocha suite. Two callers load this file inside VS Code:
//  - @vscode/test-electron, which calls the exported run() (its extensionTestsPath contract);
//  - the code-server runner extension (test/vscode-runner), which calls runSuite() to get
//    the per-test results it writes for the e2e harness.
// Test files are bundled one per file next to this one and added through mocha.addFile so
// that mocha installs its describe/it globals before each file is evaluated.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { figures, type Figure } from './figures';

export interface TestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed';
  readonly durationMs: number;
  readonly error?: string;
}

export interface SuiteResult {
  readonly passed: number;
  readonly failed: number;
  readonly tests: TestResult[];
  /** Speed figures the tests measured (activation, panel refresh), for the benchmark. */
  readonly figures?: Figure[];
  /** vscode.env.language where the suite ran: the e2e's Korean pass checks it is 'ko'. */
  readonly language?: string;
  /** Failed responses the adapter marked for the user (VS Code pops each up), with the test that ran. */
  readonly shownErrors?: string[];
}

export function runSuite(): Promise<SuiteResult> {
  // Colours would end up as escape codes in the extension host log.
  // RINGSIDE_VSCODE_GREP narrows a developer's run to some tests (the e2e harness passes
  // RINGSIDE_E2E_GREP through); CI never sets it.
  const grep = process.env.RINGSIDE_VSCODE_GREP || undefined;
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, reporter: 'spec', grep });
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  const tests: TestResult[] = [];
  figures().length = 0;
  // Which request an error notification came from: the e2e harness sees only the notification.
  const shownErrors: string[] = [];
  let current = '(between tests)';
  const tracker = vscode.debug.registerDebugAdapterTrackerFactory('ringside', {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (m: { type?: string; success?: boolean; command?: string; message?: string; body?: { error?: { showUser?: boolean } } }) => {
        if (m.type === 'response' && m.success === false && m.body?.error?.showUser) shownErrors.push(`${current}: ${m.command}: ${m.message}`);
      },
    }),
  });
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(() => {
        tracker.dispose();
        const passed = tests.filter((t) => t.state === 'passed').length;
        resolve({ passed, failed: tests.length - passed, tests, figures: [...figures()], language: vscode.env.language, shownErrors });
      });
      runner.on('test', (t) => (current = t.fullTitle()));
      runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
      runner.on('fail', (t, err: unknown) =>
        tests.push({
          title: t.fullTitle(),
          state: 'failed',
          durationMs: t.duration ?? 0,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        }),
      );
    } catch (e) {
      reject(e);
    }
  });
}

/** Entry point for @vscode/test-electron: reject when anything failed so the run exits non-zero. */
export async function run(): Promise<void> {
  const r = await runSuite();
  console.log(`vscode suite: ${r.passed} passing, ${r.failed} failing`);
  if (r.failed > 0 || r.passed === 0) throw new Error(`${r.failed} of ${r.tests.length} extension-host tests failed`);
}
